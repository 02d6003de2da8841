"""An index for every ordering the customers', leads' and purchases' lists offer, both ways (issue 15).

A nullable field ordered descending sorts its empty values last (core.ordering): PostgreSQL reads that order from
an index that says NULLS LAST. SQLite refuses those words in an index, and its tables stay small: there the three
such indexes are in the models' state only. A later migration that alters or removes one of them must do the same.
"""

from django.conf import settings
from django.db import migrations, models

DESCENDING_EMPTIES_LAST = [
    ("customer", "birthday", "customer_birthday_desc_idx"),
    ("lead", "next_follow_up_on", "lead_due_desc_order_idx"),
    ("purchase", "signed_on", "purchase_signed_desc_idx"),
]


def _index(field, name):
    return models.Index(
        models.OrderBy(models.F(field), descending=True, nulls_last=True),
        models.OrderBy(models.F("id"), descending=True),
        name=name,
    )


def create_on_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, field, name in DESCENDING_EMPTIES_LAST:
            schema_editor.add_index(apps.get_model("members", model), _index(field, name))


def drop_on_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, field, name in DESCENDING_EMPTIES_LAST:
            schema_editor.remove_index(apps.get_model("members", model), _index(field, name))


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
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name=model, index=_index(field, name))
                for model, field, name in DESCENDING_EMPTIES_LAST
            ],
            database_operations=[migrations.RunPython(create_on_postgresql, drop_on_postgresql)],
        ),
    ]
