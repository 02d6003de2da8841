"""Benchmark of the Excel import: a generated file of units (or customers), timed through the dry run and
the import.

Usage: .venv/bin/python bench/import_units.py [--rows 100000] [--kind units|customers]

Runs against a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL) and prints
the seconds taken to write the file, to read and check it (the dry run) and to apply it, then to check
the same file again (a re-import, which finds every row unchanged), with the process's peak memory after
each step: the file is read and written a chunk at a time, so the peak should not grow with the rows
(compare --rows 10000 with --rows 100000). Tests never time.
"""

import argparse
import io
import os
import resource
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
    parser.add_argument("--kind", choices=["units", "customers"], default="units")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.rows, args.kind)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(rows: int, kind: str):
    from openpyxl import Workbook

    from core.excel import SheetFile
    from core.roles import Role
    from core.testing import make_staff
    from estates.models import Company, Project, Unit
    from members.models import Customer
    from onboarding import importing
    from onboarding.choices import ImportKind

    company = Company.objects.create(name="基准公司", city="深圳")
    project = Project.objects.create(company=company, name="基准项目", city="深圳")
    actor = make_staff(Role.ADMINISTRATOR, username="bench-admin")

    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([column.zh for column in importing.COLUMNS[kind]])
    per_building = 30 * 8
    for n in range(rows):
        if kind == ImportKind.CUSTOMERS:
            sheet.append([project.name, f"客户{n}", f"139{n:08d}", ""])
            continue
        building, rest = divmod(n, per_building)
        floor, stack = divmod(rest, 8)
        sheet.append(
            [project.name, f"{building + 1}栋", f"{floor + 1:02d}{stack + 1:02d}", floor + 1, 89.5, "三室两厅", 2350000]
        )
    data = io.BytesIO()
    book.save(data)
    print(f"file: {rows} rows, {data.tell() / 1024 / 1024:.1f} MB written in {time.perf_counter() - started:.1f} s")

    def step(name, work):
        data.seek(0)
        started = time.perf_counter()
        with SheetFile("result", ["row"]) as result, importing.open_rows(data, kind) as rows:
            report = work(rows, kind=kind, actor=actor, result=result.append)
            result.saved().close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{name}: {time.perf_counter() - started:.1f} s, peak memory {peak:.0f} MB, {report.counts}")

    print(f"before: peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    step("dry run", importing.check_rows)
    step("import", importing.import_rows)
    print(f"{Unit.objects.count()} units, {Customer.objects.count()} customers in the database")
    step("re-import dry run", importing.check_rows)


if __name__ == "__main__":
    main()
