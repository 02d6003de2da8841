"""core.db.starts_with: the texts a start begins find the same rows whether the database is asked for a LIKE or,
under a code-point collation, for the range of texts from that start on."""

import pytest
from django.db import connection

from core.db import starts_with
from members.models import Customer
from members.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

# Around each start: a text right before it, texts it starts, and the first text after all of those. U+D7FF is
# followed by the surrogates, which are no characters, then U+E000; U+10FFFF is the last code point there is.
NAMES = ["汪", "王", "王芳", "玌", "\ud7fe", "\ud7ff", "\ud7ff甲", "\ue000", "\U0010fffe", "\U0010ffff甲"]


@pytest.mark.parametrize(
    ("start", "found"),
    [
        ("王", ["王", "王芳"]),
        ("\ud7ff", ["\ud7ff", "\ud7ff甲"]),
        ("\U0010ffff", ["\U0010ffff甲"]),
    ],
)
def test_a_start_finds_the_texts_it_begins_and_no_other(project, start, found):
    for name in NAMES:
        CustomerFactory(project=project, name=name)

    named = Customer.objects.filter(starts_with("name", start, alias=connection.alias))

    assert sorted(named.values_list("name", flat=True)) == sorted(found)
