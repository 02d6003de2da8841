"""An index for every ordering a project's staff read a list in, both ways, within the project (issue 15): a
project's rows are not looked for among every other project's. A nullable field's descending order (empties last,
core.ordering) is read from an index saying NULLS LAST, on PostgreSQL only (core.db.descending_empties_last_index).
"""

from django.conf import settings
from django.db import migrations, models

from core.db import descending_empties_last_index


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0013_list_orderings'),
        ('core', '0004_export'),
        ('estates', '0008_orderings_within_a_project'),
        ('members', '0022_orderings_within_a_project'),
        ('touchpoints', '0015_orderings_within_a_project'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['project', 'severity', 'id'], name='complaint_project_severity_idx'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['project', 'deadline', 'id'], name='complaint_project_deadline_idx'),
        ),
        descending_empties_last_index("complaints", "complaint", "deadline", "complaint_project_due_desc_idx", within="project"),
        migrations.AddIndex(
            model_name='defect',
            index=models.Index(fields=['project', 'raised_at', 'id'], name='defect_project_raised_idx'),
        ),
        migrations.AddIndex(
            model_name='returnvisit',
            index=models.Index(fields=['project', '-visited_at', '-id'], name='return_visit_project_idx'),
        ),
    ]
