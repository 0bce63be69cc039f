"""Who held which office when: the reference knowledge the cross-checker checks titles against.

News copy goes stale in a particular way: a minister is still called "Foreign Minister" a year
after being replaced, or a sitting president is called "former". Those errors cannot be caught
by comparing sources with each other when every source copied the same stale line, so titles
are also checked against a file of office holders.

The file
--------
A built-in file ships with the package (``claimcheck/data/officeholders.yaml``): head of state,
head of government, foreign minister and defence minister of the G20 countries and Ukraine since
2015, plus a few extras. Users add or correct entries with their own files; a user entry
replaces any built-in entry for the same person and office whose period it overlaps, and takes
precedence over other people's entries for the period it covers::

    format: claimcheck-officeholders/1
    verified_through: 2025-10-31      # last date the data is known to reflect
    entries:
      - person: Andrii Sybiha          # common English spelling
        aliases: [Andriy Sybiha, Sibiha]
        office: foreign minister       # normalised: see normalise_office()
        roles: [foreign_minister]      # head_of_state, head_of_government, foreign_minister,
                                       # defence_minister, other
        jurisdiction: Ukraine          # country (or city, for a mayor)
        start: 2024-09-05
        end: null                      # null while in office; a handover shares one date
        acting: false                  # acting holders may overlap a suspended holder
        approximate: false             # true when a date is a best estimate
        note: null                     # free text
        source: null                   # where the entry came from

A bare YAML list of entries (without the header) loads too, and so does a CSV file with the
same columns (``aliases`` and ``roles`` separated by ``;``, booleans as true/false, an optional
first line ``# verified_through: YYYY-MM-DD``). A ``.json`` file is read as YAML, unless it is
a Wikidata SPARQL export, which goes through :func:`import_wikidata`.

Confidence
----------
``verified_through`` is the last date the file is known to reflect. A title checked at a later
date may have changed in between, so every verdict for such a date carries ``stale=True`` and a
confidence that shrinks the further the date lies past ``verified_through``. Dates marked
``approximate`` also lower the confidence of verdicts within a month of them.

Example::

    >>> kb = KnowledgeBase.load()
    >>> v = kb.check_title("Dmytro Kuleba", "Ukraine's Foreign Minister", date(2025, 7, 4))
    >>> v.verdict, [t.person for t in v.holders]
    (<Verdict.SITTING_BUT_FORMER: 'sitting_but_former'>, ['Andrii Sybiha'])
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from claimcheck import nlp, places
from claimcheck.errors import KnowledgeError
from claimcheck.models import RoleModifier
from claimcheck.names import name_key, same_person
from claimcheck.vocabulary.offices import office_vocabulary

__all__ = [
    "DEFAULT_KNOWLEDGE",
    "FILE_FORMAT",
    "KnowledgeBase",
    "ParsedTitle",
    "Role",
    "Tenure",
    "TitleVerdict",
    "Verdict",
    "canonical_jurisdiction",
    "check_title",
    "default_knowledge",
    "dump_tenures",
    "find_overlaps",
    "import_wikidata",
    "normalise_office",
    "organisation_title",
    "parse_title",
]

FILE_FORMAT = "claimcheck-officeholders/1"
DEFAULT_KNOWLEDGE = "officeholders.yaml"

# A handover is recorded as one tenure ending on the day the next starts, so a check on that
# day finds both holders and flags neither.
_HANDOVER_DAYS = 0

# Confidence of a verdict resting on exact dates inside the verified period.
_BASE_CONFIDENCE = 0.95
# Within this many days of an approximate date the data cannot settle the question.
_APPROXIMATE_WINDOW_DAYS = 31
_APPROXIMATE_CONFIDENCE = 0.6
# Past verified_through, offices may have changed hands unseen: confidence starts at this
# factor and falls linearly to the floor over a year.
_STALE_FACTOR_START = 0.9
_STALE_FACTOR_FLOOR = 0.3


class Role(str, Enum):
    """The kind of office a tenure fills, independent of what the country calls it."""

    HEAD_OF_STATE = "head_of_state"
    HEAD_OF_GOVERNMENT = "head_of_government"
    FOREIGN_MINISTER = "foreign_minister"
    DEFENCE_MINISTER = "defence_minister"
    OTHER = "other"


class Verdict(str, Enum):
    """What the knowledge says about a person being given a title on a date."""

    CONSISTENT = "consistent"
    WRONG_HOLDER = "wrong_holder"
    FORMER_BUT_SITTING = "former_but_sitting"
    SITTING_BUT_FORMER = "sitting_but_former"
    UNKNOWN = "unknown"


def _role_of_office(office: str) -> Role:
    """The role an office fills, from the office vocabulary (OTHER when undeclared)."""
    declared = office_vocabulary().office(office)
    if declared is None:
        return Role.OTHER
    try:
        return Role(declared.role)
    except ValueError:
        return Role.OTHER


class Tenure(BaseModel):
    """One person holding one office in one jurisdiction for one period."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person: str = Field(min_length=1, description="common English spelling")
    aliases: tuple[str, ...] = ()
    office: str = Field(min_length=1, description="normalised office: 'foreign minister'")
    roles: tuple[Role, ...] = ()
    jurisdiction: str = Field(min_length=1, description="country, or city for a mayor")
    start: date
    end: date | None = None
    acting: bool = False
    approximate: bool = False
    note: str | None = None
    source: str | None = None

    @field_validator("office")
    @classmethod
    def _office_lower(cls, value: str) -> str:
        return " ".join(value.lower().split())

    @field_validator("jurisdiction")
    @classmethod
    def _jurisdiction_canonical(cls, value: str) -> str:
        return canonical_jurisdiction(value) or " ".join(value.split())

    @model_validator(mode="before")
    @classmethod
    def _default_roles(cls, data: Any) -> Any:
        # A user file may leave roles out; the office usually says which role it is.
        if isinstance(data, dict) and not data.get("roles") and isinstance(data.get("office"), str):
            office = " ".join(data["office"].lower().split())
            data = {**data, "roles": [_role_of_office(office).value]}
        return data

    @model_validator(mode="after")
    def _dates(self) -> Tenure:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        """The person's name and every alias."""
        return (self.person, *self.aliases)

    def covers(self, on: date) -> bool:
        """True when the person held the office on ``on`` (both ends inclusive)."""
        return self.start <= on and (self.end is None or on <= self.end)

    def is_person(self, name: str) -> bool:
        """True when ``name`` can name this tenure's holder, in any spelling."""
        return any(same_person(name, n) for n in self.names)

    def describe(self) -> str:
        """'Andrii Sybiha, foreign minister of Ukraine 2024-09-05 to present'."""
        end = self.end.isoformat() if self.end else "present"
        acting = "acting " if self.acting else ""
        return f"{self.person}, {acting}{self.office} of {self.jurisdiction} {self.start} to {end}"


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


class TitleVerdict(BaseModel):
    """The answer to 'could this person be called this on this date?'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: Verdict
    person: str
    title: str
    on: date
    office: str | None = None
    jurisdiction: str | None = None
    modifier: RoleModifier = RoleModifier.NONE
    holders: tuple[Tenure, ...] = Field(default=(), description="who held the office on `on`")
    person_tenures: tuple[Tenure, ...] = Field(
        default=(), description="the person's tenures of this office"
    )
    confidence: float = Field(ge=0.0, le=1.0)
    explanation: str
    stale: bool = Field(default=False, description="`on` is after the data's verified_through")
    verified_through: date | None = None

    @property
    def holder_names(self) -> tuple[str, ...]:
        """Names of the holders on the date, without repeats."""
        return tuple(dict.fromkeys(t.person for t in self.holders))


# --------------------------------------------------------------------------- titles


def _fold(text: str) -> str:
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
    folded = _fold(text)
    if folded in _organisation_names():
        return office_vocabulary().organisation([folded])
    return places.canonical(text) or places.country_of_demonym(text)


@lru_cache(maxsize=1)
def _organisation_names() -> frozenset[str]:
    return frozenset(
        _fold(n)
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
    text = _fold(title)
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


def _organisation_title(title: str, phrase: str, rest: Sequence[str]) -> bool:
    """Whether the office word belongs to a company, league, party, club or institution.

    "Indian Premier League chairman", "American Airlines president", "Boeing president":
    a word of an organisation's name beside the office (data), or a name the parse tags as
    an organisation that is neither the office phrase itself ("Secretary of State") nor a
    place nor a body whose offices are declared.
    """
    vocabulary = office_vocabulary()
    if _has_phrase(rest, vocabulary.organisation_words):
        return True
    for ent in nlp.parse(title).ents:
        if ent.label_ != "ORG":
            continue
        name = " ".join(
            office_vocabulary().plurals.get(w, w) for w in _fold(ent.text).replace("-", " ").split()
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
        ]
        if own:
            return True
    return False


@lru_cache(maxsize=8192)
def parse_title(title: str) -> ParsedTitle | None:
    """Take a free-text title apart into office, jurisdiction and modifier.

    Offices and the phrases naming them come from ``data/vocabulary/offices.yaml``; places
    from :mod:`claimcheck.places`. Returns None for a title that names no declared office,
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
    text = _fold(title)
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
    if office.level != "international" and _organisation_title(title, phrase, rest):
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


def _canonical_office(office: str) -> str | None:
    """An office given either in normalised form or as free text, normalised."""
    folded = " ".join(office.lower().split())
    if office_vocabulary().office(folded) is not None:
        return folded
    parsed = parse_title(office)
    return parsed.office if parsed else None


def _offices_matching(office: str) -> frozenset[str]:
    return office_vocabulary().matching(office)


# --------------------------------------------------------------------------- the base


class KnowledgeBase:
    """Office holders, searchable by office and date or by person."""

    def __init__(
        self,
        tenures: Iterable[Tenure],
        *,
        verified_through: date | None = None,
    ) -> None:
        self.tenures: tuple[Tenure, ...] = tuple(
            sorted(tenures, key=lambda t: (t.jurisdiction, t.office, t.start, t.person))
        )
        self.verified_through = verified_through
        self._by_office: dict[tuple[str, str], list[Tenure]] = {}
        for tenure in self.tenures:
            self._by_office.setdefault((tenure.office, tenure.jurisdiction), []).append(tenure)
        self._by_surname: dict[str, list[Tenure]] = {}
        for tenure in self.tenures:
            for surname in {name_key(n).rsplit(" ", 1)[-1] for n in tenure.names}:
                self._by_surname.setdefault(surname, []).append(tenure)

    def __len__(self) -> int:
        return len(self.tenures)

    def __iter__(self) -> Iterator[Tenure]:
        return iter(self.tenures)

    @classmethod
    def load(cls, paths: Sequence[Path] = (), *, include_default: bool = True) -> KnowledgeBase:
        """The built-in knowledge (unless ``include_default=False``) plus user files, in order.

        A later file's entry replaces earlier entries for the same person and office whose
        period it overlaps, and trims other people's entries for the period it covers. The
        last file that declares ``verified_through`` sets it for the whole base.

        Example::

            kb = KnowledgeBase.load([Path("newsroom/ministers.yaml")])
        """
        tenures: list[Tenure] = []
        verified: date | None = None
        if include_default:
            default = default_knowledge()
            tenures, verified = list(default.tenures), default.verified_through
        for path in paths:
            loaded, declared = _read_file(Path(path))
            tenures = _merge(tenures, loaded)
            if declared is not None:
                verified = declared
        return cls(tenures, verified_through=verified)

    def covers(self, office: str, jurisdiction: str) -> bool:
        """True when the base lists any holder of this office in this jurisdiction."""
        canonical = _canonical_office(office)
        place = canonical_jurisdiction(jurisdiction) or jurisdiction
        if canonical is None:
            return False
        return any((o, place) in self._by_office for o in _offices_matching(canonical))

    def holders(self, office: str, jurisdiction: str, on: date) -> list[Tenure]:
        """Everyone who held ``office`` in ``jurisdiction`` on ``on`` (several on a handover day).

        ``office`` may be normalised ("foreign minister") or free text ("Foreign Secretary").
        """
        canonical = _canonical_office(office)
        if canonical is None:
            return []
        place = canonical_jurisdiction(jurisdiction) or jurisdiction
        return [
            t
            for o in sorted(_offices_matching(canonical))
            for t in self._by_office.get((o, place), ())
            if t.covers(on)
        ]

    def tenures_of(self, person: str) -> list[Tenure]:
        """Every tenure of a person, in any spelling of their name, earliest first."""
        key = name_key(person)
        if not key:
            return []
        candidates = self._by_surname.get(key.rsplit(" ", 1)[-1], [])
        found = [t for t in candidates if t.is_person(person)]
        return sorted(dict.fromkeys(found), key=lambda t: (t.start, t.office, t.jurisdiction))

    def check_title(
        self, person: str, title: str, on: date, *, modifier: RoleModifier | None = None
    ) -> TitleVerdict:
        """Could ``person`` be called ``title`` on ``on``?

        ``modifier`` overrides the one read from the title (an extractor may have seen
        "former" outside the title words).

        >>> kb = default_knowledge()
        >>> kb.check_title("Donald Trump", "former U.S. President", date(2025, 7, 4)).verdict
        <Verdict.FORMER_BUT_SITTING: 'former_but_sitting'>
        """
        parsed = parse_title(title)
        if parsed is None:
            return self._verdict(
                Verdict.UNKNOWN,
                person,
                title,
                on,
                explanation=f"the title {title!r} names no office the knowledge covers",
            )
        if modifier is not None and modifier is not RoleModifier.NONE:
            parsed = parsed.model_copy(update={"modifier": modifier})
        return self._check(person, title, parsed, on)

    def check_role(
        self,
        person: str,
        *,
        office: str,
        jurisdiction: str | None,
        on: date,
        modifier: RoleModifier = RoleModifier.NONE,
    ) -> TitleVerdict:
        """Like :meth:`check_title` for an office and jurisdiction already taken apart."""
        canonical = _canonical_office(office)
        title = f"{office} ({jurisdiction})" if jurisdiction else office
        if canonical is None:
            return self._verdict(
                Verdict.UNKNOWN,
                person,
                title,
                on,
                explanation=f"the office {office!r} is not one the knowledge covers",
            )
        place = (canonical_jurisdiction(jurisdiction) or jurisdiction) if jurisdiction else None
        parsed = ParsedTitle(office=canonical, jurisdiction=place, modifier=modifier)
        return self._check(person, title, parsed, on)

    # ----------------------------------------------------------------- verdict logic

    def _check(self, person: str, title: str, parsed: ParsedTitle, on: date) -> TitleVerdict:
        offices = _offices_matching(parsed.office)
        own = [t for t in self.tenures_of(person) if t.office in offices]
        place = parsed.jurisdiction
        mine = [t for t in own if place is None or t.jurisdiction == place]
        if not mine and parsed.jurisdiction_inferred:
            # "Defence Secretary" usually means one country, but a person who held that
            # office elsewhere is better evidence than the usual reading.
            mine = own
            places = {t.jurisdiction for t in own}
            place = places.pop() if len(places) == 1 else place
        if place is None:
            places = {t.jurisdiction for t in mine}
            place = places.pop() if len(places) == 1 else None
        holders = tuple(self.holders(parsed.office, place, on)) if place else ()
        verdict, explanation = _decide(person, parsed, place, on, mine, holders)
        return self._verdict(
            verdict,
            person,
            title,
            on,
            explanation=explanation,
            office=parsed.office,
            jurisdiction=place,
            modifier=parsed.modifier,
            holders=holders,
            person_tenures=tuple(mine),
        )

    def _verdict(
        self, verdict: Verdict, person: str, title: str, on: date, **fields: Any
    ) -> TitleVerdict:
        relevant: tuple[Tenure, ...] = fields.get("holders", ()) + fields.get("person_tenures", ())
        stale = self.verified_through is not None and on > self.verified_through
        confidence = 0.0 if verdict is Verdict.UNKNOWN else self._confidence(relevant, on)
        if stale and verdict is not Verdict.UNKNOWN:
            fields["explanation"] += (
                f" (the knowledge is verified through {self.verified_through}; later changes "
                "are not known)"
            )
        return TitleVerdict(
            verdict=verdict,
            person=person,
            title=title,
            on=on,
            confidence=confidence,
            stale=stale,
            verified_through=self.verified_through,
            **fields,
        )

    def _confidence(self, relevant: Sequence[Tenure], on: date) -> float:
        """Lower than certain near approximate dates and past ``verified_through``."""
        confidence = _BASE_CONFIDENCE
        for t in relevant:
            if not t.approximate:
                continue
            edges = [t.start] + ([t.end] if t.end else [])
            if any(abs((on - d).days) <= _APPROXIMATE_WINDOW_DAYS for d in edges):
                confidence = min(confidence, _APPROXIMATE_CONFIDENCE)
        if self.verified_through is not None and on > self.verified_through:
            days = (on - self.verified_through).days
            factor = _STALE_FACTOR_START - (_STALE_FACTOR_START - _STALE_FACTOR_FLOOR) * min(
                1.0, days / 365
            )
            confidence *= factor
        return round(confidence, 3)


def _decide(
    person: str,
    parsed: ParsedTitle,
    place: str | None,
    on: date,
    mine: Sequence[Tenure],
    holders: Sequence[Tenure],
) -> tuple[Verdict, str]:
    """The verdict on a title, from the person's tenures of the office and its holders then."""
    others = [t for t in holders if not t.is_person(person)]
    current = [t for t in mine if t.covers(on)]
    past = [t for t in mine if t.end is not None and t.end < on]
    future = [t for t in mine if t.start > on]
    office = f"{parsed.office} of {place}" if place else parsed.office
    holder_text = _names(others) or "someone else"

    if parsed.historical:
        if mine:
            return Verdict.CONSISTENT, f"{mine[0].person} did hold the office of {office}"
        if others:
            return Verdict.WRONG_HOLDER, f"no record of {person} as {office}"

    if parsed.modifier is RoleModifier.FORMER:
        if current:
            t = current[0]
            return Verdict.FORMER_BUT_SITTING, (
                f"{t.person} is called former {office}, but held that office on {on} "
                f"(in office since {t.start})"
            )
        if past:
            return Verdict.CONSISTENT, f"{past[-1].person} was {office} until {past[-1].end}"
        if future:
            return Verdict.WRONG_HOLDER, (
                f"{future[0].person} only became {office} on {future[0].start}; on {on} the "
                f"holder was {holder_text}"
            )
        return Verdict.UNKNOWN, (
            f"no record of {person} as {office}; the knowledge may not reach back to their tenure"
        )

    if parsed.modifier is RoleModifier.ELECT:
        if future or current:
            return Verdict.CONSISTENT, f"{person} did take office as {office}"
        return Verdict.UNKNOWN, f"no record of {person} taking office as {office}"

    if current:
        return Verdict.CONSISTENT, f"{current[0].person} held the office of {office} on {on}"
    if past:
        t = past[-1]
        successor = f"; on {on} the holder was {_names(others)}" if others else ""
        return Verdict.SITTING_BUT_FORMER, (
            f"{t.person} is called {office} as if in office, but left that office on "
            f"{t.end}{successor}"
        )
    if future:
        t = future[0]
        return Verdict.WRONG_HOLDER, (
            f"{t.person} only became {office} on {t.start}; on {on} the holder was {holder_text}"
        )
    if others:
        return Verdict.WRONG_HOLDER, f"on {on} the {office} was {_names(others)}, not {person}"
    return Verdict.UNKNOWN, f"the knowledge does not say who was {office} on {on}"


def _names(tenures: Iterable[Tenure]) -> str:
    return " and ".join(dict.fromkeys(t.person for t in tenures))


def check_title(
    person: str,
    title: str,
    on: date,
    *,
    knowledge: KnowledgeBase | None = None,
    modifier: RoleModifier | None = None,
) -> TitleVerdict:
    """:meth:`KnowledgeBase.check_title` against ``knowledge`` or the built-in knowledge.

    >>> check_title("Andrii Sybiha", "Ukraine's Foreign Minister", date(2025, 7, 4)).verdict
    <Verdict.CONSISTENT: 'consistent'>
    """
    kb = knowledge if knowledge is not None else default_knowledge()
    return kb.check_title(person, title, on, modifier=modifier)


@lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The built-in knowledge file, parsed once per process."""
    resource = resources.files("claimcheck").joinpath("data").joinpath(DEFAULT_KNOWLEDGE)
    text = resource.read_text(encoding="utf-8")
    tenures, verified = _parse_yaml(text, origin=f"claimcheck/data/{DEFAULT_KNOWLEDGE}")
    return KnowledgeBase(tenures, verified_through=verified)


# --------------------------------------------------------------------------- consistency


def find_overlaps(tenures: Iterable[Tenure]) -> list[tuple[Tenure, Tenure]]:
    """Pairs of different people holding one office at once beyond a same-day handover.

    Acting holders are exempt: they legitimately overlap a suspended holder.
    """
    by_office: dict[tuple[str, str], list[Tenure]] = {}
    for t in tenures:
        by_office.setdefault((t.office, t.jurisdiction), []).append(t)
    overlaps: list[tuple[Tenure, Tenure]] = []
    for group in by_office.values():
        group.sort(key=lambda t: t.start)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.acting or b.acting or name_key(a.person) == name_key(b.person):
                    continue
                a_end = a.end if a.end is not None else date.max
                if (a_end - b.start).days > _HANDOVER_DAYS:
                    overlaps.append((a, b))
    return overlaps


def _merge(base: Sequence[Tenure], overrides: Sequence[Tenure]) -> list[Tenure]:
    """``base`` with ``overrides`` laid on top (see :meth:`KnowledgeBase.load`)."""
    result = list(base)
    for new in overrides:
        kept: list[Tenure] = []
        for old in result:
            if old.office != new.office or old.jurisdiction != new.jurisdiction:
                kept.append(old)
                continue
            if not _periods_overlap(old, new):
                kept.append(old)
                continue
            if old.is_person(new.person):
                continue  # the same person's tenure, corrected
            if new.acting or old.acting:
                kept.append(old)
                continue
            kept.extend(_trim(old, new))
        kept.append(new)
        result = kept
    return result


def _periods_overlap(a: Tenure, b: Tenure) -> bool:
    a_end = a.end or date.max
    b_end = b.end or date.max
    return a.start < b_end and b.start < a_end


def _trim(old: Tenure, new: Tenure) -> list[Tenure]:
    """What is left of ``old`` outside the period ``new`` covers."""
    parts: list[Tenure] = []
    if old.start < new.start:
        parts.append(old.model_copy(update={"end": new.start}))
    if new.end is not None and (old.end is None or old.end > new.end):
        parts.append(old.model_copy(update={"start": new.end}))
    return parts


# --------------------------------------------------------------------------- reading files


def _read_file(path: Path) -> tuple[list[Tenure], date | None]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(
            f"knowledge file {path} does not exist; check the path given to --knowledge"
        ) from None
    except OSError as exc:
        raise KnowledgeError(f"cannot read knowledge file {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeError(f"knowledge file {path} is not UTF-8 text; save it as UTF-8") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _parse_csv(text, origin=str(path))
    if suffix == ".json" and _looks_like_sparql(text):
        return import_wikidata(path), None
    if suffix not in {".yaml", ".yml", ".json"}:
        raise KnowledgeError(
            f"knowledge file {path} has an unknown type; use .yaml, .yml, .csv or .json"
        )
    return _parse_yaml(text, origin=str(path))


def _looks_like_sparql(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and "head" in data and "results" in data


_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, *, origin: str) -> tuple[list[Tenure], date | None]:
    # libyaml's loader, where PyYAML was built with it, reads the built-in file about ten
    # times faster than the pure-Python one; both give nodes with line numbers.
    loader = _SAFE_LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{origin}:{mark.line + 1}" if mark is not None else origin
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(f"{where}: not valid YAML ({problem}); fix the syntax") from None
    finally:
        loader.dispose()
    if data is None:
        raise KnowledgeError(f"{origin}: the knowledge file is empty; add an `entries:` list")
    verified: date | None = None
    entries_node: yaml.Node | None = root
    if isinstance(data, dict):
        unknown = set(data) - {"format", "verified_through", "entries"}
        if unknown:
            raise KnowledgeError(
                f"{origin}: unknown top-level keys {sorted(map(str, unknown))}; expected "
                "format, verified_through and entries"
            )
        fmt = data.get("format")
        if fmt is not None and fmt != FILE_FORMAT:
            raise KnowledgeError(
                f"{origin}: format {fmt!r} is not supported; this claimcheck reads {FILE_FORMAT}"
            )
        verified = _header_date(data.get("verified_through"), origin)
        entries = data.get("entries")
        entries_node = None
        assert isinstance(root, yaml.MappingNode)
        for key, value in root.value:
            if key.value == "entries":
                entries_node = value
    else:
        entries = data
    if not isinstance(entries, list) or not isinstance(entries_node, yaml.SequenceNode):
        raise KnowledgeError(
            f"{origin}: expected a list of entries (under `entries:`), found "
            f"{type(entries).__name__}"
        )
    tenures = [
        _tenure(entry, where=f"{origin}:{node.start_mark.line + 1}: entry {i + 1}", origin=origin)
        for i, (entry, node) in enumerate(zip(entries, entries_node.value, strict=True))
    ]
    _reject_overlaps(tenures, origin)
    return tenures, verified


def _header_date(value: object, origin: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise KnowledgeError(
            f"{origin}: verified_through {value!r} is not a date; write YYYY-MM-DD"
        ) from None


def _tenure(entry: object, *, where: str, origin: str) -> Tenure:
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{where}: expected a mapping of person, office, ..., found {entry!r}")
    data = dict(entry)
    data.setdefault("source", origin)
    try:
        return Tenure.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors()
        )
        who = data.get("person", "?")
        raise KnowledgeError(f"{where} (person {who!r}): {problems}; fix this entry") from None


def _reject_overlaps(tenures: Sequence[Tenure], origin: str) -> None:
    overlaps = find_overlaps(tenures)
    if overlaps:
        a, b = overlaps[0]
        raise KnowledgeError(
            f"{origin}: {a.describe()} overlaps {b.describe()} "
            f"({len(overlaps)} overlap(s) in all); correct the dates or mark one acting"
        )


_CSV_COLUMNS = (
    "person",
    "aliases",
    "office",
    "roles",
    "jurisdiction",
    "start",
    "end",
    "acting",
    "approximate",
    "note",
    "source",
)
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


def _parse_csv(text: str, *, origin: str) -> tuple[list[Tenure], date | None]:
    lines = text.splitlines(keepends=True)
    verified: date | None = None
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip().startswith("#"):
        match = re.match(r"\s*#\s*verified_through\s*:\s*(\S+)", lines[skipped])
        if match:
            verified = _header_date(match.group(1), origin)
        skipped += 1
    reader = csv.DictReader(io.StringIO("".join(lines[skipped:])))
    header = reader.fieldnames or []
    missing = {"person", "office", "jurisdiction", "start"} - set(header)
    if missing:
        raise KnowledgeError(
            f"{origin}: CSV header lacks {sorted(missing)}; columns are {', '.join(_CSV_COLUMNS)}"
        )
    unknown = set(header) - set(_CSV_COLUMNS)
    if unknown:
        raise KnowledgeError(
            f"{origin}: unknown CSV columns {sorted(unknown)}; columns are "
            f"{', '.join(_CSV_COLUMNS)}"
        )
    tenures = []
    for row in reader:
        where = f"{origin}:{reader.line_num + skipped}: row {reader.line_num - 1}"
        entry: dict[str, Any] = {}
        for column, value in row.items():
            if column is None:
                raise KnowledgeError(f"{where}: more fields than columns; quote commas in values")
            value = (value or "").strip()
            if column in {"aliases", "roles"}:
                entry[column] = [v.strip() for v in value.split(";") if v.strip()]
            elif column in {"acting", "approximate"}:
                if value.lower() not in _TRUE | _FALSE:
                    raise KnowledgeError(f"{where}: {column} must be true or false, not {value!r}")
                entry[column] = value.lower() in _TRUE
            elif column in {"end", "note", "source"}:
                entry[column] = value or None
            else:
                entry[column] = value
        tenures.append(_tenure(entry, where=where, origin=origin))
    _reject_overlaps(tenures, origin)
    return tenures, verified


# --------------------------------------------------------------------------- Wikidata


def import_wikidata(path: Path) -> list[Tenure]:
    """Tenures from a Wikidata SPARQL JSON export of "position held" statements.

    Run this at https://query.wikidata.org/, download the result as JSON ("SPARQL JSON"),
    then ``claimcheck kb import result.json -o ministers.yaml``::

        SELECT ?person ?personLabel ?personAltLabel ?positionLabel ?countryLabel
               ?start ?startPrecision ?end ?endPrecision WHERE {
          VALUES ?position { wd:Q11696 }   # the position items you need, e.g. President of
                                           # the United States; add foreign ministers etc.
          ?person p:P39 ?held .            # position held
          ?held ps:P39 ?position ;
                pqv:P580 [ wikibase:timeValue ?start ; wikibase:timePrecision ?startPrecision ] .
          OPTIONAL { ?held pqv:P582 [ wikibase:timeValue ?end ;
                                      wikibase:timePrecision ?endPrecision ] . }
          OPTIONAL { ?position wdt:P1001 ?country . }   # applies to jurisdiction
          FILTER(!BOUND(?end) || ?end >= "2015-01-01T00:00:00Z"^^xsd:dateTime)
          SERVICE wikibase:label { bd:serviceParam wikibase:language "en". }
        }

    Rows whose position maps to no office claimcheck knows (see :func:`normalise_office`)
    are skipped. A date with precision coarser than a day (or, without precision columns,
    a 1 January date) is marked approximate. Roles are inferred from the office; a
    president who is also head of government needs ``head_of_government`` added by hand.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"Wikidata export {path} does not exist") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise KnowledgeError(
            f"{path} is not a readable JSON file ({exc}); download the query result as SPARQL JSON"
        ) from None
    try:
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError):
        raise KnowledgeError(
            f"{path} is not a SPARQL JSON export: it lacks results.bindings; download the "
            "query result as SPARQL JSON"
        ) from None
    if not isinstance(bindings, list):
        raise KnowledgeError(f"{path}: results.bindings is not a list")

    tenures: dict[tuple[str, str, str, date], Tenure] = {}
    for index, row in enumerate(bindings):
        where = f"{path}: binding {index + 1}"
        if not isinstance(row, dict):
            raise KnowledgeError(f"{where}: expected an object of variables")
        tenure = _wikidata_tenure(row, where=where)
        if tenure is None:
            continue
        key = (name_key(tenure.person), tenure.office, tenure.jurisdiction, tenure.start)
        previous = tenures.get(key)
        if previous is not None:
            aliases = tuple(dict.fromkeys(previous.aliases + tenure.aliases))
            tenure = previous.model_copy(update={"aliases": aliases})
        tenures[key] = tenure
    return sorted(tenures.values(), key=lambda t: (t.jurisdiction, t.office, t.start))


def _binding(row: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        cell = row.get(name)
        if isinstance(cell, dict) and isinstance(cell.get("value"), str) and cell["value"]:
            return str(cell["value"])
    return None


_WIKIDATA_ENTITY = re.compile(r"/entity/(Q\d+)$")
_DAY_PRECISION = 11


def _wikidata_date(value: str, precision: str | None, *, where: str) -> tuple[date, bool]:
    match = re.match(r"^\+?(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        raise KnowledgeError(f"{where}: {value!r} is not a date")
    year, month, day = (int(g) for g in match.groups())
    # Wikidata writes a year- or month-precision date with zero month or day.
    approximate = month == 0 or day == 0
    try:
        parsed = date(year, max(month, 1), max(day, 1))
    except ValueError:
        raise KnowledgeError(f"{where}: {value!r} is not a date") from None
    if precision is not None:
        approximate = approximate or int(precision) < _DAY_PRECISION
    else:
        approximate = approximate or (parsed.month == 1 and parsed.day == 1)
    return parsed, approximate


def _wikidata_tenure(row: Mapping[str, Any], *, where: str) -> Tenure | None:
    person = _binding(row, "personLabel", "person")
    position = _binding(row, "positionLabel", "position")
    start = _binding(row, "start", "startTime")
    if person is None or position is None:
        raise KnowledgeError(f"{where}: needs personLabel and positionLabel")
    if _WIKIDATA_ENTITY.search(person):
        raise KnowledgeError(
            f"{where}: person has no English label ({person}); add the label service to the query"
        )
    if start is None:
        return None  # a tenure without a start cannot be placed in time
    country = _binding(row, "countryLabel", "country")
    parsed = parse_title(position if country is None else f"{position} {country}")
    if parsed is None:
        return None
    jurisdiction = (canonical_jurisdiction(country) or country) if country else parsed.jurisdiction
    if jurisdiction is None:
        return None
    start_date, start_approx = _wikidata_date(start, _binding(row, "startPrecision"), where=where)
    end = _binding(row, "end", "endTime")
    end_date, end_approx = (
        _wikidata_date(end, _binding(row, "endPrecision"), where=where) if end else (None, False)
    )
    aliases_text = _binding(row, "personAltLabel")
    aliases = tuple(a.strip() for a in aliases_text.split(",") if a.strip()) if aliases_text else ()
    entity = _WIKIDATA_ENTITY.search(_binding(row, "person") or "")
    try:
        return Tenure(
            person=person,
            aliases=aliases,
            office=parsed.office,
            jurisdiction=jurisdiction,
            start=start_date,
            end=end_date,
            acting=parsed.modifier is RoleModifier.ACTING,
            approximate=start_approx or end_approx,
            source=f"wikidata:{entity.group(1)}" if entity else "wikidata",
        )
    except ValidationError as exc:
        raise KnowledgeError(f"{where} (person {person!r}): {exc.errors()[0]['msg']}") from None


# --------------------------------------------------------------------------- writing files


def dump_tenures(
    tenures: Iterable[Tenure], path: Path, *, verified_through: date | None = None
) -> None:
    """Write tenures as a knowledge file (YAML, or CSV when ``path`` ends in ``.csv``)."""
    items = list(tenures)
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            path.write_text(_csv_text(items, verified_through), encoding="utf-8")
            return
        document: dict[str, Any] = {"format": FILE_FORMAT}
        if verified_through is not None:
            document["verified_through"] = verified_through
        document["entries"] = [_entry(t) for t in items]
        header = (
            "# claimcheck knowledge file of office holders (format documented in "
            "claimcheck/knowledge.py)\n"
        )
        path.write_text(
            header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
    except OSError as exc:
        raise KnowledgeError(f"cannot write knowledge file {path}: {exc.strerror}") from None


def _entry(t: Tenure) -> dict[str, Any]:
    entry: dict[str, Any] = {"person": t.person}
    if t.aliases:
        entry["aliases"] = list(t.aliases)
    entry.update(
        office=t.office,
        roles=[r.value for r in t.roles],
        jurisdiction=t.jurisdiction,
        start=t.start,
        end=t.end,
    )
    for flag in ("acting", "approximate"):
        if getattr(t, flag):
            entry[flag] = True
    for text in ("note", "source"):
        if getattr(t, text) is not None:
            entry[text] = getattr(t, text)
    return entry


def _csv_text(items: Sequence[Tenure], verified_through: date | None) -> str:
    out = io.StringIO()
    if verified_through is not None:
        out.write(f"# verified_through: {verified_through.isoformat()}\n")
    writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for t in items:
        writer.writerow(
            {
                "person": t.person,
                "aliases": ";".join(t.aliases),
                "office": t.office,
                "roles": ";".join(r.value for r in t.roles),
                "jurisdiction": t.jurisdiction,
                "start": t.start.isoformat(),
                "end": t.end.isoformat() if t.end else "",
                "acting": "true" if t.acting else "false",
                "approximate": "true" if t.approximate else "false",
                "note": t.note or "",
                "source": t.source or "",
            }
        )
    return out.getvalue()
