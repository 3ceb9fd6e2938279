"""Display names residents choose for themselves: they must not pose as staff, a community or the system.

A name shows next to posts, work orders and messages that neighbours read, so 「系统管理员」 or
「斗潭社区·王芳」 would read as an official voice. `display_name_clean` refuses

* reserved words: titles of the people and bodies the platform speaks for (`RESERVED_WORDS`),
  looked for after NFKC folding and with spaces, punctuation and symbols removed, so 「系 统」,
  「管_理_员」 and 「ＡＤＭＩＮ」 are caught too;
* the name of any community or street, or its short form (「斗潭」 for 斗潭社区) joined to another
  part of the name (「斗潭·王芳」, 「斗潭 | 王芳」; 「白云」 alone is a name like any other);
* badge-like decorations (「【官方】」, check marks).

and strips invisible characters (control, zero-width, bidi overrides, blank fillers) first, so a name
cannot hide a word or look empty. The staff console (the admin) is exempt: staff may name accounts
as they need to. The middle dot alone stays allowed: it belongs in many names (「阿依古丽·买买提」).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

RESERVED_WORDS = (
    "系统",
    "管理员",
    "官方",
    "客服",
    "物业",
    "工作人员",
    "社工",
    "居委",
    "村委",
    "街道",
    "政府",
    "执法",
    "城管",
    "警察",
    "民警",
    "公安",
    "医生",
    "医师",
    "护士",
    "网格员",
    "书记",
    "主任",
    "邻礼通",
    "admin",
    "administrator",
    "system",
    "official",
    "staff",
)
# Brackets and marks that make a name look like a badge or a verified account.
BADGE_CHARS = frozenset("【】〖〗〔〕［］[]✓✔☑✅㊣®™")
# Invisible characters that are letters to Unicode (so not Cf): Hangul and braille blank fillers.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# What splits a name into parts: whitespace and the separators names are decorated with.
_SEPARATORS = re.compile(r"[\s·•・‧∙⋅|｜丨/\\:：\-—_~～,，.。、]+")
_REGION_SUFFIXES = ("社区", "街道", "乡镇", "镇", "乡", "村", "居委会")

RESERVED = "昵称不能冒充工作人员、官方或系统（含「{word}」）"
REGION = "昵称不能包含社区或街道名称"
BADGE = "昵称不能包含「{char}」等装饰符号"


def strip_invisible(value: str) -> str:
    """`value` without control, format (zero-width, bidi) and blank-filler characters, spaces collapsed."""
    kept = "".join(
        ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cn") and ch not in _BLANK_LETTERS
    )
    return " ".join(kept.split())


def _compact(value: str) -> str:
    """Letters and digits only, NFKC-folded and case-folded: how a word is looked for."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def _region_names() -> tuple[set[str], set[str]]:
    """(full names, short forms) of every community and street, compacted."""
    from linli.regions.models import Community, Street

    full, short = set(), set()
    names = [*Community.objects.values_list("name", flat=True), *Street.objects.values_list("name", flat=True)]
    for name in names:
        compact = _compact(name)
        if len(compact) < 2:
            continue
        full.add(compact)
        for suffix in _REGION_SUFFIXES:
            if compact.endswith(suffix) and len(compact) - len(suffix) >= 2:
                short.add(compact[: -len(suffix)])
    return full, short


def display_name_clean(value: str) -> str:
    """The name as stored (invisible characters stripped), or ValidationError with the reason."""
    name = strip_invisible(value)
    if not name:
        return ""
    for char in name:
        if char in BADGE_CHARS:
            raise ValidationError(BADGE.format(char=char), code="display_name")
    compact = _compact(name)
    # Latin words only at the start or end of a run of letters: 「sysadmin」 and 「admin2」, not 「Badminton」.
    runs = re.findall(r"[a-z0-9]+", compact)
    for word in RESERVED_WORDS:
        latin = word.isascii()
        if (latin and any(run.startswith(word) or run.endswith(word) for run in runs)) or (
            not latin and word in compact
        ):
            raise ValidationError(RESERVED.format(word=word), code="display_name")
    full, short = _region_names()
    parts = {_compact(part) for part in _SEPARATORS.split(unicodedata.normalize("NFKC", name))}
    parts.discard("")
    if any(region in compact for region in full) or (len(parts) > 1 and parts & short):
        raise ValidationError(REGION, code="display_name")
    return name
