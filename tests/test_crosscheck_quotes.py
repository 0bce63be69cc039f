"""Quotes: near-same words, different speakers -> misattribution; stock phrases ignored."""

from __future__ import annotations

from typing import Any

from test_crosscheck import make_item

from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import group_events
from claimcheck.crosscheck.quotes import compare_quotes, quote_words, similar
from claimcheck.models import FindingKind, QuoteClaim


def quote(span: str, speaker: str | None, **kw: Any) -> dict[str, Any]:
    return {"type": "quote", "span": span, "quote": span, "speaker": speaker, **kw}


def run(*items: Any) -> list[Any]:
    (group,) = group_events(list(items))
    names = [c.speaker for c in group.claims if isinstance(c, QuoteClaim) and c.speaker]
    return compare_quotes(group, People(names))


def test_bracketed_insertions_and_pronouns_do_not_matter() -> None:
    a = quote_words("I don't think [Putin] is looking to stop,")
    b = quote_words("I don't think he's looking to stop")
    assert similar(a, b)


def test_different_quotes_are_not_similar() -> None:
    assert not similar(
        quote_words("the whole of Ukraine is ours"), quote_words("I don't think he's there")
    )


def test_same_quote_credited_to_two_people_is_a_misattribution() -> None:
    words = "I don't think he's looking to stop"
    a = make_item("a", f'Trump said: "{words}".', [quote(words, "Donald Trump")])
    b = make_item("b", f'Trump added: "{words}".', [quote(words, "Trump")])
    c = make_item("c", f'Vance said: "{words}".', [quote(words, "J.D. Vance")])
    (finding,) = run(a, b, c)
    assert finding.kind is FindingKind.MISATTRIBUTION
    assert finding.subject == "J.D. Vance"
    assert finding.suggestion is not None and "Donald Trump" in finding.suggestion
    assert {e.article_id for e in finding.evidence} == {"a", "b", "c"}


def test_spelling_variants_of_the_speaker_are_no_finding() -> None:
    words = "the attack was demonstratively cynical and significant"
    a = make_item("a", f'"{words}"', [quote(words, "Volodymyr Zelensky")])
    b = make_item("b", f'"{words}"', [quote(words, "Volodymyr Zelenskyy")])
    assert run(a, b) == []


def test_short_stock_phrases_are_ignored() -> None:
    a = make_item("a", '"one of the worst"', [quote("one of the worst", "Dmytro Kuleba")])
    b = make_item("b", '"one of the worst"', [quote("one of the worst", "Andrii Sybiha")])
    assert run(a, b) == []


def test_institutions_are_not_speakers_to_compare() -> None:
    words = "Russia will not stop until the root causes are removed"
    a = make_item("a", f'"{words}"', [quote(words, "Vladimir Putin")])
    b = make_item("b", f'"{words}"', [quote(words, "the Kremlin")])
    assert run(a, b) == []


def test_a_tie_names_the_quote_and_makes_no_suggestion_of_a_speaker() -> None:
    words = "we will rebuild every home in this city"
    a = make_item("a", f'"{words}"', [quote(words, "Vitali Klitschko")])
    b = make_item("b", f'"{words}"', [quote(words, "Volodymyr Zelensky")])
    (finding,) = run(a, b)
    assert finding.subject == words
    assert finding.suggestion == "Check who said it against the original statement."


def test_a_quote_credited_to_the_relaying_outlet_or_a_first_name_is_no_finding() -> None:
    # One article credits the outlet that relayed the words, another the first name alone
    # of the person a third names in full: none of that is a second speaker.
    words = "every family here has lost someone tonight"
    a = make_item("a", f'"{words}," Omar Abdullah said.', [quote(words, "Omar Abdullah")])
    b = make_item("b", f'"{words}," he told the New York Times.', [quote(words, "New York Times")])
    c = make_item("c", f'"{words}," Omar said.', [quote(words, "Omar")])
    assert run(a, b, c) == []


def test_a_namesake_sharing_only_a_surname_is_still_a_different_speaker() -> None:
    words = "every family here has lost someone tonight"
    a = make_item("a", f'"{words}," Omar Abdullah said.', [quote(words, "Omar Abdullah")])
    b = make_item("b", f'"{words}," Farooq Abdullah said.', [quote(words, "Farooq Abdullah")])
    (finding,) = run(a, b)
    assert finding.kind is FindingKind.MISATTRIBUTION


def test_a_speaker_given_only_by_a_pronoun_earns_no_more_than_a_note() -> None:
    """A trial report names the judge first and the defendant as the sentence's subject, then
    gives the defendant's words with "he said": resolving "he" is a guess, so a finding that
    another outlet credits the words to someone else is an information note, not an
    accusation."""
    from claimcheck.models import Severity

    words = "I am sorry for the pain I caused to every family here"
    a = make_item(
        "a",
        "Before Judge Ana Ruiz read the sentence, former treasurer Tom Hale addressed the "
        f'court.\n\n"{words}," he said.',
        [quote(words, "Judge Ana Ruiz")],
        kind="sentencing",
        place="Denver",
    )
    b = make_item(
        "b",
        f'Former treasurer Tom Hale spoke before he was sentenced. "{words}," Hale told the court.',
        [quote(words, "Tom Hale")],
        kind="sentencing",
        place="Denver",
    )
    [finding] = run(a, b)
    assert finding.kind is FindingKind.MISATTRIBUTION
    assert finding.severity is Severity.INFO and "inferred" in finding.explanation
    # Named next to the words on both sides, the same disagreement stays high.
    c = make_item(
        "a",
        f'"{words}," Judge Ana Ruiz said as she read the sentence.',
        [quote(words, "Judge Ana Ruiz")],
        kind="sentencing",
        place="Denver",
    )
    [named] = run(c, b)
    assert named.severity is Severity.HIGH
