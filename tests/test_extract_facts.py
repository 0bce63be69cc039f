"""Event-fact candidates: which sentences are asked about, and which phrases are offered."""

from __future__ import annotations

import json
from collections.abc import Callable

from claimcheck.extract import extract_claims
from claimcheck.extract.context import ArticleContext
from claimcheck.extract.facts import (
    CALL_ACTION,
    call_fact,
    fact_candidates,
    target_options,
    verbs_in,
)
from claimcheck.extract.text import Sentence
from claimcheck.ingest import parse_article
from claimcheck.llm import LLM, CompletionRequest
from claimcheck.models import EventFactClaim


def context(text: str) -> ArticleContext:
    return ArticleContext.of(parse_article(text, article_id="t"))


def options(text: str) -> dict[int, list[str]]:
    """Sentence number -> the phrases offered for it, as text."""
    ctx = context(text)
    out: dict[int, list[str]] = {}
    for candidate in fact_candidates(ctx):
        phrases = [
            ctx.article.text[s:e]
            for verb in candidate.verbs
            for s, e in target_options(candidate.sentence, verb)
        ]
        out.setdefault(candidate.sentence.number, []).extend(phrases)
    return out


def test_a_list_is_offered_whole_as_well_as_its_last_item() -> None:
    got = options("Fires damaged schools, homes, vehicles and railway lines, and crews worked on.")
    assert got[1] == ["schools, homes, vehicles and railway lines", "schools"]


def test_a_passive_list_before_the_verb_is_offered_whole() -> None:
    got = options("Homes, schools and railway lines in the capital were damaged.")
    assert "Homes, schools and railway lines in the capital" in got[1]


def test_a_list_stops_where_a_new_clause_begins() -> None:
    got = options("Drones hit a power station and damaged 12 homes.")
    assert "a power station" in got[1]
    assert not any("damaged 12" in phrase for phrase in got[1])


def test_each_verb_with_its_own_targets_is_a_question_of_its_own() -> None:
    ctx = context("Homes were burning, and a train was damaged. Drones hit and damaged a depot.")
    asked = [(c.sentence.number, c.verbs) for c in fact_candidates(ctx)]
    # "hit and damaged a depot": "hit" has no object of its own, so one question.
    assert asked == [(1, ("burning",)), (1, ("damaged",)), (2, ("damaged",))]


def test_an_intransitive_verb_offers_its_subject() -> None:
    got = options("Officials said that the Polish embassy in Kyiv sustained damage overnight.")
    assert got[1] == ["Polish embassy in Kyiv"]
    assert options("A warehouse caught fire after the strike.")[1] == ["warehouse"]


def test_the_targets_were_is_a_fact_about_what_was_hit() -> None:
    got = options("According to the mayor, the targets were non-residential and military sites.")
    assert "non-residential and military sites" in got[1]


def test_the_subject_of_a_hearsay_passive_is_found_past_its_auxiliaries() -> None:
    got = options("Footage showed smoke, and the airport was said to have been set on fire.")
    assert got[1] == ["airport"]


def test_pronouns_and_figures_of_speech_are_not_offered() -> None:
    got = options(
        "Officials have not said how badly it was damaged. "
        "The administration struck a gloomy note after the call."
    )
    assert got.get(1, []) == [] and got.get(2, []) == []


def test_killed_is_a_fact_only_where_no_figure_counts_the_dead() -> None:
    got = options("Two people were killed overnight. A woman had been killed by a drone.")
    assert 1 not in got
    assert "woman" in got[2]


def test_a_phone_call_is_found_by_code_once_per_article() -> None:
    ctx = context(
        "The raid began after the leaders spoke by phone. Later the phone call was criticised."
    )
    fact = call_fact(ctx)
    assert fact is not None
    assert fact.action == CALL_ACTION and fact.target == "spoke by phone"
    assert fact.span.text == "The raid began after the leaders spoke by phone."
    assert call_fact(context("Drones hit a power station.")) is None


def test_extraction_adds_the_call_without_asking_the_model(
    fake_llm: Callable[..., LLM],
) -> None:
    asked: list[str] = []

    def answer(request: CompletionRequest) -> str:
        asked.append(request.schema_name)
        return json.dumps({"target": "none"})

    article = parse_article(
        "Kyiv was hit after a telephone call between the leaders.", article_id="t"
    )
    result = extract_claims(article, fake_llm(answer))
    facts = [c for c in result.claims if isinstance(c, EventFactClaim)]
    assert [f.action for f in facts] == [CALL_ACTION]
    assert asked == ["FactAnswer"]  # the "hit" sentence was asked about; the call was not


def test_a_figure_in_a_target_is_kept_whole() -> None:
    text = "In Mandalay, 5,000 buildings collapsed."
    sentence = ArticleContext.of(parse_article(text, article_id="q")).sentences[0]
    assert [text[a:b] for a, b in target_options(sentence, "collapsed")] == ["5,000 buildings"]


def _sentence(text: str) -> Sentence:
    return Sentence(number=1, start=0, end=len(text), text=text)


def test_fact_verbs_of_other_story_types_are_found() -> None:
    assert verbs_in(_sentence("The freight train derailed outside the town.")) == ["derailed"]
    assert verbs_in(_sentence("The Hill Brigade claimed responsibility.")) == [
        "claimed responsibility"
    ]
    assert verbs_in(_sentence("The minister resigned on Monday.")) == ["resigned"]


def test_a_subject_role_verb_offers_what_comes_before_it() -> None:
    text = "The Hill Brigade claimed responsibility for the blast."
    options = target_options(_sentence(text), "claimed responsibility")
    assert [text[a:b] for a, b in options] == ["Hill Brigade"]


def test_a_passive_only_verb_needs_was_or_were() -> None:
    found = "The missing hiker was found on Friday."
    searched = "Investigators found the recorder."
    assert [found[a:b] for a, b in target_options(_sentence(found), "found")] == ["missing hiker"]
    assert target_options(_sentence(searched), "found") == []


def test_facts_of_crashes_and_investigations_beyond_attacks_are_candidates() -> None:
    ctx = context(
        "A cargo plane came down in a marsh near Lerwick on Monday. "
        "Prosecutors opened a criminal case into the crash. "
        "The governor declared two days of mourning. "
        "Divers recovered the flight recorders on Tuesday."
    )
    asked = {c.sentence.number: c.verbs for c in fact_candidates(ctx)}
    assert asked == {
        1: ("came down",),
        2: ("opened a criminal case",),
        3: ("days of mourning",),
        4: ("recovered",),
    }


def test_a_subject_named_with_brackets_is_offered_from_the_parse() -> None:
    text = (
        "The Ogaden National Liberation Front (ONLF) claimed responsibility for the ambush "
        "on Monday."
    )
    options = target_options(_sentence(text), "claimed responsibility")
    assert [text[a:b] for a, b in options] == ["The Ogaden National Liberation Front (ONLF)"]


def test_a_verb_with_a_modal_is_no_happening() -> None:
    feared = "Traders had feared that the strike would damage the refinery."
    assert target_options(_sentence(feared), "damage") == []
    done = "The strike damaged the refinery."
    assert target_options(_sentence(done), "damaged") != []
