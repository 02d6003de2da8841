"""The tally of each project's units by status, kept by triggers on the units table.

SQLite drops a table's triggers when Django rebuilds the table to alter it: a later migration that alters
estates_unit on SQLite must create these triggers again (the tally's tests fail if it does not).
"""

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL: once per statement, from the statement's rows (an import of 300,000 units is one grouped upsert,
# not 300,000), in the order of the tally's key, so that two transactions moving units opposite ways (a
# subscription and a cancellation) take their tally rows in the same order and never wait on each other.
POSTGRESQL = """
CREATE FUNCTION estates_unit_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO estates_unittally AS tally (project_id, status, units)
        SELECT project_id, status, COUNT(*) FROM new_units GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (project_id, status) DO UPDATE SET units = tally.units + EXCLUDED.units;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO estates_unittally AS tally (project_id, status, units)
        SELECT project_id, status, -COUNT(*) FROM old_units GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (project_id, status) DO UPDATE SET units = tally.units + EXCLUDED.units;
    ELSE
        INSERT INTO estates_unittally AS tally (project_id, status, units)
        SELECT project_id, status, SUM(change) FROM (
            SELECT project_id, status, -1 AS change FROM old_units
            UNION ALL
            SELECT project_id, status, 1 FROM new_units
        ) AS moved GROUP BY 1, 2 HAVING SUM(change) <> 0 ORDER BY 1, 2
        ON CONFLICT (project_id, status) DO UPDATE SET units = tally.units + EXCLUDED.units;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER estates_unit_tally_insert AFTER INSERT ON estates_unit
    REFERENCING NEW TABLE AS new_units FOR EACH STATEMENT EXECUTE FUNCTION estates_unit_tally();
CREATE TRIGGER estates_unit_tally_update AFTER UPDATE ON estates_unit
    REFERENCING OLD TABLE AS old_units NEW TABLE AS new_units FOR EACH STATEMENT EXECUTE FUNCTION estates_unit_tally();
CREATE TRIGGER estates_unit_tally_delete AFTER DELETE ON estates_unit
    REFERENCING OLD TABLE AS old_units FOR EACH STATEMENT EXECUTE FUNCTION estates_unit_tally();
"""
POSTGRESQL_REVERSE = "DROP FUNCTION estates_unit_tally() CASCADE;"

# SQLite: once per row (it has no statement triggers); one writer at a time, so no order to keep.
SQLITE = [
    """CREATE TRIGGER estates_unit_tally_insert AFTER INSERT ON estates_unit BEGIN
        INSERT INTO estates_unittally (project_id, status, units) VALUES (NEW.project_id, NEW.status, 1)
        ON CONFLICT (project_id, status) DO UPDATE SET units = units + 1;
    END""",
    """CREATE TRIGGER estates_unit_tally_update AFTER UPDATE OF project_id, status ON estates_unit
    WHEN OLD.project_id <> NEW.project_id OR OLD.status <> NEW.status BEGIN
        UPDATE estates_unittally SET units = units - 1 WHERE project_id = OLD.project_id AND status = OLD.status;
        INSERT INTO estates_unittally (project_id, status, units) VALUES (NEW.project_id, NEW.status, 1)
        ON CONFLICT (project_id, status) DO UPDATE SET units = units + 1;
    END""",
    """CREATE TRIGGER estates_unit_tally_delete AFTER DELETE ON estates_unit BEGIN
        UPDATE estates_unittally SET units = units - 1 WHERE project_id = OLD.project_id AND status = OLD.status;
    END""",
]
SQLITE_REVERSE = [f"DROP TRIGGER estates_unit_tally_{event}" for event in ("insert", "update", "delete")]

COUNT_EXISTING = """
INSERT INTO estates_unittally (project_id, status, units)
SELECT project_id, status, COUNT(*) FROM estates_unit GROUP BY project_id, status
"""


def keep_tally(apps, schema_editor):
    _run(schema_editor, POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE)
    schema_editor.execute(COUNT_EXISTING)


def drop_tally(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE)


def _run(schema_editor, statements):
    for statement in [statements] if isinstance(statements, str) else statements:
        schema_editor.execute(statement, params=None)


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
        migrations.RunPython(keep_tally, drop_tally, elidable=False),
    ]
