"""`make bench` works: a smoke run at a small size on the test database (its numbers are never asserted)."""

import argparse
import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command

BENCH = Path(__file__).resolve().parents[2] / "bench" / "run.py"
GROUPS = ("## API lists", "## Pages", "## Record pages", "## Reports", "## Exports", "## Duties")


@pytest.fixture
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_benchmark_measures_every_group_and_writes_its_table(bench, tmp_path, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("generate_load", "--customers", "200", "--with-demo", "--force", stdout=open("/dev/null", "w"))
    table = tmp_path / "RESULTS.md"
    args = argparse.Namespace(
        repeat=1,
        budget=1.0,
        messages=300,
        output=table,
        only="",
        users="demo-head,load-0-consultant-0,load-0-service",
        against=None,
    )

    bench.run(args)

    written = table.read_text(encoding="utf-8")
    assert all(group in written for group in GROUPS)
    assert "| /api/v1/leads/?page_size=20 (demo-head) |" in written
    assert "| /api/v1/customers/?page_size=20 (demo-manager) |" in written
    assert "| / (demo-head) |" in written
    assert "| /members/customers/{id}/ (demo-head), the middle of " in written
    assert "| /complaints/all/{id}/ (load-0-service), the middle of " in written
    assert "sending 300 queued messages" in written
    assert "| sending a survey campaign to every owner of the largest project — " in written
    assert "| flagging overdue follow-ups, second run (creates nothing) — " in written
    assert "## Failed rows" not in written


def test_the_table_says_how_this_hosts_floors_compare_with_another_tables(bench):
    def results(scale):
        cases = [bench.Case("API lists", f"/api/v1/r{i}/", None, floor_kind="table") for i in range(6)]
        return [bench.Result(case, [10 * scale], 2, [(i + 1) * scale]) for i, case in enumerate(cases)]

    committed = bench._markdown(results(1), [], 1000, 60)
    assert "Host speed" not in committed

    speed = bench.host_speed(results(2), committed)

    assert "floors are 2.00× the compared table's (median of 6 floors" in speed
    assert "this host is 2.0× slower" in speed
    assert speed in bench._markdown(results(2), [], 1000, 60, speed)
    assert "2.0× faster" in bench.host_speed(results(0.5), committed)
    assert bench.host_speed(results(2)[:3], committed) == "", "three floors are too few to say"
