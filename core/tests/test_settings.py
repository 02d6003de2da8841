"""Production safety: with DEBUG off the app refuses to start without a secret key."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    environment = {**os.environ, **env}
    environment.pop("SECRET_KEY", None) if "SECRET_KEY" not in env else None
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = run_check(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_with_a_secret_key_starts():
    result = run_check(DEBUG="false", SECRET_KEY="a-long-production-secret-value")

    assert result.returncode == 0, result.stderr
