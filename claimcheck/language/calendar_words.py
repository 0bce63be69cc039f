"""Month and weekday names, shared by extraction and the cross-checker."""

from __future__ import annotations

import re
from collections.abc import Mapping

MONTHS: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
# "sept" is the one common abbreviation that is not the first three letters.
MONTH_NUMBERS: Mapping[str, int] = {
    **{name: i + 1 for i, name in enumerate(MONTHS)},
    **{name[:3]: i + 1 for i, name in enumerate(MONTHS)},
    "sept": 9,
}


# How long before a report a day named with no year may be and still be its story's own: a
# disaster covered for a week and more still names its first day ("On Feb. 15, the rains
# began"); a day further back tells of another time ("On Aug. 3, a gunman killed 22").
DAYS_OF_ITS_OWN = 14
# A year of the last two centuries' news, as a word: "in 2021".
YEAR = re.compile(r"\b(?:19|20)\d\d\b")

_MONTH_ALT = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
# A day named with its month and no year: "Aug. 3", "January 6th", "4 January", "6th of May".
_DAY_OF_MONTH = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_ALT})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_ALT}))\b(?!,?\s*\d)",
    re.IGNORECASE,
)


def days_without_year(text: str) -> list[tuple[int, int]]:
    """The (month, day) of every day ``text`` names with no year ("On Aug. 3", "the January
    6th attack"); "May" counts only with a day beside it."""
    out = []
    for found in _DAY_OF_MONTH.finditer(text):
        month = MONTH_NUMBERS[(found.group("m1") or found.group("m2")).lower()]
        day = int(found.group("d1") or found.group("d2"))
        if 1 <= day <= 31:
            out.append((month, day))
    return out
