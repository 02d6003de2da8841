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
        ('surveys', '0009_list_orderings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(fields=['project', '-created_at', '-id'], name='survey_fu_project_created_idx'),
        ),
        migrations.AddIndex(
            model_name='response',
            index=models.Index(fields=['project', 'overall_score', 'id'], name='response_project_score_idx'),
        ),
        descending_empties_last_index("surveys", "response", "overall_score", "response_proj_score_desc_idx", within="project"),
    ]
