"""An index for every ordering a project's staff read a list in, both ways, within the project (issue 15): a
project's rows are not looked for among every other project's. A nullable field's descending order (empties last,
core.ordering) is read from an index saying NULLS LAST, on PostgreSQL only (core.db.descending_empties_last_index).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0007_list_orderings'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['project', 'number', 'id'], name='unit_project_number_idx'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['project', 'floor', 'id'], name='unit_project_floor_idx'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['project', 'area', 'id'], name='unit_project_area_idx'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['project', 'list_price', 'id'], name='unit_project_price_idx'),
        ),
    ]
