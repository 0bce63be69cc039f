"""The composer: ordering, bounded concurrency, failure isolation, resume from cache, verify.

The stages are replaced by small stand-ins passed as parameters (``extractor=``,
``checker=``); the stand-in extractor goes through a real ``LLM`` over ``FakeBackend`` so
usage, caching and re-asking run the production code path.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from test_crosscheck import make_item

from claimcheck.crosscheck import cross_check
from claimcheck.errors import (
    BackendUnavailable,
    ConfigError,
    InputError,
    PromptError,
    StructuredOutputError,
    TransientError,
)
from claimcheck.ingest import read_articles
from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM, CompletionRequest
from claimcheck.llm.backends.fake import FakeBackend, Responder
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.prompts import render
from claimcheck.models import (
    Article,
    ArticleClaims,
    Event,
    Evidence,
    Finding,
    FindingKind,
    Measure,
    QuantityClaim,
    Report,
    Severity,
)
from claimcheck.pipeline import (
    CROSSCHECK_ERROR_ID,
    CrossCheckOutcome,
    ProgressEvent,
    acheck,
    aextract,
    check,
    compare,
    extract,
    read_grouping,
    verify,
)


class Figure(BaseModel):
    """What the stand-in extractor asks the fake model for: one figure and its words."""

    value: int
    words: str


def llm_extractor(article: Article, llm: LLM) -> ArticleClaims:
    """Stand-in extraction: one LLM call per article, grounded like the real stage (whose
    prompts carry the article's text, so a corrected article is a new question)."""
    figure = llm.parse(Figure, render("reask", error=f"article={article.id} {article.text}"))
    start = article.text.index(figure.words)
    claim = QuantityClaim(
        id=f"{article.id}:1",
        article_id=article.id,
        span=article.span(start, start + len(figure.words)),
        value=figure.value,
        subject="people",
        measure=Measure.INJURED,
    )
    return ArticleClaims(article=article, claims=(claim,))


def answer_from_text(articles: Sequence[Article]) -> Responder:
    """A fake model that reads the article id from the prompt and answers its figure."""
    by_id = {a.id: a for a in articles}

    def respond(request: CompletionRequest) -> str:
        found = re.search(r"article=(\S+)", request.messages[0].content)
        assert found is not None
        article = by_id[found.group(1)]
        match = re.search(r"(\d+) people", article.text)
        if match is None:
            return "not json at all"
        return Figure(value=int(match.group(1)), words=match.group(0)).model_dump_json()

    return respond


def figure_checker(
    items: Sequence[ArticleClaims],
    *,
    llm: LLM | None = None,
    knowledge: object = None,
    as_of: dt.date | None = None,
    grouping: Mapping[str, str] | None = None,
    model_knowledge: bool = False,
) -> Report:
    """Stand-in cross-check: one event; a discrepancy between every two differing figures."""
    event = Event(id="e1", article_ids=tuple(i.article.id for i in items), label="one event")
    claims = [c for i in items for c in i.claims if isinstance(c, QuantityClaim)]
    findings = []
    for n, a in enumerate(claims):
        for b in claims[n + 1 :]:
            if a.value != b.value:
                findings.append(
                    Finding(
                        id=f"f-{a.id}-{b.id}",
                        kind=FindingKind.DISCREPANCY,
                        severity=Severity.HIGH,
                        confidence=0.9,
                        explanation=f"{a.value:g} vs {b.value:g} injured",
                        evidence=(
                            Evidence(article_id=a.article_id, span=a.span, claim_id=a.id),
                            Evidence(
                                article_id=b.article_id,
                                span=b.span,
                                claim_id=b.id,
                                says=f"{b.value:g} injured",
                            ),
                        ),
                        event_id="e1",
                    )
                )
    return Report(events=(event,), findings=tuple(findings))


ARTICLES = [
    Article(id="a1", text="Officials counted 12 people hurt in the overnight strike."),
    Article(id="a2", text="By morning, 15 people hurt were reported by the city."),
    Article(id="a3", text="The city reported 12 people hurt after the raid."),
]


def make_llm(articles: Sequence[Article], cache: ResponseCache | None = None) -> LLM:
    return LLM(FakeBackend(answer_from_text(articles)), cache=cache)


def test_check_composes_extraction_and_cross_check() -> None:
    llm = make_llm(ARTICLES)
    report = check(ARTICLES, llm=llm, extractor=llm_extractor, checker=figure_checker)
    assert [a.id for a in report.articles] == ["a1", "a2", "a3"]
    assert [c.id for c in report.claims] == ["a1:1", "a2:1", "a3:1"]
    assert all(
        c.span.matches(next(a for a in ARTICLES if a.id == c.article_id).text)
        for c in report.claims
    )
    assert {f.id for f in report.findings} == {"f-a1:1-a2:1", "f-a2:1-a3:1"}
    assert report.events[0].article_ids == ("a1", "a2", "a3")
    assert report.usage.calls == 3
    assert report.usage.prompt_tokens > 0
    assert report.model == "fake-model"
    assert report.errors == ()


def test_usage_counts_only_this_run() -> None:
    llm = make_llm(ARTICLES)
    check(ARTICLES[:1], llm=llm, extractor=llm_extractor, checker=figure_checker)
    second = check(ARTICLES[1:], llm=llm, extractor=llm_extractor, checker=figure_checker)
    assert second.usage.calls == 2
    assert llm.usage.calls == 3


def test_calls_spent_cross_checking_are_reported_apart() -> None:
    def asking_checker(items: Sequence[ArticleClaims], **options: Any) -> Report:
        llm = options["llm"]
        for item in items[:2]:  # two questions, as a checker judging two pairs would
            llm.parse(Figure, render("reask", error=f"article={item.article.id}"))
        return figure_checker(items, **options)

    llm = make_llm(ARTICLES)
    report = check(ARTICLES, llm=llm, extractor=llm_extractor, checker=asking_checker)
    assert report.usage.calls == 5
    assert report.crosscheck_usage.calls == 2
    # A cross-check alone spends only on cross-checking.
    items = [llm_extractor(a, llm) for a in ARTICLES]
    alone = compare(items, llm=llm, checker=asking_checker)
    assert alone.usage.calls == alone.crosscheck_usage.calls == 2


def test_failed_article_is_reported_and_the_run_goes_on() -> None:
    broken = Article(id="broken", text="No figure in this one at all.")
    articles = [ARTICLES[0], broken, ARTICLES[1]]
    llm = make_llm(articles)
    report = check(articles, llm=llm, extractor=llm_extractor, checker=figure_checker)
    assert [a.id for a in report.articles] == ["a1", "broken", "a2"]
    assert [c.article_id for c in report.claims] == ["a1", "a2"]
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.article_id == "broken"
    assert error.error == "StructuredOutputError"
    assert "did not fit" in error.message
    assert report.failed_ids() == {"broken"}
    # one call for each good article, three (ask + two re-asks) for the broken one
    assert report.usage.calls == 5
    assert report.usage.reasks == 2


def test_an_endpoint_that_goes_away_stops_the_run_with_a_partial_report() -> None:
    """A dropped endpoint (or an open circuit breaker) stops asking, but the articles done
    are reported and every one left is named with the reason: nothing is lost silently."""
    calls: list[str] = []

    def gone_after_one(article: Article, llm: LLM) -> ArticleClaims:
        calls.append(article.id)
        if len(calls) > 1:
            raise BackendUnavailable("http://127.0.0.1:9/v1 is unreachable; is it running?")
        return llm_extractor(article, llm)

    llm = make_llm(ARTICLES)
    report = check(ARTICLES, llm=llm, extractor=gone_after_one, checker=figure_checker)
    assert calls == ["a1", "a2"]  # a3 was never started
    assert [c.article_id for c in report.claims] == ["a1"]
    assert [e.article_id for e in report.errors] == ["a2", "a3"]
    assert "unreachable" in report.errors[0].message
    assert report.errors[1].message.startswith("not checked: the run stopped asking the model")


def test_the_circuit_breaker_stops_asking_a_failing_endpoint() -> None:
    asked: list[int] = []

    def always_503(request: CompletionRequest) -> str:
        asked.append(1)
        raise TransientError("http://127.0.0.1:9/v1 kept failing (503) after 5 attempts")

    llm = LLM(FakeBackend(always_503), circuit_breaker=3)
    articles = [Article(id=f"n{i}", text=f"{i} people hurt.") for i in range(10)]
    report = check(articles, llm=llm, extractor=llm_extractor, checker=figure_checker)
    assert len(asked) == 3  # then the breaker opened: no more requests
    assert [e.article_id for e in report.errors] == [a.id for a in articles]
    assert "stopped asking" in report.errors[3].message
    assert report.usage.failed_requests == 3


@pytest.mark.parametrize(
    "fatal",
    [
        ConfigError("--local-model runs the embedded server; drop one of them"),
        PromptError("no prompt template 'extract_quantity'; reinstall the package"),
    ],
)
def test_fatal_error_stops_the_run(fatal: Exception) -> None:
    calls: list[str] = []

    def unreachable(article: Article, llm: LLM) -> ArticleClaims:
        calls.append(article.id)
        raise fatal

    with pytest.raises(type(fatal)):
        check(ARTICLES, llm=make_llm(ARTICLES), extractor=unreachable, checker=figure_checker)
    assert calls == ["a1"]


def test_a_cancelled_run_does_not_wait_for_calls_in_flight() -> None:
    """Ctrl-C cancels the run; it must end while a slow call is still out, not after it."""
    entered = threading.Event()
    release = threading.Event()
    running = threading.Event()

    def slow(article: Article, llm: LLM) -> ArticleClaims:
        running.set()
        entered.set()
        release.wait(30)  # a call stuck on a slow endpoint
        running.clear()
        return llm_extractor(article, llm)

    async def cancel_midway() -> bool:
        run = asyncio.ensure_future(aextract(ARTICLES, llm=make_llm(ARTICLES), extractor=slow))
        await asyncio.to_thread(entered.wait, 30)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        return running.is_set()

    try:
        still_out = asyncio.run(cancel_midway())
    finally:
        release.set()
    assert still_out


@pytest.mark.parametrize("width", [2, 40])
def test_concurrency_runs_articles_side_by_side_and_is_bounded(width: int) -> None:
    """``width`` workers must be inside at once to pass the barrier (40 exceeds the default
    executor's thread count, min(32, CPUs + 4), anywhere); more than ``width`` never are."""
    articles = [Article(id=f"n{i}", text=f"Here {i} people hurt.") for i in range(3 * width)]
    barrier = threading.Barrier(width, timeout=10)
    lock = threading.Lock()
    active = 0
    peak = 0

    def meeting(article: Article, llm: LLM) -> ArticleClaims:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        barrier.wait()
        with lock:
            active -= 1
        return ArticleClaims(article=article)

    report = check(
        articles,
        llm=make_llm(articles),
        extractor=meeting,
        checker=figure_checker,
        concurrency=width,
    )
    assert report.errors == ()
    assert peak == width
    assert [a.id for a in report.articles] == [a.id for a in articles]


def test_concurrency_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        check(ARTICLES, llm=make_llm(ARTICLES), extractor=llm_extractor, concurrency=0)


def test_progress_reports_every_article_and_the_cross_check() -> None:
    broken = Article(id="broken", text="Nothing countable.")
    articles = [*ARTICLES[:2], broken]
    events: list[ProgressEvent] = []
    check(
        articles,
        llm=make_llm(articles),
        extractor=llm_extractor,
        checker=figure_checker,
        progress=events.append,
    )
    extract_events = [e for e in events if e.stage == "extract"]
    assert sorted((e.article_id, e.status) for e in extract_events) == [
        ("a1", "done"),
        ("a1", "started"),
        ("a2", "done"),
        ("a2", "started"),
        ("broken", "failed"),
        ("broken", "started"),
    ]
    finished = [e.completed for e in extract_events if e.status != "started"]
    assert finished == [1, 2, 3]
    assert all(e.total == 3 for e in extract_events)
    failed = next(e for e in extract_events if e.status == "failed")
    assert failed.error is not None and "did not fit" in failed.error
    assert [(e.stage, e.status) for e in events[-2:]] == [
        ("compare", "started"),
        ("compare", "done"),
    ]


def test_rerun_resumes_from_the_cache(tmp_path: Path) -> None:
    store = ResponseCache(tmp_path / "cache")
    broken = Article(id="late", text="The figure is not known yet.")
    articles = [ARTICLES[0], broken]
    first = check(
        articles, llm=make_llm(articles, store), extractor=llm_extractor, checker=figure_checker
    )
    assert first.failed_ids() == {"late"}

    fixed = Article(id="late", text="Later 14 people hurt were confirmed.")
    again = [ARTICLES[0], fixed]
    second = check(
        again, llm=make_llm(again, store), extractor=llm_extractor, checker=figure_checker
    )
    assert second.errors == ()
    assert second.usage.cache_hits == 1  # a1 is not asked again
    assert second.usage.calls == 1  # only the article that failed before
    store.close()


def test_compare_makes_no_llm_call_without_llm() -> None:
    llm = make_llm(ARTICLES)
    items = extract(ARTICLES, llm=llm, extractor=llm_extractor)
    report = compare(items, checker=figure_checker)
    assert report.usage.calls == 0
    assert report.model is None
    assert len(report.findings) == 2
    assert [a.id for a in report.articles] == ["a1", "a2", "a3"]


def test_model_knowledge_is_off_unless_asked_and_reaches_the_cross_check() -> None:
    seen: list[bool] = []

    def recording(items: Sequence[ArticleClaims], **options: Any) -> Report:
        seen.append(options["model_knowledge"])
        return figure_checker(items, **options)

    draft, sources = ARTICLES[0], ARTICLES[1:]
    check(ARTICLES, llm=make_llm(ARTICLES), extractor=llm_extractor, checker=recording)
    check(
        ARTICLES,
        llm=make_llm(ARTICLES),
        extractor=llm_extractor,
        checker=recording,
        model_knowledge=True,
    )
    verify(
        draft,
        sources,
        llm=make_llm(ARTICLES),
        extractor=llm_extractor,
        checker=recording,
        model_knowledge=True,
    )
    assert seen == [False, True, True]


def test_compare_with_model_knowledge_asks_only_about_titles_knowledge_leaves_open() -> None:
    """The real cross-check: Kuleba's title is settled by the list, Vance's is asked once."""

    def answer(request: CompletionRequest) -> str:
        assert request.schema_name == "TitleAnswer"
        return json.dumps({"reason": "Kamala Harris held that post then.", "answer": "no"})

    kuleba = {
        "type": "role",
        "span": "Foreign Minister Dmytro Kuleba",
        "person": "Dmytro Kuleba",
        "title": "Foreign Minister",
        "office": "foreign minister",
        "jurisdiction": "Ukraine",
    }
    vance = {
        "type": "role",
        "span": "Vice President JD Vance",
        "person": "JD Vance",
        "title": "Vice President",
    }
    day = dt.date(2023, 5, 1)
    text = "Foreign Minister Dmytro Kuleba met Vice President JD Vance."
    items = [make_item(a, text, [kuleba, vance], published=day) for a in ("p1", "p2")]
    fake = FakeBackend(answer)
    llm = LLM(fake)
    report = compare(items, llm=llm, knowledge=KnowledgeBase.load(), model_knowledge=True)
    assert report.usage.calls == 1
    assert "JD Vance" in fake.requests[0].messages[-1].content
    model_based = [f for f in report.findings if f.basis.value == "model"]
    assert [f.subject for f in model_based] == ["JD Vance", "JD Vance"]
    assert all(f.severity is Severity.LOW for f in model_based)
    plain = compare(items, llm=llm, knowledge=KnowledgeBase.load())
    assert plain.usage.calls == 0
    assert not [f for f in plain.findings if f.basis.value == "model"]


def test_model_knowledge_without_an_llm_is_a_config_error() -> None:
    items = extract(ARTICLES, llm=make_llm(ARTICLES), extractor=llm_extractor)
    with pytest.raises(ConfigError, match="needs an llm"):
        compare(items, model_knowledge=True)


def test_extract_leaves_out_failed_articles() -> None:
    broken = Article(id="broken", text="No figure.")
    articles = [broken, ARTICLES[0]]
    items = extract(articles, llm=make_llm(articles), extractor=llm_extractor)
    assert [i.article.id for i in items] == ["a1"]


def test_verify_keeps_only_findings_about_the_draft_with_what_sources_say() -> None:
    draft = Article(id="draft", text="Our copy: 15 people hurt in the strike.")
    sources = [ARTICLES[0], ARTICLES[2], Article(id="a4", text="Elsewhere 30 people hurt.")]
    everything = [draft, *sources]
    report = verify(
        draft, sources, llm=make_llm(everything), extractor=llm_extractor, checker=figure_checker
    )
    assert report.findings
    for finding in report.findings:
        assert any(e.article_id == "draft" for e in finding.evidence)
        assert finding.suggestion is not None
        assert finding.suggestion.startswith("sources say:")
    # a1 vs a4 and a3 vs a4 do not involve the draft
    assert all("a4" not in f.id or "draft" in f.id for f in report.findings)
    by_id = {f.id: f for f in report.findings}
    assert "a1" in by_id["f-draft:1-a1:1"].suggestion  # type: ignore[operator]


def test_duplicate_article_ids_are_refused() -> None:
    twice = [ARTICLES[0], ARTICLES[0]]
    with pytest.raises(ConfigError, match="share the id"):
        check(twice, llm=make_llm(twice), extractor=llm_extractor, checker=figure_checker)


def test_acheck_runs_in_an_event_loop_and_check_refuses_to() -> None:
    async def inside() -> Report:
        with pytest.raises(ConfigError, match="await acheck"):
            check(ARTICLES, llm=make_llm(ARTICLES), extractor=llm_extractor)
        return await acheck(
            ARTICLES, llm=make_llm(ARTICLES), extractor=llm_extractor, checker=figure_checker
        )

    report = asyncio.run(inside())
    assert len(report.claims) == 3


def test_a_declared_id_that_matches_no_article_is_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    items = extract(ARTICLES, llm=make_llm(ARTICLES), extractor=llm_extractor)
    with caplog.at_level(logging.WARNING, logger="claimcheck"):
        compare(items, grouping={"a1": "e", "a_2": "e"}, checker=figure_checker)
    (record,) = [r for r in caplog.records if "events declaration" in r.getMessage()]
    assert "a_2" in record.getMessage()
    assert "a1" not in record.getMessage().split("(")[1]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="claimcheck"):
        compare(items, grouping={"a1": "e", "a2": "e"}, checker=figure_checker)
    assert not [r for r in caplog.records if "events declaration" in r.getMessage()]


def test_read_grouping_accepts_the_documented_shapes(tmp_path: Path) -> None:
    nested = tmp_path / "events.yaml"
    nested.write_text("events:\n  kyiv-jul: [a1, a2]\n  kyiv-jun: [a3]\n", encoding="utf-8")
    flat = tmp_path / "flat.json"
    flat.write_text('{"kyiv-jul": ["a1", "a2"], "kyiv-jun": ["a3"]}', encoding="utf-8")
    records = tmp_path / "records.yaml"
    records.write_text(
        "- id: kyiv-jul\n  articles: [a1, a2]\n- id: kyiv-jun\n  articles: [a3]\n",
        encoding="utf-8",
    )
    expected = {"a1": "kyiv-jul", "a2": "kyiv-jul", "a3": "kyiv-jun"}
    assert read_grouping(nested) == expected
    assert read_grouping(flat) == expected
    assert read_grouping(records) == expected


def test_read_grouping_rejects_bad_files(tmp_path: Path) -> None:
    twice = tmp_path / "twice.yaml"
    twice.write_text("e1: [a1]\ne2: [a1]\n", encoding="utf-8")
    with pytest.raises(InputError, match="two events"):
        read_grouping(twice)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("just a string\n", encoding="utf-8")
    with pytest.raises(InputError, match="must map each event id"):
        read_grouping(wrong)


def test_read_grouping_reads_the_gold_events_file(fixtures_dir: Path) -> None:
    grouping = read_grouping(fixtures_dir / "gold" / "events.yaml")
    assert grouping["nov14-a"] == grouping["nov14-b"]
    assert grouping["jul04-a"] == grouping["jul04-draft"]
    assert grouping["jul04-a"] != grouping["jun06-a"] != grouping["nov14-a"]


# --------------------------------------------------------------------------- gold, real stages


def gold_claims(fixtures_dir: Path) -> dict[str, ArticleClaims]:
    """The gold claims of every fixture article, joined to the article as ingest reads it."""
    articles = read_articles([fixtures_dir / "articles", fixtures_dir / "drafts"])
    items = {}
    for article in articles:
        raw = json.loads((fixtures_dir / "gold" / "claims" / f"{article.id}.json").read_text())
        items[article.id] = ArticleClaims.model_validate(
            {"article": article, "event": raw["event"], "claims": raw["claims"]}
        )
    return items


def test_verify_with_the_real_cross_check_finds_the_gold_draft_errors(fixtures_dir: Path) -> None:
    """Real ingest, real cross-check and knowledge over gold claims; the model is not asked."""
    gold = gold_claims(fixtures_dir)
    expected = yaml.safe_load((fixtures_dir / "gold" / "verify_findings.yaml").read_text())
    draft = gold[expected["draft"]].article
    sources = [gold[s].article for s in expected["sources"]]

    def from_gold(article: Article, llm: LLM) -> ArticleClaims:
        return gold[article.id]

    def deterministic(items: Sequence[ArticleClaims], **options: Any) -> CrossCheckOutcome:
        return cross_check(items, **{**options, "llm": None})

    never = LLM(FakeBackend(["the model must not be asked"]))
    report = verify(
        draft,
        sources,
        llm=never,
        knowledge=KnowledgeBase.load(),
        extractor=from_gold,
        checker=deterministic,
    )
    assert never.usage.calls == 0
    assert report.errors == ()
    assert all(any(e.article_id == draft.id for e in f.evidence) for f in report.findings)
    for want in expected["findings"]:
        if not want["required"] or want["needs_model"]:
            continue
        draft_claims = {c for c in want["claims"] if c.startswith(draft.id)}
        assert any(
            f.kind.value == want["kind"] and draft_claims <= {e.claim_id for e in f.evidence}
            for f in report.findings
        ), f"missing gold finding {want['id']}"
    # every finding about a cross-source disagreement tells the editor what sources say
    for finding in report.findings:
        if len({e.article_id for e in finding.evidence}) > 1:
            assert finding.suggestion


def test_a_failing_endpoint_during_cross_checking_keeps_the_report() -> None:
    """A 5xx that outlives its retries while judging one pair costs that answer only."""

    def checker_that_asks(items: Sequence[ArticleClaims], **options: Any) -> Report:
        llm = options["llm"]
        # What the real cross-checker does with "no answer": leave that pair undecided.
        with contextlib.suppress(StructuredOutputError):
            llm.parse(Figure, render("reask", error="article=pair-question"))
        return figure_checker(items, **options)

    def respond(request: CompletionRequest) -> str:
        if "pair-question" in request.messages[0].content:
            raise TransientError("http://127.0.0.1:9/v1 kept failing (503) after 5 attempts")
        return answer_from_text(ARTICLES)(request)

    llm = LLM(FakeBackend(respond))
    report = check(ARTICLES, llm=llm, extractor=llm_extractor, checker=checker_that_asks)
    assert {f.id for f in report.findings} == {"f-a1:1-a2:1", "f-a2:1-a3:1"}
    [error] = report.errors
    assert error.stage == "crosscheck" and error.article_id == CROSSCHECK_ERROR_ID
    assert "503" in error.message and "left undecided" in error.message
    assert report.usage.failed == 1


def test_an_article_whose_questions_often_failed_keeps_its_claims_but_is_not_clean() -> None:
    def flaky_extractor(article: Article, llm: LLM) -> ArticleClaims:
        for n in range(4):  # four more questions, two of which the model cannot answer
            with contextlib.suppress(StructuredOutputError):
                llm.parse(Figure, render("reask", error=f"article={article.id} q{n}"))
        return llm_extractor(article, llm)

    def respond(request: CompletionRequest) -> str:
        if re.search(r" q[01]\b", request.messages[0].content):
            return "not json"
        if re.search(r" q[23]\b", request.messages[0].content):
            return Figure(value=1, words="x").model_dump_json()
        return answer_from_text(ARTICLES)(request)

    report = check(
        ARTICLES[:1], llm=LLM(FakeBackend(respond)), extractor=flaky_extractor,
        checker=figure_checker,
    )  # fmt: skip
    assert [c.article_id for c in report.claims] == ["a1"]  # what was read is kept
    [error] = report.errors
    assert error.error == "IncompleteExtraction" and "2 of 5 questions" in error.message


# --------------------------------------------------------------------------- whole articles


def first_choice(request: CompletionRequest) -> str:
    """A fake model that takes the first option of every enum question (strings empty)."""

    def instance(schema: dict[str, Any]) -> Any:
        defs = request.json_schema.get("$defs", {})
        if "$ref" in schema:
            return instance(defs[schema["$ref"].rsplit("/", 1)[1]])
        if "enum" in schema:
            return schema["enum"][0]
        if "anyOf" in schema:
            return instance(schema["anyOf"][0])
        if schema.get("type") == "object":
            return {k: instance(v) for k, v in schema.get("properties", {}).items()}
        scalars: dict[str, Any] = {"integer": 0, "number": 0, "boolean": False, "array": []}
        return scalars.get(str(schema.get("type")), "")

    return json.dumps(instance(request.json_schema))


#: Its one question (the mayor's title) is answered; the other's figure is not (its
#: counted noun comes back empty), so it has failed questions.
ANSWERED = Article(id="t1", text="Mayor Alma Pereira opened the new bridge in Brackenford.")
FAILING = Article(
    id="t2",
    text="A fire destroyed a warehouse in Brackenford on Tuesday. Fire Commissioner Grace "
    "Okafor said 12 people were injured.",
)


class CountingExtract:
    """The real extraction stage, counted (installed in place of pipeline.extract_claims)."""

    def __init__(self) -> None:
        from claimcheck.extract import extract_claims

        self.inner = extract_claims
        self.articles: list[str] = []

    def __call__(self, article: Article, llm: LLM) -> ArticleClaims:
        self.articles.append(article.id)
        return self.inner(article, llm)


def test_a_rerun_takes_whole_articles_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = CountingExtract()
    monkeypatch.setattr("claimcheck.pipeline.extract_claims", counted)
    cache = ResponseCache(tmp_path / "cache")
    first_backend = FakeBackend(first_choice)
    first = LLM(first_backend, cache=cache)
    before = asyncio.run(aextract([ANSWERED, FAILING], llm=first))
    assert counted.articles == ["t1", "t2"]
    assert len(first_backend.requests) > 1

    again_backend = FakeBackend(first_choice)
    again = LLM(again_backend, cache=cache)
    after = asyncio.run(aextract([ANSWERED, FAILING], llm=again))
    # The answered article is taken whole; the one with failed questions is extracted
    # again (from its cached answers and remembered failures), so they can expire.
    assert counted.articles == ["t1", "t2", "t2"]
    assert again_backend.requests == []
    assert after.items == before.items
    assert after.errors == before.errors
    cache.close()


def test_whole_articles_count_their_answers_as_cache_hits(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    first = LLM(FakeBackend(first_choice), cache=cache)
    asyncio.run(aextract([ANSWERED], llm=first))
    per_question = LLM(FakeBackend(first_choice), cache=cache)
    from claimcheck.extract import extract_claims

    extract_claims(ANSWERED, per_question)  # the same questions, answered one by one
    whole = LLM(FakeBackend(first_choice), cache=cache)
    asyncio.run(aextract([ANSWERED], llm=whole))
    assert whole.usage.cache_hits == per_question.usage.cache_hits >= 1
    assert whole.usage.calls == 0
    cache.close()


def test_a_change_of_code_or_model_extracts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = CountingExtract()
    monkeypatch.setattr("claimcheck.pipeline.extract_claims", counted)
    cache = ResponseCache(tmp_path / "cache")
    asyncio.run(aextract([ANSWERED], llm=LLM(FakeBackend(first_choice), cache=cache)))
    asyncio.run(aextract([ANSWERED], llm=LLM(FakeBackend(first_choice), cache=cache)))
    assert counted.articles == ["t1"]
    other_model = FakeBackend(first_choice, model="another-model")
    asyncio.run(aextract([ANSWERED], llm=LLM(other_model, cache=cache)))
    assert counted.articles == ["t1", "t1"]
    monkeypatch.setattr(
        "claimcheck.llm.article_cache.extraction_fingerprint", lambda: "edited code"
    )
    asyncio.run(aextract([ANSWERED], llm=LLM(FakeBackend(first_choice), cache=cache)))
    assert counted.articles == ["t1", "t1", "t1"]
    edited = ANSWERED.model_copy(update={"text": ANSWERED.text.replace("new", "old")})
    asyncio.run(aextract([edited], llm=LLM(FakeBackend(first_choice), cache=cache)))
    assert counted.articles == ["t1", "t1", "t1", "t1"]
    cache.close()


def test_a_change_of_the_batch_setting_extracts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = CountingExtract()
    monkeypatch.setattr("claimcheck.pipeline.extract_claims", counted)
    cache = ResponseCache(tmp_path / "cache")
    for batch in ("", "0", "3", "3"):
        monkeypatch.setenv("CLAIMCHECK_BATCH", batch)
        asyncio.run(aextract([ANSWERED], llm=LLM(FakeBackend(first_choice), cache=cache)))
    # Unset and 0 are one setting; batched questions may read the article differently.
    assert counted.articles == ["t1", "t1"]
    cache.close()


def test_another_extractor_is_never_served_whole_articles(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    calls: list[str] = []

    def extractor(article: Article, llm: LLM) -> ArticleClaims:
        calls.append(article.id)
        return ArticleClaims(article=article, claims=())

    for _ in range(2):
        asyncio.run(
            aextract([ANSWERED], llm=LLM(FakeBackend([]), cache=cache), extractor=extractor)
        )
    assert calls == ["t1", "t1"]
    cache.close()


def test_the_extraction_fingerprint_is_stable_within_a_process() -> None:
    from claimcheck.pipeline import extraction_fingerprint

    first = extraction_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    extraction_fingerprint.cache_clear()
    assert extraction_fingerprint() == first
