"""Who held which office when: the reference knowledge the cross-checker checks titles against.

News copy goes stale in a particular way: a minister is still called "Foreign Minister" a year
after being replaced, or a sitting president is called "former". Those errors cannot be caught
by comparing sources with each other when every source copied the same stale line, so titles
are also checked against a file of office holders.

The file
--------
The built-in knowledge (``claimcheck/data/officeholders.json.gz``) is built by
``scripts/build_officeholders.py`` from public Wikidata-derived data (the EveryPolitician
snapshots of 174 countries' cabinets and the UN's top post: heads of state and government,
foreign, defence, finance and interior ministers since 2000, and the governors, chief
ministers, premiers and mayors those snapshots track for the countries' divisions and cities:
US states, Indian, Brazilian and Nigerian states, Canadian provinces, Russian oblasts, capitals
and other big cities) with the hand-written
``claimcheck/data/officeholders.yaml`` (G20 and Ukraine since 2015, newer) laid on top. Every
entry names its source and every source the date it reflects (:func:`knowledge_sources`).
Users add or correct entries with their own files; a user entry
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
        co_holder: false               # one of several holding the office together
        note: null                     # free text
        source: null                   # where the entry came from
        verified_through: null         # this entry's own date, when it differs

A bare YAML list of entries (without the header) loads too, and so does a CSV file with the
same columns (``aliases`` and ``roles`` separated by ``;``, booleans as true/false, an optional
first line ``# verified_through: YYYY-MM-DD``). A ``.json`` file is read as YAML, unless it is
a Wikidata SPARQL export, which goes through :func:`import_wikidata` (so does a ``.csv``
download from the query service); a ``.json.gz`` file is the compact built format.

Confidence
----------
``verified_through`` is the last date the data is known to reflect, per office: the newest
date of the sources its entries came from (a 2022 snapshot of Kenya's cabinet knows nothing
of 2025). A title checked at a later date may have changed in between, so every verdict for
such a date carries ``stale=True`` and a confidence that shrinks the further the date lies
past it; more than a month past it, a verdict a later change could overturn (the person is
not on record, left and may have come back, or held an open tenure that may have ended) is
``UNKNOWN``. Dates marked ``approximate`` also lower the confidence of verdicts within a
month of them (within a year of a date known only to the year).

Example::

    >>> kb = KnowledgeBase.load()
    >>> v = kb.check_title("Dmytro Kuleba", "Ukraine's Foreign Minister", date(2025, 7, 4))
    >>> v.verdict, [t.person for t in v.holders]
    (<Verdict.SITTING_BUT_FORMER: 'sitting_but_former'>, ['Andrii Sybiha'])
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
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
    "knowledge_sources",
    "merge_tenures",
    "normalise_office",
    "organisation_title",
    "parse_title",
    "read_knowledge_file",
    "role_of_office",
    "surname_keys",
    "update_knowledge",
]

FILE_FORMAT = "claimcheck-officeholders/1"
DEFAULT_KNOWLEDGE = "officeholders.json.gz"

# A handover is recorded as one tenure ending on the day the next starts, so a check on that
# day finds both holders and flags neither.
_HANDOVER_DAYS = 0

# Confidence of a verdict resting on exact dates inside the verified period.
_BASE_CONFIDENCE = 0.95
# Within this many days of an approximate date the data cannot settle the question.
_APPROXIMATE_WINDOW_DAYS = 31
_APPROXIMATE_CONFIDENCE = 0.6
_APPROXIMATE_YEAR_WINDOW_DAYS = 366
# Up to this many days past an office's verified_through the data still decides (with less
# confidence); beyond, a verdict a later change could overturn (someone took office or came
# back, someone left) is unknown, never a finding.
_STALE_GRACE_DAYS = 31
# Past verified_through, offices may have changed hands unseen: confidence starts at this
# factor and falls linearly to the floor over a year.
_STALE_FACTOR_START = 0.9
_STALE_FACTOR_FLOOR = 0.3
# A tenure the data leaves open is only as good as the source's upkeep, and a successor
# never recorded is the commonest gap in public data (a minister moved in a reshuffle keeps
# an open "position held"). A verdict resting only on open tenures begun longer ago than
# this is worth a look, not a correction: its confidence stays below a HIGH finding's.
_LONG_OPEN = timedelta(days=4 * 365)
_LONG_OPEN_CONFIDENCE = 0.7
# A title that names no country ("Housing Secretary", "Attorney General") is read as the
# country whose habit the words are. For a person the data never had in that office, a
# "wrong holder" may just be another country's official of the same name (India's Defence
# Secretary is a civil servant): worth a look, never a HIGH finding.
_GUESSED_PLACE_CONFIDENCE = 0.7


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


def role_of_office(office: str) -> Role:
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
    co_holder: bool = Field(
        default=False, description="one of several who hold the office together (co-princes)"
    )
    approximate: bool = False
    note: str | None = None
    source: str | None = None
    verified_through: date | None = Field(
        default=None, description="the last date this entry's source is known to reflect"
    )

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
            data = {**data, "roles": [role_of_office(office).value]}
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
            and not (division and places.is_first_level_word(w))
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
        # Each office is known up to the newest date any of its sources reflects; a source
        # snapshot of 2022 says nothing about who took a Nigerian ministry in 2025.
        self._office_verified: dict[tuple[str, str], date] = {}
        for tenure in self.tenures:
            # An entry without a date of its own (a user file) is as fresh as the base says.
            day = tenure.verified_through or verified_through
            if day is not None:
                key = (tenure.office, tenure.jurisdiction)
                known = self._office_verified.get(key)
                if known is None or day > known:
                    self._office_verified[key] = day
        self._surnames: dict[str, list[Tenure]] | None = None

    @property
    def _by_surname(self) -> dict[str, list[Tenure]]:
        # Built on the first look-up by person: folding tens of thousands of names is the
        # slowest part of loading, and a run that checks no title never needs it.
        if self._surnames is None:
            index: dict[str, list[Tenure]] = {}
            for tenure in self.tenures:
                for surname in _surnames_of(tenure.names):
                    index.setdefault(surname, []).append(tenure)
            self._surnames = index
        return self._surnames

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
            loaded, declared = read_knowledge_file(Path(path))
            tenures = merge_tenures(tenures, loaded)
            if declared is not None:
                verified = declared
        return cls(tenures, verified_through=verified)

    def verified_through_for(self, office: str, jurisdiction: str | None) -> date | None:
        """The last date the data on this office is known to reflect (the base's otherwise).

        >>> kb = default_knowledge()
        >>> kb.verified_through_for("foreign minister", "Ukraine") >= date(2025, 1, 1)
        True
        """
        canonical = _canonical_office(office)
        if canonical is None or jurisdiction is None:
            return self.verified_through
        place = canonical_jurisdiction(jurisdiction) or jurisdiction
        dates = [
            d
            for o in _offices_matching(canonical)
            if (d := self._office_verified.get((o, place))) is not None
        ]
        return max(dates) if dates else self.verified_through

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
        verified = self.verified_through_for(parsed.office, place)
        stale = verified is not None and (on - verified).days > _STALE_GRACE_DAYS
        verdict, explanation = _decide(person, parsed, place, on, mine, holders, stale=stale)
        guessed = parsed.jurisdiction_inferred and not any(t.jurisdiction == place for t in own)
        return self._verdict(
            verdict,
            person,
            title,
            on,
            verified=verified,
            explanation=explanation,
            office=parsed.office,
            jurisdiction=place,
            modifier=parsed.modifier,
            holders=holders,
            person_tenures=tuple(mine),
            guessed_place=guessed,
        )

    def _verdict(
        self,
        verdict: Verdict,
        person: str,
        title: str,
        on: date,
        *,
        verified: date | None = None,
        guessed_place: bool = False,
        **fields: Any,
    ) -> TitleVerdict:
        holders: tuple[Tenure, ...] = fields.get("holders", ())
        mine: tuple[Tenure, ...] = fields.get("person_tenures", ())
        verified = verified or self.verified_through
        stale = verified is not None and on > verified
        confidence = 0.0
        if verdict is not Verdict.UNKNOWN:
            confidence = _confidence(holders + mine, on, verified)
        if _rests_on_long_open_tenures(verdict, person, on, mine, holders):
            confidence = min(confidence, _LONG_OPEN_CONFIDENCE)
        if guessed_place:
            confidence = min(confidence, _GUESSED_PLACE_CONFIDENCE)
        if stale and verdict is not Verdict.UNKNOWN:
            fields["explanation"] += (
                f" (the knowledge is verified through {verified}; later changes are not known)"
            )
        return TitleVerdict(
            verdict=verdict,
            person=person,
            title=title,
            on=on,
            confidence=confidence,
            stale=stale,
            verified_through=verified,
            **fields,
        )


def _confidence(relevant: Sequence[Tenure], on: date, verified: date | None) -> float:
    """Lower than certain near approximate dates and past ``verified``."""
    confidence = _BASE_CONFIDENCE
    for t in relevant:
        if not t.approximate:
            continue
        edges = [t.start] + ([t.end] if t.end else [])
        if any(abs((on - d).days) <= _approximate_window(d) for d in edges):
            confidence = min(confidence, _APPROXIMATE_CONFIDENCE)
    if verified is not None and on > verified:
        days = (on - verified).days
        factor = _STALE_FACTOR_START - (_STALE_FACTOR_START - _STALE_FACTOR_FLOOR) * min(
            1.0, days / 365
        )
        confidence *= factor
    return round(confidence, 3)


# Surname keys of a tenure's names. The built-in file carries them precomputed (folding
# thousands of names costs more than reading the file); others are computed once here.
_SURNAME_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _surnames_of(names: tuple[str, ...]) -> tuple[str, ...]:
    keys = _SURNAME_KEYS.get(names)
    if keys is None:
        keys = surname_keys(names)
        _SURNAME_KEYS[names] = keys
    return keys


def surname_keys(names: Iterable[str]) -> tuple[str, ...]:
    """The surname keys a person is indexed under, one per distinct spelling, sorted.

    >>> surname_keys(["Volodymyr Zelenskyy", "Vladimir Zelensky"])
    ('zelenski',)
    """
    return tuple(sorted({name_key(n).rsplit(" ", 1)[-1] for n in names}))


def _fast_tenure(fields: dict[str, Any]) -> Tenure:
    """A Tenure from trusted, complete fields without validation or copying.

    What ``model_construct`` does, minus its per-field default handling, which made up
    most of the time to load the built-in file; a test checks the result equals a
    validated Tenure.
    """
    tenure = object.__new__(Tenure)
    object.__setattr__(tenure, "__dict__", fields)
    object.__setattr__(tenure, "__pydantic_fields_set__", set(fields))
    object.__setattr__(tenure, "__pydantic_extra__", None)
    object.__setattr__(tenure, "__pydantic_private__", None)
    return tenure


def _approximate_window(edge: date) -> int:
    """Days around an approximate date within which the data cannot settle a question.

    A date known only to the year is stored as 1 January (a start) or 31 December (an end),
    so the doubt spans the year; any other approximate date is taken to the month.
    """
    if (edge.month, edge.day) in {(1, 1), (12, 31)}:
        return _APPROXIMATE_YEAR_WINDOW_DAYS
    return _APPROXIMATE_WINDOW_DAYS


def _decide(
    person: str,
    parsed: ParsedTitle,
    place: str | None,
    on: date,
    mine: Sequence[Tenure],
    holders: Sequence[Tenure],
    *,
    stale: bool = False,
) -> tuple[Verdict, str]:
    """The verdict on a title, from the person's tenures of the office and its holders then.

    Well past the office's ``verified_through`` (``stale``) the data cannot know who took
    office, came back or left since, so a verdict that rests on that (the person is not on
    record, or left and may have returned, or held an open tenure that may have ended) is
    unknown rather than a wrong title.
    """
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
        if current and stale and current[0].end is None:
            return Verdict.UNKNOWN, (
                f"{current[0].person} was {office} when the data ends; they may have left since"
            )
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
    if past and stale:
        return Verdict.UNKNOWN, (
            f"{past[-1].person} left the office of {office} on {past[-1].end}; the data ends "
            f"before {on}, so they may have returned since"
        )
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
    if others and stale:
        return Verdict.UNKNOWN, (
            f"no record of {person} as {office}; the data ends before {on}, so {person} may "
            "have taken office since"
        )
    if others:
        return Verdict.WRONG_HOLDER, f"on {on} the {office} was {_names(others)}, not {person}"
    return Verdict.UNKNOWN, f"the knowledge does not say who was {office} on {on}"


def _rests_on_long_open_tenures(
    verdict: Verdict, person: str, on: date, mine: Sequence[Tenure], holders: Sequence[Tenure]
) -> bool:
    """Whether a wrong-title verdict rests only on tenures left open since long before ``on``,
    or left open by a source that records no end it was not told of (:func:`_scraped`).

    Someone else "holding" the office, or the person "still" holding it, is then as likely
    a successor the data never recorded (a reshuffle) as a wrong title.
    """
    if verdict is Verdict.WRONG_HOLDER:
        evidence = [t for t in holders if not t.is_person(person) and t.covers(on)]
    elif verdict is Verdict.FORMER_BUT_SITTING:
        evidence = [t for t in mine if t.covers(on)]
    else:
        return False
    return bool(evidence) and all(
        t.end is None and (on - t.start > _LONG_OPEN or _scraped(t)) for t in evidence
    )


def _scraped(tenure: Tenure) -> bool:
    """Whether the tenure comes from Wikidata's "position held" statements (the built-in
    sources, or a user's export): there an open end means only that no end was recorded,
    and a successor nobody entered is the commonest gap (Pakistan's chief justice of 2019
    is still "in office" in the 2022 snapshot, months after he retired). Entries a person
    wrote and checked (the hand file, a user's own YAML) vouch for an open end."""
    return tenure.source is not None and "wikidata" in tenure.source


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
    with _collector_paused():
        tenures, verified = _parse_compact(
            resource.read_bytes(), origin=f"claimcheck/data/{DEFAULT_KNOWLEDGE}", trusted=True
        )
        return KnowledgeBase(tenures, verified_through=verified)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while tens of thousands of long-lived
    objects are made: it would scan them again and again for cycles they do not have
    (about 40 % of the load time, measured with benchmarks/bench_knowledge.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def knowledge_sources() -> list[dict[str, str]]:
    """Where the built-in knowledge came from: one record per source snapshot.

    Each has ``id``, ``url``, ``verified_through``, ``retrieved`` and ``licence``.
    """
    resource = resources.files("claimcheck").joinpath("data").joinpath(DEFAULT_KNOWLEDGE)
    document = json.loads(gzip.decompress(resource.read_bytes()))
    return list(document.get("sources", []))


# --------------------------------------------------------------------------- consistency


def find_overlaps(tenures: Iterable[Tenure]) -> list[tuple[Tenure, Tenure]]:
    """Pairs of different people holding one office at once beyond a same-day handover.

    Acting holders are exempt: they legitimately overlap a suspended holder; so are
    declared co-holders (Andorra's co-princes, San Marino's captains regent).
    """
    by_office: dict[tuple[str, str], list[Tenure]] = {}
    for t in tenures:
        by_office.setdefault((t.office, t.jurisdiction), []).append(t)
    overlaps: list[tuple[Tenure, Tenure]] = []
    for group in by_office.values():
        group.sort(key=lambda t: t.start)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.acting or b.acting or (a.co_holder and b.co_holder):
                    continue
                if name_key(a.person) == name_key(b.person):
                    continue
                a_end = a.end if a.end is not None else date.max
                if (a_end - b.start).days > _HANDOVER_DAYS:
                    overlaps.append((a, b))
    return overlaps


def merge_tenures(base: Sequence[Tenure], overrides: Sequence[Tenure]) -> list[Tenure]:
    """``base`` with ``overrides`` laid on top (see :meth:`KnowledgeBase.load`)."""
    by_office: dict[tuple[str, str], list[Tenure]] = {}
    order: list[tuple[str, str]] = []
    for t in base:
        key = (t.office, t.jurisdiction)
        if key not in by_office:
            by_office[key] = []
            order.append(key)
        by_office[key].append(t)
    for new in overrides:
        key = (new.office, new.jurisdiction)
        if key not in by_office:
            by_office[key] = []
            order.append(key)
        by_office[key] = _lay_over(by_office[key], new)
    return [t for key in order for t in by_office[key]]


def _lay_over(result: Sequence[Tenure], new: Tenure) -> list[Tenure]:
    """One office's tenures with ``new`` laid on top."""
    kept: list[Tenure] = []
    for old in result:
        if not _periods_overlap(old, new):
            kept.append(old)
        elif old.is_person(new.person):
            continue  # the same person's tenure, corrected
        elif new.acting or old.acting or (new.co_holder and old.co_holder):
            kept.append(old)
        else:
            kept.extend(_trim(old, new))
    kept.append(new)
    return kept


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


def read_knowledge_file(path: Path) -> tuple[list[Tenure], date | None]:
    """The tenures of one knowledge file (YAML, CSV, compact .json.gz or a SPARQL export)
    and the ``verified_through`` it declares."""
    try:
        raw = path.read_bytes()
        if path.name.lower().endswith(".json.gz"):
            return _parse_compact(raw, origin=str(path), trusted=False)
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
    if suffix == ".csv" and _looks_like_sparql_csv(text):
        return import_wikidata(path), None
    if suffix == ".csv":
        return _parse_csv(text, origin=str(path))
    if suffix == ".json" and _looks_like_sparql(text):
        return import_wikidata(path), None
    if suffix not in {".yaml", ".yml", ".json"}:
        raise KnowledgeError(
            f"knowledge file {path} has an unknown type; use .yaml, .yml, .csv or .json"
        )
    return _parse_yaml(text, origin=str(path))


#: The columns of the shipped compact knowledge file, in order (the build script writes them).
COMPACT_COLUMNS = (
    "person",
    "aliases",
    "office",
    "roles",
    "jurisdiction",
    "start",
    "end",
    "flags",
    "note",
    "source",
    "ref",
    "surnames",
)
_ACTING, _APPROXIMATE, _CO_HOLDER = 1, 2, 4


def _parse_compact(raw: bytes, *, origin: str, trusted: bool) -> tuple[list[Tenure], date | None]:
    """The compact format the built-in knowledge ships in: gzip'd JSON, one row per tenure.

    ``{"format", "verified_through", "sources": [{id, url, verified_through, ...}],
    "columns": [...], "entries": [[person, aliases, office, roles, jurisdiction, start, end,
    flags, note, source index, ref, surnames], ...]}``; ``flags`` is a bit set (1 acting,
    2 approximate, 4 co-holder), ``ref`` the Wikidata id of the person, ``surnames`` the
    keys :func:`surname_keys` gives for the names (an index built once, at build time).
    scripts/build_officeholders.py writes it; the built-in file is validated when it is
    built and by the tests, so it is read without re-validating each of its rows.
    """
    try:
        document = json.loads(gzip.decompress(raw))
        if document.get("format") != FILE_FORMAT or tuple(document["columns"]) != COMPACT_COLUMNS:
            raise KnowledgeError(
                f"{origin}: not a {FILE_FORMAT} compact file; rebuild it with "
                "scripts/build_officeholders.py"
            )
        sources = [
            (str(s["id"]), date.fromisoformat(s["verified_through"])) for s in document["sources"]
        ]
        verified = _header_date(document.get("verified_through"), origin)
        rows = document["entries"]
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"{origin}: not a readable compact knowledge file ({exc})") from None
    roles = {r.value: r for r in Role}
    tenures: list[Tenure] = []
    for i, row in enumerate(rows):
        person, aliases, office, role_names, place, start, end, flags, note, index, ref, keys = row
        source_id, source_date = sources[index]
        fields: dict[str, Any] = {
            "person": person,
            "aliases": tuple(aliases),
            "office": office,
            "roles": tuple(roles[r] for r in role_names),
            "jurisdiction": place,
            "start": date.fromisoformat(start),
            "end": date.fromisoformat(end) if end else None,
            "acting": bool(flags & _ACTING),
            "co_holder": bool(flags & _CO_HOLDER),
            "approximate": bool(flags & _APPROXIMATE),
            "note": note,
            "source": f"{source_id} wikidata:{ref}" if ref else source_id,
            "verified_through": source_date,
        }
        if trusted:
            tenures.append(_fast_tenure(fields))
            names: tuple[str, ...] = (fields["person"], *fields["aliases"])
            _SURNAME_KEYS[names] = tuple(keys)
        else:
            tenures.append(_tenure(fields, where=f"{origin}: entry {i + 1}", origin=origin))
    if not trusted:
        _reject_overlaps(tenures, origin)
    return tenures, verified


def _looks_like_sparql_csv(text: str) -> bool:
    """A CSV downloaded from the Wikidata query service: it has positionLabel, not office."""
    header = next(csv.reader(io.StringIO(text.lstrip())), [])
    return "positionLabel" in header and "office" not in header


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
    "co_holder",
    "verified_through",
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
            elif column in {"acting", "approximate", "co_holder"}:
                if value.lower() not in _TRUE | _FALSE:
                    raise KnowledgeError(f"{where}: {column} must be true or false, not {value!r}")
                entry[column] = value.lower() in _TRUE
            elif column in {"end", "note", "source", "verified_through"}:
                entry[column] = value or None
            else:
                entry[column] = value
        tenures.append(_tenure(entry, where=where, origin=origin))
    _reject_overlaps(tenures, origin)
    return tenures, verified


# --------------------------------------------------------------------------- Wikidata


def import_wikidata(path: Path) -> list[Tenure]:
    """Tenures from a Wikidata SPARQL export (JSON or CSV) of "position held" statements.

    Run this at https://query.wikidata.org/, download the result as JSON ("SPARQL JSON")
    or CSV, then ``claimcheck kb update result.json`` (or ``kb import result.csv -o
    ministers.yaml``)::

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

    Any position (P39) works; the country may also come as ``jurisdictionLabel``. Rows whose
    position maps to no office declared in ``data/vocabulary/offices.yaml`` (see
    :func:`normalise_office`) are skipped: declare the office there, no code changes. A
    date with precision coarser than a day (or, without precision columns, a 1 January
    date) is marked approximate. Roles are inferred from the office; a
    president who is also head of government needs ``head_of_government`` added by hand.
    """
    if Path(path).suffix.lower() == ".csv":
        return _wikidata_tenures(_sparql_csv_bindings(Path(path)), path=Path(path))
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
    return _wikidata_tenures(bindings, path=Path(path))


def _sparql_csv_bindings(path: Path) -> list[dict[str, Any]]:
    """The rows of a query-service CSV download, shaped like SPARQL JSON bindings."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KnowledgeError(f"Wikidata export {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path} is not a readable UTF-8 CSV file ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    if not {"personLabel", "positionLabel"} <= set(reader.fieldnames or []):
        raise KnowledgeError(
            f"{path}: a Wikidata CSV export needs the columns personLabel and positionLabel "
            "(and start, end, countryLabel); see the query in the README"
        )
    return [{k: {"value": v} for k, v in row.items() if k and v} for row in reader]


def _wikidata_tenures(bindings: Sequence[Any], *, path: Path) -> list[Tenure]:
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
    country = _binding(row, "countryLabel", "jurisdictionLabel", "country", "jurisdiction")
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


def update_knowledge(export: Path, output: Path, *, as_of: date) -> tuple[int, int]:
    """Lay a Wikidata SPARQL export over a user knowledge file (created when absent).

    Returns how many tenures the export gave and how many the file now holds. ``as_of``
    (the day the export was downloaded) becomes the file's ``verified_through``.

    Example::

        update_knowledge(Path("ministers.csv"), Path("knowledge.yaml"), as_of=date.today())
    """
    new = import_wikidata(export)
    existing: list[Tenure] = []
    if Path(output).exists():
        existing, _ = read_knowledge_file(Path(output))
    merged = merge_tenures(existing, new)
    dump_tenures(merged, Path(output), verified_through=as_of)
    return len(new), len(merged)


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
    for flag in ("acting", "co_holder", "approximate"):
        if getattr(t, flag):
            entry[flag] = True
    for text in ("note", "source"):
        if getattr(t, text) is not None:
            entry[text] = getattr(t, text)
    if t.verified_through is not None:
        entry["verified_through"] = t.verified_through
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
                "co_holder": "true" if t.co_holder else "false",
                "verified_through": t.verified_through.isoformat() if t.verified_through else "",
            }
        )
    return out.getvalue()
