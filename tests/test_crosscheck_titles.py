"""Titles: knowledge verdicts at the article's date; cross-source conflicts otherwise."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from test_crosscheck import JULY, make_item

from claimcheck.crosscheck import cross_check
from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import group_events
from claimcheck.crosscheck.titles import (
    ModelTitleCheck,
    check_date,
    compare_titles,
    jurisdiction_key,
)
from claimcheck.errors import ConfigError
from claimcheck.knowledge import KnowledgeBase, title_modifier
from claimcheck.llm import LLM, CompletionRequest
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


VANCE = role(
    "U.S. Vice President JD Vance",
    "JD Vance",
    "U.S. Vice President",
    office="vice president",
    jurisdiction="United States",
)


def run(
    *items: ArticleClaims,
    knowledge: KnowledgeBase | None,
    as_of: dt.date | None = None,
    model: ModelTitleCheck | None = None,
) -> list[Any]:
    (group,) = group_events(list(items))
    names = [getattr(c, "person", None) or getattr(c, "speaker", None) for c in group.claims]
    people = People([n for n in names if n])
    return compare_titles(group, people, knowledge=knowledge, as_of=as_of, model=model)


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


def test_a_title_told_of_a_day_in_the_persons_tenure_is_the_office_then(kb: KnowledgeBase) -> None:
    # A report of 2023 on the rioters of 6 January 2021 who came "to keep President Donald
    # Trump in power": he held the office on the day the sentence tells of.
    then = role(
        "President Donald Trump",
        "Donald Trump",
        "President",
        office="president",
        jurisdiction="United States",
    )
    riot = make_item(
        "a",
        "The rioters came to the Capitol on Jan. 6 to keep President Donald Trump in power.",
        [then],
        published=dt.date(2023, 5, 26),
    )
    assert run(riot, knowledge=kb) == []
    in_2022 = make_item(
        "b",
        "Foreign Minister Dmytro Kuleba said in 2022 that talks had stalled.",
        [KULEBA],
        published=dt.date(2025, 7, 4),
    )
    assert run(in_2022, knowledge=kb) == []
    # the day of the report is still checked
    today = make_item(
        "c",
        "President Donald Trump said on Monday that the riot was justified.",
        [then],
        published=dt.date(2023, 5, 26),
    )
    (finding,) = run(today, knowledge=kb)
    assert finding.kind is FindingKind.MISATTRIBUTION


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
    assert jurisdiction_key("Kiev") == jurisdiction_key("Kyiv") == "kyiv"
    assert jurisdiction_key("Burma") == "myanmar"
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


# --------------------------------------------------------------------------- model knowledge


def answering(answer: str, reason: str = "He took office in January 2025.") -> Any:
    """A fake model's reply to the title question, or a failure for any other question."""

    def respond(request: CompletionRequest) -> str:
        assert request.schema_name == "TitleAnswer", request.schema_name
        return json.dumps({"reason": reason, "answer": answer})

    return respond


def asked(llm: LLM) -> list[str]:
    """The user message of every title question the fake model was sent."""
    requests = llm.backend.requests  # type: ignore[attr-defined]
    return [r.messages[-1].content for r in requests if r.schema_name == "TitleAnswer"]


def vance_in(article_id: str, published: dt.date, title: str = "U.S. Vice President") -> Any:
    spec = {**VANCE, "span": f"{title} JD Vance", "title": title}
    text = f"{title} JD Vance spoke."
    return make_item(article_id, text, [spec], published=published, event_date=published)


MAY_2023 = dt.date(2023, 5, 1)


def test_a_no_from_the_model_is_a_low_model_based_finding(kb: KnowledgeBase, fake_llm: Any) -> None:
    llm: LLM = fake_llm(answering("no", "Kamala Harris was vice president in May 2023."))
    model = ModelTitleCheck(llm)
    (finding,) = run(vance_in("a", MAY_2023), knowledge=kb, model=model)
    assert finding.kind is FindingKind.MISATTRIBUTION
    assert finding.basis is Basis.MODEL
    assert finding.severity is Severity.LOW
    assert finding.confidence <= 0.4
    assert finding.subject == "JD Vance"
    assert finding.checked_as_of == MAY_2023
    assert "Kamala Harris was vice president in May 2023" in finding.explanation
    assert "model's own knowledge" in finding.explanation and "verify" in finding.explanation
    assert [e.claim_id for e in finding.evidence] == ["a:1"]
    (question,) = asked(llm)
    assert "JD Vance" in question and "u.s. vice president" in question
    assert "United States" in question and "2023-05-01" in question
    assert model.calls == 1


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_yes_or_unsure_gives_no_finding(kb: KnowledgeBase, fake_llm: Any, answer: str) -> None:
    llm: LLM = fake_llm(answering(answer))
    model = ModelTitleCheck(llm)
    assert run(vance_in("a", JULY), knowledge=kb, model=model) == []
    assert len(asked(llm)) == 1 and model.calls == 1


def test_a_title_the_knowledge_settles_is_never_asked(kb: KnowledgeBase, fake_llm: Any) -> None:
    llm: LLM = fake_llm(answering("no"))
    model = ModelTitleCheck(llm)
    kuleba = make_item("a", "Foreign Minister Dmytro Kuleba spoke.", [KULEBA])
    trump = make_item("b", "U.S. President Donald Trump spoke.", [TRUMP])
    findings = run(kuleba, trump, vance_in("c", JULY), knowledge=kb, model=model)
    # Kuleba is wrong and Trump right by the office-holder list; only Vance is left open.
    (question,) = asked(llm)
    assert "JD Vance" in question
    assert sorted((f.basis.value, f.subject) for f in findings) == [
        ("knowledge", "Dmytro Kuleba"),
        ("model", "JD Vance"),
    ]


def test_without_knowledge_every_title_is_asked(fake_llm: Any) -> None:
    llm: LLM = fake_llm(answering("unsure"))
    run(
        make_item("a", "U.S. President Donald Trump spoke.", [TRUMP]),
        knowledge=None,
        model=ModelTitleCheck(llm),
    )
    (question,) = asked(llm)
    assert "Donald Trump" in question


def test_a_then_title_is_not_asked(fake_llm: Any) -> None:
    llm: LLM = fake_llm(answering("no"))
    then = role("then-Vice President JD Vance", "JD Vance", "then-Vice President")
    item = make_item("a", "He met then-Vice President JD Vance.", [then])
    assert run(item, knowledge=None, model=ModelTitleCheck(llm)) == []
    assert asked(llm) == []


def test_model_knowledge_is_off_by_default(kb: KnowledgeBase, fake_llm: Any) -> None:
    llm: LLM = fake_llm(answering("no"))
    result = cross_check([vance_in("a", MAY_2023)], llm=llm, knowledge=kb)
    assert result.findings == ()
    assert llm.usage.calls == 0


def test_identical_questions_are_asked_once_per_run(kb: KnowledgeBase, fake_llm: Any) -> None:
    llm: LLM = fake_llm(answering("no"))
    june = dt.date(2023, 6, 6)
    items = [
        vance_in("a", MAY_2023),
        vance_in("b", MAY_2023, "U.S. vice president"),
        vance_in("c", MAY_2023),
        vance_in("d", june),  # another date: another question
        vance_in("e", june),
    ]
    # "c" is declared another event than "a" and "b": its question is still the same one.
    grouping = {"a": "one", "b": "one", "c": "two", "d": "three", "e": "three"}
    result = cross_check(items, llm=llm, knowledge=kb, grouping=grouping, model_knowledge=True)
    assert len(result.events) == 3
    assert len(asked(llm)) == 2
    assert llm.usage.calls == 2
    # One finding per article: each article carrying the title must be looked at.
    model_based = [f for f in result.findings if f.basis is Basis.MODEL]
    assert sorted(e.article_id for f in model_based for e in f.evidence) == list("abcde")


def test_an_unusable_answer_is_logged_and_gives_no_finding(
    kb: KnowledgeBase, fake_llm: Any, caplog: pytest.LogCaptureFixture
) -> None:
    llm: LLM = fake_llm(lambda request: "not json", max_reasks=1)
    model = ModelTitleCheck(llm)
    with caplog.at_level(logging.WARNING, logger="claimcheck.crosscheck.titles"):
        found = run(vance_in("a", MAY_2023), vance_in("b", MAY_2023), knowledge=kb, model=model)
    assert found == []
    assert "left unchecked" in caplog.text
    assert llm.usage.calls == 2  # one question, asked and re-asked once, never again
    assert model.calls == 0


def test_model_knowledge_needs_an_llm(kb: KnowledgeBase) -> None:
    with pytest.raises(ConfigError, match="needs an llm"):
        cross_check([vance_in("a", JULY)], knowledge=kb, model_knowledge=True)


# --------------------------------------------------------------------------- any office


def _cm(span: str, title: str, office: str, **kw: Any) -> dict[str, Any]:
    return role(span, "Ravi Kumar Sharma", title, office=office, jurisdiction="Punjab", **kw)


def test_deputy_chief_minister_against_former_chief_minister_is_reported() -> None:
    deputy = _cm(
        "Deputy Chief Minister Ravi Kumar Sharma", "Deputy Chief Minister", "deputy chief minister"
    )
    former = _cm(
        "former Chief Minister Ravi Kumar Sharma",
        "former Chief Minister",
        "chief minister",
        modifier="former",
    )
    a = make_item("a", "Deputy Chief Minister Ravi Kumar Sharma spoke.", [deputy], place="Amritsar")
    b = make_item(
        "b", "Then former Chief Minister Ravi Kumar Sharma spoke.", [former], place="Amritsar"
    )
    (finding,) = run(a, b, knowledge=None)
    assert finding.kind is FindingKind.MISATTRIBUTION
    assert finding.severity is Severity.MEDIUM
    assert finding.confidence < 0.5  # both can be true: a former chief minister may be deputy now
    assert "“Deputy Chief Minister”" in finding.explanation
    assert "“former Chief Minister”" in finding.explanation
    assert "Both can be true" in finding.explanation


def test_chief_minister_against_deputy_chief_minister_is_reported() -> None:
    deputy = _cm(
        "Deputy Chief Minister Ravi Kumar Sharma", "Deputy Chief Minister", "deputy chief minister"
    )
    chief = _cm("Chief Minister Ravi Kumar Sharma", "Chief Minister", "chief minister")
    a = make_item("a", "Deputy Chief Minister Ravi Kumar Sharma spoke.", [deputy], place="Amritsar")
    b = make_item("b", "Chief Minister Ravi Kumar Sharma spoke.", [chief], place="Amritsar")
    (finding,) = run(a, b, knowledge=None)
    assert finding.severity is Severity.MEDIUM
    assert "“Chief Minister”" in finding.explanation
    assert "Both can be true" not in finding.explanation


def test_former_against_sitting_is_reported_for_an_office_the_knowledge_lacks(
    kb: KnowledgeBase,
) -> None:
    sitting = _cm("Chief Minister Ravi Kumar Sharma", "Chief Minister", "chief minister")
    former = _cm(
        "former Chief Minister Ravi Kumar Sharma",
        "former Chief Minister",
        "chief minister",
        modifier="former",
    )
    a = make_item("a", "Chief Minister Ravi Kumar Sharma spoke.", [sitting], place="Amritsar")
    b = make_item(
        "b", "Then former Chief Minister Ravi Kumar Sharma spoke.", [former], place="Amritsar"
    )
    # The knowledge has no Punjab chief ministers: unknown there, a conflict across sources.
    (finding,) = run(a, b, knowledge=kb)
    assert finding.basis is Basis.CROSS_SOURCE
    assert finding.severity is Severity.MEDIUM


@pytest.mark.parametrize(
    ("text", "span", "title", "office", "jurisdiction"),
    [
        (
            "Indian Premier League chairman Arun Dhumal spoke.",
            "Indian Premier League chairman Arun Dhumal",
            "Indian Premier League chairman",
            "premier",
            "India",
        ),
        (
            "American Airlines president Robert Isom spoke.",
            "American Airlines president Robert Isom",
            "American Airlines president",
            "president",
            "United States",
        ),
        (
            "Conservative Party chairman Robert Isom spoke.",
            "Conservative Party chairman Robert Isom",
            "Conservative Party chairman",
            "chairman",
            "United Kingdom",
        ),
        (
            "Real Madrid president Florentino Perez spoke.",
            "Real Madrid president Florentino Perez",
            "Real Madrid president",
            "president",
            "Spain",
        ),
        (
            "Federal Reserve chair Jerome Powell spoke.",
            "Federal Reserve chair Jerome Powell",
            "Federal Reserve chair",
            "president",
            "United States",
        ),
    ],
)
def test_an_organisations_title_is_never_checked_as_a_countrys_office(
    kb: KnowledgeBase, text: str, span: str, title: str, office: str, jurisdiction: str
) -> None:
    # Even when the extractor read the office as the country's, no finding comes out.
    person = span.removeprefix(title + " ")
    claim = role(span, person, title, office=office, jurisdiction=jurisdiction)
    sitting = role(span, person, title)
    a = make_item("a", text, [claim], place="Mumbai")
    b = make_item("b", text, [sitting], place="Mumbai")
    assert run(a, b, knowledge=kb) == []
    assert run(a, b, knowledge=None) == []


def test_indian_prime_minister_is_still_checked(kb: KnowledgeBase) -> None:
    pm = role(
        "Indian Prime Minister Arun Dhumal",
        "Arun Dhumal",
        "Indian Prime Minister",
        office="prime minister",
        jurisdiction="India",
    )
    (finding,) = run(make_item("a", "Indian Prime Minister Arun Dhumal spoke.", [pm]), knowledge=kb)
    assert finding.basis is Basis.KNOWLEDGE
    assert "Narendra Modi" in finding.explanation


# --------------------------------------------------------------------------- beyond the G20


def _title_claim(span: str, person: str, title: str, office: str, place: str) -> dict[str, Any]:
    return role(span, person, title, office=office, jurisdiction=place)


OUTDATED_OUTSIDE_G20 = [
    # (sentence, span, person, title, office, jurisdiction, the holder on 1 May 2020)
    (
        "Nigerian Foreign Minister Ojo Maduekwe spoke.",
        "Nigerian Foreign Minister Ojo Maduekwe",
        "Ojo Maduekwe",
        "Nigerian Foreign Minister",
        "foreign minister",
        "Nigeria",
        "Geoffrey Onyeama",
    ),
    (
        "Kenyan President Mwai Kibaki spoke.",
        "Kenyan President Mwai Kibaki",
        "Mwai Kibaki",
        "Kenyan President",
        "president",
        "Kenya",
        "Uhuru Kenyatta",
    ),
    (
        "Spanish Defence Minister Pedro Morenés spoke.",
        "Spanish Defence Minister Pedro Morenés",
        "Pedro Morenés",
        "Spanish Defence Minister",
        "defence minister",
        "Spain",
        "Margarita Robles",
    ),
    (
        "UN Secretary-General Ban Ki-moon spoke.",
        "UN Secretary-General Ban Ki-moon",
        "Ban Ki-moon",
        "UN Secretary-General",
        "secretary general",
        "United Nations",
        "António Guterres",
    ),
    (
        "Austrian Chancellor Werner Faymann spoke.",
        "Austrian Chancellor Werner Faymann",
        "Werner Faymann",
        "Austrian Chancellor",
        "chancellor",
        "Austria",
        "Sebastian Kurz",
    ),
]
MAY_2020 = dt.date(2020, 5, 1)


@pytest.mark.parametrize(
    ("text", "span", "person", "title", "office", "place", "holder"), OUTDATED_OUTSIDE_G20
)
def test_outdated_titles_outside_the_g20_are_found(
    kb: KnowledgeBase,
    text: str,
    span: str,
    person: str,
    title: str,
    office: str,
    place: str,
    holder: str,
) -> None:
    item = make_item(
        "a", text, [_title_claim(span, person, title, office, place)], published=MAY_2020
    )
    (finding,) = run(item, knowledge=kb)
    assert finding.kind is FindingKind.MISATTRIBUTION
    assert finding.basis is Basis.KNOWLEDGE
    assert finding.severity is Severity.HIGH
    assert finding.suggestion is not None and finding.suggestion.startswith(holder)


@pytest.mark.parametrize(
    ("text", "span", "person", "title", "office", "place"),
    [
        (
            "Nigerian Foreign Minister Geoffrey Onyeama spoke.",
            "Nigerian Foreign Minister Geoffrey Onyeama",
            "Geoffrey Onyeama",
            "Nigerian Foreign Minister",
            "foreign minister",
            "Nigeria",
        ),
        (
            "Kenyan President Uhuru Kenyatta spoke.",
            "Kenyan President Uhuru Kenyatta",
            "Uhuru Kenyatta",
            "Kenyan President",
            "president",
            "Kenya",
        ),
        (
            "Spanish Defence Minister Margarita Robles spoke.",
            "Spanish Defence Minister Margarita Robles",
            "Margarita Robles",
            "Spanish Defence Minister",
            "defence minister",
            "Spain",
        ),
    ],
)
def test_right_titles_outside_the_g20_pass(
    kb: KnowledgeBase, text: str, span: str, person: str, title: str, office: str, place: str
) -> None:
    item = make_item(
        "a", text, [_title_claim(span, person, title, office, place)], published=MAY_2020
    )
    assert run(item, knowledge=kb) == []


def test_an_office_the_data_does_not_cover_is_no_finding(kb: KnowledgeBase) -> None:
    text = "West Bengal Chief Minister Mamata Banerjee spoke."
    claim = _title_claim(
        "West Bengal Chief Minister Mamata Banerjee",
        "Mamata Banerjee",
        "West Bengal Chief Minister",
        "chief minister",
        "West Bengal",
    )
    assert run(make_item("a", text, [claim], published=MAY_2020), knowledge=kb) == []


def test_a_holder_after_the_data_ends_is_no_finding(kb: KnowledgeBase) -> None:
    # The Kenyan source is a 2022 snapshot; Ruto took office after it, so the data cannot
    # say he is not president in 2025 and must not claim so.
    text = "Kenyan President William Ruto spoke."
    claim = _title_claim(
        "Kenyan President William Ruto", "William Ruto", "Kenyan President", "president", "Kenya"
    )
    item = make_item("a", text, [claim], published=dt.date(2025, 5, 1))
    assert run(item, knowledge=kb) == []


def _pm(name: str, title: str = "Prime Minister", jurisdiction: str | None = "Nepal") -> Any:
    return role(f"{title} {name}", name, title, office="prime minister", jurisdiction=jurisdiction)


def test_one_exclusive_office_given_to_two_people_is_a_medium_conflict() -> None:
    a = make_item("a", "Prime Minister Ram Thapa visited the site.", [_pm("Ram Thapa")])
    b = make_item("b", "Prime Minister Hari Karki visited the site.", [_pm("Hari Karki")])
    c = make_item("c", "Prime Minister Ram Thapa flew in.", [_pm("Ram Thapa")])
    (finding,) = run(a, b, c, knowledge=None)
    assert finding.kind is FindingKind.MISATTRIBUTION
    assert finding.severity is Severity.MEDIUM  # which one is right is not known here
    assert {e.article_id for e in finding.evidence} == {"a", "b", "c"}
    assert "Only one of them can hold it" in finding.explanation
    assert finding.explanation.count(" calls ") == 1 and " call " in finding.explanation


def test_two_holders_need_one_day_one_jurisdiction_and_separate_articles() -> None:
    thapa, karki = _pm("Ram Thapa"), _pm("Hari Karki")
    a = make_item("a", "Prime Minister Ram Thapa visited.", [thapa])
    later = make_item(
        "b", "Prime Minister Hari Karki visited.", [karki], published=JULY + dt.timedelta(days=1)
    )
    assert run(a, later, knowledge=None) == []  # a handover between reports is no error
    unplaced = make_item(
        "b", "Prime Minister Hari Karki visited.", [_pm("Hari Karki", jurisdiction=None)]
    )
    assert run(a, unplaced, knowledge=None) == []  # whose prime minister is not read
    text = "Prime Minister Ram Thapa met Prime Minister Hari Karki."
    both = make_item("b", text, [thapa, karki])
    assert run(a, both, knowledge=None) == []  # one article names both: its own wording rules


def test_a_country_guessed_from_a_titles_habit_does_not_conflict_with_a_stated_one() -> None:
    # "Health Secretary" reads as Britain's by habit; "U.S. Health Secretary" names its
    # country. One person, one office: no conflict.
    plain = role("Health Secretary Ana Ruiz", "Ana Ruiz", "Health Secretary")
    stated = role("U.S. Health Secretary Ana Ruiz", "Ana Ruiz", "U.S. Health Secretary")
    a = make_item("a", "Health Secretary Ana Ruiz spoke.", [plain])
    b = make_item("b", "U.S. Health Secretary Ana Ruiz spoke.", [stated])
    assert run(a, b, knowledge=None) == []
    other = role("French Health Minister Ana Ruiz", "Ana Ruiz", "French Health Minister")
    c = make_item("c", "French Health Minister Ana Ruiz spoke.", [other])
    (finding,) = run(b, c, knowledge=None)  # two stated countries still conflict
    assert finding.kind is FindingKind.MISATTRIBUTION


def test_an_undated_article_is_checked_where_the_offices_data_ends(kb: KnowledgeBase) -> None:
    # With no date anywhere and no --as-of, "today" may lie past the data (nothing known
    # there); the title is checked on the office's verified_through day, and says so.
    item = make_item("a", "Foreign Minister Dmytro Kuleba spoke.", [KULEBA], published=None)
    through = kb.verified_through_for("foreign minister", "Ukraine")
    assert through is not None
    (finding,) = run(item, knowledge=kb)
    assert finding.checked_as_of == through
    assert finding.severity is Severity.HIGH


def test_a_holder_in_another_spelling_is_no_wrong_holder(kb: KnowledgeBase) -> None:
    """The title check folds names as the rest of the cross-checker does: Russia's prime
    minister written "Mihail Mishustin" is Mikhail Mishustin, not somebody else."""
    spelled = role(
        "Russian Prime Minister Mihail Mishustin",
        "Mihail Mishustin",
        "Russian Prime Minister",
        office="prime minister",
        jurisdiction="Russia",
    )
    item = make_item("a", "Russian Prime Minister Mihail Mishustin chaired the meeting.", [spelled])
    assert run(item, knowledge=kb) == []


def test_one_office_of_one_place_written_two_ways_is_no_conflict() -> None:
    """A storm on England's south coast: "Brighton and Hove Mayor" and "Hove Mayor" are one
    office; "North Tyneside Mayor" against "South Tyneside Mayor", or "Palm Beach County
    Mayor" against "West Palm Beach Mayor", are two."""

    def mayor(aid: str, title: str) -> ArticleClaims:
        text = f"{title} Jane Doyle spoke."
        return make_item(
            aid, text, [role(f"{title} Jane Doyle", "Jane Doyle", title)], place="Brighton"
        )

    assert (
        run(mayor("a", "Brighton and Hove Mayor"), mayor("b", "Hove Mayor"), knowledge=None) == []
    )
    for one, other in [
        ("North Tyneside Mayor", "South Tyneside Mayor"),
        ("Palm Beach County Mayor", "West Palm Beach Mayor"),
    ]:
        (finding,) = run(mayor("a", one), mayor("b", other), knowledge=None)
        assert "conflicting titles" in finding.explanation


def test_a_state_office_named_with_its_country_is_the_same_office() -> None:
    """A Mexican state's former governor on trial: "former governor of the Mexican state of
    Jalisco" and "Former Jalisco Governor" are one title, though the first also names the
    country; "former governor of the Mexican state of Colima" is another state's."""

    def governor(aid: str, title: str, name_first: bool) -> ArticleClaims:
        phrase = f"Luis Ortega, {title}," if name_first else f"{title} Luis Ortega"
        text = f"{phrase} was sentenced on Monday."
        return make_item(
            aid,
            text,
            [role(phrase.rstrip(","), "Luis Ortega", title)],
            place="Guadalajara",
            kind="sentencing",
        )

    country_named = "former governor of the Mexican state of Jalisco"
    assert (
        run(
            governor("a", country_named, True),
            governor("b", "Former Jalisco Governor", False),
            knowledge=None,
        )
        == []
    )
    (finding,) = run(
        governor("a", "former governor of the Mexican state of Colima", True),
        governor("b", "Former Jalisco Governor", False),
        knowledge=None,
    )
    assert "conflicting titles" in finding.explanation
