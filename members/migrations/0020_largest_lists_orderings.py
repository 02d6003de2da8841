"""An index for every ordering the customers', leads' and purchases' lists offer, both ways (issue 15). A nullable
field's descending order (empties last, core.ordering) is read from an index saying NULLS LAST, on PostgreSQL only
(core.db.descending_empties_last_index).
"""

from django.conf import settings
from django.db import migrations, models

from core.db import descending_empties_last_index


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0006_unit_tally'),
        ('members', '0019_purchase_consultant_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name='customer', name='customer_birthday_idx'),
        migrations.RemoveIndex(model_name='customer', name='customer_name_idx'),
        migrations.RemoveIndex(model_name='purchase', name='purchase_signed_on_idx'),
        migrations.AddIndex(
            model_name='customer', index=models.Index(fields=['birthday', 'id'], name='customer_birthday_idx')
        ),
        migrations.AddIndex(model_name='customer', index=models.Index(fields=['name', 'id'], name='customer_name_idx')),
        migrations.AddIndex(
            model_name='lead', index=models.Index(fields=['graded_at', 'id'], name='lead_graded_order_idx')
        ),
        migrations.AddIndex(model_name='lead', index=models.Index(fields=['grade', 'id'], name='lead_grade_order_idx')),
        migrations.AddIndex(
            model_name='purchase', index=models.Index(fields=['signed_on', 'id'], name='purchase_signed_on_idx')
        ),
        migrations.AddIndex(
            model_name='purchase', index=models.Index(fields=['price', 'id'], name='purchase_price_order_idx')
        ),
        descending_empties_last_index("members", "customer", "birthday", "customer_birthday_desc_idx"),
        descending_empties_last_index("members", "lead", "next_follow_up_on", "lead_due_desc_order_idx"),
        descending_empties_last_index("members", "purchase", "signed_on", "purchase_signed_desc_idx"),
    ]
