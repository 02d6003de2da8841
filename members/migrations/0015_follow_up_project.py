"""Each follow-up keeps its lead's project: the existing ones (and their history) are given theirs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FROM_LEADS = """
UPDATE {table} SET project_id = (SELECT lead.project_id FROM members_lead AS lead WHERE lead.id = {table}.lead_id)
"""


def give_follow_ups_their_projects(apps, schema_editor):
    for table in ("members_followup", "members_historicalfollowup"):
        schema_editor.execute(FROM_LEADS.format(table=table), params=None)
    if schema_editor.connection.vendor == "postgresql":
        # the new key's checks now, not at commit: the column is altered next, in this transaction
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0006_unit_tally'),
        ('members', '0014_alter_customer_mobile_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='followup',
            name='project',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='estates.project', verbose_name='project'),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='estates.project', verbose_name='project'),
        ),
        migrations.RunPython(give_follow_ups_their_projects, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='followup',
            name='project',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='estates.project', verbose_name='project'),
        ),
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(fields=['project', 'happened_at', 'consultant'], name='followup_project_time_idx'),
        ),
    ]
