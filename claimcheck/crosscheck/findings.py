"""Building findings: evidence from claims, stable ids, editor-readable wording, ordering."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence

from claimcheck.crosscheck.policy import Situation, rule
from claimcheck.crosscheck.text import singular, tokens
from claimcheck.language.vocabulary.measures import OTHER
from claimcheck.models import (
    Article,
    Basis,
    Claim,
    EventFactClaim,
    Evidence,
    Finding,
    FindingKind,
    QuantityClaim,
    QuoteClaim,
    RoleClaim,
    Severity,
)

_QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "about": "about ",
    "up_to": "up to ",
    "at_most": "at most ",
    "fewer_than": "fewer than ",
    "nearly": "nearly ",
    "range": "",
}


def finding_id(kind: FindingKind, subject: str | None, claim_ids: Iterable[str]) -> str:
    """A digest of kind, subject and evidence claim ids: the same problem gets the same id."""
    material = "\x1f".join([kind.value, subject or "", *sorted(set(claim_ids))])
    return "f-" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:12]


def number(value: float) -> str:
    """A figure as an editor writes it: 23, 2,000, 1.5."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"


def with_measure(claim: QuantityClaim, counted: str | None = None) -> str:
    """What a figure counts with its measure, the measure said once: "people killed", but
    "Labour seats" and "magnitude", not "seats seats" or "magnitude magnitude"."""
    counted = claim.subject if counted is None else counted
    measure = claim.measure.replace("_", " ")
    said = {singular(w) for w in tokens(counted)}
    return counted if {singular(w) for w in tokens(measure)} <= said else f"{counted} {measure}"


def says(claim: Claim) -> str:
    """What a claim asserts, in a few words."""
    if isinstance(claim, QuantityClaim):
        figure = number(claim.value)
        if claim.value_high is not None:
            figure = f"{figure}–{number(claim.value_high)}"
        prefix = _QUALIFIER_WORDS[claim.qualifier.value]
        # "other" says nothing of its own
        counted = claim.subject if claim.measure == OTHER else with_measure(claim)
        text = f"{prefix}{figure} {counted}"
        return f"{text} in {claim.place}" if claim.place else text
    if isinstance(claim, QuoteClaim):
        who = claim.speaker or "an unnamed speaker"
        if claim.speaker_title:
            who = f"{claim.speaker_title} {who}"
        return f"{who}: “{claim.quote}”"
    if isinstance(claim, RoleClaim):
        return f"{claim.person} is “{claim.title}”"
    assert isinstance(claim, EventFactClaim)
    return claim.statement


def evidence(claim: Claim, *, says_text: str | None = None) -> Evidence:
    """One source's side of a finding, straight from a grounded claim."""
    return Evidence(
        article_id=claim.article_id,
        span=claim.span,
        claim_id=claim.id,
        says=says_text if says_text is not None else says(claim),
    )


def in_own_words(claim: Claim) -> str:
    """A claim's span on one line without its closing full stop, to quote in an explanation."""
    return " ".join(claim.span.text.split()).rstrip(".")


def source_name(article: Article) -> str:
    """How an explanation names a source: its outlet and id, or just the id."""
    return f"{article.outlet} ({article.id})" if article.outlet else article.id


def join_sources(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def make_finding(
    *,
    kind: FindingKind,
    severity: Severity,
    confidence: float,
    explanation: str,
    claims: Sequence[Claim],
    event_id: str | None,
    subject: str | None,
    basis: Basis = Basis.CROSS_SOURCE,
    suggestion: str | None = None,
    checked_as_of: dt.date | None = None,
    says_text: Mapping[str, str] | None = None,
) -> Finding:
    """A finding whose evidence is the given claims, in article then claim order."""
    ordered = sorted({c.id: c for c in claims}.values(), key=lambda c: (c.article_id, c.id))
    overrides = says_text or {}
    return Finding(
        id=finding_id(kind, subject, (c.id for c in ordered)),
        kind=kind,
        severity=severity,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        explanation=explanation,
        evidence=tuple(evidence(c, says_text=overrides.get(c.id)) for c in ordered),
        event_id=event_id,
        basis=basis,
        subject=subject,
        suggestion=suggestion,
        checked_as_of=checked_as_of,
    )


def policy_finding(
    situation: Situation,
    *,
    explanation: str,
    claims: Sequence[Claim],
    event_id: str | None,
    subject: str | None,
    sure: bool = True,
    named: bool = True,
    wording: Mapping[str, object] | None = None,
    confidence: float | None = None,
    suggestion: str | None = None,
    checked_as_of: dt.date | None = None,
    says_text: Mapping[str, str] | None = None,
) -> Finding:
    """A finding in a named situation, its kind, severity, confidence, basis and suggestion
    taken from the policy table (``crosscheck/policy.py``).

    ``sure=False``: a side was read less surely (the row's ``unsure`` confidence);
    ``named=False``: the row's template has nothing to name (its ``fallback``); ``wording``
    fills the template. ``confidence`` and ``suggestion`` are given only where the row
    leaves them to the caller (a verdict's confidence, wording from data).
    """
    policy = rule(situation)
    if policy.confidence is None:
        if confidence is None:
            raise ValueError(f"{situation.value} takes its confidence from the caller")
        chosen = confidence
    elif confidence is not None:
        raise ValueError(f"{situation.value} has its own confidence in the policy table")
    elif sure:
        chosen = policy.confidence
    else:
        if policy.unsure is None:
            raise ValueError(f"{situation.value} has no less-sure confidence in the policy")
        chosen = policy.unsure
    if policy.suggestion is None:
        worded = suggestion
    elif suggestion is not None:
        raise ValueError(f"{situation.value} has its own suggestion in the policy table")
    elif named:
        worded = policy.suggestion.format_map(wording or {})
    else:
        worded = policy.fallback
    return make_finding(
        kind=policy.kind,
        severity=policy.severity,
        confidence=chosen,
        explanation=explanation,
        claims=claims,
        event_id=event_id,
        subject=subject,
        basis=policy.basis,
        suggestion=worded,
        checked_as_of=checked_as_of,
        says_text=says_text,
    )


def ordered(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most urgent first, then by event, then by id; duplicates (same id) kept once."""
    unique = {f.id: f for f in findings}
    return tuple(sorted(unique.values(), key=lambda f: (-f.severity.rank, f.event_id or "", f.id)))


def long_date(day: dt.date) -> str:
    """'4 July 2025'."""
    return f"{day.day} {day:%B %Y}"
