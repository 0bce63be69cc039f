"""Score a report on fresh real coverage against labels written before the run.

A fresh set is real coverage of events the project has never used (the texts stay in a
scratch folder outside the repository; `evaluation/fresh/` keeps only the list of events and
URLs, and the scores). Its labels say what a careful editor would flag (`must_find`), what is
fine to report (`acceptable`) and which readings would be false (`must_not`); the format is
in `evaluation/fresh/README.md`.

Matching is deliberately plain, so it can be read and checked by hand:

- a finding matches a label when it cites at least two of the label's articles (one for a
  one-article label), is of a compatible kind (a contradiction and a discrepancy of figures
  are one disagreement, told at two strengths) and shows the label's figures or names in its
  explanation or evidence (two of them when the label lists two or more);
- a non-info finding that matches a must_find or acceptable label is correct; one whose
  evidence takes two sides of a must_not trap is false; any other is listed as unjudged, to
  be judged by hand in a judgments file (finding id -> true/false, with a reason);
- an event is whole when all its articles are in one report event, and merged when a report
  event holds articles of two labelled events.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from claimcheck.models import Finding, FindingKind, Report, Severity

_FIGURE_KINDS = frozenset({FindingKind.CONTRADICTION, FindingKind.DISCREPANCY})


@dataclass(frozen=True)
class Label:
    """One labelled finding (must_find, acceptable) or trap (must_not)."""

    id: str
    event: str
    kind: str
    articles: frozenset[str]
    values: tuple[str, ...]
    quotes: tuple[str, ...]
    severity: str | None = None


@dataclass
class EventScore:
    """The scores of one labelled event."""

    event: str
    articles: int
    must_find: int = 0
    found: int = 0
    correct: int = 0
    false: int = 0
    unjudged: int = 0
    false_high: int = 0
    groups: int = 0
    merged: bool = False
    missed: list[str] = field(default_factory=list)


def _labels(entries: Iterable[Mapping[str, Any]] | None) -> list[Label]:
    out = []
    for e in entries or ():
        out.append(
            Label(
                id=str(e["id"]),
                event=str(e["event"]),
                kind=str(e.get("kind") or e.get("reason") or ""),
                articles=frozenset(str(a) for a in e.get("articles", ())),
                values=tuple(str(v) for v in e.get("values", ()) or ()),
                quotes=tuple(str(q) for q in e.get("quotes", ()) or ()),
                severity=str(e["severity"]) if e.get("severity") else None,
            )
        )
    return out


def _run_only(labels: list[Label], run: set[str]) -> list[Label]:
    """Labels cut to the articles that were run; one left without enough of them to show
    (two for a disagreement, one for a single article's claim) is dropped."""
    out = []
    for label in labels:
        kept = label.articles & run
        if len(kept) >= min(2, len(label.articles)):
            out.append(replace(label, articles=frozenset(kept)))
    return out


def _norm(text: str) -> str:
    return re.sub(r"[\s,]+", " ", text.lower()).strip()


def _shows(value: str, text: str) -> bool:
    """Whether a label's value ("268%", "Sybiha", "$32.2 billion") is in a finding's text:
    its number when it has one, else its words."""
    numbers = re.findall(r"\d+(?:\.\d+)?", value.replace(",", ""))
    plain = _norm(text).replace(" ", "")
    if numbers:
        return all(
            re.search(rf"(?<![\d.]){re.escape(n)}(?![\d]|\.\d)", text.replace(",", ""))
            for n in numbers
        )
    return _norm(value).replace(" ", "") in plain


def finding_text(finding: Finding) -> str:
    parts = [finding.explanation, finding.subject or ""]
    parts += [e.says or "" for e in finding.evidence] + [e.span.text for e in finding.evidence]
    return " \n ".join(parts)


def _kind_fits(label: Label, finding: Finding) -> bool:
    if label.kind in ("contradiction", "discrepancy"):
        return finding.kind in _FIGURE_KINDS
    return finding.kind.value == label.kind


def matches(label: Label, finding: Finding) -> bool:
    """Whether a finding reports what a must_find or acceptable label describes."""
    cited = {e.article_id for e in finding.evidence}
    if len(cited & label.articles) < min(2, len(label.articles)):
        return False
    if not _kind_fits(label, finding):
        return False
    text = finding_text(finding)
    shown = sum(_shows(v, text) for v in label.values)
    return shown >= min(2, len(label.values))


def violates(trap: Label, finding: Finding) -> bool:
    """Whether a finding's evidence takes two sides of a must_not trap (two of its quoted
    spans, or its figures, in two different cited claims)."""
    if finding.severity is Severity.INFO:
        return False
    sides: list[frozenset[str]] = []
    for e in finding.evidence:
        if e.article_id not in trap.articles:
            continue
        span = _norm(e.span.text)
        # a claim's side is the trap's figures it shows, or failing those its quotes
        shown = {f"v{v}" for v in trap.values if _shows(v, e.span.text)} or {
            f"q{i}" for i, q in enumerate(trap.quotes) if span and span in _norm(q)
        }
        if shown:
            sides.append(frozenset(shown))
    # Two sides: two cited claims that show different parts of the trap. Claims that all
    # show the same figure (179 killed, told by four outlets) take one side only.
    return len(sides) >= 2 and len(set(sides)) >= 2


def score(
    report: Report,
    labels: Mapping[str, Any],
    judged: Mapping[str, bool] | None = None,
) -> tuple[list[EventScore], list[Finding]]:
    """Per-event scores, and the non-info findings nobody has judged yet."""
    judged = judged or {}
    # Only the articles the report holds count: a set may label more than was run.
    run = {a.id for a in report.articles}
    labelled = [
        {**e, "articles": [str(a) for a in e["articles"] if str(a) in run]}
        for e in labels["events"]
    ]
    labelled = [e for e in labelled if e["articles"]]
    must_find = _run_only(_labels(labels.get("must_find")), run)
    acceptable = _run_only(_labels(labels.get("acceptable")), run)
    must_not = _run_only(_labels(labels.get("must_not")), run)
    event_of = {str(a): str(e["id"]) for e in labelled for a in e["articles"]}
    group_of: dict[str, str] = {}
    for event in report.events:
        for a in event.article_ids:
            group_of[a] = event.id
    labelled_in: dict[str, set[str]] = defaultdict(set)
    for a, group in group_of.items():
        if a in event_of:
            labelled_in[group].add(event_of[a])
    scores = {
        str(e["id"]): EventScore(event=str(e["id"]), articles=len(e["articles"])) for e in labelled
    }
    for e in labelled:
        s = scores[str(e["id"])]
        groups = {group_of.get(str(a), f"missing:{a}") for a in e["articles"]}
        s.groups = len(groups)
        s.merged = any(len(labelled_in[g]) > 1 for g in groups)
    for label in must_find:
        s = scores[label.event]
        s.must_find += 1
        if any(matches(label, f) for f in report.findings):
            s.found += 1
        else:
            s.missed.append(label.id)
    unjudged: list[Finding] = []
    for f in report.findings:
        if f.severity is Severity.INFO:
            continue
        events = {event_of[e.article_id] for e in f.evidence if e.article_id in event_of}
        if not events:
            continue
        s = scores[sorted(events)[0]]
        if f.id in judged:
            ok = judged[f.id]
        elif any(violates(t, f) for t in must_not if t.event in events):
            ok = False
        elif any(matches(lab, f) for lab in [*must_find, *acceptable] if lab.event in events):
            ok = True
        else:
            s.unjudged += 1
            unjudged.append(f)
            continue
        if ok:
            s.correct += 1
        else:
            s.false += 1
            if f.severity is Severity.HIGH:
                s.false_high += 1
    return list(scores.values()), unjudged


def format_table(scores: Sequence[EventScore]) -> str:
    """A Markdown table, one row per event and a total."""
    rows = [
        "| event | articles | must-find found | non-info correct / false / unjudged | "
        "precision | false high | groups | merged |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]

    def line(name: str, items: Sequence[EventScore]) -> str:
        found = sum(s.found for s in items)
        total = sum(s.must_find for s in items)
        correct = sum(s.correct for s in items)
        false = sum(s.false for s in items)
        unjudged = sum(s.unjudged for s in items)
        precision = f"{correct / (correct + false):.2f}" if correct + false else "–"
        return (
            f"| {name} | {sum(s.articles for s in items)} | {found} of {total} | "
            f"{correct} / {false} / {unjudged} | {precision} | "
            f"{sum(s.false_high for s in items)} | {sum(s.groups for s in items)} | "
            f"{'yes' if any(s.merged for s in items) else 'no'} |"
        )

    rows += [line(s.event, [s]) for s in scores]
    rows.append(line("**all**", scores))
    return "\n".join(rows)
