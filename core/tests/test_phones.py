"""Phone numbers read from the database: the same as django-phonenumber-field's, parsed only when asked about."""

from unittest import mock

import phonenumbers
import pytest
from phonenumber_field.phonenumber import to_python

from core.access import display_phone, mask_phone
from core.phones import StoredPhoneNumber
from core.roles import Role
from core.testing import api_client, make_staff
from members.models import Customer
from members.tests.factories import CustomerFactory

NUMBERS = ["+8613812345678", "+85291234567", "+14155552671"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["13812345678", "+852 9123 4567", "+1 415-555-2671"])
def test_a_number_read_back_is_the_number_that_was_saved(project, typed):
    saved = CustomerFactory(project=project, mobile=typed)
    parsed = to_python(typed)

    read = Customer.objects.get(pk=saved.pk).mobile

    assert isinstance(read, StoredPhoneNumber)
    assert str(read) == str(parsed) and read.as_e164 == parsed.as_e164
    assert read == parsed and read == typed and hash(read) == hash(parsed)
    assert read.is_valid() and read.country_code == parsed.country_code
    assert read.as_national == parsed.as_national
    assert display_phone(read) == display_phone(parsed) and mask_phone(read) == mask_phone(parsed)


def test_a_stored_text_that_is_no_number_reads_as_that_text():
    read = StoredPhoneNumber("not a number")

    assert str(read) == "not a number" and not read.is_valid()
    assert str(read) == str(to_python("not a number"))


def test_a_number_asked_about_after_a_change_answers_for_the_change():
    read = StoredPhoneNumber("+8613812345678")
    read.merge_from(to_python("+85291234567"))

    assert str(read) == "+85291234567"


@pytest.mark.django_db
def test_a_page_of_customers_is_written_without_parsing_a_number(project):
    for number in NUMBERS:
        CustomerFactory(project=project, mobile=number)
    reader = api_client(make_staff(Role.SALES_MANAGER, projects=[project]))

    with mock.patch.object(phonenumbers, "parse", side_effect=AssertionError("a number was parsed")):
        page = reader.get("/api/v1/customers/?page_size=20")

    assert page.status_code == 200
    assert sorted(row["mobile"] for row in page.json()["results"]) == sorted(NUMBERS)
