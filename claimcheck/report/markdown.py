"""The Markdown report, for pasting into a review ticket.

Text from articles and from the model is escaped so a stray ``*`` or ``<`` in copy cannot
break the ticket's formatting.
"""

from __future__ import annotations

import re

from claimcheck.models import Article, Finding, Report, ReviewedFinding, Severity
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

_MARK = {
    Severity.HIGH: "🔴",
    Severity.MEDIUM: "🟠",
    Severity.LOW: "🔵",
    Severity.INFO: "⚪",
}

# Inline syntax anywhere in a line; with [ and ] escaped no link can form, so ( ) stay readable.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# Syntax that only counts at the start of a line: headings, quotes, list items.
_LEADING = re.compile(r"^([#>+-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def escape(text: str) -> str:
    """Backslash-escape Markdown syntax and fold newlines so text stays on its line."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = _LEADING.sub(r"\\\1", escaped)
    return _NUMBERED.sub(r"\1\\\2", escaped)


def render_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    articles = articles_by_id(report)
    reviewed = reviews(report)
    out = ["# claimcheck report", "", escape(summary_text(report)), ""]
    if report.as_of:
        out += [f"Titles checked as of {report.as_of}.", ""]
    if not report.findings:
        out += ["No findings: the sources agree on everything checked.", ""]
    for group in by_event(report):
        out.append(f"## {escape(event_title(group.event))}")
        out.append("")
        if group.event:
            out += ["Articles: " + ", ".join(escape(a) for a in group.event.article_ids), ""]
        for finding in group.findings:
            out += _finding(finding, articles, reviewed.get(finding.id))
    failed = report.errors
    if failed:
        out += ["## Articles not checked", ""]
        out += [
            f"- **{escape(e.article_id)}**: {escape(e.error)}: {escape(e.message)}" for e in failed
        ]
        out.append("")
    return "\n".join(out)


def _finding(
    finding: Finding, articles: dict[str, Article], review: ReviewedFinding | None
) -> list[str]:
    subject = f": {escape(finding.subject)}" if finding.subject else ""
    mark = "✅" if review is not None else _MARK[finding.severity]
    out = [
        f"### {mark} {finding.severity.value.upper()} — {finding.kind.value}{subject}",
        "",
    ]
    if review is not None:
        out += [f"> **{escape(review_text(review))}**", ""]
    out += [
        escape(finding.explanation),
        "",
        f"Confidence {finding.confidence:.2f} · {basis_text(finding)} · id `{finding.id}`",
        "",
    ]
    for ev in finding.evidence:
        label = article_label(articles.get(ev.article_id), ev.article_id)
        says = f" — {escape(ev.says)}" if ev.says else ""
        out.append(f"- **{escape(label)}**: “{escape(ev.span.text)}”{says}")
    out.append("")
    if finding.suggestion:
        out += [f"> **Suggestion:** {escape(finding.suggestion)}", ""]
    return out
