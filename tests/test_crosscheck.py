"""cross_check as a whole, on small hand-made claims; builders shared by test_crosscheck_*.

The builders take the span as a substring of the article text and compute offsets, so no
offset is ever typed by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from claimcheck.crosscheck import CrossCheckResult, cross_check
from claimcheck.errors import ConfigError
from claimcheck.llm import LLM
from claimcheck.models import Article, ArticleClaims, EventInfo, FindingKind, Severity

JULY = dt.date(2025, 7, 4)
JUNE = dt.date(2025, 6, 6)


def make_item(
    article_id: str,
    text: str,
    claims: list[dict[str, Any]],
    *,
    published: dt.date | None = JULY,
    outlet: str | None = None,
    place: str | None = "Kyiv",
    event_date: dt.date | None = None,
    kind: str | None = "drone and missile attack",
) -> ArticleClaims:
    """An ArticleClaims whose claims name their span by text ('span': 'at least 23 people')."""
    article = Article(id=article_id, text=text, outlet=outlet, published=published)
    built = []
    for n, spec in enumerate(claims, start=1):
        fields = dict(spec)
        span_text = fields.pop("span")
        start = text.index(span_text)
        built.append(
            {
                "id": f"{article_id}:{n}",
                "article_id": article_id,
                "span": article.span(start, start + len(span_text)).model_dump(),
                **fields,
            }
        )
    info = EventInfo(
        date=event_date,
        date_certainty="stated" if event_date else "unknown",
        place=place,
        kind=kind,
    )
    return ArticleClaims.model_validate({"article": article, "event": info, "claims": built})


def injured(span: str, value: float, qualifier: str = "exact", **extra: Any) -> dict[str, Any]:
    return {
        "type": "quantity",
        "span": span,
        "value": value,
        "qualifier": qualifier,
        "subject": "people",
        "measure": "injured",
        "place": "Kyiv",
        "scope": "city",
        **extra,
    }


def at_least(article_id: str, value: int) -> ArticleClaims:
    """An article saying 'At least <value> people were hurt.'."""
    span = f"At least {value} people"
    return make_item(article_id, f"{span} were hurt.", [injured(span, value, "at_least")])


def kinds(result: CrossCheckResult) -> list[tuple[str, str | None, frozenset[str]]]:
    return [
        (f.kind.value, f.subject, frozenset(e.article_id for e in f.evidence))
        for f in result.findings
    ]


def test_one_article_per_event_gives_no_findings_without_knowledge() -> None:
    only = make_item("a", "At least 23 people were hurt.", [injured("At least 23 people", 23)])
    result = cross_check([only])
    assert result.findings == ()
    assert [e.article_ids for e in result.events] == [("a",)]


def test_a_contradiction_holds_the_compatible_figures_of_its_key() -> None:
    a = make_item(
        "a", "At least 14 people were hurt.", [injured("At least 14 people", 14, "at_least")]
    )
    b = make_item(
        "b", "At least 23 people were hurt.", [injured("At least 23 people", 23, "at_least")]
    )
    c = make_item("c", "Nine people were hurt.", [injured("Nine people", 9)])
    result = cross_check([a, b, c])
    got = kinds(result)
    # One finding per disagreement: 14 against 23 is inside the contradiction with 9, not a
    # second finding about the same figures.
    assert got == [("contradiction", "people injured", frozenset({"a", "b", "c"}))]
    assert result.findings[0].severity is Severity.MEDIUM  # one day's running count


def test_same_figures_on_different_days_are_never_compared() -> None:
    july = make_item("jul", "At least 23 people were hurt.", [injured("At least 23 people", 23)])
    june = make_item("jun", "Two people were hurt.", [injured("Two people", 2)], published=JUNE)
    result = cross_check([july, june])
    assert result.findings == ()
    assert len(result.events) == 2


def test_findings_are_ordered_and_ids_are_stable() -> None:
    items = [
        make_item(
            "a", "At least 14 people were hurt.", [injured("At least 14 people", 14, "at_least")]
        ),
        make_item(
            "b", "At least 23 people were hurt.", [injured("At least 23 people", 23, "at_least")]
        ),
        make_item("c", "Two people were hurt.", [injured("Two people", 2)]),
    ]
    first = cross_check(items)
    again = cross_check(list(reversed(items)))
    assert [f.id for f in first.findings] == [f.id for f in again.findings]
    ranks = [f.severity.rank for f in first.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_declared_grouping_is_taken_as_given() -> None:
    july = make_item("jul", "At least 23 people were hurt.", [injured("At least 23 people", 23)])
    june = make_item("jun", "Nine people were hurt.", [injured("Nine people", 9)], published=JUNE)
    result = cross_check([july, june], grouping={"jul": "kyiv", "jun": "kyiv"})
    assert [e.id for e in result.events] == ["kyiv"]
    assert [f.kind for f in result.findings] == [FindingKind.CONTRADICTION]
    assert result.findings[0].event_id == "kyiv"


def test_duplicate_article_ids_are_rejected() -> None:
    a = make_item("a", "At least 23 people were hurt.", [injured("At least 23 people", 23)])
    # One of claimcheck's own errors, so the CLI prints one line and exits 2, not a traceback.
    with pytest.raises(ConfigError, match="appears twice"):
        cross_check([a, a])


def test_no_llm_call_without_ambiguity(fake_llm: Any) -> None:
    llm: LLM = fake_llm([])
    a = make_item(
        "a", "At least 14 people were hurt.", [injured("At least 14 people", 14, "at_least")]
    )
    b = make_item(
        "b", "At least 23 people were hurt.", [injured("At least 23 people", 23, "at_least")]
    )
    # Verification of the readings is a question per figure; grouping alone asks nothing.
    result = cross_check([a, b], llm=llm, verify=False)
    assert [f.kind for f in result.findings] == [FindingKind.DISCREPANCY]
    assert llm.usage.calls == 0
