"""Offices as data: what a title names, read once from ``data/vocabulary/offices.yaml``.

The knowledge module parses titles with these tables and the cross-checker decides which
titles conflict with them; neither holds an office word of its own. A new office (a
Nigerian state governor, an EU commissioner) is added to the file, not to code.

>>> offices = office_vocabulary()
>>> offices.office("foreign minister").role, offices.office("chief minister").level
('foreign_minister', 'subnational')
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from claimcheck.language.vocabulary import load_section

__all__ = ["Office", "OfficeVocabulary", "PhraseMatch", "office_vocabulary"]

Level = Literal["national", "subnational", "city", "international"]


class Office(BaseModel):
    """One office and the phrases that name it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    role: str = "other"
    level: Level = "national"
    exclusive: bool = False
    phrases: tuple[str, ...] = ()
    usually: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    same_as: tuple[str, ...] = ()


class PhraseMatch(BaseModel):
    """Where a title names an office: the office, its usual jurisdiction and the span."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    office: Office | None = Field(description="None for an office the data does not cover")
    usual_jurisdiction: str | None = None
    start: int
    end: int


class OfficeVocabulary(BaseModel):
    """Every office, the words around titles, and the international bodies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    offices: tuple[Office, ...]
    uncovered: tuple[str, ...] = ()
    diminishing: tuple[str, ...] = ()
    organisations: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    organisation_words: tuple[str, ...] = ()
    plurals: dict[str, str] = Field(default_factory=dict)

    _by_id: dict[str, Office] = PrivateAttr(default_factory=dict)
    _phrases: tuple[tuple[str, Office | None, str | None], ...] = PrivateAttr(default=())

    def model_post_init(self, context: object, /) -> None:
        """Index the offices by id and their phrases longest first, once."""
        self._by_id = {o.id: o for o in self.offices}
        rows: list[tuple[str, Office | None, str | None]] = []
        for office in self.offices:
            rows.extend((p, office, None) for p in office.phrases)
            for place, phrases in office.usually.items():
                rows.extend((p, office, place) for p in phrases)
        rows.extend((p, None, None) for p in self.uncovered)
        self._phrases = tuple(sorted(rows, key=lambda r: -len(r[0])))

    def office(self, office_id: str) -> Office | None:
        """The office of an id ('foreign minister'), or None."""
        return self._by_id.get(" ".join(office_id.lower().split()))

    def matching(self, office_id: str) -> frozenset[str]:
        """The office ids one title of this office may mean (itself and its same_as)."""
        office = self.office(office_id)
        if office is None:
            return frozenset({office_id})
        return frozenset({office.id, *office.same_as})

    def find(self, text: str) -> PhraseMatch | None:
        """The longest office phrase in folded ``text`` (leftmost among equals), or None.

        A phrase that overlaps it and starts earlier wins: "state minister for transport"
        is a state minister, not the transport minister.
        """
        best: tuple[re.Match[str], Office | None, str | None] | None = None
        for phrase, office, usual in self._phrases:
            m = re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text)
            if m is not None and (best is None or m.start() < best[0].start() < m.end()):
                best = (m, office, usual)
        if best is None:
            return None
        m, office, usual = best
        return PhraseMatch(office=office, usual_jurisdiction=usual, start=m.start(), end=m.end())

    def organisation(self, words: list[str]) -> str | None:
        """The declared international body a run of folded words names, or None."""
        text = " ".join(words)
        for name, aliases in self.organisations.items():
            for alias in aliases:
                if re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", text):
                    return name
        return None


@cache
def office_vocabulary() -> OfficeVocabulary:
    """The office vocabulary, parsed once per process."""
    data = load_section("offices")
    data.pop("format", None)
    return OfficeVocabulary.model_validate(data)
