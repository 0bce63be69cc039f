"""Titles: knowledge verdicts at the article's date; cross-source conflicts otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from test_crosscheck import JULY, make_item

from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import group_events
from claimcheck.crosscheck.titles import check_date, compare_titles, jurisdiction_key
from claimcheck.knowledge import KnowledgeBase, title_modifier
from claimcheck.models import ArticleClaims, Basis, FindingKind, RoleModifier, Severity


def role(span: str, person: str, title: str, **kw: Any) -> dict[str, Any]:
    return {"type": "role", "span": span, "person": person, "title": title, **kw}


TRUMP = role(
    "U.S. President Donald Trump",
    "Donald Trump",
    "U.S. President",
    office="president",
    jurisdiction="United States",
)
FORMER_TRUMP = role(
    "former U.S. President Donald Trump",
    "Donald Trump",
    "former U.S. President",
    office="president",
    jurisdiction="United States",
    modifier="former",
)
KULEBA = role(
    "Foreign Minister Dmytro Kuleba",
    "Dmytro Kuleba",
    "Foreign Minister",
    office="foreign minister",
    jurisdiction="Ukraine",
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def run(
    *items: ArticleClaims, knowledge: KnowledgeBase | None, as_of: dt.date | None = None
) -> list[Any]:
    (group,) = group_events(list(items))
    names = [getattr(c, "person", None) or getattr(c, "speaker", None) for c in group.claims]
    return compare_titles(group, People([n for n in names if n]), knowledge=knowledge, as_of=as_of)


def test_former_but_sitting_is_found_with_the_date(kb: KnowledgeBase) -> None:
    item = make_item("a", "They spoke to former U.S. President Donald Trump.", [FORMER_TRUMP])
    (finding,) = run(item, knowledge=kb)
    assert finding.kind is FindingKind.MISATTRIBUTION
    assert finding.basis is Basis.KNOWLEDGE
    assert finding.severity is Severity.HIGH
    assert finding.checked_as_of == JULY
    assert finding.subject == "Donald Trump"
    assert "4 July 2025" in finding.explanation


def test_stale_minister_gets_the_holder_as_suggestion(kb: KnowledgeBase) -> None:
    item = make_item("a", "Foreign Minister Dmytro Kuleba spoke.", [KULEBA])
    (finding,) = run(item, knowledge=kb)
    assert finding.suggestion is not None
    assert finding.suggestion.startswith(
        "Andrii Sybiha was foreign minister of Ukraine on 4 July 2025"
    )


def test_the_same_title_two_years_earlier_is_right(kb: KnowledgeBase) -> None:
    item = make_item(
        "a", "Foreign Minister Dmytro Kuleba spoke.", [KULEBA], published=dt.date(2023, 5, 1)
    )
    assert run(item, knowledge=kb) == []


def test_undated_article_is_checked_as_of_the_given_date(kb: KnowledgeBase) -> None:
    item = make_item("a", "Foreign Minister Dmytro Kuleba spoke.", [KULEBA], published=None)
    assert run(item, knowledge=kb, as_of=dt.date(2023, 5, 1)) == []
    (finding,) = run(item, knowledge=kb, as_of=JULY)
    assert finding.checked_as_of == JULY


def test_check_date_prefers_published_then_stated_event_date() -> None:
    published = make_item("a", "x", [], published=JULY, event_date=dt.date(2025, 7, 3))
    assert check_date(published, None) == JULY
    stated = make_item("b", "x", [], published=None, event_date=dt.date(2025, 7, 3))
    assert check_date(stated, dt.date(2026, 1, 1)) == dt.date(2025, 7, 3)
    bare = make_item("c", "x", [], published=None)
    assert check_date(bare, dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)


def test_a_quote_under_a_wrong_title_joins_the_title_finding(kb: KnowledgeBase) -> None:
    text = 'Foreign Minister Dmytro Kuleba called it "a dark night for the whole city".'
    said = {
        "type": "quote",
        "span": "a dark night for the whole city",
        "quote": "a dark night for the whole city",
        "speaker": "Dmytro Kuleba",
        "speaker_title": "Foreign Minister",
    }
    item = make_item("a", text, [KULEBA, said])
    (finding,) = run(item, knowledge=kb)
    assert {e.claim_id for e in finding.evidence} == {"a:1", "a:2"}


def test_without_knowledge_former_vs_sitting_is_a_cross_source_conflict() -> None:
    a = make_item("a", "U.S. President Donald Trump spoke.", [TRUMP])
    b = make_item("b", "U.S. President Donald Trump spoke.", [TRUMP])
    c = make_item("c", "Then former U.S. President Donald Trump spoke.", [FORMER_TRUMP])
    (finding,) = run(a, b, c, knowledge=None)
    assert finding.basis is Basis.CROSS_SOURCE
    assert finding.severity is Severity.MEDIUM
    assert {e.article_id for e in finding.evidence} == {"a", "b", "c"}
    assert finding.suggestion is not None and "“U.S. President”" in finding.suggestion


def test_knowledge_settles_the_conflict_without_a_duplicate(kb: KnowledgeBase) -> None:
    a = make_item("a", "U.S. President Donald Trump spoke.", [TRUMP])
    c = make_item("c", "Then former U.S. President Donald Trump spoke.", [FORMER_TRUMP])
    (finding,) = run(a, c, knowledge=kb)
    assert finding.basis is Basis.KNOWLEDGE
    assert {e.article_id for e in finding.evidence} == {"c"}


def test_spelling_variants_with_the_same_title_are_no_conflict() -> None:
    a = make_item(
        "a",
        "Mayor Vitaly Klitschko spoke.",
        [role("Mayor Vitaly Klitschko", "Vitaly Klitschko", "Mayor", office="mayor")],
    )
    b = make_item(
        "b",
        "Mayor Vitali Klitschko spoke.",
        [role("Mayor Vitali Klitschko", "Vitali Klitschko", "Mayor", office="mayor")],
    )
    assert run(a, b, knowledge=None) == []


def test_two_exclusive_offices_conflict_but_a_vague_title_does_not() -> None:
    fm = role(
        "Foreign Minister Andrii Sybiha",
        "Andrii Sybiha",
        "Foreign Minister",
        office="foreign minister",
        jurisdiction="Ukraine",
    )
    dm = role(
        "Defence Minister Andrii Sybiha",
        "Andrii Sybiha",
        "Defence Minister",
        office="defence minister",
        jurisdiction="Ukraine",
    )
    vague = role(
        "Andrii Sybiha, a senior official",
        "Andrii Sybiha",
        "a senior official",
        jurisdiction="Ukraine",
    )
    a = make_item("a", "Foreign Minister Andrii Sybiha spoke.", [fm])
    b = make_item("b", "Defence Minister Andrii Sybiha spoke.", [dm])
    c = make_item("c", "Andrii Sybiha, a senior official, spoke.", [vague])
    (finding,) = run(a, b, c, knowledge=None)
    assert {e.article_id for e in finding.evidence} == {"a", "b"}
    assert run(a, c, knowledge=None) == []


def test_helpers() -> None:
    assert jurisdiction_key("U.S.") == jurisdiction_key("United States") == "united states"
    assert jurisdiction_key("Ukrainian") == "ukraine"
    assert title_modifier("former U.S. President") is RoleModifier.FORMER
    assert title_modifier("acting mayor") is RoleModifier.ACTING
    assert title_modifier("President") is RoleModifier.NONE


def test_a_quote_title_alone_is_read_with_the_office_parser() -> None:
    words = "I am very disappointed with the conversation"
    said = {
        "type": "quote",
        "span": words,
        "quote": words,
        "speaker": "Donald Trump",
        "speaker_title": "former U.S. President",
    }
    a = make_item("a", "U.S. President Donald Trump spoke.", [TRUMP])
    c = make_item("c", f'Trump said: "{words}".', [said])
    (finding,) = run(a, c, knowledge=None)
    assert {e.claim_id for e in finding.evidence} == {"a:1", "c:1"}
