"""End-to-end evaluation of findings against the gold findings of the fixtures.

Extraction gives claims of its own (their ids differ from the gold claims'), so a reported
finding matches a gold finding by what an editor would recognise: the same kind, the same
subject (a person in any spelling, or a measure such as "people injured") or evidence that
overlaps the gold finding's claims in the article text, and the same articles (at least
two shared articles for a cross-source gold finding about two or more, one for the rest).
Besides precision and recall it counts what must never happen: a finding whose evidence
spans two gold events, and a non-style finding that only sets one
spelling of a name against another.

Example::

    gold = load_gold_findings(Path("fixtures/gold"))
    print(format_findings_table(score_findings(report.findings, gold)))
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

import yaml

from claimcheck.errors import InputError
from claimcheck.language.names import name_key, same_person
from claimcheck.models import Finding, FindingKind, Severity


@dataclass(frozen=True)
class GoldFinding:
    """One expected finding, as written in ``fixtures/gold/findings.yaml``."""

    label: str
    kind: str
    subjects: tuple[str, ...]
    articles: frozenset[str]
    basis: str
    required: bool
    needs_model: bool
    spans: Mapping[str, tuple[tuple[int, int], ...]] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class GoldFindings:
    findings: tuple[GoldFinding, ...]
    event_of: Mapping[str, str]


@dataclass(frozen=True)
class FindingsScore:
    """How reported findings compare with the gold."""

    reported: int
    matched_reported: int
    required: int
    required_found: tuple[str, ...]
    required_missed: tuple[str, ...]
    unmatched: tuple[Finding, ...]
    cross_event: tuple[Finding, ...]
    spelling: tuple[Finding, ...]
    non_info: int = 0
    matched_non_info: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched_reported / self.reported if self.reported else None

    @property
    def non_info_precision(self) -> float | None:
        """Precision over the findings above info severity: what an editor must act on."""
        return self.matched_non_info / self.non_info if self.non_info else None

    @property
    def false_high(self) -> tuple[Finding, ...]:
        """Reported high-severity findings that no gold finding matches."""
        return tuple(f for f in self.unmatched if f.severity is Severity.HIGH)

    @property
    def recall(self) -> float | None:
        return len(self.required_found) / self.required if self.required else None


def load_gold_findings(gold_dir: Path) -> GoldFindings:
    """Read ``findings.yaml`` and ``events.yaml`` (both must say ``gold: true``)."""
    try:
        findings = yaml.safe_load((gold_dir / "findings.yaml").read_text(encoding="utf-8"))
        events = yaml.safe_load((gold_dir / "events.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read gold findings in {gold_dir}: {exc}") from exc
    if findings.get("gold") is not True or events.get("gold") is not True:
        raise InputError(f"{gold_dir}: findings.yaml and events.yaml must say 'gold: true'")
    event_of = {
        article: event["id"]
        for event in events["events"]
        for article in (*event.get("articles", ()), *event.get("drafts", ()))
    }
    spans = _gold_spans(gold_dir / "claims")
    return GoldFindings(
        findings=tuple(_gold_finding(entry, spans) for entry in findings["findings"]),
        event_of=event_of,
    )


def _gold_spans(claims_dir: Path) -> dict[str, tuple[str, int, int]]:
    """Gold claim id -> (article id, start, end)."""
    spans = {}
    for path in sorted(claims_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for claim in doc["claims"]:
            span = claim["span"]
            spans[claim["id"]] = (claim["article_id"], span["start"], span["end"])
    return spans


def _gold_finding(
    entry: Mapping[str, Any], spans: Mapping[str, tuple[str, int, int]]
) -> GoldFinding:
    by_article: dict[str, list[tuple[int, int]]] = {}
    # also_claims are evidence an equally right finding may cite instead (findings.yaml).
    for claim_id in (*entry.get("claims", ()), *entry.get("also_claims", ())):
        if claim_id in spans:
            article, start, end = spans[claim_id]
            by_article.setdefault(article, []).append((start, end))
    return GoldFinding(
        label=str(entry["id"]),
        kind=str(entry["kind"]),
        subjects=(str(entry["subject"]), *(str(s) for s in entry.get("also_subjects", ()))),
        articles=frozenset(entry["articles"]),
        basis=str(entry.get("basis", "cross_source")),
        required=bool(entry.get("required", False)),
        needs_model=bool(entry.get("needs_model", False)),
        spans={a: tuple(s) for a, s in by_article.items()},
    )


def _articles(finding: Finding) -> frozenset[str]:
    return frozenset(e.article_id for e in finding.evidence)


def subject_matches(kind: str, expected: str, got: str | None) -> bool:
    """Whether a finding's subject is the expected one: the same words, or for a finding
    about a person (misattribution, style) the same person in any spelling."""
    if got is None:
        return False
    if expected.casefold() == got.casefold():
        return True
    return kind in ("misattribution", "style") and same_person(expected, got)


def _same_subject(gold: GoldFinding, finding: Finding) -> bool:
    return any(subject_matches(gold.kind, s, finding.subject) for s in gold.subjects)


def _overlaps_gold(gold: GoldFinding, finding: Finding) -> bool:
    """Whether the finding's evidence covers words of the gold finding's claims."""
    return any(
        e.span.start < end and start < e.span.end
        for e in finding.evidence
        for start, end in gold.spans.get(e.article_id, ())
    )


def finding_matches(gold: GoldFinding, finding: Finding) -> bool:
    """Whether a reported finding is the gold one, by kind, subject or span, and articles."""
    if finding.kind.value != gold.kind:
        return False
    if not (_same_subject(gold, finding) or _overlaps_gold(gold, finding)):
        return False
    shared = len(gold.articles & _articles(finding))
    needed = 2 if gold.basis == "cross_source" and len(gold.articles) >= 2 else 1
    return shared >= needed


_MAX_NAME_WORDS = 4


def _is_spelling_only(finding: Finding) -> bool:
    """A non-style finding whose evidence only names one person in several spellings."""
    if finding.kind is FindingKind.STYLE or finding.subject is None:
        return False
    names = {e.span.text for e in finding.evidence}
    if any(len(n.split()) > _MAX_NAME_WORDS for n in names):
        return False  # quoted words or a clause, not a name written two ways
    if any(c.isdigit() for n in names for c in n):
        return False  # figures ("magnitude 7.0", "magnitude 7.1"), not a name
    keys = {name_key(n) for n in names}
    return len(names) > 1 and len(keys) == 1 and all(same_person(finding.subject, n) for n in names)


def score_findings(
    findings: Sequence[Finding], gold: GoldFindings, *, with_model: bool = True
) -> FindingsScore:
    """Score reported findings; ``with_model=False`` leaves out gold that needs a model."""
    expected = [g for g in gold.findings if with_model or not g.needs_model]
    required = [g for g in expected if g.required]
    found = [g.label for g in required if any(finding_matches(g, f) for f in findings)]
    missed = [g.label for g in required if g.label not in found]
    unmatched = [f for f in findings if not any(finding_matches(g, f) for g in gold.findings)]
    cross_event = [
        f
        for f in findings
        if len({gold.event_of[a] for a in _articles(f) if a in gold.event_of}) > 1
    ]
    non_info = [f for f in findings if f.severity is not Severity.INFO]
    return FindingsScore(
        non_info=len(non_info),
        matched_non_info=sum(1 for f in non_info if f not in unmatched),
        reported=len(findings),
        matched_reported=len(findings) - len(unmatched),
        required=len(required),
        required_found=tuple(found),
        required_missed=tuple(missed),
        unmatched=tuple(unmatched),
        cross_event=tuple(cross_event),
        spelling=tuple(f for f in findings if _is_spelling_only(f)),
    )


def score_findings_by_group(
    findings: Sequence[Finding],
    gold: GoldFindings,
    group_of: Mapping[str, str],
    *,
    with_model: bool = True,
) -> dict[str, FindingsScore]:
    """One score per story group (``set/story_type`` by article, see
    :func:`evaluation.claims.load_story_groups`): a gold finding belongs to the group of its
    articles, a reported finding to the groups of the articles its evidence cites."""
    labels = sorted(set(group_of.values()))
    out: dict[str, FindingsScore] = {}
    for label in labels:

        def inside(articles: frozenset[str], label: str = label) -> bool:
            return any(group_of.get(a, "other") == label for a in articles)

        part = GoldFindings(
            findings=tuple(g for g in gold.findings if inside(g.articles)),
            event_of=gold.event_of,
        )
        reported = [f for f in findings if inside(_articles(f))]
        out[label] = score_findings(reported, part, with_model=with_model)
    return out


def format_group_findings_table(scores: Mapping[str, FindingsScore]) -> str:
    """One row per story group, then every false high finding by name."""

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    lines = [
        "| set/story type | reported | precision | non-info | non-info precision | required "
        "| found | recall | false high | cross-event | spelling |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, s in scores.items():
        lines.append(
            f"| {label} | {s.reported} | {pct(s.precision)} | {s.non_info} | "
            f"{pct(s.non_info_precision)} | {s.required} | {len(s.required_found)} | "
            f"{pct(s.recall)} | {len(s.false_high)} | {len(s.cross_event)} | {len(s.spelling)} |"
        )
    for label, s in scores.items():
        for f in s.false_high:
            lines.append(
                f"false high ({label}): {f.kind.value} {f.subject!r} in "
                f"{', '.join(sorted(_articles(f)))}: {f.explanation[:160]}"
            )
        if s.required_missed:
            lines.append(f"missed ({label}): " + ", ".join(s.required_missed))
    return "\n".join(lines)


def format_findings_table(score: FindingsScore) -> str:
    """A plain-text table of the score, then what was missed and what was extra."""

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    lines = [
        "| reported | match gold | precision | required | found | recall | cross-event | "
        "spelling |",
        "|---|---|---|---|---|---|---|---|",
        f"| {score.reported} | {score.matched_reported} | {pct(score.precision)} | "
        f"{score.required} | {len(score.required_found)} | {pct(score.recall)} | "
        f"{len(score.cross_event)} | {len(score.spelling)} |",
    ]
    if score.required_missed:
        lines.append("\nmissed (required): " + ", ".join(score.required_missed))
    for finding in score.unmatched:
        lines.append(
            f"not in gold: {finding.severity.value} {finding.kind.value} "
            f"{finding.subject!r} in {', '.join(sorted(_articles(finding)))}"
        )
    return "\n".join(lines)
