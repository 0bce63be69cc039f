"""Quotation speakers that code can read without asking the model."""

from __future__ import annotations

from collections.abc import Callable

from claimcheck.extract.candidates import find_quotes
from claimcheck.extract.context import ArticleContext
from claimcheck.extract.quotes import (
    attributed_speaker,
    classify_quote,
    continued_speaker,
    described_speaker,
)
from claimcheck.ingest import parse_article
from claimcheck.llm import LLM


def continued(text: str) -> list[str | None]:
    ctx = ArticleContext.of(parse_article(text, article_id="q"))
    return [continued_speaker(ctx, q) for q in find_quotes(ctx.article.text, ctx.sentences)]


def test_a_quotation_alone_after_an_attributed_one_keeps_its_speaker() -> None:
    got = continued(
        "Mayor Ivan Petrenko spoke after the raid. "
        '"We lost power twice and I fear for the hospital," Petrenko said. '
        '"I do not think the minister understands that."'
    )
    assert got == [None, "Ivan Petrenko"]


def test_he_said_after_the_quotation_still_carries_the_speaker_over() -> None:
    got = continued(
        'Ivan Petrenko said he was "deeply worried" about the grid. '
        '"I do not think the minister understands," he said, pointing at the plant.'
    )
    assert got == [None, "Ivan Petrenko"]


def test_a_quotation_with_its_own_attribution_or_none_before_is_left_to_others() -> None:
    assert continued('"We will rebuild every single home," the governor said.') == [None]
    got = continued(
        "Ivan Petrenko visited the site. "
        'Asked about the plant, "it will take weeks to repair," an engineer said.'
    )
    assert got == [None]


def attributed(text: str) -> list[str | None]:
    ctx = ArticleContext.of(parse_article(text, article_id="q"))
    return [attributed_speaker(ctx, q) for q in find_quotes(ctx.article.text, ctx.sentences)]


def test_of_two_speech_verb_subjects_the_one_of_the_verb_nearest_the_quote_speaks() -> None:
    assert attributed(
        "The Kremlin still says it wants a settlement on its own terms, and Ivan Petrenko has "
        'lately said that "the grid will hold this winter".'
    ) == ["Ivan Petrenko"]
    # Each name has its own verb: the verb right before the quotation decides.
    assert attributed('Ivan Petrenko said so, and Olena Bondar said "the grid will hold".') == [
        "Olena Bondar"
    ]


def test_an_unnamed_speaker_described_by_role_is_read_as_a_description() -> None:
    ctx = ArticleContext.of(
        parse_article(
            "Talks stalled. Moscow's envoy to Turkey told reporters that the "
            '"door is still open". Ivan Petrenko said "we will see".',
            article_id="q",
        )
    )
    quotes = find_quotes(ctx.article.text, ctx.sentences)
    assert [described_speaker(ctx, q) for q in quotes] == ["Moscow's envoy to Turkey", None]


def test_a_described_speaker_needs_no_model_question(fake_llm: Callable[..., LLM]) -> None:
    ctx = ArticleContext.of(
        parse_article(
            'Moscow\'s envoy to Turkey told reporters that the "ball is in their court".',
            article_id="q",
        )
    )
    (quote,) = find_quotes(ctx.article.text, ctx.sentences)
    claim = classify_quote(ctx, quote, fake_llm([]))  # any question would fail: no answers
    assert claim is not None
    assert (claim.speaker, claim.speaker_title) == (None, "Moscow's envoy to Turkey")


def test_a_quotation_running_over_two_sentences_is_not_carried_over() -> None:
    got = continued(
        'Donald Trump said the talks were "going well". '
        '"It was a terrible night. Nobody slept," Vitali Klitschko said.'
    )
    assert got == [None, None]


def test_two_names_before_one_speech_verb_are_left_to_the_model() -> None:
    assert attributed(
        "US President Donald Trump, after a long call on Friday with Volodymyr Zelensky, "
        'said "we are working very hard on it".'
    ) == [None]


def test_a_described_speaker_loses_its_connective_and_a_bare_role_is_a_back_reference() -> None:
    def described(text: str) -> list[str | None]:
        ctx = ArticleContext.of(parse_article(text, article_id="q"))
        return [described_speaker(ctx, q) for q in find_quotes(ctx.article.text, ctx.sentences)]

    assert described('But Ukrainian officials said the attack was "deliberate and cruel".') == [
        "Ukrainian officials"
    ]
    assert described(
        'US envoy Steve Witkoff arrived. The envoy told reporters that "talks are on".'
    ) == [None]
