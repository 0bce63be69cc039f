"""``CheckOptions``: the run's options as one object, accepted by check, acheck and verify
beside (never together with) the keywords they always took."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from test_pipeline import ARTICLES, figure_checker, llm_extractor, make_llm

from claimcheck import CheckOptions, acheck, check, verify
from claimcheck.models import Article, Report
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
