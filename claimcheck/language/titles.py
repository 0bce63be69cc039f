"""Free-text titles taken apart: "former U.S. President" -> office, jurisdiction, modifier.

The language side of the office-holder knowledge: which declared office
(``data/vocabulary/offices.yaml``) a title names, in which country, region, city or body
(:mod:`claimcheck.language.places`), and with which modifier ("former", "acting", "-elect",
"then-"). Extraction reads modifiers through :func:`title_modifier`; the store
(:mod:`claimcheck.knowledge.store`) and the importers read offices through
:func:`parse_title`. This module imports nothing of the store, so extraction can use it
without loading the knowledge file.

Example::

    >>> parse_title("former U.S. President").office
    'president'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.language import nlp, places
from claimcheck.language.vocabulary.offices import office_vocabulary
from claimcheck.models import RoleModifier

__all__ = [
    "ParsedTitle",
    "canonical_jurisdiction",
    "canonical_office",
    "fold",
    "normalise_office",
    "offices_matching",
    "organisation_title",
    "parse_title",
    "title_modifier",
]


class ParsedTitle(BaseModel):
    """A free-text title taken apart: 'former U.S. President'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    office: str
    jurisdiction: str | None = None
    jurisdiction_inferred: bool = Field(
        default=False, description="jurisdiction filled from the title's usual country"
    )
    modifier: RoleModifier = RoleModifier.NONE
    historical: bool = Field(
        default=False, description="'then-minister': true of the time described, not of today"
    )
    plural: bool = Field(
        default=False, description="'Presidents Putin and Trump': the title names several holders"
    )


def fold(text: str) -> str:
    """Lower-case ASCII with punctuation turned into spaces, keeping word-internal hyphens."""
    text = text.replace("’", "'").replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    # Dotted abbreviations first, so "u.s." does not become the pronoun-like "u s".
    text = re.sub(r"\bu\.\s?s\.(?:\s?a\.)?", " us ", text)
    text = re.sub(r"\bu\.\s?k\.", " uk ", text)
    text = re.sub(r"'s\b", " ", text)
    text = re.sub(r"[^a-z0-9\- ]+", " ", text)
    return " ".join(text.split())


def canonical_jurisdiction(text: str) -> str | None:
    """The canonical name of a country, region, city or declared body, or None.

    ``canonical_jurisdiction("U.S.") == "United States"``; ``"Ukrainian"`` gives ``"Ukraine"``.
    """
    folded = fold(text)
    if folded in _organisation_names():
        return office_vocabulary().organisation([folded])
    return places.canonical(text) or places.country_of_demonym(text)


@lru_cache(maxsize=1)
def _organisation_names() -> frozenset[str]:
    return frozenset(
        fold(n)
        for name, aliases in office_vocabulary().organisations.items()
        for n in (name, *aliases)
    )


_HISTORICAL = re.compile(r"\bthen-?\b")

_MODIFIERS: tuple[tuple[re.Pattern[str], RoleModifier], ...] = (
    (
        re.compile(r"\b(former|ex-|ex|one-time|onetime|erstwhile|late|previous)\b"),
        RoleModifier.FORMER,
    ),
    (re.compile(r"\b(acting|interim|caretaker)\b"), RoleModifier.ACTING),
    (re.compile(r"-?\belect\b|\bincoming\b|\bdesignate\b"), RoleModifier.ELECT),
    (re.compile(r"\b(current|sitting|incumbent|outgoing|serving)\b"), RoleModifier.NONE),
)

_FILLER = frozenset({"the", "of", "for", "and", "s", "city", "country", "then", "a", "an"})


def title_modifier(title: str) -> RoleModifier:
    """The modifier a free-text title carries: 'former U.S. President' -> FORMER.

    "then-minister" counts as FORMER here: the title holder is described in the past.
    Extraction and the cross-checker both read modifiers through this one function.
    """
    text = fold(title)
    if _HISTORICAL.search(text):
        return RoleModifier.FORMER
    for pattern, mod in _MODIFIERS:
        if pattern.search(text):
            return mod
    return RoleModifier.NONE


def _singular_offices(text: str) -> tuple[str, tuple[int, ...]]:
    """The text with plural office words made singular, and where each such word starts."""
    plurals = office_vocabulary().plurals
    words: list[str] = []
    plural_at: list[int] = []
    at = 0
    for word in text.split():
        singular = plurals.get(word)
        if singular is not None:
            plural_at.append(at)
        words.append(singular or word)
        at += len(words[-1]) + 1
    return " ".join(words), tuple(plural_at)


def _has_phrase(words: Sequence[str], phrases: Iterable[str]) -> bool:
    """Whether any phrase occurs as whole words in ``words``."""
    text = f" {' '.join(words)} "
    return any(f" {p} " in text for p in phrases)


def _organisation_title(
    title: str, phrase: str, rest: Sequence[str], *, division: bool = False
) -> bool:
    """Whether the office word belongs to a company, league, party, club or institution.

    "Indian Premier League chairman", "American Airlines president", "Boeing president":
    a word of an organisation's name beside the office (data), or a name the parse tags as
    an organisation that is neither the office phrase itself ("Secretary of State") nor a
    place nor a body whose offices are declared. For an office of a country's division
    (``division``), a first-level word is the place's ("Lagos State Governor"), while
    "Ohio State president" stays a university's.
    """
    vocabulary = office_vocabulary()
    if _has_phrase(rest, vocabulary.organisation_words):
        return True
    for ent in nlp.parse(title).ents:
        if ent.label_ != "ORG":
            continue
        name = " ".join(
            office_vocabulary().plurals.get(w, w) for w in fold(ent.text).replace("-", " ").split()
        )
        if name in _organisation_names() or places.canonical(name) is not None:
            continue
        # Words of the office phrase and place words the parser swept into the name
        # ("British Defence" in "British Defence Secretary") do not make it an organisation.
        own = [
            w
            for w in name.split()
            if w not in _FILLER
            and w not in phrase.split()
            and places.canonical(w) is None
            and places.country_of_demonym(w) is None
            and not (division and places.is_first_level_word(w))
        ]
        if own:
            return True
    return False


@lru_cache(maxsize=8192)
def parse_title(title: str) -> ParsedTitle | None:
    """Take a free-text title apart into office, jurisdiction and modifier.

    Offices and the phrases naming them come from ``data/vocabulary/offices.yaml``; places
    from :mod:`claimcheck.language.places`. Returns None for a title that names no declared office,
    a lesser one (a deputy, an adviser, a spokesperson) or an organisation's office ("Indian
    Premier League chairman", "American Airlines president"). A plural title names several
    holders, so it gets no jurisdiction: which place goes with which holder is unknown.

    >>> p = parse_title("former U.S. President")
    >>> p.office, p.jurisdiction, p.modifier.value
    ('president', 'United States', 'former')
    >>> p = parse_title("Presidents Vladimir Putin and Donald Trump")
    >>> p.office, p.jurisdiction, p.plural
    ('president', None, True)
    """
    return _read_title(title)[0]


def organisation_title(title: str) -> bool:
    """True when an office word in ``title`` belongs to an organisation, not a country.

    "Indian Premier League chairman", "American Airlines president", "Real Madrid
    president": whatever office an extractor read from such a title, it is no country's.
    """
    return _read_title(title)[1]


@lru_cache(maxsize=8192)
def _read_title(title: str) -> tuple[ParsedTitle | None, bool]:
    """The parsed title, and whether it is an organisation's title rather than an office."""
    text = fold(title)
    if not text:
        return None, False
    modifier = RoleModifier.NONE
    # "then-minister" is true of the time the sentence describes, which may not be today.
    historical = _HISTORICAL.search(text) is not None
    text = _HISTORICAL.sub(" ", text)
    for pattern, mod in _MODIFIERS:
        if pattern.search(text):
            if modifier is RoleModifier.NONE:
                modifier = mod
            text = pattern.sub(" ", text)
    text = " ".join(text.replace("-", " ").split())
    text, plural_at = _singular_offices(text)
    vocabulary = office_vocabulary()
    match = vocabulary.find(text)
    if match is None:
        # No declared office ("Federal Reserve chair"); still say whether it is a body's
        # title, so no office an extractor read into it is checked as a country's.
        return None, _organisation_title(title, "", text.split())
    if match.office is None:
        return None, False
    office = match.office
    phrase = text[match.start : match.end]
    rest = (text[: match.start] + " " + text[match.end :]).split()
    if _has_phrase(rest, vocabulary.diminishing):
        return None, False
    division = office.level in ("subnational", "city")
    if office.level != "international" and _organisation_title(
        title, phrase, rest, division=division
    ):
        return None, True
    words = [w for w in rest if w not in _FILLER]
    plural = any(match.start <= at < match.end for at in plural_at)
    jurisdiction: str | None = None
    inferred = False
    # "U.S. and Kazakh presidents": which place goes with which holder is unknown, and the
    # rest may be their names.
    if not plural:
        if office.level == "international":
            jurisdiction = vocabulary.organisation(words) or vocabulary.organisation(phrase.split())
        else:
            place = places.find_place(rest)
            national = office.level == "national"
            if national and place is not None and place.kind is places.PlaceKind.CITY:
                # A city's "president" is a club's or a company's ("Real Madrid").
                return None, True
            jurisdiction = place.name if place is not None else None
            if jurisdiction is None and office.level == "city" and words:
                # Any city can have a mayor; the knowledge only knows some, so keep the name.
                jurisdiction = " ".join(w.capitalize() for w in words)
        if match.usual_jurisdiction is not None and jurisdiction not in (
            None,
            *(place for place, said in office.usually.items() if phrase in said),
        ):
            # A phrase declared for one place names another office elsewhere: Brazil's
            # "Attorney General" is not its justice minister, as the United States' is.
            return None, False
        if jurisdiction is None and match.usual_jurisdiction is not None:
            jurisdiction, inferred = match.usual_jurisdiction, True
    parsed = ParsedTitle(
        office=office.id,
        jurisdiction=jurisdiction,
        jurisdiction_inferred=inferred,
        modifier=modifier,
        historical=historical,
        plural=plural,
    )
    return parsed, False


def normalise_office(title: str) -> tuple[str, str | None] | None:
    """Map a free-text title to ``(office, jurisdiction)``; None when no office is recognised.

    >>> normalise_office("Ukraine's Foreign Minister")
    ('foreign minister', 'Ukraine')
    >>> normalise_office("Defense Secretary")
    ('defence minister', 'United States')
    >>> normalise_office("U.S. Vice President")
    ('vice president', 'United States')
    >>> normalise_office("Presidents")
    ('president', None)
    """
    parsed = parse_title(title)
    if parsed is None:
        return None
    return parsed.office, parsed.jurisdiction


def canonical_office(office: str) -> str | None:
    """An office given either in normalised form or as free text, normalised."""
    folded = " ".join(office.lower().split())
    if office_vocabulary().office(folded) is not None:
        return folded
    parsed = parse_title(office)
    return parsed.office if parsed else None


def offices_matching(office: str) -> frozenset[str]:
    """The declared offices a title of ``office`` may refer to (itself and its kin)."""
    return office_vocabulary().matching(office)
