"""The terminal view: findings grouped by event, severity in colour, evidence quoted.

Colours are ANSI codes from ``click.style``; ``click.echo`` drops them when the output is not
a terminal, so the same text serves pipes and logs.
"""

from __future__ import annotations

import textwrap

import click

from claimcheck.models import Article, Evidence, Finding, Report, ReviewedFinding, Severity
from claimcheck.report._common import (
    article_label,
    articles_by_id,
    basis_text,
    by_event,
    event_title,
    review_text,
    reviews,
    summary_text,
)

# (colour, bold) per severity
_COLOURS: dict[Severity, tuple[str, bool]] = {
    Severity.HIGH: ("red", True),
    Severity.MEDIUM: ("yellow", True),
    Severity.LOW: ("cyan", False),
    Severity.INFO: ("bright_black", False),
}

_WIDTH = 100


def severity_badge(severity: Severity) -> str:
    """``HIGH`` etc., coloured for its urgency."""
    colour, bold = _COLOURS[severity]
    return click.style(f"{severity.value.upper():<6}", fg=colour, bold=bold)


def render_terminal(report: Report) -> str:
    """The report for a person at a terminal."""
    articles = articles_by_id(report)
    reviewed = reviews(report)
    lines = [click.style("claimcheck", bold=True) + "  " + summary_text(report), ""]
    groups = by_event(report)
    if not report.findings:
        lines.append(
            click.style("No findings: the sources agree on everything checked.", fg="green")
        )
        lines.append("")
    for group in groups:
        ids = ", ".join(group.event.article_ids) if group.event else ""
        head = click.style(f"■ {event_title(group.event)}", bold=True, underline=True)
        lines.append(head + (f"  [{ids}]" if ids else ""))
        for finding in group.findings:
            lines.extend(_finding(finding, articles, reviewed.get(finding.id)))
        lines.append("")
    failed = report.errors
    if failed:
        lines.append(click.style("Articles not checked", bold=True, fg="red"))
        for err in failed:
            lines.append(f"  {err.article_id}: {err.error}: {err.message}")
        lines.append("")
    return "\n".join(lines)


def _finding(
    finding: Finding, articles: dict[str, Article], review: ReviewedFinding | None
) -> list[str]:
    subject = f" · {finding.subject}" if finding.subject else ""
    # A reviewed finding keeps its place but loses its colour: it no longer needs attention.
    badge = (
        f"{finding.severity.value.upper():<6}"
        if review is not None
        else severity_badge(finding.severity)
    )
    head = (
        f"  {badge} {finding.kind.value}{subject}"
        f"  (confidence {finding.confidence:.2f}, {basis_text(finding)})"
    )
    out = [head]
    if review is not None:
        out.append("    " + click.style("✓ " + review_text(review), fg="green"))
    out.extend(
        textwrap.wrap(
            finding.explanation, width=_WIDTH, initial_indent="    ", subsequent_indent="    "
        )
    )
    for ev in finding.evidence:
        out.append(_evidence(ev, articles))
    if finding.suggestion:
        out.append("    " + click.style("→ " + finding.suggestion, fg="green"))
    if finding.checked_as_of:
        out.append(f"    (titles checked as of {finding.checked_as_of})")
    return out


def _evidence(ev: Evidence, articles: dict[str, Article]) -> str:
    label = article_label(articles.get(ev.article_id), ev.article_id)
    says = f" — {ev.says}" if ev.says else ""
    return f"    {click.style(label, bold=True)}: “{ev.span.text}”{says}"
