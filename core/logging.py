"""A logging filter that keeps personal data (mobile and ID numbers) out of every log line."""

import logging
import re

# Mainland mobile numbers (optionally +86) and 18-character resident ID numbers.
_PERSONAL = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)|(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


# One-time sign-in codes: the digits after the word that announces them, in Chinese or English.
_ONE_TIME_CODE = re.compile(r"(验证码|verification code|sign-in code)(\D{0,12}?)\d{4,8}", re.I)


def redact(text: str) -> str:
    return _ONE_TIME_CODE.sub(r"\1\2[redacted]", _PERSONAL.sub("[redacted]", text))


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class OneLineRefusals(logging.Filter):
    """A refused request (403, 404 …) is one line in the log, not the traceback of the refusal."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True
