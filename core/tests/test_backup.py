"""`make backup` / `make restore`: a backup restored into a new database holds every row and every file."""

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from core import backups
from core.testing import database_url
from members.tests.factories import CustomerFactory, PurchaseFactory

KEY_TABLES = ["core_user", "estates_project", "estates_unit", "members_customer", "members_purchase"]


def _open(name):
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=name,
        autocommit=True,
    )


def _figures(name, tables):
    with _open(name) as db:
        counts = {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        sums = {
            table: db.execute(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM \"{table}\" t"
            ).fetchone()[0]
            for table in KEY_TABLES
        }
    return counts, sums


@pytest.fixture
def restored_database():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the backup test restores with pg_restore into a new database: it needs DATABASE_URL on "
            "PostgreSQL (on SQLite `make backup` copies the file)"
        )
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    with _open("postgres") as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _open("postgres") as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_new_database_with_every_row_and_file(restored_database, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 a photo of the leak")
    for _ in range(3):
        PurchaseFactory(customer=CustomerFactory(project=project))

    call_command("backup", to=tmp_path / "backups")
    backup = next((tmp_path / "backups").iterdir())
    call_command(
        "restore", backup, database_url=database_url(restored_database), media_root=tmp_path / "restored-media"
    )

    tables = connection.introspection.table_names()
    original, restored = _figures(connection.settings_dict["NAME"], tables), _figures(restored_database, tables)
    assert (backup / backups.DUMP).stat().st_size > 0
    assert original[0]["members_purchase"] == 3
    assert restored[0] == original[0]
    assert restored[1] == original[1]
    assert (tmp_path / "restored-media" / "evidence" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo of the leak"
