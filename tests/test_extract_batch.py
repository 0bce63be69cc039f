"""Batched questions (claimcheck/extract/batch.py) with a scripted backend.

The same answer policy serves single and batched requests, so the two paths must give the
same claims; what changes is how many calls the fake sees.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from claimcheck.errors import ConfigError
from claimcheck.extract import extract_claims
from claimcheck.extract.batch import (
    ENV_BATCH,
    ask_claims,
    batch_model,
    batch_size_from_env,
    chunks,
)
from claimcheck.extract.candidates import find_quotes
from claimcheck.extract.context import ArticleContext
from claimcheck.extract.facts import fact_candidates, fact_options
from claimcheck.extract.figure_background import figures_to_ask
from claimcheck.extract.kind import Slot
from claimcheck.extract.quantities import FIGURES, figure_answer_model, measure_values
from claimcheck.extract.quotes import code_speaker, speaker_options
from claimcheck.extract.roles import title_candidates
from claimcheck.ingest import parse_article, read_articles
from claimcheck.llm import LLM, CompletionRequest, tally
from claimcheck.models import Article, QuantityClaim

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
# One article per story type with candidates of every kind (figures, quotes, titles, facts).
ARTICLES = ("jun06-a", "court-a", "rc2-a", "vote-a")

SINGLE = {"FigureAnswer": "F", "QuoteAnswer": "Q", "TitleAnswer": "P", "FactAnswer": "S"}
BATCHED = {"FigureBatch": "F", "QuoteBatch": "Q", "TitleBatch": "P", "FactBatch": "S"}
FIELD = {"F": "measure", "Q": "speaker", "P": "title", "S": "target"}
_LINE = re.compile(r"^([FQPS]\d+): (.*)$")


@pytest.fixture(autouse=True)
def _batch_env_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_BATCH, raising=False)


def _article(name: str) -> Article:
    [article] = read_articles([FIXTURES / f"{name}.md"])
    return article


def _enum(schema: dict[str, Any], model: dict[str, Any], field: str) -> list[str]:
    prop = model["properties"][field]
    ref = prop.get("$ref") or prop["allOf"][0]["$ref"]
    values: list[str] = schema["$defs"][ref.split("/")[-1]]["enum"]
    return values


_FUNCTION = frozenset("of the a an and or to in on at by for from with as than".split())  # noqa: SIM905


def _subject(figure: str, sentence: str) -> str:
    """The policy's subject: the first content word after the figure in its sentence, else
    the nearest before it."""
    before, after = sentence.split(figure, 1)
    words: list[str] = [
        w
        for w in re.findall(r"[\w'-]+", after) + re.findall(r"[\w'-]+", before)[::-1]
        if w[0].isalpha() and w.lower() not in _FUNCTION
    ]
    return words[0]


def _answer(kind: str, options: list[str], figure: str = "", sentence: str = "") -> dict[str, Any]:
    """One policy for every question, asked alone or batched: the first option offered."""
    if kind == "F":
        return {"subject": _subject(figure, sentence), "measure": options[0], "place": None}
    return {FIELD[kind]: options[0]}


def _single(request: CompletionRequest) -> dict[str, Any]:
    schema = request.json_schema
    kind = SINGLE[request.schema_name]
    field = FIELD[kind]
    options = _enum(schema, schema, field)
    if kind != "F":
        return _answer(kind, options)
    asked = request.messages[1].content.split("QUESTION:")[1]
    figure = re.search(r'figure "([^"]+)"', asked)
    sentence = re.search(r"is: <<< (.*) >>>", asked)
    assert figure is not None and sentence is not None
    return _answer(kind, options, figure.group(1), sentence.group(1))


def _lines(prompt: str) -> dict[str, tuple[str, str]]:
    """Each label's line and the sentence shown above it (the last wins: the real items
    come after the prompt's example)."""
    found = {}
    sentence = ""
    for line in prompt.split("QUESTIONS:")[1].splitlines():
        header = re.match(r"Sentence \[\d+\]: <<< (.*) >>>$", line)
        if header is not None:
            sentence = header.group(1)
        labelled = _LINE.match(line)
        if labelled is not None:
            found[labelled.group(1)] = (labelled.group(2), sentence)
    return found


def _batched(request: CompletionRequest) -> dict[str, Any]:
    schema = request.json_schema
    kind = BATCHED[request.schema_name]
    lines = _lines(request.messages[1].content)
    out = {}
    for label, prop in schema["properties"].items():
        model = schema["$defs"][prop["$ref"].split("/")[-1]]
        options = _enum(schema, model, FIELD[kind])
        line, sentence = lines[label]
        figure = re.match(r'the figure "([^"]+)"', line)
        out[label] = _answer(kind, options, figure.group(1) if figure else "", sentence)
    return out


def policy(request: CompletionRequest) -> str:
    if request.schema_name in SINGLE:
        return json.dumps(_single(request))
    assert request.schema_name in BATCHED, request.schema_name
    return json.dumps(_batched(request))


def _names(llm: LLM) -> Counter[str]:
    return Counter(r.schema_name for r in llm.backend.requests)  # type: ignore[attr-defined]


def _claims(result: Any) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in result.claims]


@pytest.mark.parametrize("name", ARTICLES)
def test_batched_answers_give_the_same_claims_in_fewer_calls(
    fake_llm: Callable[..., LLM], name: str
) -> None:
    article = _article(name)
    single = fake_llm(policy)
    one_by_one = extract_claims(article, single, batch=0)
    batched = fake_llm(policy)
    together = extract_claims(article, batched, batch=3)

    assert _claims(together) == _claims(one_by_one)
    assert one_by_one.claims  # a comparison of two empty lists would prove nothing

    ctx = ArticleContext.of(article)
    assert len(ctx.sentences) <= 40  # one window: chunks are counted per article
    # A quotation is asked about when code cannot read its speaker and the model has a
    # choice (a list of only "unknown" is no choice).
    quotes_asked = [
        q
        for q in find_quotes(article.text, ctx.sentences)
        if code_speaker(ctx, q) == (None, None) and len(speaker_options(ctx, q) or []) > 1
    ]
    facts_asked = [c for c in fact_candidates(ctx) if fact_options(ctx, c)]
    wanted = {
        "FigureBatch": math.ceil(len(figures_to_ask(ctx)) / 3),
        "QuoteBatch": math.ceil(len(quotes_asked) / 3),
        "TitleBatch": math.ceil(len(title_candidates(ctx)) / 3),
        "FactBatch": math.ceil(len(facts_asked) / 3),
    }
    seen = _names(batched)
    assert {k: seen[k] for k in wanted} == wanted
    # Every batched answer passed its check: the only single questions left are the recall
    # guard's follow-ups, asked alone on both paths.
    followups = _names(single)["FigureAnswer"] - len(figures_to_ask(ctx))
    assert seen["FigureAnswer"] == followups
    assert not seen["QuoteAnswer"] + seen["TitleAnswer"] + seen["FactAnswer"]
    assert sum(seen.values()) < sum(_names(single).values())


def test_calls_per_type_go_from_n_to_ceil_n_over_k(fake_llm: Callable[..., LLM]) -> None:
    article = _article("rc3-a")
    ctx = ArticleContext.of(article)
    n = len(figures_to_ask(ctx))
    assert n >= 7
    for size in (1, 2, 4, n):
        llm = fake_llm(policy)
        ask_claims(FIGURES, ctx, figures_to_ask(ctx), llm, size=size)
        assert _names(llm) == Counter({"FigureBatch": math.ceil(n / size)})


RAW = (
    "date 2025-03-02\n"
    "At least 7 people were injured in Odesa on Sunday, officials said. "
    "Drones hit a power station and damaged 12 homes. "
    "Police detained 3 suspects near the port."
)


def test_a_slot_that_fails_its_check_is_asked_again_alone(fake_llm: Callable[..., LLM]) -> None:
    article = parse_article(RAW, article_id="odesa")
    ctx = ArticleContext.of(article)
    assert [n.text for n in ctx.numbers] == ["7", "12", "3"]

    def respond(request: CompletionRequest) -> str:
        if request.schema_name == "FigureBatch":
            answer = _batched(request)
            answer["F2"]["subject"] = "tanks"  # not in sentence [2]: the check rejects it
            return json.dumps(answer)
        return policy(request)

    llm = fake_llm(respond)
    claims = ask_claims(FIGURES, ctx, ctx.numbers, llm, size=6)
    requests: list[CompletionRequest] = llm.backend.requests  # type: ignore[attr-defined]
    assert [r.schema_name for r in requests] == ["FigureBatch", "FigureAnswer"]
    assert 'figure "12"' in requests[1].messages[1].content  # only the failed slot
    assert all(isinstance(c, QuantityClaim) for c in claims)
    assert [c.subject for c in claims if c is not None] == ["people", "homes", "suspects"]

    alone = fake_llm(policy)
    assert [c.model_dump() for c in claims if c] == [
        c.model_dump() for c in ask_claims(FIGURES, ctx, ctx.numbers, alone, size=1) if c
    ]


def test_a_batch_the_model_cannot_answer_falls_back_to_single_questions(
    fake_llm: Callable[..., LLM],
) -> None:
    article = parse_article(RAW, article_id="odesa")
    ctx = ArticleContext.of(article)

    def respond(request: CompletionRequest) -> str:
        if request.schema_name == "FigureBatch":
            return '{"F1": {"subject": "people"'  # cut off: never valid
        return policy(request)

    llm = fake_llm(respond, max_reasks=1)
    claims = ask_claims(FIGURES, ctx, ctx.numbers, llm, size=6)
    assert _names(llm) == Counter({"FigureBatch": 2, "FigureAnswer": 3})
    assert [c.value for c in claims if c is not None] == [7, 12, 3]


def _figure_model(values: list[str], suffix: str) -> type[BaseModel]:
    return figure_answer_model(values, suffix=suffix)


def test_the_batched_schema_is_bounded_with_each_slots_own_options() -> None:
    article = parse_article(RAW, article_id="odesa")
    ctx = ArticleContext.of(article)
    values = [measure_values(ctx, n) for n in ctx.numbers]
    assert values[0] != values[2]  # injured vs detained: the options differ per figure
    slots: list[Slot[None]] = [
        Slot(
            sentence=n.sentence,
            text="",
            model=partial(_figure_model, v),
            claim=lambda answer: None,
        )
        for n, v in zip(ctx.numbers, values, strict=True)
    ]
    schema = batch_model(FIGURES.batch, slots).model_json_schema()
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == ["F1", "F2", "F3"]
    assert schema["required"] == ["F1", "F2", "F3"]
    for label, offered in zip(("F1", "F2", "F3"), values, strict=True):
        model = schema["$defs"][schema["properties"][label]["$ref"].split("/")[-1]]
        assert model["additionalProperties"] is False
        assert model["properties"]["subject"]["maxLength"] == 40
        assert _enum(schema, model, "measure") == offered


def test_the_batched_prompt_keeps_the_single_prompts_article_prefix(
    fake_llm: Callable[..., LLM],
) -> None:
    article = parse_article(RAW, article_id="odesa")
    llm = fake_llm(policy)
    extract_claims(article, llm, batch=4)
    requests: list[CompletionRequest] = llm.backend.requests  # type: ignore[attr-defined]
    single = fake_llm(policy)
    extract_claims(article, single, batch=0)
    alone: list[CompletionRequest] = single.backend.requests  # type: ignore[attr-defined]
    prefixes = {
        (r.messages[0].content, r.messages[1].content.split("QUESTION")[0])
        for r in [*requests, *alone]
    }
    assert len(prefixes) == 1  # llama.cpp reuses the article's prompt cache across both


def test_chunks_are_balanced_and_ceil_n_over_k() -> None:
    assert chunks([], 6) == []
    assert [len(c) for c in chunks(list(range(7)), 6)] == [4, 3]
    assert [len(c) for c in chunks(list(range(12)), 6)] == [6, 6]
    assert [len(c) for c in chunks(list(range(5)), 1)] == [1] * 5
    assert [i for c in chunks(list(range(13)), 4) for i in c] == list(range(13))


def test_the_switch_reads_claimcheck_batch(
    monkeypatch: pytest.MonkeyPatch, fake_llm: Callable[..., LLM]
) -> None:
    assert batch_size_from_env() == 0
    monkeypatch.setenv(ENV_BATCH, "4")
    assert batch_size_from_env() == 4
    article = parse_article(RAW, article_id="odesa")
    llm = fake_llm(policy)
    extract_claims(article, llm)  # batch=None: the environment decides
    assert _names(llm)["FigureBatch"] == 1
    off = fake_llm(policy)
    extract_claims(article, off, batch=0)  # an explicit option wins over the environment
    assert _names(off)["FigureBatch"] == 0 and _names(off)["FigureAnswer"] == 3
    for bad in ("six", "-1"):
        monkeypatch.setenv(ENV_BATCH, bad)
        with pytest.raises(ConfigError, match=ENV_BATCH if bad == "six" else "0 \\(off\\)"):
            batch_size_from_env()
    with pytest.raises(ConfigError):
        extract_claims(article, off, batch=-2)


def test_run_health_counts_one_question_per_candidate(fake_llm: Callable[..., LLM]) -> None:
    """A batch the model cannot answer is not a failed question when its slots are then
    answered alone; an accepted slot counts as one answered question."""
    article = parse_article(RAW, article_id="odesa")
    ctx = ArticleContext.of(article)

    def broken(request: CompletionRequest) -> str:
        return "{" if request.schema_name == "FigureBatch" else policy(request)

    for responder, singles in ((policy, 0), (broken, 3)):
        llm = fake_llm(responder, max_reasks=0)
        with tally() as questions:
            ask_claims(FIGURES, ctx, ctx.numbers, llm, size=6)
        assert _names(llm)["FigureAnswer"] == singles
        assert (questions.asked, questions.answered, questions.failed) == (3, 3, 0)
        assert questions.asked_by_prompt == {"extract_quantity": 3}
        assert questions.unhealthy() is None
