"""A standalone HTML page: each article with its disputed spans highlighted and linked.

The page loads nothing from outside (inline CSS, no scripts, no fonts) so it can be mailed or
attached to a ticket. All text is escaped. Every highlighted span links to the findings it
takes part in, and every piece of evidence in a finding links back to its highlight.
Highlights may overlap (one sentence disputed by two findings); the text is cut at every
span boundary and each piece is marked with all the findings that cover it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from html import escape

from claimcheck.models import Article, Finding, Report, ReviewedFinding
from claimcheck.report._common import (
    article_label,
    basis_text,
    by_event,
    event_title,
    review_text,
    reviews,
    summary_text,
)

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;
background:#f6f6f4}
header{background:#1d1d1f;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px}
header .meta{color:#d0d0d0}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px;padding:24px}
section.findings,section.articles{min-width:0}
h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:4px}
.finding{background:#fff;border-left:6px solid #999;padding:8px 12px;margin:0 0 12px;
border-radius:4px}
.finding:target{outline:3px solid #3b82f6}
.finding h3{margin:0 0 4px;font-size:15px}
.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;
font-weight:700;margin-right:6px}
.sev-high{border-color:#c62828}.badge.sev-high{background:#c62828}
.sev-medium{border-color:#ef6c00}.badge.sev-medium{background:#ef6c00}
.sev-low{border-color:#1e88e5}.badge.sev-low{background:#1e88e5}
.sev-info{border-color:#757575}.badge.sev-info{background:#757575}
.meta{color:#555;font-size:13px}
.evidence{margin:4px 0 0;padding-left:18px}
.suggestion{background:#e8f5e9;padding:4px 8px;border-radius:3px;margin-top:6px}
article{background:#fff;padding:10px 16px;margin:0 0 16px;border-radius:4px}
article h3{margin:0}
.text{white-space:pre-wrap}
mark{padding:0 1px;border-radius:2px}
mark a{color:inherit;text-decoration:none}
mark.sev-high{background:#ffcdd2}mark.sev-medium{background:#ffe0b2}
mark.sev-low{background:#bbdefb}mark.sev-info{background:#e0e0e0}
mark:target,span.anchor:target+mark{outline:2px solid #3b82f6}
.finding.reviewed{opacity:.6;border-left-style:dashed}
.review{background:#e8f5e9;color:#1b5e20;padding:2px 8px;border-radius:3px;margin:4px 0;
font-size:13px}
mark.reviewed{background:#eceff1;text-decoration:underline dotted}
.errors{background:#fff3e0;padding:8px 12px;border-radius:4px}
@media (max-width:900px){main{grid-template-columns:1fr}}
"""


@dataclass(frozen=True)
class _Mark:
    """One piece of evidence as it shows in an article: offsets, finding and anchor."""

    start: int
    end: int
    finding: Finding
    finding_anchor: str
    anchor: str
    reviewed: bool = False


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    finding_anchor = {f.id: f"finding-{n}" for n, f in enumerate(report.findings, 1)}
    article_anchor = {a.id: f"article-{n}" for n, a in enumerate(report.articles, 1)}
    marks = _marks(report, finding_anchor)
    reviewed = reviews(report)
    body = [
        "<header><h1>claimcheck report</h1>",
        f'<div class="meta">{escape(summary_text(report))}</div></header>',
        "<main>",
        '<section class="findings"><h2>Findings</h2>',
    ]
    if not report.findings:
        body.append("<p>No findings: the sources agree on everything checked.</p>")
    by_finding: dict[str, list[_Mark]] = {}
    for m in marks:
        by_finding.setdefault(m.finding.id, []).append(m)
    articles = {a.id: a for a in report.articles}
    for group in by_event(report):
        body.append(f"<h2>{escape(event_title(group.event))}</h2>")
        for finding in group.findings:
            body.append(
                _finding_html(
                    finding,
                    finding_anchor[finding.id],
                    by_finding.get(finding.id, []),
                    articles,
                    reviewed.get(finding.id),
                )
            )
    failed = report.errors
    if failed:
        body.append('<div class="errors"><h2>Articles not checked</h2><ul>')
        body += [
            f"<li><b>{escape(e.article_id)}</b>: {escape(e.error)}: {escape(e.message)}</li>"
            for e in failed
        ]
        body.append("</ul></div>")
    body.append('</section><section class="articles"><h2>Articles</h2>')
    for article in _in_event_order(report):
        mine = [m for m in marks if m.anchor.startswith(article_anchor[article.id] + "-")]
        body.append(_article_html(article, article_anchor[article.id], mine))
    body.append("</section></main>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>claimcheck report</title>"
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _in_event_order(report: Report) -> list[Article]:
    """Articles in the order their events' findings are listed, so both columns line up."""
    by_id = {a.id: a for a in report.articles}
    order = [i for g in by_event(report) if g.event for i in g.event.article_ids]
    order += [a.id for a in report.articles]
    return [by_id[i] for i in dict.fromkeys(order) if i in by_id]


def _marks(report: Report, finding_anchor: dict[str, str]) -> list[_Mark]:
    """Every piece of evidence whose span really is in its article's text."""
    articles = {a.id: (n, a) for n, a in enumerate(report.articles, 1)}
    done = set(reviews(report))
    marks = []
    for finding in report.findings:
        for k, ev in enumerate(finding.evidence, 1):
            found = articles.get(ev.article_id)
            if found is None or not ev.span.matches(found[1].text) or ev.span.start == ev.span.end:
                continue
            anchor = f"article-{found[0]}-{finding_anchor[finding.id]}-{k}"
            marks.append(
                _Mark(
                    ev.span.start,
                    ev.span.end,
                    finding,
                    finding_anchor[finding.id],
                    anchor,
                    reviewed=finding.id in done,
                )
            )
    return marks


def _finding_html(
    finding: Finding,
    anchor: str,
    marks: list[_Mark],
    articles: dict[str, Article],
    review: ReviewedFinding | None = None,
) -> str:
    sev = finding.severity.value
    subject = f" · {escape(finding.subject)}" if finding.subject else ""
    located = {(m.start, m.end): m.anchor for m in marks}
    items = []
    for ev in finding.evidence:
        label = escape(article_label(articles.get(ev.article_id), ev.article_id))
        quote = f"“{escape(ev.span.text)}”"
        target = located.get((ev.span.start, ev.span.end))
        if target is not None and ev.article_id in articles:
            quote = f'<a href="#{target}">{quote}</a>'
        says = f" — {escape(ev.says)}" if ev.says else ""
        items.append(f"<li><b>{label}</b>: {quote}{says}</li>")
    suggestion = (
        f'<div class="suggestion">→ {escape(finding.suggestion)}</div>'
        if finding.suggestion
        else ""
    )
    checked = (
        f" · titles checked as of {escape(str(finding.checked_as_of))}"
        if finding.checked_as_of
        else ""
    )
    state = " reviewed" if review is not None else ""
    note = f'<div class="review">✓ {escape(review_text(review))}</div>' if review else ""
    return (
        f'<div class="finding sev-{sev}{state}" id="{anchor}">'
        f'<h3><span class="badge sev-{sev}">{sev.upper()}</span>'
        f"{escape(finding.kind.value)}{subject}</h3>{note}"
        f"<div>{escape(finding.explanation)}</div>"
        f'<div class="meta">confidence {finding.confidence:.2f} · '
        f"{escape(basis_text(finding))}{checked}</div>"
        f'<ul class="evidence">{"".join(items)}</ul>{suggestion}</div>'
    )


def _article_html(article: Article, anchor: str, marks: list[_Mark]) -> str:
    meta = [p for p in (article.outlet, str(article.published) if article.published else None) if p]
    title = escape(article.title or article.id)
    head = (
        f'<article id="{anchor}"><h3>{title}</h3>'
        f'<div class="meta">{escape(article.id)}'
        f"{' · ' + escape(' · '.join(meta)) if meta else ''}</div>"
    )
    return head + f'<div class="text">{highlight(article.text, marks)}</div></article>'


def highlight(text: str, marks: list[_Mark]) -> str:
    """``text`` escaped, with each marked piece wrapped in a linked ``<mark>``."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for lo, hi in itertools.pairwise(cuts):
        piece = escape(text[lo:hi])
        covering = [m for m in marks if m.start <= lo and hi <= m.end]
        if not covering:
            out.append(piece)
            continue
        # Anchors sit where each piece of evidence starts, so evidence links land on it.
        out += [f'<span class="anchor" id="{m.anchor}"></span>' for m in covering if m.start == lo]
        # A piece only fades when every finding covering it has been reviewed.
        still_open = [m for m in covering if not m.reviewed]
        ranked = still_open or covering
        worst = max(ranked, key=lambda m: m.finding.severity.rank).finding.severity
        faded = " reviewed" if not still_open else ""
        names = sorted({m.finding_anchor for m in covering})
        titles = "; ".join(
            dict.fromkeys(f"{m.finding.severity.value}: {m.finding.kind.value}" for m in covering)
        )
        out.append(
            f'<mark class="sev-{worst.value}{faded}" data-findings="{" ".join(names)}" '
            f'title="{escape(titles)}"><a href="#{names[0]}">{piece}</a></mark>'
        )
    return "".join(out)


__all__ = ["highlight", "render_html"]
