"""The store: office holders searchable by office and date or by person, and title checks.

:class:`KnowledgeBase` holds tenures (:mod:`claimcheck.knowledge.tenures`) indexed by
office and by surname, knows per office the last day its sources reflect, and answers
"could this person be called this on this date?" (:meth:`KnowledgeBase.check_title`,
verdict rules in :mod:`claimcheck.knowledge.verdicts`). :func:`default_knowledge` loads
the built-in file once per process.

Example::

    >>> kb = KnowledgeBase.load()
    >>> v = kb.check_title("Dmytro Kuleba", "Ukraine's Foreign Minister", date(2025, 7, 4))
    >>> v.verdict, [t.person for t in v.holders]
    (<Verdict.SITTING_BUT_FORMER: 'sitting_but_former'>, ['Andrii Sybiha'])
"""

from __future__ import annotations

import gc
import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from claimcheck.knowledge.formats import parse_compact, read_knowledge_file
from claimcheck.knowledge.tenures import (
    Tenure,
    TitleVerdict,
    Verdict,
    merge_tenures,
    surnames_of,
)
from claimcheck.knowledge.verdicts import (
    GUESSED_PLACE_CONFIDENCE,
    INFERRED_END_CONFIDENCE,
    LONG_OPEN_CONFIDENCE,
    STALE_GRACE_DAYS,
    decide,
    rests_on_inferred_end,
    rests_on_long_open_tenures,
    verdict_confidence,
)
from claimcheck.language.names import name_key
from claimcheck.language.titles import (
    ParsedTitle,
    canonical_jurisdiction,
    canonical_office,
    offices_matching,
    parse_title,
)
from claimcheck.models import RoleModifier

__all__ = [
    "DEFAULT_KNOWLEDGE",
    "KnowledgeBase",
    "check_title",
    "default_knowledge",
    "knowledge_sources",
]

DEFAULT_KNOWLEDGE = "officeholders.json.gz"


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
                for surname in surnames_of(tenure.names):
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
        canonical = canonical_office(office)
        if canonical is None or jurisdiction is None:
            return self.verified_through
        place = canonical_jurisdiction(jurisdiction) or jurisdiction
        dates = [
            d
            for o in offices_matching(canonical)
            if (d := self._office_verified.get((o, place))) is not None
        ]
        return max(dates) if dates else self.verified_through

    def known_until(self, office: str, jurisdiction: str | None) -> date | None:
        """The last date the data can speak for this office: its ``verified_through`` plus
        the grace within which a verdict still stands (None when no date is known).

        Past it, a term the sources left open is "in office then, later unknown".
        """
        verified = self.verified_through_for(office, jurisdiction)
        return verified + timedelta(days=STALE_GRACE_DAYS) if verified is not None else None

    def covers(self, office: str, jurisdiction: str) -> bool:
        """True when the base lists any holder of this office in this jurisdiction."""
        canonical = canonical_office(office)
        place = canonical_jurisdiction(jurisdiction) or jurisdiction
        if canonical is None:
            return False
        return any((o, place) in self._by_office for o in offices_matching(canonical))

    def holders(self, office: str, jurisdiction: str, on: date) -> list[Tenure]:
        """Everyone who held ``office`` in ``jurisdiction`` on ``on`` (several on a handover day).

        ``office`` may be normalised ("foreign minister") or free text ("Foreign Secretary").
        """
        canonical = canonical_office(office)
        if canonical is None:
            return []
        place = canonical_jurisdiction(jurisdiction) or jurisdiction
        return [
            t
            for o in sorted(offices_matching(canonical))
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
        canonical = canonical_office(office)
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

    def _check(self, person: str, title: str, parsed: ParsedTitle, on: date) -> TitleVerdict:
        offices = offices_matching(parsed.office)
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
        stale = verified is not None and (on - verified).days > STALE_GRACE_DAYS
        verdict, explanation = decide(
            person, parsed, place, on, mine, holders, stale=stale, verified=verified
        )
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
            confidence = verdict_confidence(holders + mine, on, verified)
        if rests_on_long_open_tenures(verdict, person, on, mine, holders):
            confidence = min(confidence, LONG_OPEN_CONFIDENCE)
        if guessed_place:
            confidence = min(confidence, GUESSED_PLACE_CONFIDENCE)
        if rests_on_inferred_end(verdict, on, mine):
            confidence = min(confidence, INFERRED_END_CONFIDENCE)
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
        tenures, verified = parse_compact(
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
