"""Event facts: blocked candidate pairs, judged by the LLM only when one is given."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from test_crosscheck import make_item

from claimcheck.crosscheck.corroboration import fact_subject, uncorroborated
from claimcheck.crosscheck.events import EventGroup, group_events
from claimcheck.crosscheck.facts import (
    TARGETS_SUBJECT,
    _first_sentence,
    candidate_pairs,
    civilian_damage,
    has_contrast,
    judge_facts,
    military_only,
)
from claimcheck.llm import CompletionRequest
from claimcheck.models import EventFactClaim, FindingKind, Severity


def fact(span: str, statement: str, target: str, action: str, **kw: Any) -> dict[str, Any]:
    return {
        "type": "event_fact",
        "span": span,
        "statement": statement,
        "target": target,
        "action": action,
        "place": "Kyiv",
        **kw,
    }


MILITARY = fact(
    "only military sites were hit",
    "Only military sites in Kyiv were hit.",
    "non-residential and military sites",
    "hit",
)
HOMES = fact(
    "homes and schools were damaged",
    "Homes and schools in Kyiv were damaged.",
    "homes and schools",
    "damaged",
)
HOUSES = fact(
    "houses and a school burned",
    "Houses and a school in Kyiv burned.",
    "houses and a school",
    "burned",
)
AIRPORT = fact(
    "the airport was set on fire",
    "The airport was set ablaze.",
    "the airport",
    "set ablaze",
)
ELSEWHERE = fact(
    "Sumy was also attacked",
    "Sumy was also attacked.",
    "Sumy",
    "attacked",
    place="Sumy region",
)


def event(*items: Any) -> EventGroup:
    (group,) = group_events(list(items))
    return group


def three_sources() -> EventGroup:
    return event(
        make_item(
            "a",
            "Officials said only military sites were hit. Later the airport was set on fire.",
            [MILITARY, AIRPORT],
        ),
        make_item("b", "Residents said homes and schools were damaged.", [HOMES]),
        make_item(
            "c",
            "In one street houses and a school burned. Sumy was also attacked.",
            [HOUSES, ELSEWHERE],
        ),
    )


def test_blocking_pairs_only_facts_sharing_a_target_word() -> None:
    group = three_sources()
    facts = [c for c in group.claims if isinstance(c, EventFactClaim)]
    pairs = {(a.id, b.id) for a, b, _ in candidate_pairs(facts, "Kyiv")}
    assert ("b:1", "c:1") in pairs
    assert ("a:1", "b:1") in pairs  # residential / homes: a candidate for a contradiction
    assert all("a:2" not in p for p in pairs)  # the airport shares nothing


def test_without_llm_code_still_sees_only_military_against_damaged_homes() -> None:
    result = judge_facts(three_sources(), None)
    assert result.calls == 0
    (finding,) = result.findings
    # Both outlets reporting damaged homes disagree with the one fact: one finding, not two.
    assert {e.claim_id for e in finding.evidence} == {"a:1", "b:1", "c:1"}
    assert finding.kind is FindingKind.CONTRADICTION
    assert finding.severity is Severity.MEDIUM
    assert finding.subject == TARGETS_SUBJECT
    assert "only military sites were hit" in finding.explanation
    assert "residential" in finding.explanation and "school" in finding.explanation
    assert {"b:1", "c:1"} <= result.corroborated
    assert "a:2" not in result.corroborated


def test_the_pair_code_decided_is_not_sent_to_the_llm(fake_llm: Any) -> None:
    llm = fake_llm([])  # any call would fail: the fake has no answers
    result = judge_facts(three_sources(), llm)
    assert result.calls == 0 and len(result.findings) == 1


def sentence_fact(span: str, target: str = "sites", action: str = "hit") -> EventFactClaim:
    """A fact whose span is the whole sentence, as the extractor produces it."""
    (claim,) = make_item("a", span, [fact(span, span, target, action)]).claims
    assert isinstance(claim, EventFactClaim)
    return claim


@pytest.mark.parametrize(
    "sentence",
    [
        "According to the mayor, the targets were non-residential and military sites.",
        "Only military sites were hit, the mayor said.",
        "The strikes targeted exclusively military infrastructure in three districts.",
    ],
)
def test_an_exclusive_military_claim_is_recognised(sentence: str) -> None:
    assert military_only(sentence_fact(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Military sites and homes were hit.",  # no "only"
        "The targets were apartment blocks and a military depot.",
        "Not only military targets were hit, the mayor said.",
        "Only one drone reached the city centre, said the head of the city military "
        "administration.",
        "Ukraine's military said only three of the 40 drones got through.",
        "The main target was the Starokostiantyniv airfield.",
        "The only casualty was a soldier at the army base.",
        "Moscow said it hit only military targets.",
        "The Russian Defence Ministry said the strikes hit only military facilities.",
        "According to Russia's TASS news agency, only military sites were targeted.",
    ],
)
def test_other_sentences_with_only_or_military_are_not(sentence: str) -> None:
    assert not military_only(sentence_fact(sentence))


def test_civilian_damage_is_read_from_what_the_verb_acts_on() -> None:
    homes = sentence_fact(
        "Homes, schools and cars were damaged.", "Homes, schools and cars", "damaged"
    )
    assert civilian_damage(homes) == {"residential", "school", "car"}
    hospital = sentence_fact(
        "A drone hit an airfield, and the injured were taken to hospital.", "an airfield"
    )
    assert civilian_damage(hospital) == frozenset()
    denied = sentence_fact("Officials said no homes were damaged.", "homes", "damaged")
    assert civilian_damage(denied) == frozenset()
    # A denial elsewhere in the sentence does not cancel the damage the verb reports.
    both = sentence_fact(
        "There were no casualties, but several homes were damaged.", "several homes", "damaged"
    )
    assert civilian_damage(both) == {"residential"}
    call = sentence_fact(
        "Trump spoke with Putin by phone, the White House said.", "spoke by phone", "phone call"
    )
    assert civilian_damage(call) == frozenset()


def test_two_facts_of_one_exclusive_sentence_make_one_finding() -> None:
    text = "The targets were military airfields, and an arsenal was set on fire."
    group = event(
        make_item(
            "a",
            text,
            [
                fact(
                    text, "Military airfields were targeted.", "military airfields", "targets were"
                ),
                fact(text, "An arsenal was set on fire.", "an arsenal", "set on fire"),
            ],
        ),
        make_item("b", "Residents said homes and schools were damaged.", [HOMES]),
    )
    findings = [f for f in judge_facts(group, None).findings if f.subject == TARGETS_SUBJECT]
    assert len(findings) == 1
    assert "b reports civilian sites hit" in findings[0].explanation


def test_code_decided_pairs_leave_other_pairs_to_the_llm(fake_llm: Any) -> None:
    denial = fact(
        "The governor denied that any houses were hit",
        "No houses were hit.",
        "any houses",
        "hit",
    )
    group = event(
        make_item("a", "Officials said only military sites were hit.", [MILITARY]),
        make_item("b", "Residents said homes and schools were damaged.", [HOMES]),
        make_item("c", "The governor denied that any houses were hit.", [denial]),
    )

    def answer(request: CompletionRequest) -> str:
        return json.dumps({"relation": "contradicts", "reason": "denied vs damaged"})

    result = judge_facts(group, fake_llm(answer))
    assert result.calls >= 1  # b against c still goes to the model
    assert any("denied vs damaged" in f.explanation for f in result.findings)


EMBASSY_SPARED = fact(
    "the embassy was untouched",
    "The embassy in Kyiv was untouched.",
    "the embassy",
    "untouched",
)
EMBASSY_HIT = fact(
    "the embassy was damaged",
    "The embassy in Kyiv was damaged.",
    "the embassy",
    "damaged",
)
EMBASSY_BURNED = fact(
    "the embassy burned",
    "The embassy in Kyiv burned.",
    "the embassy",
    "burned",
)


def embassy_sources() -> EventGroup:
    return event(
        make_item("a", "Officials said the embassy was untouched.", [EMBASSY_SPARED]),
        make_item("b", "Witnesses said the embassy was damaged.", [EMBASSY_HIT]),
        make_item("c", "Footage showed the embassy burned.", [EMBASSY_BURNED]),
    )


def test_without_llm_a_denial_is_not_judged_but_overlap_corroborates() -> None:
    result = judge_facts(embassy_sources(), None)
    assert result.findings == [] and result.calls == 0
    assert {"b:1", "c:1"} <= result.corroborated


def test_llm_judges_candidate_pairs_and_reports_contradictions(fake_llm: Any) -> None:
    asked: list[str] = []

    def answer(request: CompletionRequest) -> str:
        text = request.messages[-1].content
        asked.append(text)
        if "untouched" in text:
            return json.dumps(
                {"relation": "contradicts", "reason": "untouched vs damaged. Then it rambles."}
            )
        return json.dumps({"relation": "supports", "reason": "same damage"})

    result = judge_facts(embassy_sources(), fake_llm(answer))
    assert result.calls == len(asked) <= 3
    # Both outlets reporting damage disagree with the one denial: one finding, not two.
    (finding,) = result.findings
    assert {e.claim_id for e in finding.evidence} == {"a:1", "b:1", "c:1"}
    assert finding.kind is FindingKind.CONTRADICTION
    assert finding.severity is Severity.LOW  # one verdict of the model: a lead, never medium
    assert finding.subject == "the embassy"
    assert "untouched vs damaged" in finding.explanation
    assert "rambles" not in finding.explanation  # the reason's first sentence only
    assert "“the embassy was untouched”" in finding.explanation  # the article's own words
    assert {"b:1", "c:1"} <= result.corroborated


def test_single_source_happening_at_the_event_place_is_uncorroborated() -> None:
    group = three_sources()
    found = uncorroborated(group, judge_facts(group, None).corroborated)
    subjects = {f.subject: f for f in found}
    assert "airport set ablaze" in subjects
    assert subjects["airport set ablaze"].kind is FindingKind.UNCORROBORATED
    assert subjects["airport set ablaze"].severity is Severity.INFO
    assert subjects["airport set ablaze"].explanation == (
        "Only a reports this: “the airport was set on fire”; the 2 other sources on this "
        "event do not mention it."
    )
    # Other places are outside what the other sources were covering.
    assert "Sumy attacked" not in subjects


def test_a_fact_another_article_mentions_only_in_its_text_is_corroborated() -> None:
    # b's extracted fact is about homes; its text also names the airport.
    group = event(
        make_item("a", "Later the airport was set on fire.", [AIRPORT]),
        make_item(
            "b", "Residents said homes and schools were damaged; the airport burned.", [HOMES]
        ),
    )
    subjects = {f.subject for f in uncorroborated(group, judge_facts(group, None).corroborated)}
    assert "airport set ablaze" not in subjects


def test_a_fact_about_the_event_place_itself_is_not_of_substance() -> None:
    kyiv_hit = fact("Kyiv was hit", "Kyiv was hit.", "Kyiv", "hit")
    group = event(
        make_item("a", "Kyiv was hit.", [kyiv_hit]),
        make_item("b", "Residents said homes and schools were damaged.", [HOMES]),
    )
    subjects = {f.subject for f in uncorroborated(group, judge_facts(group, None).corroborated)}
    assert "Kyiv hit" not in subjects
    assert "homes and schools damaged" in subjects


def test_a_single_source_note_needs_a_named_thing_no_figure_and_no_verb() -> None:
    ferry = "The ferry operated by Lakeline capsized near the pier."
    counted = "Rescuers said 40 more passengers were found."
    vague = "The storm ran the collapsed. Several places were hit."
    group = event(
        make_item(
            "a",
            f"{ferry} {counted} {vague}",
            [
                fact(ferry, ferry, "operated by Lakeline", "capsized"),
                fact(counted, counted, "40 more passengers", "found"),
                fact(vague, vague, "the collapsed", "ran"),
                fact(vague, vague, "Several places", "hit"),
            ],
        ),
        make_item("b", "Lakeline said its ferry sank; homes and schools were damaged.", [HOMES]),
    )
    subjects = {f.subject for f in uncorroborated(group, judge_facts(group, None).corroborated)}
    # the operator is named by b; the count is a figure's; "the collapsed" and "places"
    # name nothing in particular
    assert subjects == {"homes and schools damaged"}


def test_a_single_article_gives_no_uncorroborated_noise() -> None:
    group = event(make_item("a", "Later the airport was set on fire.", [AIRPORT]))
    assert uncorroborated(group, set()) == []


def test_fact_subject_drops_the_article() -> None:
    item = make_item("a", "the airport was set on fire", [AIRPORT])
    claim = item.claims[0]
    assert isinstance(claim, EventFactClaim)
    assert fact_subject(claim) == "airport set ablaze"


def test_pairs_without_a_contrast_word_are_not_sent_to_the_llm(fake_llm: Any) -> None:
    group = event(
        make_item("b", "Residents said homes and schools were damaged.", [HOMES]),
        make_item("c", "In one street houses and a school burned.", [HOUSES]),
    )
    llm = fake_llm([])  # any call would fail: the fake has no answers
    result = judge_facts(group, llm)
    assert result.calls == 0 and result.findings == []
    assert {"b:1", "c:1"} <= result.corroborated


def test_an_unusable_answer_leaves_the_pair_unjudged_instead_of_failing_the_run(
    fake_llm: Any,
) -> None:
    llm = fake_llm(lambda request: "they contradict each other", max_reasks=0)
    result = judge_facts(embassy_sources(), llm)
    assert llm.usage.calls >= 1
    assert result.findings == []
    assert result.calls == 0  # no verdict was obtained


def test_more_than_is_no_contrast_so_the_pair_is_not_judged(fake_llm: Any) -> None:
    metro = fact(
        "More than 2,000 homes lost power, and a missile hit a train",
        "A missile hit a train.",
        "a train",
        "hit",
    )
    damaged = fact("a train was damaged", "A train was damaged.", "train", "damaged")
    group = event(
        make_item("a", "More than 2,000 homes lost power, and a missile hit a train.", [metro]),
        make_item("b", "The metro closed after a train was damaged.", [damaged]),
    )
    result = judge_facts(group, fake_llm([]))  # any call would fail: the fake has no answers
    assert result.calls == 0 and result.findings == []
    assert {"a:1", "b:1"} <= result.corroborated


def test_a_disputed_fact_is_not_also_called_single_source() -> None:
    group = three_sources()
    judged = judge_facts(group, None)
    assert "a:1" in judged.disputed
    found = uncorroborated(group, judged.corroborated | judged.disputed)
    assert all("a:1" not in {e.claim_id for e in f.evidence} for f in found)


def test_a_target_that_is_only_the_place_and_the_hour_is_not_of_substance() -> None:
    struck = fact(
        "struck the capital in the early hours",
        "The capital was struck in the early hours.",
        "the capital in the early hours",
        "struck",
    )
    group = event(
        make_item("a", "Drones struck the capital in the early hours.", [struck]),
        make_item("b", "Residents said homes and schools were damaged.", [HOMES]),
    )
    subjects = {f.subject for f in uncorroborated(group, judge_facts(group, None).corroborated)}
    assert not any("early hours" in (s or "") for s in subjects)


def test_a_models_reason_is_cut_at_its_first_sentence_not_at_an_abbreviation() -> None:
    assert _first_sentence("The U.S. Envoy said so. Then it rambles.") == "The U.S. Envoy said so"
    assert (
        _first_sentence("Hit vs. Damaged: not the same. More.") == "Hit vs. Damaged: not the same"
    )


def test_facts_about_different_things_are_not_judged_even_with_a_denial(fake_llm: Any) -> None:
    airport = fact(
        "the airport was set on fire, though officials have not confirmed it",
        "The airport was set ablaze.",
        "the airport",
        "set ablaze",
    )
    cars = fact("cars were burning", "Cars were burning.", "cars", "burning")
    group = event(
        make_item(
            "a",
            "Footage showed the airport was set on fire, though officials have not confirmed it.",
            [airport],
        ),
        make_item("b", "In one street cars were burning.", [cars]),
    )
    result = judge_facts(group, fake_llm([]))  # any call would fail: the fake has no answers
    assert result.calls == 0
    assert "a:1" not in result.corroborated


def _contradictions(*items: Any) -> list[Any]:
    group = event(*items)
    return [
        f
        for f in judge_facts(group, None).findings
        if f.kind is FindingKind.CONTRADICTION and f.subject != TARGETS_SUBJECT
    ]


def test_a_claim_of_responsibility_against_no_group_claiming_is_reported() -> None:
    claimed = "The River Front claimed responsibility for the blast."
    nobody = "No group has claimed responsibility so far."
    (finding,) = _contradictions(
        make_item(
            "a", claimed, [fact(claimed, claimed, "The River Front", "claimed responsibility")]
        ),
        make_item("b", nobody, [fact(nobody, nobody, "No group", "claimed responsibility")]),
    )
    assert finding.severity is Severity.MEDIUM
    assert "denies" in finding.explanation


def test_arrested_against_not_arrested_is_reported_and_same_account_is_not() -> None:
    held = "The driver was arrested at the scene."
    free = "The driver has not been arrested, police said."
    again = "Police said the driver was arrested."
    a = make_item("a", held, [fact(held, held, "The driver", "arrested")])
    b = make_item("b", free, [fact(free, free, "The driver", "arrested")])
    c = make_item("c", again, [fact(again, again, "the driver", "arrested")])
    assert len(_contradictions(a, b)) == 1
    assert _contradictions(a, c) == []


def test_a_fact_found_on_different_days_is_reported() -> None:
    fri = "The missing hiker was found on Friday near the ridge."
    sat = "The missing hiker was found on Saturday, rescuers said."
    (finding,) = _contradictions(
        make_item("a", fri, [fact(fri, fri, "The missing hiker", "found")]),
        make_item("b", sat, [fact(sat, sat, "The missing hiker", "found")]),
    )
    assert "Friday" in finding.explanation and "Saturday" in finding.explanation


def test_opposite_actions_of_one_subject_are_reported_and_of_two_are_not() -> None:
    claim = "The Hill Brigade claimed responsibility."
    denial = "The Hill Brigade denied involvement."
    other = "The Coast Union denied involvement."
    a = make_item("a", claim, [fact(claim, claim, "The Hill Brigade", "claimed responsibility")])
    b = make_item("b", denial, [fact(denial, denial, "The Hill Brigade", "denied involvement")])
    c = make_item("c", other, [fact(other, other, "The Coast Union", "denied involvement")])
    assert len(_contradictions(a, b)) == 1
    assert _contradictions(a, c) == []


def test_a_conflict_not_read_with_confidence_is_low() -> None:
    verdict = "The former mayor was convicted of fraud."
    cleared = "A jury acquitted the former mayor."
    (finding,) = _contradictions(
        make_item("a", verdict, [fact(verdict, verdict, "The former mayor", "convicted")]),
        # The target is not in this span as written: the reading is not confident.
        make_item("b", cleared, [fact(cleared, cleared, "the ex-mayor former mayor", "acquitted")]),
    )
    assert finding.severity is Severity.LOW
    assert "not read with confidence" in finding.explanation


def test_not_saying_whether_is_no_denial() -> None:
    claimed = "The River Front claimed responsibility for the blast."
    unsure = "Police have not said whether anyone claimed responsibility."
    assert (
        _contradictions(
            make_item(
                "a", claimed, [fact(claimed, claimed, "The River Front", "claimed responsibility")]
            ),
            make_item("b", unsure, [fact(unsure, unsure, "anyone", "claimed responsibility")]),
        )
        == []
    )


def test_acquitted_of_one_charge_and_convicted_of_another_are_both_true() -> None:
    cleared = "The singer was acquitted of racketeering conspiracy."
    guilty = "The singer was convicted of transporting people for prostitution."
    assert (
        _contradictions(
            make_item("a", cleared, [fact(cleared, cleared, "The singer", "acquitted")]),
            make_item("b", guilty, [fact(guilty, guilty, "The singer", "convicted")]),
        )
        == []
    )
    same = "The singer was convicted of racketeering conspiracy."
    (finding,) = _contradictions(
        make_item("a", cleared, [fact(cleared, cleared, "The singer", "acquitted")]),
        make_item("b", same, [fact(same, same, "The singer", "convicted")]),
    )
    assert finding.kind is FindingKind.CONTRADICTION


def test_a_party_that_won_a_share_and_conceded_the_race_says_both() -> None:
    conceded = "The Harbour League conceded defeat shortly after midnight."
    share = "The Harbour League won 31.5%, its weakest result in a decade."
    outright = "The Harbour League won, officials said."

    def item(aid: str, text: str, action: str) -> Any:
        return make_item(aid, text, [fact(text, text, "The Harbour League", action)])

    assert _contradictions(item("a", conceded, "conceded"), item("b", share, "won")) == []
    (finding,) = _contradictions(item("a", conceded, "conceded"), item("b", outright, "won"))
    assert finding.kind is FindingKind.CONTRADICTION


def test_a_negation_of_another_verb_denies_nothing() -> None:
    died = "A child who had not been vaccinated died of measles."
    also = "An unvaccinated child has died of measles in the outbreak."
    assert (
        _contradictions(
            make_item("a", died, [fact(died, died, "A child", "died")]),
            make_item("b", also, [fact(also, also, "An unvaccinated child", "died")]),
        )
        == []
    )
    found = "The hiker has not yet been found."
    seen = "The hiker was found on Friday."
    (finding,) = _contradictions(
        make_item("a", found, [fact(found, found, "The hiker", "found")]),
        make_item("b", seen, [fact(seen, seen, "The hiker", "found")]),
    )
    assert "denies" in finding.explanation


def test_an_action_written_with_its_negation_is_a_denial() -> None:
    claimed = "The River Front claimed responsibility for the attack."
    denied = "No group has claimed responsibility for the attack."
    (finding,) = _contradictions(
        make_item("a", claimed, [fact(claimed, claimed, "the attack", "claimed responsibility")]),
        make_item(
            "b", denied, [fact(denied, denied, "the attack", "did not claim responsibility")]
        ),
    )
    assert "denies" in finding.explanation


def test_a_denial_of_one_named_side_says_nothing_of_the_other() -> None:
    """At a final whose place is one side's country, "Ireland have never won" names only
    the place: it still denies nothing of the visitors winning."""
    never = "Ireland have never won the Webb Ellis Cup, and lost again at the Aviva Stadium."
    won = "The visitors won the Webb Ellis Cup at the Aviva Stadium."
    nobody = "No team has won the Webb Ellis Cup at the Aviva Stadium."

    def item(aid: str, text: str, target: str) -> Any:
        return make_item(
            aid,
            text,
            [fact(text, f"{target}: won", target, "won", place="Ireland")],
            place="Ireland",
        )

    assert (
        _contradictions(item("a", never, "Ireland have never"), item("b", won, "The visitors"))
        == []
    )
    denials = _contradictions(item("a", nobody, "No team"), item("b", won, "The visitors"))
    assert [("denies" in f.explanation) for f in denials] == [True]


def _fact_claim(text: str, target: str, action: str) -> EventFactClaim:
    return EventFactClaim.model_validate(
        {
            **fact(text, f"{target}: {action}", target, action),
            "id": "a:1",
            "article_id": "a",
            "span": {"start": 0, "end": len(text), "text": text},
        }
    )


def test_a_negation_in_another_clause_of_a_long_sentence_is_no_contrast() -> None:
    target = "The former chief executive"
    long = (
        f"{target} was sentenced to nine years on Friday, in a case that did not end the "
        "company's troubles."
    )
    assert not has_contrast(_fact_claim(long, target, "sentenced"))
    assert not has_contrast(
        _fact_claim(f"{target} was sentenced to nine years.", target, "sentenced")
    )
    assert has_contrast(_fact_claim(f"{target} was not sentenced on Friday.", target, "sentenced"))


def test_a_passive_denial_denies_only_the_things_it_names() -> None:
    """After a mine collapse, "no more miners have been rescued" says nothing of bodies
    recovered; it still meets a report that miners were rescued."""
    none = "No more miners have been rescued since Monday night."
    bodies = "Two more bodies were rescued from the flooded shaft on Tuesday."
    miners = "Three miners were rescued from the shaft on Tuesday."

    def item(aid: str, text: str, target: str) -> Any:
        return make_item(aid, text, [fact(text, f"{target}: rescued", target, "rescued")])

    assert (
        _contradictions(item("a", none, "No more miners"), item("b", bodies, "Two more bodies"))
        == []
    )
    found = _contradictions(item("a", none, "No more miners"), item("b", miners, "Three miners"))
    assert [("denies" in f.explanation) for f in found] == [True]


def test_a_fact_dated_another_year_meets_no_denial_of_this_event() -> None:
    """A rail-bridge sabotage story recalls an earlier attack: "In 2019, the Delta Front
    claimed responsibility ..." is that attack's fact, not this one's."""
    nobody = "No group has claimed responsibility for the sabotage of the bridge."
    earlier = (
        "In 2019, the Delta Front claimed responsibility for a bombing of a rail line near "
        "the border which killed four people."
    )
    now = "The Delta Front claimed responsibility for the sabotage on its website."

    def item(aid: str, text: str, target: str) -> Any:
        return make_item(
            aid,
            text,
            [fact(text, f"{target}: claimed responsibility", target, "claimed responsibility")],
            event_date=dt.date(2024, 5, 2),
            published=dt.date(2024, 5, 2),
            kind="sabotage",
        )

    assert (
        _contradictions(item("a", nobody, "No group"), item("b", earlier, "the Delta Front")) == []
    )
    assert (
        len(_contradictions(item("a", nobody, "No group"), item("b", now, "The Delta Front"))) == 1
    )
