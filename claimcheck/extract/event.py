"""The event an article reports (date, place, kind), read by code from metadata and text."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import Counter

from claimcheck.calendar_words import MONTHS, WEEKDAYS
from claimcheck.extract.lexicon import CITIES
from claimcheck.extract.text import normalise
from claimcheck.models import Article, DateCertainty, EventInfo

_MONTH_RE = "|".join(MONTHS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE
)
_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)
_KINDS = (
    ("drone and missile attack", r"drones?\b.*\bmissiles?|missiles?\b.*\bdrones?"),
    ("missile attack", r"\bmissiles?\b"),
    ("drone attack", r"\bdrones?\b"),
    ("air strike", r"\bair ?strikes?\b|\bbomb"),
    ("shelling", r"\bshell(?:ing|ed)\b"),
)


def event_info(article: Article) -> EventInfo:
    """Date (stated > weekday relative to publication > publication date), place, kind."""
    text = normalise(article.text)
    date, certainty = _date(text, article.published)
    return EventInfo(date=date, date_certainty=certainty, place=_place(text), kind=_kind(text))


def _date(text: str, published: dt.date | None) -> tuple[dt.date | None, DateCertainty]:
    head = text[:1500]  # the event is told in the opening; later dates are background
    stated = _stated_date(head, published)
    if stated is not None:
        return stated, DateCertainty.STATED
    if published is not None:
        weekday = _WEEKDAY.search(head)
        if weekday:
            wanted = WEEKDAYS.index(weekday.group(1).lower())
            back = (published.weekday() - wanted) % 7
            if back == 0:
                return published, DateCertainty.METADATA
            return published - dt.timedelta(days=back), DateCertainty.INFERRED
        return published, DateCertainty.METADATA
    return None, DateCertainty.UNKNOWN


def _stated_date(text: str, published: dt.date | None) -> dt.date | None:
    candidates: list[tuple[int, dt.date]] = []
    for m in _ISO.finditer(text):
        with contextlib.suppress(ValueError):  # 2025-02-30 is not a date
            candidates.append(
                (m.start(), dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            )
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for m in pattern.finditer(text):
            year_text = m.group(3)
            year = int(year_text) if year_text else (published.year if published else None)
            if year is None:
                continue
            try:
                value = dt.date(
                    year, MONTHS.index(m.group(month_group).lower()) + 1, int(m.group(day_group))
                )
            except ValueError:
                continue
            candidates.append((m.start(), value))
    if not candidates:
        return None
    if published is not None:
        # Background dates (the start of a war) are far from publication; the event is near it.
        near = [c for c in candidates if abs((published - c[1]).days) <= 7]
        if not near:
            return None
        candidates = near
    return min(candidates)[1]


def _place(text: str) -> str | None:
    counts: Counter[str] = Counter()
    for m in re.finditer(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b", text):
        if m.group().lower() in CITIES:
            counts[m.group()] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _kind(text: str) -> str | None:
    head = text[:800].lower()
    for kind, pattern in _KINDS:
        if re.search(pattern, head):
            return kind
    return None
