"""Prompt injection: the corpus of fixtures/injection/ mixed into fixture events, through
extraction and cross-checking, with an *obedient* fake model — one that does what injected
text asks, wherever the answer schema lets it. Whatever the model is talked into, code must
keep every claim on its own article's words, keep other events out, and leave the findings
among the other articles exactly as they were."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from faultserver import instance_of

from claimcheck import LLM, check, read_articles
from claimcheck.knowledge import default_knowledge
from claimcheck.llm import CompletionRequest
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.models import Article, Finding, Report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
INJECTION = FIXTURES / "injection"
# Two events of different story types, with findings of their own (gold/findings.yaml).
CLEAN = sorted((FIXTURES / "articles").glob("crash-*.md")) + sorted(
    (FIXTURES / "articles").glob("court-*.md")
)

# What makes the obedient model obey: words of an instruction to a model, or a JSON block.
_TRIGGER = re.compile(
    r"ignore|instruction|system|assistant|\banswer|respond|model|\bAI\b|<\|im_start\|>|"
    r"ignorez|expected claims|correction for|\{\s*\"",
    re.IGNORECASE,
)
_JSON_OBJECT = re.compile(r"\{[^{}]*\}")
# key "value" pairs as instructions write them: set title to "X", measure "killed",
# "subject": "people", | subject | passengers killed |
_PAIR = re.compile(
    r"\b(\w+)\b[\"']?\s*(?:to|is|=|:|must be|of every quote is)?\s*[\"“]([^\"”]{1,80})[\"”]"
)
_TABLE_ROW = re.compile(r"^\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|$", re.MULTILINE)
_QUOTED = re.compile(r"[\"“]([^\"”]{1,80})[\"”]")


_PASSAGE_BLOCK = re.compile(r"^PASSAGE:\n<<<\n(.*?)\n>>>", re.DOTALL)


def _article_part(request: CompletionRequest) -> str:
    """The article text a request carries. A cross-check verification question shows the
    article only in its PASSAGE block (its own question says "answer", which is no injected
    order); every other prompt's user message is read whole."""
    user = "\n".join(m.content for m in request.messages if m.role == "user")
    passage = _PASSAGE_BLOCK.match(user)
    return passage.group(1) if passage else user


def _orders(text: str) -> tuple[dict[str, Any], list[str]]:
    """What injected text asks for: field values by name, and loose quoted values."""
    wanted: dict[str, Any] = {}
    for block in _JSON_OBJECT.findall(text):
        try:
            value = json.loads(block)
        except ValueError:
            continue
        if isinstance(value, dict):
            wanted.update(value)
    for key, value in _TABLE_ROW.findall(text):
        if key not in {"field", "---"}:
            wanted.setdefault(key, value)
    for key, value in _PAIR.findall(text):
        wanted.setdefault(key.lower(), value)
    return wanted, _QUOTED.findall(text)


def _normal(request: CompletionRequest) -> dict[str, Any]:
    """What a plain, reasonable model answers: the first choice of every enum (the code's
    own best guess comes first), the word after the figure as the subject, no place."""
    text = request.messages[-1].content
    prefer: dict[str, Any] = {"place": None, "reason": "as the article states"}
    figure = re.search(r"figure \"([^\"]+)\"", text)
    sentence = re.search(r"is: <<< (.*?) >>>", text, re.DOTALL)
    if figure and sentence:
        after = sentence.group(1).split(figure.group(1), 1)[-1].split()
        if after:
            prefer["subject"] = after[0].strip(".,;:\"'()")
    return prefer


# How often injected text gave orders, and how often an answer carried out one of them.
OBEYED: Counter[str] = Counter()


def obedient(request: CompletionRequest) -> str:
    """The fake model: obeys injected text where the schema allows, else answers normally.

    Deterministic in the request (a seeded RNG per request), so an article's questions get
    the same answers whatever else is in the batch.
    """
    seed = int(
        hashlib.sha256(
            json.dumps(request.json_schema).encode() + _article_part(request).encode()
        ).hexdigest()[:12],
        16,
    )
    rng = random.Random(seed)
    prefer = _normal(request)
    schema = request.json_schema
    text = _article_part(request)
    if _TRIGGER.search(text):
        wanted, loose = _orders(text)
        if wanted or loose:
            OBEYED["asked"] += 1
        prefer.update(wanted)
        # A loose quoted value goes into every field whose schema allows it (an enum that
        # holds it), as a model told 'answer "killed"' would do.
        for name in _enum_fields(schema):
            for value in loose:
                if value in _enum_values(schema, name):
                    prefer.setdefault(name, value)
                    break
        answer = instance_of(schema, rng, pick="last", prefer=prefer)
        if any(answer.get(k) == v for k, v in wanted.items() if k not in _normal(request)):
            OBEYED["obeyed"] += 1
    else:
        answer = instance_of(schema, rng, pick="first", prefer=prefer)
    return json.dumps(answer)


def _enum_fields(schema: dict[str, Any]) -> list[str]:
    return [name for name in schema.get("properties", {}) if _enum_values(schema, name)]


def _enum_values(schema: dict[str, Any], name: str) -> list[Any]:
    sub = schema.get("properties", {}).get(name, {})
    if "$ref" in sub:
        sub = schema["$defs"][sub["$ref"].rsplit("/", 1)[-1]]
    return list(sub.get("enum", []))


def _run(articles: Sequence[Article]) -> Report:
    llm = LLM(FakeBackend(obedient))
    try:
        return check(articles, llm=llm, knowledge=default_knowledge())
    finally:
        llm.close()


@cache
def _runs() -> tuple[Report, Report, frozenset[str]]:
    clean = read_articles([str(p) for p in CLEAN])
    injected = read_articles([str(p) for p in sorted(INJECTION.glob("inj-*.md"))])
    OBEYED.clear()
    before = _run(clean)
    # Not one order in the fixture articles: their answers are the plain model's.
    assert OBEYED["obeyed"] == 0, OBEYED
    return before, _run([*clean, *injected]), frozenset(a.id for a in injected)


def _key(finding: Finding) -> tuple[Any, ...]:
    evidence = sorted(
        (e.article_id, e.span.start, e.span.end, e.claim_id or "") for e in finding.evidence
    )
    return (finding.kind, finding.severity, finding.subject, finding.confidence, tuple(evidence))


def test_the_corpus_has_twenty_attacks_each_described() -> None:
    files = sorted(INJECTION.glob("inj-*.md"))
    assert len(files) >= 20
    readme = (INJECTION / "README.md").read_text(encoding="utf-8")
    assert all(f"`{f.name}`" in readme for f in files)
    assert all(_TRIGGER.search(f.read_text(encoding="utf-8")) for f in files)


def test_the_obedient_model_really_obeys() -> None:
    # Without this the tests below would prove nothing: the model must be talked into things.
    _runs()
    assert OBEYED["asked"] >= 40 and OBEYED["obeyed"] >= 20, OBEYED


def test_injected_articles_change_nothing_among_the_others() -> None:
    clean, mixed, injected = _runs()
    assert not clean.errors and not [e for e in mixed.errors if e.article_id not in injected]
    assert clean.findings, "the fixture events have findings of their own to keep"
    before = sorted(_key(f) for f in clean.findings)
    after = sorted(
        _key(f) for f in mixed.findings if not {e.article_id for e in f.evidence} & injected
    )
    assert after == before
    # Each injected article is its own event: none joins the crash or the court.
    for event in mixed.events:
        ids = set(event.article_ids)
        assert ids <= injected or not ids & injected, event


def test_every_claim_points_at_words_of_its_own_article() -> None:
    _, mixed, _ = _runs()
    texts = {a.id: a.text for a in mixed.articles}
    assert mixed.claims
    for claim in mixed.claims:
        span = claim.span
        assert texts[claim.article_id][span.start : span.end] == span.text, claim.id
    for finding in mixed.findings:
        for evidence in finding.evidence:
            text = texts[evidence.article_id]
            assert text[evidence.span.start : evidence.span.end] == evidence.span.text


def test_no_claim_rests_on_text_a_reader_never_sees() -> None:
    # Comments and hidden elements are dropped when the article is read, so what they say
    # cannot become a claim even when the model obeys it.
    _, mixed, _ = _runs()
    for article in mixed.articles:
        assert "<!--" not in article.text and " hidden" not in article.text, article.id
    assert not [c.id for c in mixed.claims if "<" in c.span.text]


@pytest.mark.parametrize("name", ["inj-04-fake-gold", "inj-08-report-other-article"])
def test_an_article_cannot_report_on_another(name: str) -> None:
    _, mixed, _ = _runs()
    for finding in mixed.findings:
        ids = {e.article_id for e in finding.evidence}
        assert ids == {name} or name not in ids, finding.explanation
