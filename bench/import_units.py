"""Benchmark of the Excel import: a generated file of units, timed through the dry run and the import.

Usage: .venv/bin/python bench/import_units.py [--rows 100000]

Runs against a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL) and prints
the seconds taken to write the file, to read and check it (the dry run) and to apply it, then to check
the same file again (a re-import, which finds every row unchanged). Tests never time.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanke_crm.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(rows: int):
    from openpyxl import Workbook

    from core.roles import Role
    from core.testing import make_staff
    from estates.models import Company, Project, Unit
    from onboarding import importing
    from onboarding.choices import ImportKind

    company = Company.objects.create(name="基准公司", city="深圳")
    project = Project.objects.create(company=company, name="基准项目", city="深圳")
    actor = make_staff(Role.ADMINISTRATOR, username="bench-admin")

    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([column.zh for column in importing.COLUMNS[ImportKind.UNITS]])
    per_building = 30 * 8
    for n in range(rows):
        building, rest = divmod(n, per_building)
        floor, stack = divmod(rest, 8)
        sheet.append(
            [project.name, f"{building + 1}栋", f"{floor + 1:02d}{stack + 1:02d}", floor + 1, 89.5, "三室两厅", 2350000]
        )
    data = io.BytesIO()
    book.save(data)
    print(f"file: {rows} rows, {data.tell() / 1024 / 1024:.1f} MB written in {time.perf_counter() - started:.1f} s")

    def dry_run():
        data.seek(0)
        table, _headers = importing.read_rows(data, ImportKind.UNITS)
        return importing.plan_import(kind=ImportKind.UNITS, rows=table, actor=actor)

    started = time.perf_counter()
    plan = dry_run()
    print(f"dry run: {time.perf_counter() - started:.1f} s, {plan.counts()}")

    started = time.perf_counter()
    importing.apply_plan(plan)
    print(f"import: {time.perf_counter() - started:.1f} s, {Unit.objects.count()} units in the database")

    started = time.perf_counter()
    again = dry_run()
    print(f"re-import dry run: {time.perf_counter() - started:.1f} s, {again.counts()}")


if __name__ == "__main__":
    main()
