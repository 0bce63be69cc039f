"""A figure's own measure word, read by code and enforced on the model's answer."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from claimcheck.extract.candidates import find_numbers
from claimcheck.extract.context import ArticleContext
from claimcheck.extract.quantities import classify_figure, own_measure
from claimcheck.ingest import parse_article
from claimcheck.llm import LLM, CompletionRequest
from claimcheck.models import Measure

TEXT = (
    "Russia launched 550 drones and 11 missiles, with 72 drones breaching the air defences. "
    "The strikes killed at least four people and injured 20. "
    "Officials counted 13 separate strikes on the city. "
    "The raid ended after killing at least 6 people and injuring around 30."
)


def figures() -> tuple[ArticleContext, dict[str, Measure | None]]:
    ctx = ArticleContext.of(parse_article(TEXT, article_id="m"))
    numbers = find_numbers(ctx.article.text, ctx.sentences)
    return ctx, {n.text: own_measure(ctx, n) for n in numbers}


def test_the_word_right_after_a_figure_names_its_measure() -> None:
    _, got = figures()
    assert got["72"] == Measure.GOT_THROUGH
    assert got["550"] == Measure.LAUNCHED  # "and" ends its phrase; the verb came before it
    assert got["11"] is None  # "550 drones and 11": nothing of its own on either side
    assert got["20"] == Measure.INJURED  # "and injured 20": the verb before it
    assert got["13"] == Measure.OTHER  # it counts the strikes, not things they hit


def test_else_the_verb_right_before_the_figure_and_its_hedge_words_names_it() -> None:
    _, got = figures()
    assert got["6"] == Measure.KILLED  # "killing at least 6"
    assert got["30"] == Measure.INJURED  # "injuring around 30", not the sentence's first verb
    assert got["four"] == Measure.KILLED  # "killed at least four"


@pytest.mark.parametrize(("first", "calls"), [("launched", 2), ("got_through", 1)])
def test_an_answer_against_the_figures_own_word_is_asked_again(
    fake_llm: Callable[..., LLM], first: str, calls: int
) -> None:
    answers = iter([first, "got_through"])

    def answer(request: CompletionRequest) -> str:
        return json.dumps({"subject": "drones", "measure": next(answers), "place": None})

    ctx, _ = figures()
    [n72] = [n for n in find_numbers(ctx.article.text, ctx.sentences) if n.text == "72"]
    llm = fake_llm(answer)
    claim = classify_figure(ctx, n72, llm)
    assert claim is not None and claim.measure == Measure.GOT_THROUGH
    assert llm.usage.calls == calls


@pytest.mark.parametrize(
    "text",
    [
        "Nine people were sent to hospital.",
        "The strike caused $2 million in damage.",
        "More than 100 medics treated the wounded.",
        "Twelve of the injured were taken to hospital.",
    ],
)
def test_a_measure_word_that_belongs_to_something_else_overrules_nothing(text: str) -> None:
    ctx = ArticleContext.of(parse_article(text, article_id="m"))
    assert [own_measure(ctx, n) for n in find_numbers(ctx.article.text, ctx.sentences)] == [None]
