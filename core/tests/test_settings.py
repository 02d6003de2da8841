"""Production safety: with DEBUG off the app refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    environment = {**os.environ, **env}
    environment.pop("SECRET_KEY", None) if "SECRET_KEY" not in env else None
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = run_check(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_with_a_secret_key_starts():
    result = run_check(DEBUG="false", SECRET_KEY="a-long-production-secret-value")

    assert result.returncode == 0, result.stderr


def settings_of(**env):
    environment = {**os.environ, "CELERY_BROKER_URL": "filesystem://", **env}
    for name in ("CELERY_RESULT_BACKEND", *(() if "PYTEST_XDIST_WORKER" in env else ("PYTEST_XDIST_WORKER",))):
        environment.pop(name, None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in']); print(s.CELERY_RESULT_BACKEND); "
        "print(getattr(s, 'CELERY_TASK_DEFAULT_QUEUE', 'celery'))"
    )
    environment["DJANGO_SETTINGS_MODULE"] = "vanke_crm.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_each_parallel_test_process_has_its_own_broker_folder_and_queue():
    first, second = settings_of(PYTEST_XDIST_WORKER="gw0"), settings_of(PYTEST_XDIST_WORKER="gw1")

    assert first[0].endswith("var/celery/gw0/broker") and second[0].endswith("var/celery/gw1/broker")
    assert first[1].endswith("var/celery/gw0/results")
    assert (first[2], second[2]) == ("celery-gw0", "celery-gw1")


def test_outside_a_parallel_run_the_broker_folder_is_the_shared_one():
    folder, _, queue = settings_of()

    assert folder.endswith("var/celery/broker") and queue == "celery"
