"""Every user-facing string has its Chinese and English text; nothing is left fuzzy."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(path for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts)


def untranslated(path: Path) -> list[str]:
    missing = []
    for entry in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"', entry, re.M)
        if not msgid or msgid.group(1) == "" and "Project-Id-Version" in entry:
            continue
        if "#, fuzzy" in entry or re.search(r'^msgstr(\[0\])? ""\n?$', entry.strip().split("\n")[-1] + "\n", re.M):
            missing.append(msgid.group(1))
    return missing


def test_there_are_catalogues_for_both_languages():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {"zh_Hans", "en"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    assert untranslated(path) == []
