"""Phone numbers as the database holds them: read without parsing, parsed when first asked about.

django-phonenumber-field parses every number it reads from the database (libphonenumber's `parse`), and writes
it out again by checking and formatting it (`is_valid`, `format_number`): a page of 100 customers spent a third
of its time on its 100 mobile numbers. Yet a number was checked when it was saved, and is kept as E.164 text
(`+8613812345678`), which is what `str` gives back, the API writes and `core.access.display_phone` shows. A
number read here keeps that text and is parsed only when something asks about its parts (its country code,
validity, another format, a comparison).
"""

import re

from django.conf import settings
from phonenumber_field import modelfields
from phonenumber_field.phonenumber import PhoneNumber, to_python

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


class StoredPhoneNumber(PhoneNumber):
    """A number as read from the database, parsed on first use of anything but its E.164 text."""

    def __init__(self, stored: str | None = None, **parts):
        if stored is None:  # a number made from its parts, as PhoneNumber's comparisons make one
            super().__init__(**parts)
        else:  # no parsing: the parts are filled in when first used
            self.__dict__["stored"] = stored

    def __getattr__(self, name):
        # Called only for what the instance lacks: before parsing, every part of the number.
        if name.startswith("__") or not self._parse():
            raise AttributeError(name)
        return getattr(self, name)

    def __setattr__(self, name, value):
        self._parse()  # a part changed before parsing would be overwritten by the parse
        super().__setattr__(name, value)

    def _parse(self) -> bool:
        """Fills in the number's parts from its stored text; False when they are there already."""
        if "country_code" in self.__dict__ or "stored" not in self.__dict__:
            return False
        self.__dict__.update(to_python(self.__dict__["stored"]).__dict__)
        return True

    def __str__(self):
        if (
            "country_code" not in self.__dict__
            and getattr(settings, "PHONENUMBER_DEFAULT_FORMAT", "E164") == "E164"
            and _E164.fullmatch(self.stored)
        ):
            return self.stored
        return super().__str__()


class PhoneNumberField(modelfields.PhoneNumberField):
    """django-phonenumber-field's model field, reading numbers as StoredPhoneNumber."""

    def from_db_value(self, value, expression, connection):
        return StoredPhoneNumber(value) if value else value
