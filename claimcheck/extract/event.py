"""The event an article reports (date, place, kind), read by code from metadata and text."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING

from claimcheck import nlp, places
from claimcheck.calendar_words import MONTHS, WEEKDAYS
from claimcheck.extract.text import normalise
from claimcheck.models import Article, DateCertainty, EventInfo
from claimcheck.vocabulary.events import event_vocabulary

if TYPE_CHECKING:
    from spacy.tokens import Span

_MONTH_RE = "|".join(MONTHS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE
)
_ACTOR_AFTER = re.compile(
    r"\s*(?:'s|’s|said|says|has said|had said|announced|claimed|offered|accused|warned|"
    r"insisted|signalled|signaled|wants|would)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)


def event_info(article: Article) -> EventInfo:
    """Date (stated > weekday relative to publication > publication date), place, kind."""
    text = normalise(article.text)
    lede = _lede(text)
    date, certainty = _date(text, lede, article.published)
    return EventInfo(
        date=date,
        date_certainty=certainty,
        place=_place(text, lede),
        kind=_kind(lede) or _kind(text[:800]),
    )


def _lede(text: str) -> str:
    """The first two sentences: where news copy says what happened, when and where."""
    parts = _SENTENCE_END.split(text.strip(), maxsplit=2)
    return " ".join(parts[:2])


def _date(text: str, lede: str, published: dt.date | None) -> tuple[dt.date | None, DateCertainty]:
    # Dates further down are usually background (the talks on Wednesday, the call on
    # Thursday, gains between two dates); only the lede dates the event itself.
    stated = _stated_date(lede, published)
    if stated is not None:
        return stated, DateCertainty.STATED
    if published is not None:
        weekday = _WEEKDAY.search(lede)
        if weekday:
            wanted = WEEKDAYS.index(weekday.group(1).lower())
            back = (published.weekday() - wanted) % 7
            if back == 0:
                return published, DateCertainty.METADATA
            return published - dt.timedelta(days=back), DateCertainty.INFERRED
        return published, DateCertainty.METADATA
    stated = _stated_date(text[:1500], None)
    if stated is not None:
        return stated, DateCertainty.STATED
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


def _city_mentions(text: str) -> list[tuple[int, int, str]]:
    """Cities the text names: capitalised words the gazetteer knows as cities, read with the
    parse's entities — a word inside a person's name is no city ("George" Osborne, Robert
    F. "Kennedy"), and a word inside a longer place name stands for that whole name ("San"
    Andres, New "York")."""
    covering: dict[int, Span] = {}
    for ent in nlp.parse(text).ents:
        for i in range(ent.start_char, ent.end_char):
            covering[i] = ent
    out = []
    for m in re.finditer(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b", text):
        start, end, city = m.start(), m.end(), m.group()
        ent_at = covering.get(start)
        if ent_at is not None and ent_at.label_ in ("PERSON", "NORP") and ent_at.text != city:
            continue  # a word of a longer name; a lone "Kyiv" mis-tagged PERSON stays a city
        if ent_at is not None and ent_at.label_ in ("GPE", "LOC", "FAC") and ent_at.text != city:
            whole = re.sub(r"^the\s+|['\u2019]s$", "", ent_at.text, flags=re.IGNORECASE).strip()
            found = places.lookup(whole)
            if found is not None and found.kind is places.PlaceKind.CITY:
                if start == ent_at.start_char or not re.match(r"^the\s", ent_at.text, re.I):
                    out.append((ent_at.start_char, ent_at.end_char, whole))
                continue
        if places.is_city(city):
            out.append((start, end, city))
    return sorted(set(out))


def _place(text: str, lede: str) -> str | None:
    """The city the article is about.

    A city in the lede outweighs later mentions (context such as "Moscow's offer of talks");
    a lede city used as an actor ("Moscow said") counts as context; among the rest the one
    nearest to the words saying what happened wins.
    """
    counts: Counter[str] = Counter()
    nearest: dict[str, int] = {}
    lede_end = len(lede)
    happened = event_vocabulary().happening_pattern
    happened_at = [m.start() for m in happened.finditer(text[:lede_end].lower())]
    first_end = m.end() if (m := re.search(r"[.!?](?:\s|$)", lede)) else lede_end
    for start, end, city in _city_mentions(text):
        if start >= lede_end or _ACTOR_AFTER.match(text, end):
            counts[city] += 1
            continue
        # The first sentence says where it happened; the rest of the lede adds context.
        counts[city] += 10 if start < first_end else 5
        distance = min((abs(a - start) for a in happened_at), default=len(text))
        nearest[city] = min(distance, nearest.get(city, distance))
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -nearest.get(c, len(text))))


def _kind(lede: str) -> str | None:
    """The kind (events.yaml) whose word comes first in a lede, or None."""
    kind = event_vocabulary().kind_of(lede)
    return kind.label if kind else None
