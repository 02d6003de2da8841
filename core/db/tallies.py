"""A table's rows counted by some of their columns, kept by the database itself: triggers on the table add and take
away from a tally of one row per key, whichever way rows come, change or go (a form, the admin, an import, a bulk
update, a cascade). A page then reads its figures from a few tally rows instead of counting a large table.

The key's columns must not be null (a tally row is found by its key). SQLite drops a table's triggers when Django
rebuilds the table to alter it: a later migration that alters the counted table must, on SQLite, run `Tally.keep`
again (it creates the triggers and counts afresh), or the tally's tests fail.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    """`table`'s rows counted by `keys` into the `count` column of `tally`, which is unique on `keys`. `name`
    names the triggers and PostgreSQL's function."""

    name: str
    table: str
    tally: str
    keys: tuple[str, ...]
    count: str

    def keep(self, apps, schema_editor):
        """A migration's RunPython: the triggers created, and the tally counted afresh from the rows there (after a
        SQLite rebuild, also what changed while the table had no triggers)."""
        self._run(schema_editor, self.postgresql() if self._on_postgresql(schema_editor) else self.sqlite())
        keys = ", ".join(self.keys)
        schema_editor.execute(f"DELETE FROM {self.tally}")
        schema_editor.execute(
            f"INSERT INTO {self.tally} ({keys}, {self.count}) SELECT {keys}, COUNT(*) FROM {self.table} GROUP BY {keys}"
        )

    def drop(self, apps, schema_editor):
        """The reverse of `keep`: the triggers dropped (the tally's rows go with its table)."""
        if self._on_postgresql(schema_editor):
            self._run(schema_editor, [f"DROP FUNCTION {self.name}() CASCADE"])
        else:
            self._run(schema_editor, [f"DROP TRIGGER {self.name}_{event}" for event in ("insert", "update", "delete")])

    def postgresql(self) -> list[str]:
        """Once per statement, from the statement's rows (an import of 300,000 rows is one grouped upsert, not
        300,000), in the order of the tally's key, so that two transactions moving rows opposite ways take their
        tally rows in the same order and never wait on each other."""
        keys = ", ".join(self.keys)
        by_key = ", ".join(str(n) for n in range(1, len(self.keys) + 1))

        def upsert(source: str) -> str:
            return (
                f"INSERT INTO {self.tally} AS tally ({keys}, {self.count}) {source} ORDER BY {by_key}"
                f" ON CONFLICT ({keys}) DO UPDATE SET {self.count} = tally.{self.count} + EXCLUDED.{self.count};"
            )

        moved = (
            f"SELECT {keys}, SUM(change) FROM (SELECT {keys}, -1 AS change FROM old_rows"
            f" UNION ALL SELECT {keys}, 1 FROM new_rows) AS moved GROUP BY {by_key} HAVING SUM(change) <> 0"
        )
        function = f"""CREATE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {upsert(f"SELECT {keys}, COUNT(*) FROM new_rows GROUP BY {by_key}")}
    ELSIF TG_OP = 'DELETE' THEN {upsert(f"SELECT {keys}, -COUNT(*) FROM old_rows GROUP BY {by_key}")}
    ELSE {upsert(moved)}
    END IF;
    RETURN NULL;
END
$$"""
        transitions = {
            "insert": "NEW TABLE AS new_rows",
            "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
        }
        return [function] + [
            f"CREATE TRIGGER {self.name}_{event} AFTER {event.upper()} ON {self.table} REFERENCING {rows}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {self.name}()"
            for event, rows in transitions.items()
        ]

    def sqlite(self) -> list[str]:
        """Once per row (SQLite has no statement triggers); one writer at a time, so no order to keep."""
        keys = ", ".join(self.keys)

        def add(row: str) -> str:
            values = ", ".join(f"{row}.{key}" for key in self.keys)
            return (
                f"INSERT INTO {self.tally} ({keys}, {self.count}) VALUES ({values}, 1)"
                f" ON CONFLICT ({keys}) DO UPDATE SET {self.count} = {self.count} + 1;"
            )

        take_away = (
            f"UPDATE {self.tally} SET {self.count} = {self.count} - 1"
            f" WHERE {' AND '.join(f'{key} = OLD.{key}' for key in self.keys)};"
        )
        changed = " OR ".join(f"OLD.{key} <> NEW.{key}" for key in self.keys)
        return [
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} BEGIN {add('NEW')} END",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {keys} ON {self.table} WHEN {changed}"
            f" BEGIN {take_away} {add('NEW')} END",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} BEGIN {take_away} END",
        ]

    @staticmethod
    def _on_postgresql(schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    @staticmethod
    def _run(schema_editor, statements):
        for statement in statements:
            schema_editor.execute(statement, params=None)
