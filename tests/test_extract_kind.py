"""One interface for every claim kind (claimcheck/extract/kind.py): a kind is its candidates,
its single question, its batched line and the claim an answer gives; extraction runs every
kind in ``CLAIM_KINDS`` through the same loop."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from functools import partial

import pytest
from pydantic import BaseModel

from claimcheck.extract import CLAIM_KINDS, extract_claims
from claimcheck.extract.batch import ask_claims
from claimcheck.extract.context import ArticleContext, value_of
from claimcheck.extract.facts import FACTS, fact_answer_model
from claimcheck.extract.kind import (
    BatchPrompt,
    ClaimKind,
    Decided,
    Slot,
    both,
    check_offered,
    choices,
)
from claimcheck.extract.quantities import FIGURES
from claimcheck.extract.quotes import QUOTES
from claimcheck.extract.roles import TITLES
from claimcheck.extract.text import Sentence
from claimcheck.ingest import parse_article
from claimcheck.llm import LLM, CompletionRequest

RAW = (
    "date 2025-03-02\n"
    "At least 7 people were injured in Odesa on Sunday, officials said. "
    "Drones hit a power station and damaged 12 homes. "
    "Police detained 3 suspects near the port."
)
OPTIONS = ["a", "b"]


def _not_b(answer: BaseModel) -> None:
    if value_of(answer, "target") == "b":
        raise ValueError("b is never right here")


def _line(ctx: ArticleContext, sentence: Sentence) -> Slot[str] | Decided[str]:
    if sentence.number == 1:
        return Decided(lambda: "decided")
    return Slot(
        sentence=sentence,
        text=f"target: one of {choices(OPTIONS)}",
        model=lambda suffix: fact_answer_model(OPTIONS, suffix=suffix),
        claim=lambda answer: f"{sentence.number}:{value_of(answer, 'target')}",
        check=both(partial(check_offered, "target", OPTIONS), _not_b),
    )


TOY: ClaimKind[Sentence, str] = ClaimKind(
    name="toy",
    candidates=lambda ctx: ctx.sentences,
    ask=lambda ctx, sentence, llm: f"{sentence.number}:alone",
    slot=_line,
    what=lambda sentence: f"sentence {sentence.number}",
    batch=BatchPrompt("extract_fact_batch", "extract_fact", "S", "ToyBatch", 40),
)


def _batched(request: CompletionRequest) -> str:
    # S1 is sentence 2 ("a", accepted); S2 is sentence 3 ("b", fails its check)
    return json.dumps({"S1": {"target": "a"}, "S2": {"target": "b"}})


def test_a_kind_asks_one_question_each_without_batching(
    fake_llm: Callable[..., LLM],
) -> None:
    ctx = ArticleContext.of(parse_article(RAW, article_id="odesa"))
    llm = fake_llm([])
    assert ask_claims(TOY, ctx, ctx.sentences, llm, size=0) == ["1:alone", "2:alone", "3:alone"]


def test_a_kind_batched_decides_asks_and_falls_back_alone(fake_llm: Callable[..., LLM]) -> None:
    ctx = ArticleContext.of(parse_article(RAW, article_id="odesa"))
    llm = fake_llm(_batched)
    claims = ask_claims(TOY, ctx, ctx.sentences, llm, size=5)
    assert claims == ["decided", "2:a", "3:alone"]
    requests: list[CompletionRequest] = llm.backend.requests  # type: ignore[attr-defined]
    assert [r.schema_name for r in requests] == ["ToyBatch"]
    assert '"a", "b"' in requests[0].messages[-1].content


def test_extraction_runs_every_registered_kind(
    monkeypatch: pytest.MonkeyPatch, fake_llm: Callable[..., LLM]
) -> None:
    seen: list[str] = []

    def candidates(ctx: ArticleContext) -> list[Sentence]:
        seen.append(ctx.article.id)
        return []

    extra = ClaimKind(
        name="extra",
        candidates=candidates,
        ask=TOY.ask,
        slot=TOY.slot,
        what=TOY.what,
        batch=TOY.batch,
    )
    # the module, not the claimcheck.extract attribute (the batch function of that name)
    stage = importlib.import_module("claimcheck.extract")
    monkeypatch.setattr(stage, "CLAIM_KINDS", (*CLAIM_KINDS, extra))
    article = parse_article(RAW, article_id="odesa")
    extract_claims(article, fake_llm(lambda request: "{}"), facts=False, batch=0, max_followups=0)
    assert seen == ["odesa"]


def test_the_registry_lists_each_kind_once_in_the_order_asked() -> None:
    assert CLAIM_KINDS == (FIGURES, QUOTES, TITLES, FACTS)
    assert len({kind.name for kind in CLAIM_KINDS}) == len(CLAIM_KINDS)
    assert len({kind.batch.prefix for kind in CLAIM_KINDS}) == len(CLAIM_KINDS)
