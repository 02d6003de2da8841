"""An index for every ordering the messages' and care tasks' lists offer, both ways (issue 15); the messages are no
longer sorted by status, nor the tasks by duty: both are filtered by. A nullable field's descending order (empties
last, core.ordering) is read from an index saying NULLS LAST, on PostgreSQL only
(core.db.descending_empties_last_index).
"""

from django.conf import settings
from django.db import migrations, models

from core.db import descending_empties_last_index


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0006_unit_tally'),
        ('members', '0020_largest_lists_orderings'),
        ('touchpoints', '0013_scorecard_covering_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name='outboundmessage', name='message_list_order_idx'),
        migrations.AddIndex(
            model_name='outboundmessage',
            index=models.Index(fields=['-created_at', '-id'], name='message_list_order_idx'),
        ),
        migrations.AddIndex(
            model_name='outboundmessage', index=models.Index(fields=['sent_at', 'id'], name='message_sent_order_idx')
        ),
        descending_empties_last_index("touchpoints", "outboundmessage", "sent_at", "message_sent_desc_idx"),
        migrations.AddIndex(
            model_name='caretask', index=models.Index(fields=['due_start', 'id'], name='care_task_start_order_idx')
        ),
        migrations.AddIndex(
            model_name='caretask', index=models.Index(fields=['completed_at', 'id'], name='care_task_done_order_idx')
        ),
        descending_empties_last_index("touchpoints", "caretask", "completed_at", "care_task_done_desc_idx"),
        descending_empties_last_index("touchpoints", "caretask", "call_back_at", "care_task_call_back_desc_idx"),
    ]
