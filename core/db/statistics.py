"""What PostgreSQL's planner is told of the values a column holds, beyond its default sample.

ANALYZE keeps the most common values of a column, up to its statistics target (100 by default), only when they
stand out from the rest. A large company's projects, or its staff who own tasks, are hundreds of values of about the
same weight, so none stands out and none is kept: the planner then takes a project of forty leads (a demo project, a
new one) for one of five thousand, and reads a page of its leads by walking the whole table in list order for rows
that never come (a manager's page of leads 296 ms on the generated million of 200 projects; 19 ms once every
project is known). With a target above the number of values, ANALYZE keeps them all, and how rare the rare ones are.
"""

from django.db import migrations

EVERY_VALUE = 1000  # above the projects, or the staff owning tasks, of the largest company we plan for


def know_every_value(*columns: str) -> migrations.RunPython:
    """A migration operation giving each "table.column" a statistics target of EVERY_VALUE and analysing its table
    (autovacuum would at its next visit); undone, the column goes back to the server's default. Nothing on SQLite,
    whose planner keeps no such list."""

    def alter(schema_editor, target: int, analyse: bool) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        tables = []
        for column in columns:
            table, name = column.split(".")
            schema_editor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(name)} SET STATISTICS {target}")
            tables += [] if table in tables else [table]
        for table in tables if analyse else ():
            schema_editor.execute(f"ANALYZE {quote(table)}")

    return migrations.RunPython(
        lambda apps, schema_editor: alter(schema_editor, EVERY_VALUE, analyse=True),
        lambda apps, schema_editor: alter(schema_editor, -1, analyse=False),
        elidable=False,
    )
