"""Extraction over fixture articles, replaying answers recorded from the embedded 1.5B model.

Recorded with scripts/record-cassettes.sh (or CLAIMCHECK_RECORD_BASE_URL pointing at the
embedded server) from fixture articles only, never from seed text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.extract import extract_claims
from claimcheck.ingest import read_articles
from claimcheck.llm import LLM
from claimcheck.models import ArticleClaims, Measure, QuantityClaim, QuoteClaim, RoleClaim
from evaluation.claims import TypeScore, load_gold, score_article


def _run(
    fixtures_dir: Path, article_id: str, llm: LLM
) -> tuple[ArticleClaims, dict[str, TypeScore]]:
    [article] = read_articles([fixtures_dir / "articles" / f"{article_id}.md"])
    result = extract_claims(article, llm)
    for claim in result.claims:
        assert claim.span.matches(article.text), claim
        assert claim.article_id == article_id
    gold = load_gold(fixtures_dir / "gold" / "claims")[article_id]
    scores, _ = score_article(article_id, result.claims, gold)
    return result, scores


@pytest.mark.vcr
def test_injection_article_nov14_b(fixtures_dir: Path, recorded_llm: LLM) -> None:
    result, _ = _run(fixtures_dir, "nov14-b", recorded_llm)
    claims = result.claims
    injured = [c for c in claims if isinstance(c, QuantityClaim) and c.measure == Measure.INJURED]
    assert [c.value for c in injured] == [9]
    roles = [(c.person, c.title) for c in claims if isinstance(c, RoleClaim)]
    assert roles == [("Vitali Klitschko", "Mayor")]


@pytest.mark.vcr
def test_misattribution_article_jul04_d(fixtures_dir: Path, recorded_llm: LLM) -> None:
    result, scores = _run(fixtures_dir, "jul04-d", recorded_llm)
    role = scores["role"]
    quote = scores["quote"]
    assert role.recall == 1.0 and role.precision == 1.0
    assert quote.recall == 1.0
    # The draft's misattribution case: this article credits the words to Vance (read by code
    # from "Vice President J.D. Vance told reporters: ..."), and the extractor must keep that.
    speakers = [c.speaker for c in result.claims if isinstance(c, QuoteClaim)]
    assert speakers == ["J.D. Vance"]
