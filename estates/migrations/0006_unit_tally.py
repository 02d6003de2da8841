"""The tally of each project's units by status, kept by triggers on the units table (core.db.tallies).

SQLite drops a table's triggers when Django rebuilds the table to alter it: a later migration that alters
estates_unit on SQLite must create these triggers again (the tally's tests fail if it does not).
"""

import django.db.models.deletion
from django.db import migrations, models

from core.db.tallies import Tally

UNITS_BY_STATUS = Tally(
    name="estates_unit_tally",
    table="estates_unit",
    tally="estates_unittally",
    keys=("project_id", "status"),
    count="units",
)


class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0005_unit_list_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('available', 'Available'), ('reserved', 'Withheld from sale'), ('subscribed', 'Subscribed'), ('signed', 'Signed'), ('delivered', 'Delivered')], max_length=20, verbose_name='status')),
                ('units', models.IntegerField(verbose_name='units')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unit_tallies', to='estates.project', verbose_name='project')),
            ],
            options={
                'verbose_name': 'unit tally',
                'verbose_name_plural': 'unit tallies',
                'constraints': [models.UniqueConstraint(fields=('project', 'status'), name='unique_unit_tally_per_status')],
            },
        ),
        migrations.RunPython(UNITS_BY_STATUS.keep, UNITS_BY_STATUS.drop, elidable=False),
    ]
