"""Extraction evaluation: matching rules, scores, gold loading and the printed table."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from claimcheck.errors import InputError
from claimcheck.ingest import parse_article
from claimcheck.llm import LLM
from claimcheck.models import (
    Article,
    Claim,
    EventFactClaim,
    Measure,
    Qualifier,
    QuantityClaim,
    QuoteClaim,
    RoleClaim,
    Usage,
)
from evaluation.claims import (
    ArticleRun,
    claims_match,
    evaluate,
    format_group_table,
    format_table,
    load_gold,
    load_story_groups,
    score,
    score_article,
    split_by_group,
)

TEXT = (
    "At least 9 people were hurt. "
    "Kyiv Mayor Vitali Klitschko said \u201cstay in shelters now\u201d."
)
ART = Article(id="e", text=TEXT)


def _qty(value: float, measure: str, qualifier: Qualifier = Qualifier.AT_LEAST) -> QuantityClaim:
    return QuantityClaim(
        id="q",
        article_id="e",
        span=ART.span(0, 18),
        value=value,
        qualifier=qualifier,
        subject="people",
        measure=measure,
    )


def _role(person: str, title: str) -> RoleClaim:
    return RoleClaim(id="r", article_id="e", span=ART.span(29, 58), person=person, title=title)


def _quote(start: int, end: int, speaker: str | None) -> QuoteClaim:
    span = ART.span(start, end)
    return QuoteClaim(id="t", article_id="e", span=span, quote=span.text, speaker=speaker)


def test_quantity_needs_value_measure_and_qualifier() -> None:
    gold = _qty(9, Measure.INJURED)
    assert claims_match(_qty(9, Measure.INJURED), gold)
    assert not claims_match(_qty(9, Measure.KILLED), gold)
    assert not claims_match(_qty(9, Measure.INJURED, Qualifier.EXACT), gold)
    assert not claims_match(_qty(8, Measure.INJURED), gold)


def test_role_needs_same_person_and_overlapping_title() -> None:
    gold = _role("Vitali Klitschko", "Kyiv Mayor")
    assert claims_match(_role("Vitaliy Klitschko", "Mayor"), gold)
    assert claims_match(_role("Klitschko", "kyiv mayor"), gold)
    assert not claims_match(_role("Wladimir Klitschko", "Mayor"), gold)
    assert not claims_match(_role("Vitali Klitschko", "President"), gold)


def test_quote_needs_overlap_and_same_speaker() -> None:
    start = TEXT.index("\u201c")
    gold = _quote(start + 1, start + 9, "Vitali Klitschko")
    assert claims_match(_quote(start, len(TEXT) - 1, "Vitaly Klitschko"), gold)
    assert not claims_match(_quote(start, len(TEXT) - 1, None), gold)
    assert not claims_match(_quote(0, 10, "Vitali Klitschko"), gold)
    assert claims_match(_quote(start, start + 5, None), _quote(start + 1, start + 3, None))


def test_event_fact_needs_overlapping_span() -> None:
    def fact(start: int, end: int) -> EventFactClaim:
        return EventFactClaim(
            id="f", article_id="e", span=ART.span(start, end), statement="people hurt"
        )

    assert claims_match(fact(0, 20), fact(10, 27))
    assert not claims_match(fact(0, 5), fact(10, 27))
    assert not claims_match(fact(0, 20), _qty(9, Measure.INJURED))


def test_scores_count_one_to_one_matches() -> None:
    gold: list[Claim] = [_qty(9, Measure.INJURED), _role("Vitali Klitschko", "Kyiv Mayor")]
    predicted = [_qty(9, Measure.INJURED), _qty(9, Measure.INJURED), _qty(3, Measure.KILLED)]
    scores, mismatches = score_article("e", predicted, gold)
    q = scores["quantity"]
    assert (q.true_positives, q.false_positives, q.false_negatives) == (1, 2, 0)
    assert q.precision == pytest.approx(1 / 3) and q.recall == 1.0
    assert scores["role"].recall == 0.0 and scores["role"].precision is None
    assert sorted(m.kind for m in mismatches) == ["fn", "fp", "fp"]


def test_score_skips_articles_without_predictions() -> None:
    evaluation = score({}, {"e": [_qty(9, Measure.INJURED)]})
    assert evaluation.scores["quantity"].false_negatives == 0


def test_load_gold_refuses_files_not_marked_gold(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"article_id": "a", "claims": []}))
    with pytest.raises(InputError, match="not marked as gold"):
        load_gold(tmp_path)
    with pytest.raises(InputError, match="no gold claim files"):
        load_gold(tmp_path / "empty")


def test_fixture_gold_loads(fixtures_dir: Path) -> None:
    gold = load_gold(fixtures_dir / "gold" / "claims")
    assert "jul04-b" in gold
    assert {c.type for c in gold["jul04-b"]} == {"quantity", "role", "quote", "event_fact"}


def test_evaluate_runs_extraction_and_prints_table(fake_llm: Callable[..., LLM]) -> None:
    article = parse_article("At least 9 people were hurt in Kyiv.", article_id="e2")
    gold = {"e2": [_qty(9, Measure.INJURED).model_copy(update={"article_id": "e2"})]}
    llm = fake_llm(['{"subject": "people", "measure": "injured", "place": "Kyiv"}'])
    runs: list[ArticleRun] = []
    evaluation = evaluate([article], gold, llm, progress=runs.append)
    assert evaluation.scores["quantity"].true_positives == 1
    assert evaluation.scores["quantity"].false_positives == 0
    assert [r.article_id for r in runs] == ["e2"] and runs[0].usage.calls == 1
    table = format_table(evaluation, show_mismatches=True)
    assert table.splitlines()[1].split()[:6] == ["quantity", "1", "1", "1", "0", "0"]
    assert "e2" in table


def test_table_shows_na_for_empty_types() -> None:
    evaluation = score({"e": []}, {"e": []})
    evaluation.runs = [ArticleRun("e", Usage(calls=2, prompt_tokens=10), 1.5, 0)]
    table = format_table(evaluation)
    assert "n/a" in table and "1.5" in table


def test_scores_split_by_story_group(tmp_path: Path) -> None:
    events = tmp_path / "events.yaml"
    events.write_text(
        "gold: true\nevents:\n"
        "  - {id: e1, story_type: election, set: written, articles: [a]}\n"
        "  - {id: e2, story_type: court, set: realcopy, articles: [b]}\n",
        encoding="utf-8",
    )
    groups = load_story_groups(events)
    assert groups == {"a": "written/election", "b": "realcopy/court"}
    predicted: dict[str, list[Claim]] = {"a": [_qty(9, Measure.INJURED)], "b": []}
    gold: dict[str, list[Claim]] = {"a": [_qty(9, Measure.INJURED)], "b": [_qty(3, "votes")]}
    split = split_by_group(score(predicted, gold), groups)
    assert split["written/election"].scores["quantity"].recall == 1.0
    assert split["realcopy/court"].scores["quantity"].recall == 0.0
    table = format_group_table(split)
    assert "| realcopy/court | quantity | 1 | 0 | n/a | 0.00 | - |" in table


def test_a_figure_in_another_unit_is_another_figure() -> None:
    base = _qty(52, "vote_share")
    assert not claims_match(base.model_copy(update={"unit": "percent"}), base)
    assert claims_match(base, base)
