"""``CheckOptions``: the run's options as one object, accepted by check, acheck, verify,
extract, aextract, compare, the cluster's run_batch and the cross-check stage beside (never
together with) the keywords they always took."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from test_crosscheck import JULY, JUNE, injured, make_item
from test_pipeline import ARTICLES, figure_checker, llm_extractor, make_llm

from claimcheck import CheckOptions, acheck, aextract, check, compare, extract, verify
from claimcheck.cluster import run as cluster_run
from claimcheck.cluster.run import (
    BatchProgress,
    ClusterExtraction,
    ClusterOptions,
    Endpoint,
    run_batch,
)
from claimcheck.crosscheck import cross_check
from claimcheck.errors import ConfigError
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.models import Article, Report, Usage
from claimcheck.pipeline import ProgressEvent


def test_options_give_the_same_report_as_the_keywords() -> None:
    day = dt.date(2025, 11, 14)
    by_keywords = check(
        ARTICLES,
        llm=make_llm(ARTICLES),
        extractor=llm_extractor,
        checker=figure_checker,
        as_of=day,
    )
    options = CheckOptions(extractor=llm_extractor, checker=figure_checker, as_of=day)
    by_options = check(ARTICLES, llm=make_llm(ARTICLES), options=options)
    assert by_options.findings and same(by_options, by_keywords)
    assert by_options.as_of == day
    again = asyncio.run(acheck(ARTICLES, llm=make_llm(ARTICLES), options=options))
    assert same(again, by_keywords)


def same(one: Report, other: Report) -> bool:
    """The same report but for the seconds the calls took."""
    timeless = {"usage": {"seconds"}, "crosscheck_usage": {"seconds"}}
    return one.model_dump(exclude=timeless) == other.model_dump(exclude=timeless)


def test_every_option_reaches_the_run() -> None:
    seen: list[ProgressEvent] = []
    draft = Article(id="draft", text="Our copy: 15 people hurt in the strike.")
    options = CheckOptions(
        extractor=llm_extractor, checker=figure_checker, progress=seen.append, concurrency=2
    )
    report = verify(draft, ARTICLES[:1], llm=make_llm([draft, *ARTICLES[:1]]), options=options)
    assert report.findings
    assert {e.article_id for e in seen if e.stage == "extract"} == {"draft", "a1"}


def test_options_and_keywords_together_are_refused() -> None:
    options = CheckOptions(extractor=llm_extractor, checker=figure_checker)
    with pytest.raises(TypeError, match="concurrency"):
        check(ARTICLES, llm=make_llm(ARTICLES), options=options, concurrency=4)
    # A keyword left at its default is not "given": the options are used as they are.
    report = check(ARTICLES, llm=make_llm(ARTICLES), options=options, concurrency=1)
    assert report.findings


def test_extract_and_compare_take_the_same_options() -> None:
    day = dt.date(2025, 11, 14)
    seen: list[ProgressEvent] = []
    options = CheckOptions(
        extractor=llm_extractor, checker=figure_checker, as_of=day, progress=seen.append
    )
    items = extract(ARTICLES, llm=make_llm(ARTICLES), options=options)
    assert {e.article_id for e in seen if e.stage == "extract"} == {a.id for a in ARTICLES}
    by_keywords_items = extract(ARTICLES, llm=make_llm(ARTICLES), extractor=llm_extractor)
    assert items == by_keywords_items

    by_options = compare(items, options=options)
    by_keywords = compare(items, as_of=day, checker=figure_checker)
    assert by_options.findings and same(by_options, by_keywords)
    assert by_options.as_of == day
    assert any(e.stage == "compare" for e in seen)
    extraction = asyncio.run(aextract(ARTICLES, llm=make_llm(ARTICLES), options=options))
    assert list(extraction.items) == items


def test_extract_and_compare_refuse_options_beside_keywords() -> None:
    options = CheckOptions(extractor=llm_extractor, checker=figure_checker)
    with pytest.raises(TypeError, match="concurrency"):
        extract(ARTICLES, llm=make_llm(ARTICLES), options=options, concurrency=3)
    with pytest.raises(TypeError, match="as_of"):
        compare([], options=options, as_of=dt.date(2025, 1, 1))


class _Stub:
    """What run_batch asks of Ray and of the endpoint, recorded without either."""

    def __init__(self) -> None:
        self.extracted: dict[str, Any] = {}
        self.compared: dict[str, Any] = {}

    def extract_on_ray(self, articles: Any, **kwargs: Any) -> ClusterExtraction:
        self.extracted = kwargs
        empty = BatchProgress(total=0)
        return ClusterExtraction(items=(), errors=(), usage=Usage(), progress=empty)

    def compare_on_ray(self, items: Any, **kwargs: Any) -> Report:
        self.compared = kwargs
        return Report(articles=(), events=(), claims=(), findings=())


def _stubbed(monkeypatch: pytest.MonkeyPatch) -> _Stub:
    stub = _Stub()
    monkeypatch.setattr(cluster_run, "connect", lambda options: False)
    monkeypatch.setattr(cluster_run, "require_ray", lambda: None)
    monkeypatch.setattr(cluster_run, "extract_on_ray", stub.extract_on_ray)
    monkeypatch.setattr(cluster_run, "compare_on_ray", stub.compare_on_ray)
    monkeypatch.setattr(Endpoint, "backend", lambda self: FakeBackend([]))
    return stub


def test_a_cluster_run_takes_the_options_of_a_local_run(monkeypatch: pytest.MonkeyPatch) -> None:
    stub = _stubbed(monkeypatch)
    day = dt.date(2025, 11, 14)
    grouping = {"a1": "e"}
    options = CheckOptions(
        extractor=llm_extractor, as_of=day, grouping=grouping, model_knowledge=True
    )
    report = run_batch(
        ARTICLES, endpoint=Endpoint(), options=ClusterOptions(), check_options=options
    )
    assert stub.extracted["extractor"] is llm_extractor
    assert stub.compared["as_of"] == day and stub.compared["grouping"] == grouping
    assert stub.compared["model_knowledge"] is True and report.as_of == day
    with pytest.raises(TypeError, match="as_of"):
        run_batch(
            ARTICLES,
            endpoint=Endpoint(),
            options=ClusterOptions(),
            check_options=options,
            as_of=day,
        )


@pytest.mark.parametrize(
    "options",
    [
        CheckOptions(concurrency=4),
        CheckOptions(progress=print),
        CheckOptions(checker=figure_checker),
    ],
)
def test_a_cluster_run_refuses_what_it_sets_another_way(
    monkeypatch: pytest.MonkeyPatch, options: CheckOptions
) -> None:
    _stubbed(monkeypatch)
    with pytest.raises(ConfigError, match="ClusterOptions"):
        run_batch(ARTICLES, endpoint=Endpoint(), options=ClusterOptions(), check_options=options)


def test_the_cross_check_takes_the_same_options() -> None:
    july = make_item("jul", "At least 23 people were hurt.", [injured("At least 23 people", 23)])
    june = make_item("jun", "Nine people were hurt.", [injured("Nine people", 9)], published=JUNE)
    declared = {"jul": "kyiv", "jun": "kyiv"}
    by_keywords = cross_check([july, june], grouping=declared)
    by_options = cross_check([july, june], options=CheckOptions(grouping=declared))
    assert [e.id for e in by_options.events] == ["kyiv"]
    assert by_options == by_keywords
    with pytest.raises(ConfigError, match="at least 1"):
        cross_check([july], options=CheckOptions(concurrency=0))
    with pytest.raises(ConfigError, match="needs an llm"):
        cross_check([july], options=CheckOptions(model_knowledge=True))


def test_the_cross_check_refuses_options_beside_keywords() -> None:
    july = make_item("jul", "At least 23 people were hurt.", [injured("At least 23 people", 23)])
    with pytest.raises(TypeError, match="as_of"):
        cross_check([july], options=CheckOptions(), as_of=JULY)
    # A keyword left at its default is not "given".
    assert cross_check([july], options=CheckOptions(), concurrency=1).events
