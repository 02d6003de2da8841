"""Production settings: the values the README documents pass Django's deployment check."""

import os
import re
import secrets
import shlex
import subprocess
import sys

from django.conf import settings

README = settings.BASE_DIR / "README.md"


def production_environment() -> dict:
    """The `export …` of the README's production section, with the elided secrets filled in."""
    section = README.read_text(encoding="utf-8").split("## Production", 1)[1]
    export = re.search(r"^export (.*?)(?<!\\)\n", section, re.M | re.S).group(1).replace("\\\n", " ")
    values = dict(word.split("=", 1) for word in shlex.split(export))
    values["SECRET_KEY"] = secrets.token_urlsafe(50)
    return {name: value.replace("…", "secret") for name, value in values.items()}


def test_the_readmes_production_settings_pass_the_deployment_check():
    documented = production_environment()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name in ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
    }
    environment.update(documented, DJANGO_SETTINGS_MODULE="vanke_crm.settings")

    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert documented["DEBUG"] == "false" and "ALLOWED_HOSTS" in documented
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout


def test_without_the_https_settings_the_deployment_check_fails():
    environment = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")}
    environment.update(
        production_environment(),
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="false",
        DJANGO_SETTINGS_MODULE="vanke_crm.settings",
    )

    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert check.returncode != 0
    assert "security.W004" in check.stderr and "security.W012" in check.stderr
