"""The tally of each project's complaints by state, kept by triggers on the complaints table (core.db.tallies).

SQLite drops a table's triggers when Django rebuilds the table to alter it: a later migration that alters
complaints_complaint on SQLite must create these triggers again (the tally's tests fail if it does not).
"""

import django.db.models.deletion
from django.db import migrations, models

from core.db.tallies import Tally

COMPLAINTS_BY_STATE = Tally(
    name="complaints_complaint_tally",
    table="complaints_complaint",
    tally="complaints_complainttally",
    keys=("project_id", "state"),
    count="complaints",
)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0018_case_library_latest_first'),
        ('estates', '0008_orderings_within_a_project'),
    ]

    operations = [
        migrations.CreateModel(
            name='ComplaintTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('received', 'Received'), ('analysed', 'Analysed'), ('dispatched', 'Dispatched'), ('planned', 'Plan recorded'), ('in_progress', 'In progress'), ('resolved', 'Resolved'), ('verified', 'Verified'), ('visited', 'Return visit done'), ('closed', 'Closed'), ('archived', 'Archived'), ('reopened', 'Reopened')], max_length=20, verbose_name='status')),
                ('complaints', models.IntegerField(verbose_name='complaints')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='complaint_tallies', to='estates.project', verbose_name='project')),
            ],
            options={
                'verbose_name': 'complaint tally',
                'verbose_name_plural': 'complaint tallies',
                'constraints': [models.UniqueConstraint(fields=('project', 'state'), name='unique_complaint_tally_per_state')],
            },
        ),
        migrations.RunPython(COMPLAINTS_BY_STATE.keep, COMPLAINTS_BY_STATE.drop, elidable=False),
    ]
