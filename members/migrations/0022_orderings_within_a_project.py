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
        ('members', '0021_list_orderings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['project', 'name', 'id'], name='customer_project_name_idx'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['project', 'birthday', 'id'], name='customer_project_birthday_idx'),
        ),
        descending_empties_last_index("members", "customer", "birthday", "customer_project_bday_desc_idx", within="project"),
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(fields=['project', '-created_at', '-id'], name='lead_project_created_idx'),
        ),
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(fields=['project', 'graded_at', 'id'], name='lead_project_graded_idx'),
        ),
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(fields=['project', 'grade', 'id'], name='lead_project_grade_order_idx'),
        ),
        descending_empties_last_index("members", "lead", "next_follow_up_on", "lead_project_due_desc_idx", within="project"),
        migrations.AddIndex(
            model_name='membership',
            index=models.Index(fields=['source_project', 'member_number'], name='membership_project_number_idx'),
        ),
        migrations.AddIndex(
            model_name='purchase',
            index=models.Index(fields=['project', 'price', 'id'], name='purchase_project_price_idx'),
        ),
        migrations.AddIndex(
            model_name='purchase',
            index=models.Index(fields=['project', 'signed_on', 'id'], name='purchase_project_signed_idx'),
        ),
        descending_empties_last_index("members", "purchase", "signed_on", "purchase_proj_signed_desc_idx", within="project"),
    ]
