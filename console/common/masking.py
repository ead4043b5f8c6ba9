"""Masks phone numbers and email addresses for list views.

Lists are read over shoulders and screen-shared; a visitor's full contact details are shown
only on the pages made to act on them (a transcript, a request's own page, the CSV export).
"""
import re

EMAIL_RE = re.compile(r"([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
# 7 or more digits, possibly separated by spaces, dots, dashes or brackets, with an optional +.
PHONE_RE = re.compile(r"\+?\(?\d(?:[\s().-]*\d){6,}")
DOT = "\u2022"


def _mask_phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return DOT * 3 + "-" + DOT * 3 + "-" + DOT * 2 + digits[-2:]


def mask_contacts(text: str) -> str:
    if not text:
        return text
    text = EMAIL_RE.sub(lambda m: f"{m.group(1)}{DOT * 3}@{m.group(2)}", text)
    return PHONE_RE.sub(_mask_phone, text)
