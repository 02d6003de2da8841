"""Validators for personal data: mainland mobile numbers and resident ID numbers."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
# One message for a wrong mobile number, whether it fails to parse or is not a mobile: the form and
# serializer fields take it as their "invalid" message, so a user never reads two.
MOBILE_ERROR = _("Enter a valid mobile phone number, e.g. 13812345678.")
MOBILE_ERRORS = {"invalid": MOBILE_ERROR}


def validate_mobile(value):
    """A valid mobile number (a landline cannot receive the text messages of the care schedule)."""
    number = value if isinstance(value, phonenumbers.PhoneNumber) else parse_phone(value)
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(MOBILE_ERROR, code="invalid_mobile")


def validate_id_number(value):
    if value and not ric.is_valid(value):
        raise ValidationError(_("Enter a valid 18-character resident ID number."), code="invalid_id_number")


def parse_phone(value) -> phonenumbers.PhoneNumber | None:
    """`value` read as a phone number, mainland unless it says +country; None if it is not one."""
    try:
        return phonenumbers.parse(str(value), "CN")
    except phonenumbers.NumberParseException:
        return None


def validate_birthday(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("A birthday cannot be in the future."), code="birthday_in_future")
