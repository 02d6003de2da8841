"""Every user-facing string has its Chinese and English text; nothing is left fuzzy or stale."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "core",
    "estates",
    "members",
    "touchpoints",
    "complaints",
    "surveys",
    "lookup",
    "onboarding",
    "owners",
    "vanke_crm",
]
CATALOGUES = sorted(path for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts)


def entries(path: Path):
    for entry in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        if msgid:
            text = "".join(re.findall(r'"(.*)"', msgid.group(1)))  # a long msgid is wrapped over lines
            if not (text == "" and "Project-Id-Version" in entry):
                yield text, entry


def untranslated(path: Path) -> list[str]:
    return [
        msgid
        for msgid, entry in entries(path)
        if "#, fuzzy" in entry or re.fullmatch(r'msgstr(\[0\])? ""', entry.strip().split("\n")[-1])
    ]


def test_there_are_catalogues_for_both_languages():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {"zh_Hans", "en"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    assert untranslated(path) == []


@pytest.mark.parametrize("app", APPS)
def test_catalogue_holds_every_string_of_the_code(app, tmp_path):
    """Extract the app's strings afresh and compare with what is committed (`make messages` fixes it)."""
    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "tests"))
    (copy / "locale").mkdir()
    django_admin = str(Path(sys.executable).parent / "django-admin")
    subprocess.run(
        [django_admin, "makemessages", "-l", "zh_Hans", "--no-location", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    extracted = {msgid for msgid, _ in entries(copy / "locale/zh_Hans/LC_MESSAGES/django.po")}
    committed = {msgid for msgid, _ in entries(ROOT / app / "locale/zh_Hans/LC_MESSAGES/django.po")}
    assert extracted - committed == set()
