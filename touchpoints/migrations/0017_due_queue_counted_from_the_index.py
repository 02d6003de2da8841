"""The care tasks' due queue (due, and open on today) counted from an index alone (issue 15): the window's start
is kept with the status and end it is found by (counting 10,001 due tasks on the generated million: 17 → 2 ms).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0008_orderings_within_a_project'),
        ('members', '0024_consent_in_id_order'),
        ('touchpoints', '0016_filters_in_list_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='caretask',
            name='care_task_due_idx',
        ),
        migrations.AddIndex(
            model_name='caretask',
            index=models.Index(fields=['status', 'due_end'], include=('due_start',), name='care_task_queue_idx'),
        ),
    ]
