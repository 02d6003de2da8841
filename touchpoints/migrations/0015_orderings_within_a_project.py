"""An index for every ordering a project's staff read a list in, both ways, within the project (issue 15): a
project's rows are not looked for among every other project's. A nullable field's descending order (empties last,
core.ordering) is read from an index saying NULLS LAST, on PostgreSQL only (core.db.descending_empties_last_index).
"""

from django.conf import settings
from django.db import migrations, models

from core.db import descending_empties_last_index


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0008_orderings_within_a_project'),
        ('members', '0022_orderings_within_a_project'),
        ('touchpoints', '0014_list_orderings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='caretask',
            index=models.Index(fields=['project', 'due_start', 'id'], name='care_task_project_start_idx'),
        ),
        migrations.AddIndex(
            model_name='caretask',
            index=models.Index(fields=['project', 'call_back_at', 'id'], name='care_task_project_call_idx'),
        ),
        descending_empties_last_index("touchpoints", "caretask", "call_back_at", "care_task_proj_call_desc_idx", within="project"),
        migrations.AddIndex(
            model_name='caretask',
            index=models.Index(fields=['project', 'completed_at', 'id'], name='care_task_project_done_idx'),
        ),
        descending_empties_last_index("touchpoints", "caretask", "completed_at", "care_task_proj_done_desc_idx", within="project"),
        migrations.AddIndex(
            model_name='outboundmessage',
            index=models.Index(fields=['project', 'sent_at', 'id'], name='message_project_sent_idx'),
        ),
        descending_empties_last_index("touchpoints", "outboundmessage", "sent_at", "message_project_sent_desc_idx", within="project"),
    ]
