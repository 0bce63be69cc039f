"""Where a finding's severity, confidence and suggestion come from: one table.

Each cross-check names the situation it found (``Situation``); ``POLICY`` says what a
finding in that situation is: its kind, how urgent (severity), how sure (confidence), what
it rests on (basis) and what the editor is told to do (suggestion). The checks decide which
situation holds; they write no severity or confidence of their own.

Two readings of one situation are kept on one row rather than split into two:

- ``unsure``: the confidence when code read a side less surely than usual (an approximate
  figure such as "about 40", or sources split with no clear majority).
- ``fallback``: the suggestion when the row's template has nothing to name (no majority to
  point to, no finite figure).

A row whose ``confidence`` is None takes the office-holder verdict's own confidence; a row
whose ``suggestion`` is None has none, or one its caller words from data (the verdict's
holder and date, an exclusive-claim rule of events.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from claimcheck.models import Basis, FindingKind, Severity

__all__ = [
    "KNOWLEDGE_SETTLES_AT",
    "POLICY",
    "UNCHECKED_READING_CEILING",
    "Rule",
    "Situation",
    "rule",
]


class Situation(str, Enum):
    """A situation a cross-check tells apart, each with one row in ``POLICY``."""

    # figures (quantities.py)
    FIGURES_CONTRADICT_HIGH_STAKES = "figures_contradict_high_stakes"
    FIGURES_CONTRADICT_SAME_DAY_RUNNING_COUNT = "figures_contradict_same_day_running_count"
    FIGURES_CONTRADICT = "figures_contradict"
    FIGURES_UPDATED_BETWEEN_DAYS = "figures_updated_between_days"
    FIGURES_FAR_APART = "figures_far_apart"
    FIGURES_COMPATIBLE = "figures_compatible"
    FIGURES_SCALE_SLIP = "figures_scale_slip"
    # quotations (quotes.py)
    QUOTE_DIFFERENT_SPEAKERS = "quote_different_speakers"
    QUOTE_SPEAKER_INFERRED = "quote_speaker_inferred"
    # titles (titles.py, title_model.py)
    TITLE_AGAINST_SETTLED_KNOWLEDGE = "title_against_settled_knowledge"
    TITLE_AGAINST_UNSETTLED_KNOWLEDGE = "title_against_unsettled_knowledge"
    TITLES_CONFLICT = "titles_conflict"
    TITLES_BOTH_MAY_HOLD = "titles_both_may_hold"
    OFFICE_TWO_HOLDERS = "office_two_holders"
    TITLE_FROM_MODEL_KNOWLEDGE = "title_from_model_knowledge"
    SPELLING_VARIANT = "spelling_variant"
    # event facts (facts.py, corroboration.py)
    FACTS_JUDGED_BY_MODEL = "facts_judged_by_model"
    EXCLUSIVE_CLAIM_CONTRADICTED = "exclusive_claim_contradicted"
    FACT_PREDICATES_CONFLICT = "fact_predicates_conflict"
    FACT_PREDICATES_CONFLICT_UNSURE = "fact_predicates_conflict_unsure"
    SINGLE_SOURCE = "single_source"


@dataclass(frozen=True)
class Rule:
    """What a finding in one situation is."""

    kind: FindingKind
    severity: Severity
    #: None: the office-holder verdict's own confidence
    confidence: float | None
    #: a ``str.format`` template; None: no suggestion, or one the caller words from data
    suggestion: str | None = None
    basis: Basis = Basis.CROSS_SOURCE
    #: the confidence when a side was read less surely (None: the row has one reading)
    unsure: float | None = None
    #: the suggestion when the template has nothing to name
    fallback: str | None = None


def _figures_contradict(severity: Severity) -> Rule:
    """Figures that cannot all be true; less sure when a figure is approximate."""
    return Rule(
        FindingKind.CONTRADICTION,
        severity,
        0.9,
        "Most sources ({agree} of {total}) say {figure} {subject}; check the others against "
        "the latest official figure.",
        unsure=0.75,
        fallback="Check every figure against the latest official count.",
    )


def _quote_speakers(severity: Severity, confidence: float, *, unsure: float) -> Rule:
    """One quotation credited to different speakers; less sure without a clear majority."""
    return Rule(
        FindingKind.MISATTRIBUTION,
        severity,
        confidence,
        "Most sources credit the quote to {speaker}; check who said it.",
        unsure=unsure,
        fallback="Check who said it against the original statement.",
    )


def _titles_conflict(confidence: float, *, unsure: float) -> Rule:
    """One person's titles that cannot both be right; less sure without a clear majority."""
    return Rule(
        FindingKind.MISATTRIBUTION,
        Severity.MEDIUM,
        confidence,
        "Most sources say {person} is {title}; check the others.",
        unsure=unsure,
        fallback="Check the title against an official source.",
    )


def _predicates_conflict(severity: Severity, confidence: float) -> Rule:
    """Two facts whose predicates cannot both hold, read by code."""
    return Rule(
        FindingKind.CONTRADICTION,
        severity,
        confidence,
        "Check which account officials or court records support.",
    )


POLICY: dict[Situation, Rule] = {
    # Figures given on one day (or undated) that cannot all be true. Only a high-stakes
    # measure (a toll) that is not revised as a story goes on earns high; a running count
    # told two ways on one day may be one count at two hours: worth a look, not an alarm.
    Situation.FIGURES_CONTRADICT_HIGH_STAKES: _figures_contradict(Severity.HIGH),
    Situation.FIGURES_CONTRADICT_SAME_DAY_RUNNING_COUNT: _figures_contradict(Severity.MEDIUM),
    Situation.FIGURES_CONTRADICT: _figures_contradict(Severity.MEDIUM),
    # A running count that changed between publication days: an update, not a contradiction.
    Situation.FIGURES_UPDATED_BETWEEN_DAYS: Rule(
        FindingKind.DISCREPANCY,
        Severity.LOW,
        0.7,
        "Use the latest figure ({latest}) and say when it was given.",
    ),
    # So far apart they more often count different things than one thing told wrong.
    Situation.FIGURES_FAR_APART: Rule(
        FindingKind.DISCREPANCY,
        Severity.LOW,
        0.4,
        "Check what each figure counts (where, when, whom) before comparing.",
    ),
    # Different but compatible figures, or figures hedged alike ("more than 40", "about 50").
    Situation.FIGURES_COMPATIBLE: Rule(
        FindingKind.DISCREPANCY,
        Severity.LOW,
        0.6,
        "Use the latest official figure; the highest here is {highest}.",
    ),
    # Two sums of money a thousand times apart ("$976 million" against "$1 trillion"): one
    # source most likely wrote the wrong scale word. Worth a correction, but the reading
    # of what each counts is not checked against a third figure, so medium.
    Situation.FIGURES_SCALE_SLIP: Rule(
        FindingKind.CONTRADICTION,
        Severity.MEDIUM,
        0.5,
        "Check the scale word (thousand, million, billion) of {figure} against the source.",
    ),
    # One quotation credited to different speakers.
    Situation.QUOTE_DIFFERENT_SPEAKERS: _quote_speakers(Severity.HIGH, 0.8, unsure=0.6),
    # ... where one side names no speaker next to the words ("he said"): its speaker was
    # inferred by reading back to a name, a guess on real copy (the judge named first, the
    # defendant speaking), so a note to look at, never a finding that accuses.
    Situation.QUOTE_SPEAKER_INFERRED: _quote_speakers(Severity.INFO, 0.3, unsure=0.3),
    # A title the office-holder data contradicts. High only when the data settles it
    # (verdict confidence at least KNOWLEDGE_SETTLES_AT: exact dates inside the verified
    # period); near an approximate date or past the data's end the same words are worth a
    # look, not a correction.
    Situation.TITLE_AGAINST_SETTLED_KNOWLEDGE: Rule(
        FindingKind.MISATTRIBUTION, Severity.HIGH, None, basis=Basis.KNOWLEDGE
    ),
    Situation.TITLE_AGAINST_UNSETTLED_KNOWLEDGE: Rule(
        FindingKind.MISATTRIBUTION, Severity.MEDIUM, None, basis=Basis.KNOWLEDGE
    ),
    # Sources give one person titles that cannot both be right.
    Situation.TITLES_CONFLICT: _titles_conflict(0.7, unsure=0.55),
    # ... unless one says "former" of another office: both may be true.
    Situation.TITLES_BOTH_MAY_HOLD: _titles_conflict(0.45, unsure=0.45),
    # One exclusive office given to two people on one day.
    Situation.OFFICE_TWO_HOLDERS: Rule(
        FindingKind.MISATTRIBUTION,
        Severity.MEDIUM,
        0.6,
        "Check who holds the office on the story's date.",
    ),
    # Resting only on the model's own knowledge: a hint to verify, below every finding that
    # rests on sources or on the office-holder file.
    Situation.TITLE_FROM_MODEL_KNOWLEDGE: Rule(
        FindingKind.MISATTRIBUTION,
        Severity.LOW,
        0.35,
        "Check {person}'s title on {day} against an official source.",
        basis=Basis.MODEL,
    ),
    # One person spelled differently across sources: house style, never an error.
    Situation.SPELLING_VARIANT: Rule(FindingKind.STYLE, Severity.INFO, 0.9),
    # A pair of event facts the model judged to conflict: one verdict of the model, never
    # checked against either sentence, earns a lead to check, not an accusation. On unseen
    # real copy the small model's verdicts were wrong every time they were judged (sets C and
    # H: "a man has been charged" against "the only person charged"; a survey not yet done
    # against survivors' burning homes).
    Situation.FACTS_JUDGED_BY_MODEL: Rule(
        FindingKind.CONTRADICTION,
        Severity.LOW,
        0.4,
        "Check which account officials' statements or footage support.",
    ),
    # "Only military sites were hit" against others' damaged homes (events.yaml words the
    # suggestion).
    Situation.EXCLUSIVE_CLAIM_CONTRADICTED: Rule(FindingKind.CONTRADICTION, Severity.MEDIUM, 0.7),
    # Two facts whose predicates cannot both hold, read by code; low when one side was not
    # read with confidence.
    Situation.FACT_PREDICATES_CONFLICT: _predicates_conflict(Severity.MEDIUM, 0.6),
    Situation.FACT_PREDICATES_CONFLICT_UNSURE: _predicates_conflict(Severity.LOW, 0.4),
    # A happening at the event's place that only one of several sources reports.
    Situation.SINGLE_SOURCE: Rule(
        FindingKind.UNCORROBORATED,
        Severity.INFO,
        0.5,
        "Confirm it with an official or a second source before publishing.",
    ),
}

#: The least office-holder verdict confidence that settles a title (exact dates inside the
#: verified period give 0.95; an approximate date nearby 0.6; staleness lowers it further).
KNOWLEDGE_SETTLES_AT = 0.8

#: A figure or quote finding whose readings the model could not re-read is reported at most
#: this urgent.
UNCHECKED_READING_CEILING = Severity.LOW


def rule(situation: Situation) -> Rule:
    """The row of ``POLICY`` for a situation."""
    return POLICY[situation]
