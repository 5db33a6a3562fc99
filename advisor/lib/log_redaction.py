"""A logging filter that keeps e-mail addresses, phone numbers and report tokens out of logs.

Logs are read by more people and kept longer than the data itself (AVG data minimisation).
A report token is the only key to someone's advice, so a leaked log line must not hold one:
Django itself logs "Not Found: /advies/<token>/" for every expired link.
"""

import logging
import re

REDACTED_EMAIL = "[e-mail]"
REDACTED_PHONE = "[phone]"
REDACTED_TOKEN = "[token]"

# Whatever follows /advies/ is a report token, however mangled or short.
TOKEN_PATH = re.compile(r"(/advies/)[^/\s?#\"']+")
EMAIL = re.compile(r"[^\s@<>\"',;:()\[\]]+@[^\s@<>\"',;:()\[\]]+")
# The same in a URL: "@" written as %40 (a search for eva@x.nl in ?q=eva%40x.nl), any case,
# possibly twice encoded (%2540). Stops at the next query-string separator.
URL_ENCODED_EMAIL = re.compile(r"[^\s@<>\"',;:()\[\]&=?/]+%(?:25)?40[^\s@<>\"',;:()\[\]&=?/#]+",
                               re.IGNORECASE)
# Long runs of URL-safe characters: report tokens (43 characters), session keys, and the like.
TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{32,}(?![\w-])")
# A phone number starts with + or 0 (06..., 020..., 0031..., +31...), then digits with the
# separators people type (never dots: those are IP addresses). Status codes, sizes and dates
# in log lines start with another digit.
PHONE = re.compile(r"(?<![\w.+])(?:\+|\(\+|\(0|0)[\d ()/-]{6,24}\d(?![\w.])")
PHONE_DIGITS = range(8, 16)


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(char.isdigit() for char in text)
    if digits not in PHONE_DIGITS:
        return text
    return REDACTED_PHONE


def redact(text: str) -> str:
    """The text with e-mail addresses, phone numbers and tokens replaced by placeholders."""
    text = TOKEN_PATH.sub(rf"\1{REDACTED_TOKEN}", text)
    text = URL_ENCODED_EMAIL.sub(REDACTED_EMAIL, text)
    text = EMAIL.sub(REDACTED_EMAIL, text)
    text = TOKEN.sub(REDACTED_TOKEN, text)
    return PHONE.sub(_phone, text)


class RedactPersonalData(logging.Filter):
    """Attached to every handler in settings.LOGGING; rewrites the record, never drops it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # Arguments that don't fit the format: log the template rather than nothing.
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
