"""Tenures: one person holding one office in one jurisdiction for one period.

The records the knowledge is made of (:class:`Tenure`), the answer to a title check
(:class:`TitleVerdict`), and the two operations on lists of tenures every source and user
file goes through: finding overlaps (:func:`find_overlaps`) and laying one list over
another (:func:`merge_tenures`).

A tenure records what its source saw: ``verified_through`` is the day the source was last
known to reflect, so an open ``end`` means "in office on that day, later unknown", never
"to the present" (:meth:`Tenure.describe`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from claimcheck.language.names import name_key, same_person
from claimcheck.language.titles import canonical_jurisdiction
from claimcheck.language.vocabulary.offices import office_vocabulary
from claimcheck.models import RoleModifier

__all__ = [
    "Role",
    "Tenure",
    "TitleVerdict",
    "Verdict",
    "find_overlaps",
    "merge_tenures",
    "role_of_office",
    "surname_keys",
    "surnames_of",
]

# A handover is recorded as one tenure ending on the day the next starts, so a check on that
# day finds both holders and flags neither.
_HANDOVER_DAYS = 0


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
    inferred_end: bool = Field(
        default=False,
        description="the end is where a fresher source's holder began, not a date a source gave",
    )
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

    def last_seen(self, default: date | None = None) -> date | None:
        """The last day the source saw this tenure open: None once it has an end.

        A term left open in a snapshot taken on D is "in office on D, later unknown";
        ``default`` stands for an entry without a date of its own (a user's file).
        """
        if self.end is not None:
            return None
        return self.verified_through or default

    def period(self, *, last_seen: date | None = None) -> str:
        """'2021-02-02 – 2025-01-20', or '2021-02-02 – (in office on 2022-08-01)' for a term
        its source saw open on its snapshot day (``last_seen`` for an entry without a date
        of its own); never 'present', which no snapshot can know."""
        if self.end is not None:
            return f"{self.start} – {self.end}"
        seen = self.last_seen(last_seen)
        return f"{self.start} – (in office on {seen})" if seen else f"{self.start} – (open)"

    def describe(self) -> str:
        """'Andrii Sybiha, foreign minister of Ukraine 2024-09-05 – (in office on 2026-06-30)'."""
        acting = "acting " if self.acting else ""
        return f"{self.person}, {acting}{self.office} of {self.jurisdiction} {self.period()}"


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


SURNAME_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


def surnames_of(names: tuple[str, ...]) -> tuple[str, ...]:
    keys = SURNAME_KEYS.get(names)
    if keys is None:
        keys = surname_keys(names)
        SURNAME_KEYS[names] = keys
    return keys


def surname_keys(names: Iterable[str]) -> tuple[str, ...]:
    """The surname keys a person is indexed under, one per distinct spelling, sorted.

    >>> surname_keys(["Volodymyr Zelenskyy", "Vladimir Zelensky"])
    ('zelenski',)
    """
    return tuple(sorted({name_key(n).rsplit(" ", 1)[-1] for n in names}))


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
        # Where ``old`` really ended, no source said: only that ``new`` began then.
        parts.append(old.model_copy(update={"end": new.start, "inferred_end": True}))
    if new.end is not None and (old.end is None or old.end > new.end):
        parts.append(old.model_copy(update={"start": new.end}))
    return parts


# --------------------------------------------------------------------------- reading files
