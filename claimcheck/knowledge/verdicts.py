"""Title verdicts: what a person's tenures and an office's holders on a date say of a title.

:func:`decide` picks the verdict (consistent, wrong holder, called former while sitting,
called sitting while former, unknown); :func:`verdict_confidence` and
:func:`rests_on_long_open_tenures` say how far the data can be trusted for it. The rule
that matters most: a tenure is known only up to its source's ``verified_through``; well
past that day, a verdict a later change could overturn is unknown, never a finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from claimcheck.knowledge.tenures import Tenure, Verdict
from claimcheck.language.titles import ParsedTitle
from claimcheck.models import RoleModifier

__all__ = [
    "GUESSED_PLACE_CONFIDENCE",
    "INFERRED_END_CONFIDENCE",
    "LONG_OPEN_CONFIDENCE",
    "STALE_GRACE_DAYS",
    "decide",
    "holder_names",
    "in_the_dark",
    "rests_on_inferred_end",
    "rests_on_long_open_tenures",
    "scraped",
    "verdict_confidence",
]


# Confidence of a verdict resting on exact dates inside the verified period.
_BASE_CONFIDENCE = 0.95
# Within this many days of an approximate date the data cannot settle the question.
_APPROXIMATE_WINDOW_DAYS = 31
_APPROXIMATE_CONFIDENCE = 0.6
_APPROXIMATE_YEAR_WINDOW_DAYS = 366
# Up to this many days past an office's verified_through the data still decides (with less
# confidence); beyond, a verdict a later change could overturn (someone took office or came
# back, someone left) is unknown, never a finding.
STALE_GRACE_DAYS = 31
# Past verified_through, offices may have changed hands unseen: confidence starts at this
# factor and falls linearly to the floor over a year.
_STALE_FACTOR_START = 0.9
_STALE_FACTOR_FLOOR = 0.3
# A tenure the data leaves open is only as good as the source's upkeep, and a successor
# never recorded is the commonest gap in public data (a minister moved in a reshuffle keeps
# an open "position held"). A verdict resting only on open tenures begun longer ago than
# this is worth a look, not a correction: its confidence stays below a HIGH finding's.
_LONG_OPEN = timedelta(days=4 * 365)
LONG_OPEN_CONFIDENCE = 0.7
# A title that names no country ("Housing Secretary", "Attorney General") is read as the
# country whose habit the words are. For a person the data never had in that office, a
# "wrong holder" may just be another country's official of the same name (India's Defence
# Secretary is a civil servant): worth a look, never a HIGH finding.
GUESSED_PLACE_CONFIDENCE = 0.7
# An end no source gave, only inferred from a fresher source's holder taking the office
# (an open term of a 2022 snapshot, cut where the 2025 holder began): a title that is wrong
# only by that end is worth a look, not a correction.
INFERRED_END_CONFIDENCE = 0.7


def verdict_confidence(relevant: Sequence[Tenure], on: date, verified: date | None) -> float:
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


def _approximate_window(edge: date) -> int:
    """Days around an approximate date within which the data cannot settle a question.

    A date known only to the year is stored as 1 January (a start) or 31 December (an end),
    so the doubt spans the year; any other approximate date is taken to the month.
    """
    if (edge.month, edge.day) in {(1, 1), (12, 31)}:
        return _APPROXIMATE_YEAR_WINDOW_DAYS
    return _APPROXIMATE_WINDOW_DAYS


def decide(
    person: str,
    parsed: ParsedTitle,
    place: str | None,
    on: date,
    mine: Sequence[Tenure],
    holders: Sequence[Tenure],
    *,
    stale: bool = False,
    verified: date | None = None,
) -> tuple[Verdict, str]:
    """The verdict on a title, from the person's tenures of the office and its holders then.

    Well past the office's ``verified_through`` (``stale``, ``verified``) the data cannot
    know who took office, came back or left since, so a verdict that rests on that (the
    person is not on record, or left and may have returned, or held an open tenure that may
    have ended) is unknown rather than a wrong title; a tenure open when its source was
    taken is "in office on that day", not a proof the person still held the office.
    """
    others = [t for t in holders if not t.is_person(person)]
    current = [t for t in mine if t.covers(on)]
    # Tenures that cover ``on`` only because no source saw them end: past the day their
    # source last saw them (an open 2022 term, cut where a 2025 holder began), they prove
    # neither that the person still held the office nor that nobody else did.
    unseen = [t for t in current if in_the_dark(t, on)]
    if current and len(unseen) == len(current):
        stale = True
    if others and all(in_the_dark(t, on) for t in others):
        stale = True
    past = [t for t in mine if t.end is not None and t.end < on]
    future = [t for t in mine if t.start > on]
    office = f"{parsed.office} of {place}" if place else parsed.office
    holder_text = holder_names(others) or "someone else"

    if parsed.historical:
        if mine:
            return Verdict.CONSISTENT, f"{mine[0].person} did hold the office of {office}"
        if others:
            return Verdict.WRONG_HOLDER, f"no record of {person} as {office}"

    if parsed.modifier is RoleModifier.FORMER:
        if current and stale and (current[0].end is None or current[0].inferred_end):
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

    if current and stale and (current[0].end is None or current[0].inferred_end):
        t = current[0]
        seen = t.last_seen(verified) or t.start
        return Verdict.UNKNOWN, (
            f"{t.person} was {office} on {seen} (last seen in the data); who held the "
            f"office on {on} is unknown"
        )
    if current:
        return Verdict.CONSISTENT, f"{current[0].person} held the office of {office} on {on}"
    if past and stale:
        return Verdict.UNKNOWN, (
            f"{past[-1].person} left the office of {office} on {past[-1].end}; the data ends "
            f"before {on}, so they may have returned since"
        )
    if past:
        t = past[-1]
        successor = f"; on {on} the holder was {holder_names(others)}" if others else ""
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
        names = holder_names(others)
        return Verdict.WRONG_HOLDER, f"on {on} the {office} was {names}, not {person}"
    return Verdict.UNKNOWN, f"the knowledge does not say who was {office} on {on}"


def rests_on_long_open_tenures(
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
        t.end is None and (on - t.start > _LONG_OPEN or scraped(t)) for t in evidence
    )


def in_the_dark(tenure: Tenure, on: date) -> bool:
    """Whether ``on`` falls after the day the tenure's source last saw it open (beyond the
    grace), in a stretch no source speaks for: an open end, or one only inferred."""
    if tenure.end is not None and not tenure.inferred_end:
        return False
    seen = tenure.verified_through
    return seen is not None and (on - seen).days > STALE_GRACE_DAYS


def rests_on_inferred_end(verdict: Verdict, on: date, mine: Sequence[Tenure]) -> bool:
    """Whether a wrong-title verdict rests on an end no source gave (:attr:`Tenure.inferred_end`):
    the person left "before" ``on`` only because a fresher source has someone else then, or
    held the office on ``on`` only because nobody recorded their end sooner."""
    if verdict is Verdict.SITTING_BUT_FORMER:
        past = [t for t in mine if t.end is not None and t.end < on]
        return bool(past) and max(past, key=lambda t: t.start).inferred_end
    if verdict is Verdict.FORMER_BUT_SITTING:
        current = [t for t in mine if t.covers(on)]
        return bool(current) and all(t.inferred_end for t in current)
    return False


def scraped(tenure: Tenure) -> bool:
    """Whether the tenure comes from Wikidata's "position held" statements (the built-in
    sources, or a user's export): there an open end means only that no end was recorded,
    and a successor nobody entered is the commonest gap (Pakistan's chief justice of 2019
    is still "in office" in the 2022 snapshot, months after he retired). Entries a person
    wrote and checked (the hand file, a user's own YAML) vouch for an open end."""
    return tenure.source is not None and "wikidata" in tenure.source


def holder_names(tenures: Iterable[Tenure]) -> str:
    return " and ".join(dict.fromkeys(t.person for t in tenures))
