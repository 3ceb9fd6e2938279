"""Masking of personal identifiers (PIPL) for API output and logs.

    mask_phone("13812345678")            -> "138****5678"
    mask_id_number("330102195203151234") -> "330***********1234"
    mask_free_text("电话13812345678")      -> "电话138****5678"

Masking keeps enough to recognise a value you already know (the prefix and the last four
characters) and never reveals the middle. Empty values stay empty; anything too short to mask
meaningfully is masked completely.
"""

import re

MASK = "*"


def mask_phone(value: str | None) -> str | None:
    """An 11-digit mainland mobile number keeps its first 3 and last 4 digits: 138****5678.

    Other lengths (landlines, foreign numbers) keep the first 3 and last 4 characters when long
    enough, else only the last character or nothing.
    """
    if not value:
        return value
    value = str(value).strip()
    if len(value) >= 8:
        return value[:3] + MASK * (len(value) - 7) + value[-4:]
    if len(value) >= 3:
        return MASK * (len(value) - 1) + value[-1:]
    return MASK * len(value)


def mask_id_number(value: str | None) -> str | None:
    """A resident ID number (居民身份证号, 18 characters) keeps the first 3 and last 4: 330***********1234.

    The birth date in the middle is personal data too, so it is always hidden.
    """
    if not value:
        return value
    value = str(value).strip()
    if len(value) >= 10:
        return value[:3] + MASK * (len(value) - 7) + value[-4:]
    if len(value) >= 4:
        return MASK * (len(value) - 2) + value[-2:]
    return MASK * len(value)


def mask_name(value: str | None) -> str | None:
    """A Chinese name keeps its family name: 张大爷 → 张**; a one-character name is masked fully."""
    if not value:
        return value
    value = str(value).strip()
    if len(value) == 1:
        return MASK
    return value[0] + MASK * (len(value) - 1)


# Not inside a longer run of digits (an order number is not a phone). ID numbers are masked first,
# so a phone is never looked for inside one.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)")


def mask_free_text(text: str | None) -> str | None:
    """Text someone wrote (a problem description, a note shown to others) with the identifiers in it
    masked: resident ID numbers (18 characters, or the old 15 digits) as `mask_id_number`, mainland
    mobiles (11 digits, also written 138-1234-5678, 138 1234 5678 or with +86) as `mask_phone`.

    The rest of the text is left as it is: names in free text cannot be told from other words.
    """
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), str(text))
    return _MOBILE.sub(lambda m: mask_phone("".join(m.groups())), text)
