"""Deterministic detectors: sentences, figures, quotations, people with titles."""

from __future__ import annotations

import pytest

from claimcheck.extract.candidates import find_people, find_quotes, is_non_story_line, mentions_of
from claimcheck.extract.context import ArticleContext
from claimcheck.extract.grounding import number_in_span
from claimcheck.extract.number_candidates import find_numbers, parse_number
from claimcheck.extract.text import normalise, numbered, split_sentences, windows
from claimcheck.ingest import parse_article
from claimcheck.models import Qualifier, QuantityClaim


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = "The U.S. envoy met Mr. Brown at 9 a.m. on Monday. Then he left!\nNew line here"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The U.S. envoy met Mr. Brown at 9 a.m. on Monday.",
        "Then he left!",
        "New line here",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert numbered(sentences).splitlines()[1] == "[2] Then he left!"


def test_normalise_is_length_preserving() -> None:
    text = "\u201cYes\u201d \u2014 it\u2019s\u00a0fine"
    assert normalise(text) == '"Yes" - it\'s fine'
    assert len(normalise(text)) == len(text)


def test_windows_overlap_and_cover_everything() -> None:
    sentences = split_sentences(" ".join(f"Sentence {i} ends." for i in range(1, 12)))
    parts = windows(sentences, size=5, overlap=2)
    assert [w[0].number for w in parts] == [1, 4, 7]
    assert {s.number for w in parts for s in w} == set(range(1, 12))


@pytest.mark.parametrize(
    ("text", "value"),
    [("2,000", 2000), ("twenty-three", 23), ("1.5 million", 1_500_000), ("Eleven", 11)],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The blaze hurt two dozen firefighters.", ("two dozen", 24, Qualifier.ABOUT)),
        ("Nearly three dozen homes flooded.", ("three dozen", 36, Qualifier.NEARLY)),
        ("A dozen passengers were treated.", ("dozen", 12, Qualifier.ABOUT)),
    ],
)
def test_a_count_in_dozens_is_one_round_figure(
    text: str, figure: tuple[str, float, Qualifier]
) -> None:
    assert _figures(text) == [figure]


def _figures(text: str) -> list[tuple[str, float, Qualifier]]:
    return [(n.text, n.value, n.qualifier) for n in find_numbers(text, split_sentences(text))]


def test_figures_with_qualifiers_from_the_text() -> None:
    text = (
        "At least 12 people were hurt and more than 2,000 homes lost power. "
        "Around forty drones flew in; nearly 30 were downed, up to 5 got through. "
        "Between 3 and 6 buildings burned. Crews saved nine residents."
    )
    assert _figures(text) == [
        ("12", 12, Qualifier.AT_LEAST),
        ("2,000", 2000, Qualifier.MORE_THAN),
        ("forty", 40, Qualifier.ABOUT),
        ("30", 30, Qualifier.NEARLY),
        ("5", 5, Qualifier.UP_TO),
        ("3 and 6", 3, Qualifier.RANGE),
        ("nine", 9, Qualifier.EXACT),
    ]
    rng = find_numbers(text, split_sentences(text))[5]
    assert rng.value_high == 6
    first = find_numbers(text, split_sentences(text))[0]
    assert text[first.phrase_start : first.end] == "At least 12"


def test_years_dates_times_ages_ordinals_are_not_figures_but_durations_and_percents_are() -> None:
    text = (
        "In February 2022 the war began. On 14 November and June 6 sirens sounded at 4 am "
        "and 03:30. It lasted three hours over two days, the 2nd wave was one of the worst, "
        "a 45-year-old man aged 45 and an S-300 battery, 80% of power. Seven drones fell."
    )
    assert [(n.text, n.unit) for n in find_numbers(text, split_sentences(text))] == [
        ("three hours", "hours"),
        ("two days", "days"),
        ("80%", "percent"),
        ("Seven", None),
    ]


def _units(text: str) -> list[tuple[str, float, str | None, str]]:
    return [(n.text, n.value, n.unit, n.kind) for n in find_numbers(text, split_sentences(text))]


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Profit reached £4.2bn last year.", ("£4.2bn", 4.2e9, "GBP", "money")),
        ("Revenue was $94.9 billion.", ("$94.9 billion", 94.9e9, "USD", "money")),
        ("The state gave Rs 50 crore.", ("Rs 50 crore", 5e8, "INR", "money")),
        ("About 2.5 lakh people fled.", ("2.5 lakh", 2.5e5, None, "count")),
        ("Labour won 52% of the vote.", ("52%", 52, "percent", "percent")),
        ("Labour won 52 per cent of the vote.", ("52 per cent", 52, "percent", "percent")),
        ("A 7.8-magnitude quake struck.", ("7.8-magnitude", 7.8, "magnitude", "magnitude")),
        ("A quake of magnitude 7.8 struck.", ("magnitude 7.8", 7.8, "magnitude", "magnitude")),
        ("The jet climbed to 625 feet.", ("625 feet", 625, "ft", "length")),
        ("The convoy drove 1,330 km.", ("1,330 km", 1330, "km", "length")),
        ("He got 20 years in prison.", ("20 years", 20, "years", "duration")),
        ("She was jailed for three years.", ("three years", 3, "years", "duration")),
        ("In all, 5,000 buildings collapsed.", ("5,000", 5000, None, "count")),
        ("Winds reached 120 mph.", ("120 mph", 120, "mph", "speed")),
        ("It left 300mm of rain.", ("300mm", 300, "mm", "rainfall")),
        ("The fine was 40 dollars.", ("40 dollars", 40, "USD", "money")),
        ("Floods hit 1.5m people.", ("1.5m", 1.5e6, None, "count")),
        ("The tower is 300m tall.", ("300m", 300, "m", "length")),
    ],
)
def test_figures_carry_their_unit_and_magnitude_word(
    text: str, figure: tuple[str, float, str | None, str]
) -> None:
    [got] = _units(text)
    assert got[0] == figure[0] and got[2:] == figure[2:]
    assert got[1] == pytest.approx(figure[1])


def test_about_before_a_unit_figure_is_its_qualifier() -> None:
    [n] = find_numbers("It is about 1,000 km away.", split_sentences("It is about 1,000 km away."))
    assert (n.text, n.qualifier, n.unit) == ("1,000 km", Qualifier.ABOUT, "km")


@pytest.mark.parametrize(
    "text",
    [
        "A Boeing 787 Dreamliner crashed.",  # PRODUCT in the parse
        "An Airbus A320 landed.",  # a code glued to letters
        "The crew of flight 171 called.",  # name word from the data list
        "Flight AI171 left Ahmedabad.",
        "He sat in seat 11A.",
        # a train's number before its name
        '"The derailed bogies collided with 15227 Yesvantpur-Muzaffarpur Weekly Express and '
        'overturned," an official said.',
        "A Su-34 jet flew over.",
        "They drove down Route 66.",  # FAC in the parse
        "Police imposed Section 144.",  # LAW in the parse
    ],
)
def test_numbers_inside_names_are_not_figures(text: str) -> None:
    assert _units(text) == []


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("In Kharkiv 12 people were hurt.", "12"),  # the parse tags "Kharkiv 12" as LAW
        ("In Sumy 3 people died.", "3"),
        ("Air India said 241 people died.", "241"),
        ("Some 1500 Syrians crossed the border.", "1500"),  # plural: people, not a name
    ],
)
def test_a_number_counting_a_plural_noun_after_a_name_is_a_figure(text: str, figure: str) -> None:
    assert [u[0] for u in _units(text)] == [figure]


def test_a_time_frame_is_not_a_duration_figure() -> None:
    text = "In the past 24 hours, 3 people died."
    assert [n.text for n in find_numbers(text, split_sentences(text))] == ["3"]


def test_quotes_in_every_mark_style_but_not_apostrophes() -> None:
    text = (
        'She said \u201cwe will rebuild the city\u201d. He added "this is not over". '
        "\u00abNever again\u00bb, they wrote. "
        "The mayor\u2019s office said \u2018stay inside now\u2019. "
        "It\u2019s the \u201cend\u201d."
    )
    quotes = find_quotes(text, split_sentences(text))
    assert [q.text for q in quotes] == [
        "we will rebuild the city",
        "this is not over",
        "Never again",
        "stay inside now",
    ]
    assert all(text[q.inner_start : q.inner_end] == q.text for q in quotes)


def _people(text: str) -> list[tuple[str, list[str]]]:
    return [
        (p.name, [text[s:e] for s, e in p.titles]) for p in find_people(text, split_sentences(text))
    ]


def test_people_with_prefix_and_appositive_titles() -> None:
    text = (
        "Ukraine\u2019s Foreign Minister Olena Marchuk spoke. Lviv Mayor Andriy Sadovyi agreed. "
        "Taras Melnyk, a senior Ukrainian official, said more. "
        "Later former U.S. President Jimmy Carter was cited, and President Carter again. "
        "Presidents Emmanuel Macron and Olaf Scholz met. J.D. Vance, the vice president, spoke. "
        "Moldova’s prime minister, Ana Rusu, agreed."
    )
    assert _people(text) == [
        ("Olena Marchuk", ["Ukraine\u2019s Foreign Minister"]),
        ("Andriy Sadovyi", ["Lviv Mayor"]),
        ("Taras Melnyk", ["senior Ukrainian official"]),
        ("Jimmy Carter", ["former U.S. President"]),
        # A surname alone is the person the article names in full, never a new person.
        ("Jimmy Carter", ["President"]),
        ("Emmanuel Macron", ["Presidents"]),
        ("Olaf Scholz", ["Presidents"]),
        ("J.D. Vance", ["vice president"]),
        ("Ana Rusu", ["Moldova’s prime minister"]),
    ]


def test_places_and_organisations_are_not_people() -> None:
    text = "Zhuliany International Airport burned. Black Sea Fleet ships left Kyiv on Friday."
    assert _people(text) == []


def test_mentions_link_surnames_to_full_names() -> None:
    text = "Mayor Ivan Petrenko spoke. Later Petrenko added more."
    people = find_people(text, split_sentences(text))
    # Each mention counts once, at its start ("Ivan Petrenko" at 6, "Petrenko" at 33).
    assert mentions_of(text, people) == {"Ivan Petrenko": [6, 33]}


# --- people from the parse: the hard cases of real copy (issue 14)


def test_a_whole_name_is_one_person_and_its_parts_link_back_to_it() -> None:
    text = (
        "Kenyan Transport Minister Amina Wanjiru Otieno reached the site at noon. "
        "Otieno met the families. Amina later left for the capital."
    )
    got = _people(text)
    assert got[0] == ("Amina Wanjiru Otieno", ["Kenyan Transport Minister"])
    # "Amina" alone is never a new person "Amina": it is the person named in full.
    assert {name for name, _ in got} == {"Amina Wanjiru Otieno"}


def test_a_part_shared_by_two_people_named_in_full_is_left_unlinked() -> None:
    text = "Omar Haddad and Karim Haddad both spoke. Haddad, a judge, was cautious."
    assert {name for name, _ in _people(text)} == {"Omar Haddad", "Karim Haddad"}


def test_an_organisation_or_facility_is_never_a_person() -> None:
    text = (
        "Samples went to a forensic laboratory in Leeds. The Forensic Science Laboratory "
        "said results were due. Leeds General Infirmary took in 12 people."
    )
    assert _people(text) == []


def test_a_title_is_only_what_the_parse_attaches_to_the_name() -> None:
    text = (
        "Lena Vogt called Tomas Berg on Monday, after which the German chancellor said "
        "talks would continue."
    )
    got = _people(text)
    assert ("Tomas Berg", []) in got
    assert all(titles == [] for _, titles in got)
    text = "The country's finance minister, Tomas Berg, said the budget would hold."
    assert _people(text) == [("Tomas Berg", ["country's finance minister"])]


def test_people_in_captions_bylines_and_link_lines_are_skipped() -> None:
    text = (
        "By Lena Vogt\n"
        "Photo: Mayor Tomas Berg at the dam\n"
        "Also read: Minister Karim Haddad resigns\n"
        "Mayor Tomas Berg said the river had peaked."
    )
    assert _people(text) == [("Tomas Berg", ["Mayor"])]


def test_non_story_lines() -> None:
    assert is_non_story_line("Also read: Floods close the main road")
    assert is_non_story_line("Photo: rescuers at the dam on Tuesday")
    assert is_non_story_line("By Lena Vogt and Tomas Berg")
    assert is_non_story_line("Rescuers at the collapsed dam near the town")
    assert not is_non_story_line("By Friday the toll had risen to 40.")
    assert not is_non_story_line("Rescuers worked at the collapsed dam near the town")
    assert not is_non_story_line("The mayor said the river had peaked.")


def test_figures_in_a_caption_line_are_not_the_storys() -> None:
    text = (
        "Photo: 300 rescuers at the dam on Tuesday\n"
        "Also read: 12 towns cut off by the floods\n"
        "At least 40 people died when the dam broke."
    )
    ctx = ArticleContext.of(parse_article(text, article_id="c"))
    assert [n.value for n in ctx.numbers] == [40]


def test_a_title_the_parser_hangs_on_the_next_name_stays_with_its_own() -> None:
    text = (
        "The raid came hours after a call between former U.S. President Jon Harker and "
        "Estonian Prime Minister Liis Tamm, which ended without agreement."
    )
    assert _people(text) == [
        ("Jon Harker", ["former U.S. President"]),
        ("Liis Tamm", ["Estonian Prime Minister"]),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The tagger reads a name right after a title as an ORG or a place.
        ("Amur region Governor Vasily Orlov said in a post on Telegram.", "Amur region Governor"),
        ("The rescuers arrived, Van Governor Ozan Yücel said on Monday.", "Van Governor"),
        ("Mayor Claudia Restrepo said the town would help.", "Mayor"),
        ("Gov. Greg Abbott said it was sad.", "Gov."),
    ],
)
def test_a_name_mistagged_after_a_title_is_a_person(text: str, expected: str) -> None:
    people = _people(text)
    assert len(people) == 1
    assert people[0][1] == [expected]


def test_a_given_name_mistagged_as_a_place_is_taken_back_but_an_institution_is_not() -> None:
    text = "Jajarkot district official Harish Chandra Sharma told reporters that houses fell."
    assert _people(text) == [("Harish Chandra Sharma", ["Jajarkot district official"])]
    text = "Chief Secretary to the Treasury Danny Alexander lost his seat."
    assert [name for name, _ in _people(text)] == ["Danny Alexander"]


@pytest.mark.parametrize(
    "text",
    [
        "What to know:\n1. The outbreak grew.\n2. Schools shut.",
        "As many as 9 in 10 people exposed will catch it.",
        "The call between the two leaders ended late.",
        "Officials from the two agencies said patients were moved.",
    ],
)
def test_numbers_that_count_nothing_are_not_figures(text: str) -> None:
    assert find_numbers(text, split_sentences(text)) == []


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Prosecutors will seek a long sentence on the two convictions.", "two"),
        ("The judge gave more than the five years requested by the defense.", "five years"),
        ("Both of the two men were killed outright.", "two"),
    ],
)
def test_a_back_reference_that_counts_what_happened_is_still_a_figure(
    text: str, figure: str
) -> None:
    assert [n.text for n in find_numbers(text, split_sentences(text))] == [figure]


@pytest.mark.parametrize(
    "text",
    [
        "Ottawa beat Toronto 4-2 at home on Saturday.",
        "The sides drew 2-2 after extra time.",
        "Leeds led 1-0 at half-time before the storm delayed play.",
        "The appeals court ruled 7-4 that the law stands.",
    ],
)
def test_a_score_or_a_vote_tally_is_no_figure(text: str) -> None:
    assert _figures(text) == []


def test_a_range_written_with_a_hyphen_is_still_a_figure() -> None:
    assert [v for _, v, _ in _figures("The landslide killed 10-12 villagers.")] == [10.0]


def _ranges(text: str) -> list[tuple[str, float, float | None, str | None]]:
    return [
        (n.text, n.value, n.value_high, n.unit) for n in find_numbers(text, split_sentences(text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the parse calls these phrases dates; they count people
        ("Between 40 and 50 miners were trapped.", [("40 and 50", 40.0, 50.0, None)]),
        # the unit after the second number is both numbers'
        ("The judge jailed him for 4 to 6 years.", [("4 to 6 years", 4.0, 6.0, "years")]),
        ("Each faces 8-10 years in prison.", [("8-10 years", 8.0, 10.0, "years")]),
        # and so is the magnitude word
        (
            "Between 4 and 5 million homes lost power.",
            [("4 and 5 million", 4e6, 5e6, None)],
        ),
        (
            "Repairs will cost 1 to 2 billion dollars.",
            [("1 to 2 billion dollars", 1e9, 2e9, "USD")],
        ),
        # real dates stay out
        ("The inquiry ran from 2018 to 2020.", []),
        ("The festival ran between 12 and 14 June.", []),
    ],
)
def test_a_range_keeps_both_numbers_with_their_shared_unit(
    text: str, expected: list[tuple[str, float, float | None, str | None]]
) -> None:
    assert _ranges(text) == expected


@pytest.mark.parametrize("written", ["18 1/2 years", "18½ years"])
def test_a_whole_and_a_fraction_are_one_figure(written: str) -> None:
    # a fraud sentencing: "18 1/2 years" was read as a sentence of 2 years
    text = f"The judge sentenced the former fund manager to {written} in federal prison."
    ctx = ArticleContext.of(parse_article(text, article_id="f"))
    found = [(n.text, n.value, n.unit) for n in find_numbers(ctx.article.text, ctx.sentences)]
    assert found == [(written, 18.5, "years")]
    claim = QuantityClaim(
        id="f:1",
        article_id="f",
        span=ctx.article.span(text.index(written), text.index(written) + len(written)),
        value=18.5,
        subject="years",
        measure="sentence",
        unit="years",
    )
    assert number_in_span(claim, ctx.article)


def test_a_date_written_with_a_slash_is_no_fraction() -> None:
    text = "Since 9/11, more than 3,000 people have died of related illnesses."
    ctx = ArticleContext.of(parse_article(text, article_id="f"))
    assert [n.value for n in find_numbers(ctx.article.text, ctx.sentences)] == [3000.0]


def test_an_age_set_after_a_persons_name_is_no_figure() -> None:
    # a bus crash's victims listed with their ages: the ages count nothing
    text = (
        "The four dead were named as Ana Souza, 34; Pedro Lima, 61; Joana Reis, 8, and "
        "Carlos Mota, 45. Rescuers treated 23 people, and the driver, Paulo Dias, 52, survived."
    )
    assert [t for t, _v, _q in _figures(text)] == ["four", "23"]
