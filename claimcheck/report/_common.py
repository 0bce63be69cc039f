"""What every renderer needs: findings grouped by event, worst first, and article labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimcheck.models import Article, Basis, Event, Finding, Report, ReviewedFinding, Severity


@dataclass(frozen=True)
class EventGroup:
    """The findings about one event (``event`` is None for findings tied to no event)."""

    event: Event | None
    findings: tuple[Finding, ...]


BASIS_WORDS = {
    Basis.CROSS_SOURCE: "compared across sources",
    Basis.KNOWLEDGE: "checked against the office-holder list",
    Basis.MODEL: "the model's own knowledge (lower confidence)",
}


def basis_text(finding: Finding) -> str:
    """What a finding rests on, in words an editor reads without a glossary."""
    return BASIS_WORDS[finding.basis]


def ordered(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Most severe first, then most confident; ties keep the checker's order."""
    return tuple(sorted(findings, key=lambda f: (-f.severity.rank, -f.confidence)))


def by_event(report: Report) -> tuple[EventGroup, ...]:
    """Findings grouped by their event, in the report's event order; events without findings
    are left out, findings without a known event come last."""
    known = {e.id for e in report.events}
    groups = [
        EventGroup(e, ordered([f for f in report.findings if f.event_id == e.id]))
        for e in report.events
    ]
    groups = [g for g in groups if g.findings]
    loose = [f for f in report.findings if f.event_id not in known]
    if loose:
        groups.append(EventGroup(None, ordered(loose)))
    return tuple(groups)


def event_title(event: Event | None) -> str:
    """A one-line name for an event: its label, else date · place · kind."""
    if event is None:
        return "Not tied to one event"
    if event.label:
        return event.label
    parts = [str(event.date) if event.date else None, event.place, event.kind]
    return " · ".join(p for p in parts if p) or event.id


def article_label(article: Article | None, article_id: str) -> str:
    """``id (outlet, date)`` as far as known."""
    if article is None:
        return article_id
    extra = [
        p for p in (article.outlet, str(article.published) if article.published else None) if p
    ]
    return f"{article_id} ({', '.join(extra)})" if extra else article_id


def articles_by_id(report: Report) -> dict[str, Article]:
    return {a.id: a for a in report.articles}


def severity_counts(report: Report) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for f in report.findings:
        counts[f.severity] += 1
    return counts


def summary_text(report: Report) -> str:
    """``3 articles · 1 event · 2 findings (1 high, 1 medium)``."""
    counts = severity_counts(report)
    by_sev = ", ".join(
        f"{n} {s.value}" for s in sorted(Severity, key=lambda s: -s.rank) if (n := counts[s])
    )
    parts = [
        _plural(len(report.articles), "article"),
        _plural(len(report.events), "event"),
        _plural(len(report.findings), "finding") + (f" ({by_sev})" if by_sev else ""),
    ]
    if report.reviewed:
        parts.append(f"{len(report.reviewed)} reviewed")
    unreadable = sum(e.stage == "ingest" for e in report.errors)
    failed = len(report.errors) - unreadable
    if unreadable:
        parts.append(_plural(unreadable, "unreadable input"))
    if failed:
        parts.append(_plural(failed, "failed article"))
    return " · ".join(parts)


def reviews(report: Report) -> dict[str, ReviewedFinding]:
    """The reviews of a report (from a baseline file) keyed by finding id."""
    return {r.finding_id: r for r in report.reviewed}


def review_text(review: ReviewedFinding) -> str:
    """``reviewed: dismissed by a.editor on 2026-11-29 — the count was updated``."""
    who = f" by {review.by}" if review.by else ""
    when = f" on {review.at.date()}" if review.at else ""
    why = f" — {review.reason}" if review.reason else ""
    return f"reviewed: {review.decision}{who}{when}{why}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
