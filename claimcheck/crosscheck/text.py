"""Small text normalisations shared by the comparisons: tokens, places, subjects, dates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from claimcheck.language import places
from claimcheck.language.calendar_words import MONTH_NUMBERS
from claimcheck.language.vocabulary.measures import singular as singular  # shared with extraction

_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no identity of their own in a place, a target or a quote.
STOPWORDS = frozenset(
    """
    a an the of in on at to for from by with and or but as is are was were be been being it its
    this that these those there their they them he she his her we our you your i me my us
    has have had do does did not no so than then into onto over under near across after before
    during while which who whom what when where why how all any some several many more most
    also just only very up down out about around per s t
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Countries and wider areas: a figure "in Ukraine" may include one "in Kyiv", and an article
# placed in a country may be about any city in it, so these never separate places. From the
# gazetteer (claimcheck.places), keyed as place_key keys them.
BROAD_PLACES = places.broad_keys()


def ascii_lower(text: str) -> str:
    """Lower-case ASCII with diacritics and typographic quotes folded."""
    text = text.replace("’", "'").replace("‘", "'").replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def tokens(text: str) -> list[str]:
    """Alphanumeric lower-case ASCII tokens, in order."""
    return _WORD.findall(ascii_lower(text))


def content_tokens(text: str) -> frozenset[str]:
    """Tokens minus stop words."""
    return frozenset(t for t in tokens(text) if t not in STOPWORDS)


def place_key(place: str | None) -> str | None:
    """The comparison key of a place ('the southern Kiev region' -> 'kyiv'), or None.

    None means the phrase only points back at the event's place ("the capital"). See
    :func:`claimcheck.places.place_key`.
    """
    return places.place_key(place)


def places_compatible(a: str | None, b: str | None) -> bool:
    """Whether two event places can be the same place (unknown or broad places always can)."""
    ka, kb = place_key(a), place_key(b)
    if ka is None or kb is None or ka in BROAD_PLACES or kb in BROAD_PLACES:
        return True
    return ka == kb


_YEAR = re.compile(r"\b(19|20)\d\d\b")


def mentions_other_time(time: str | None, day: dt.date | None) -> bool:
    """True when a claim's time phrase names a month or year other than the event's.

    Background figures ("in February 2022", "last June") belong to another event and must
    not be compared with this one's figures.
    """
    if not time or day is None:
        return False
    words = tokens(time)
    for word in words:
        month = MONTH_NUMBERS.get(word)
        # "may" is far more often a verb than the month; it never decides.
        if month is not None and word != "may" and month != day.month:
            return True
    return any(int(m.group(0)) != day.year for m in _YEAR.finditer(ascii_lower(time)))
