"""Month and weekday names, shared by extraction and the cross-checker."""

from __future__ import annotations

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
