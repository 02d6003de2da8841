"""Backups that restore: the database (pg_dump custom format, or a copy of the SQLite file) and the
media folder, together in one timestamped directory under var/backups/."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import environ
from django.conf import settings
from django.db import connections
from django.utils import timezone

DUMP = "database.dump"
SQLITE_COPY = "db.sqlite3"
MEDIA = "media"


def default_folder() -> Path:
    return Path(settings.BASE_DIR) / "var" / "backups"


def _database(database_url: str | None = None) -> dict:
    if database_url:
        return environ.Env.db_url_config(database_url)
    return connections["default"].settings_dict


def _is_postgres(database: dict) -> bool:
    return "postgresql" in database["ENGINE"]


def _pg_arguments(database: dict) -> tuple[list[str], dict]:
    arguments = ["--host", str(database.get("HOST") or "127.0.0.1"), "--port", str(database.get("PORT") or 5432)]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return arguments, environment


def back_up(*, folder: Path | None = None) -> Path:
    """Write the database and the media folder into a new timestamped directory; returns it."""
    target = Path(folder or default_folder()) / timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    target.mkdir(parents=True)
    database = _database()
    if _is_postgres(database):
        arguments, environment = _pg_arguments(database)
        pg_dump = [
            "pg_dump",
            "--format",
            "custom",
            "--no-owner",
            "--no-acl",
            *arguments,
            "--file",
            str(target / DUMP),
            database["NAME"],
        ]
        subprocess.run(pg_dump, env=environment, check=True, capture_output=True)
    else:
        # sqlite3's online backup: a consistent copy even while the dashboard or a worker writes.
        with sqlite3.connect(database["NAME"]) as source, sqlite3.connect(target / SQLITE_COPY) as copy:
            source.backup(copy)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, target / MEDIA)
    else:
        (target / MEDIA).mkdir()
    return target


def restore(source: Path, *, database_url: str | None = None, media_root: Path | None = None) -> None:
    """Put a backup back: into the configured database (or `database_url`) and media folder (or
    `media_root`). What the backup holds replaces what is there."""
    source = Path(source)
    database = _database(database_url)
    if _is_postgres(database):
        arguments, environment = _pg_arguments(database)
        pg_restore = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            "--dbname",
            database["NAME"],
            str(source / DUMP),
        ]
        subprocess.run(pg_restore, env=environment, check=True, capture_output=True)
    else:
        connections["default"].close()
        with sqlite3.connect(source / SQLITE_COPY) as copy, sqlite3.connect(database["NAME"]) as target:
            copy.backup(target)
    media = Path(media_root or settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    shutil.copytree(source / MEDIA, media)
