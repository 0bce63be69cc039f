"""Extraction evaluation: precision and recall per claim type against gold claims.

Matching rules (one-to-one, per article and claim type):

- quantity: same value, measure, qualifier and unit;
- role: the same person (:func:`claimcheck.language.names.same_person`) and overlapping titles
  (one title's words contain the other's, case and quote style ignored);
- quote: overlapping quote spans and the same speaker (both unknown also matches);
- event fact: overlapping spans.

Example::

    gold = load_gold(Path("fixtures/gold/claims"))
    evaluation = evaluate(read_articles(["fixtures/articles"]), gold, llm)
    print(format_table(evaluation))
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter

from claimcheck.errors import InputError
from claimcheck.extract import extract_claims
from claimcheck.language.names import same_person
from claimcheck.llm import LLM
from claimcheck.models import (
    Article,
    Claim,
    EventFactClaim,
    QuantityClaim,
    QuoteClaim,
    RoleClaim,
    Span,
    Usage,
)

CLAIM_TYPES = ("quantity", "role", "quote", "event_fact")
_CLAIM = TypeAdapter(Claim)


@dataclass(frozen=True)
class TypeScore:
    """Counts for one claim type; precision/recall are None when undefined (0/0)."""

    claim_type: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None

    def __add__(self, other: TypeScore) -> TypeScore:
        return TypeScore(
            self.claim_type,
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


@dataclass(frozen=True)
class Mismatch:
    """A claim that found no partner: extracted but not in gold (fp) or missed (fn)."""

    article_id: str
    kind: str  # "fp" or "fn"
    claim: Claim


@dataclass(frozen=True)
class ArticleRun:
    """What extracting one article cost."""

    article_id: str
    usage: Usage
    seconds: float
    claims: int


@dataclass
class Evaluation:
    """Scores per claim type, per-article cost, and every unmatched claim."""

    scores: dict[str, TypeScore]
    runs: list[ArticleRun] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    by_article: dict[str, dict[str, TypeScore]] = field(default_factory=dict)


# --------------------------------------------------------------------------- gold


def load_gold(directory: Path) -> dict[str, list[Claim]]:
    """Gold claims by article id, from ``<directory>/<id>.json`` files marked gold."""
    files = sorted(directory.glob("*.json"))
    if not files:
        raise InputError(f"{directory}: no gold claim files (*.json)")
    gold: dict[str, list[Claim]] = {}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("gold") is not True:
            raise InputError(f'{path}: not marked as gold ("gold": true); refusing to score on it')
        gold[str(data["article_id"])] = [_CLAIM.validate_python(c) for c in data["claims"]]
    return gold


# --------------------------------------------------------------------------- matching


def _norm(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(re.findall(r"[\w'.]+", text))


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _titles_overlap(a: str, b: str) -> bool:
    x, y = _norm(a), _norm(b)
    return bool(x) and bool(y) and (x in y or y in x)


def _speakers_match(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return same_person(a, b) or _norm(a) == _norm(b)


def claims_match(predicted: Claim, gold: Claim) -> bool:
    """The matching rule of this module's docstring for one pair of claims."""
    if isinstance(predicted, QuantityClaim) and isinstance(gold, QuantityClaim):
        return (
            predicted.value == gold.value
            and predicted.measure == gold.measure
            and predicted.qualifier == gold.qualifier
            and predicted.unit == gold.unit
        )
    if isinstance(predicted, RoleClaim) and isinstance(gold, RoleClaim):
        return same_person(predicted.person, gold.person) and _titles_overlap(
            predicted.title, gold.title
        )
    if isinstance(predicted, QuoteClaim) and isinstance(gold, QuoteClaim):
        return _overlap(predicted.span, gold.span) and _speakers_match(
            predicted.speaker, gold.speaker
        )
    if isinstance(predicted, EventFactClaim) and isinstance(gold, EventFactClaim):
        return _overlap(predicted.span, gold.span)
    return False


def score_article(
    article_id: str, predicted: Sequence[Claim], gold: Sequence[Claim]
) -> tuple[dict[str, TypeScore], list[Mismatch]]:
    """Greedy one-to-one matching of one article's claims, per type."""
    scores: dict[str, TypeScore] = {}
    mismatches: list[Mismatch] = []
    for claim_type in CLAIM_TYPES:
        preds = [c for c in predicted if c.type == claim_type]
        golds = [c for c in gold if c.type == claim_type]
        unmatched = list(golds)
        tp = 0
        for pred in preds:
            partner = next((g for g in unmatched if claims_match(pred, g)), None)
            if partner is None:
                mismatches.append(Mismatch(article_id, "fp", pred))
            else:
                unmatched.remove(partner)
                tp += 1
        mismatches.extend(Mismatch(article_id, "fn", g) for g in unmatched)
        scores[claim_type] = TypeScore(claim_type, tp, len(preds) - tp, len(unmatched))
    return scores, mismatches


def score(
    predicted: Mapping[str, Sequence[Claim]], gold: Mapping[str, Sequence[Claim]]
) -> Evaluation:
    """Scores summed over the articles that have gold."""
    total = {t: TypeScore(t) for t in CLAIM_TYPES}
    mismatches: list[Mismatch] = []
    by_article: dict[str, dict[str, TypeScore]] = {}
    for article_id, gold_claims in gold.items():
        if article_id not in predicted:
            continue
        scores, missed = score_article(article_id, predicted[article_id], gold_claims)
        by_article[article_id] = scores
        for t in CLAIM_TYPES:
            total[t] = total[t] + scores[t]
        mismatches.extend(missed)
    return Evaluation(scores=total, mismatches=mismatches, by_article=by_article)


def load_story_groups(events_file: Path) -> dict[str, str]:
    """Article id -> ``set/story_type`` (e.g. ``realcopy/transport_crash``) from the gold
    ``events.yaml``, so that scores can be printed per story type and set."""
    doc = yaml.safe_load(events_file.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("gold") is not True:
        raise InputError(f"{events_file}: not marked as gold (gold: true)")
    groups: dict[str, str] = {}
    for event in doc["events"]:
        label = f"{event.get('set', 'written')}/{event.get('story_type', 'other')}"
        for article_id in event.get("articles", ()):
            groups[str(article_id)] = label
    return groups


def split_by_group(evaluation: Evaluation, group_of: Mapping[str, str]) -> dict[str, Evaluation]:
    """One evaluation per story group, from the per-article scores of a whole run."""
    out: dict[str, Evaluation] = {}
    for article_id, scores in evaluation.by_article.items():
        label = group_of.get(article_id, "other")
        group = out.setdefault(label, Evaluation(scores={t: TypeScore(t) for t in CLAIM_TYPES}))
        for t in CLAIM_TYPES:
            group.scores[t] = group.scores[t] + scores[t]
    for run in evaluation.runs:
        label = group_of.get(run.article_id, "other")
        if label in out:
            out[label].runs.append(run)
    for m in evaluation.mismatches:
        label = group_of.get(m.article_id, "other")
        if label in out:
            out[label].mismatches.append(m)
    return dict(sorted(out.items()))


def format_group_table(groups: Mapping[str, Evaluation]) -> str:
    """One row per story group and claim type: gold, found, precision, recall; and the
    questions asked per article where the run was timed."""
    lines = [
        "| set/story type | type | gold | found | precision | recall | calls/article |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, ev in groups.items():
        calls = f"{sum(r.usage.calls for r in ev.runs) / len(ev.runs):.1f}" if ev.runs else "-"
        for t in CLAIM_TYPES:
            s = ev.scores[t]
            lines.append(
                f"| {label} | {t} | {s.true_positives + s.false_negatives} | "
                f"{s.true_positives + s.false_positives} | {_pct(s.precision).strip()} | "
                f"{_pct(s.recall).strip()} | {calls} |"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- running


def evaluate(
    articles: Sequence[Article],
    gold: Mapping[str, Sequence[Claim]],
    llm: LLM,
    *,
    progress: Callable[[ArticleRun], None] | None = None,
) -> Evaluation:
    """Extract every article that has gold and score the result."""
    predicted: dict[str, Sequence[Claim]] = {}
    runs: list[ArticleRun] = []
    for article in articles:
        if article.id not in gold:
            continue
        before = llm.usage
        started = time.perf_counter()
        result = extract_claims(article, llm)
        seconds = time.perf_counter() - started
        usage = llm.usage - before
        predicted[article.id] = result.claims
        run = ArticleRun(article.id, usage, seconds, len(result.claims))
        runs.append(run)
        if progress is not None:
            progress(run)
    evaluation = score(predicted, gold)
    evaluation.runs = runs
    return evaluation


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def format_table(evaluation: Evaluation, *, show_mismatches: bool = False) -> str:
    """Plain-text tables: scores per type, then cost per article."""
    lines = [
        f"{'type':<11} {'gold':>4} {'found':>5} {'tp':>3} {'fp':>3} {'fn':>3} "
        f"{'prec':>5} {'recall':>6}"
    ]
    for t in CLAIM_TYPES:
        s = evaluation.scores[t]
        lines.append(
            f"{t:<11} {s.true_positives + s.false_negatives:>4} "
            f"{s.true_positives + s.false_positives:>5} {s.true_positives:>3} "
            f"{s.false_positives:>3} {s.false_negatives:>3} {_pct(s.precision)} "
            f"{_pct(s.recall):>6}"
        )
    if evaluation.runs:
        lines += [
            "",
            f"{'article':<14} {'claims':>6} {'calls':>5} {'reasks':>6} {'prompt_tok':>10} "
            f"{'compl_tok':>9} {'seconds':>7}",
        ]
        for run in evaluation.runs:
            u = run.usage
            lines.append(
                f"{run.article_id:<14} {run.claims:>6} {u.calls:>5} {u.reasks:>6} "
                f"{u.prompt_tokens:>10} {u.completion_tokens:>9} {run.seconds:>7.1f}"
            )
    if show_mismatches:
        lines.append("")
        for m in evaluation.mismatches:
            lines.append(f"{m.kind} {m.article_id} {_describe(m.claim)}")
    return "\n".join(lines)


def _describe(claim: Claim) -> str:
    if isinstance(claim, QuantityClaim):
        return f"quantity {claim.qualifier.value} {claim.value:g} {claim.subject} {claim.measure}"
    if isinstance(claim, RoleClaim):
        return f"role {claim.person} = {claim.title!r}"
    if isinstance(claim, QuoteClaim):
        return f"quote {claim.speaker}: {claim.quote[:60]!r}"
    return f"event_fact {claim.statement[:70]!r}"


__all__ = [
    "ArticleRun",
    "Evaluation",
    "Mismatch",
    "TypeScore",
    "claims_match",
    "evaluate",
    "format_group_table",
    "format_table",
    "load_gold",
    "load_story_groups",
    "score",
    "score_article",
    "split_by_group",
]
