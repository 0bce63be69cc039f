"""The event an article reports: date from the lede or the metadata, place from the lede."""

from __future__ import annotations

import datetime as dt

from claimcheck.extract.event import _city_mentions, _place_mentions, _role, event_info
from claimcheck.ingest import parse_article
from claimcheck.models import Article, DateCertainty

FRIDAY = dt.date(2025, 11, 14)


def info(text: str, published: dt.date | None = FRIDAY) -> tuple[dt.date | None, str, str | None]:
    event = event_info(Article(id="a", text=text, published=published))
    return event.date, event.date_certainty.value, event.place


def test_background_dates_below_the_lede_do_not_date_the_event() -> None:
    text = (
        "Russia hit Kyiv with drones on Friday. Eleven people were hurt.\n\n"
        "Talks were offered on Wednesday. Forces gained ground between October 14 and "
        "November 11."
    )
    assert info(text) == (FRIDAY, DateCertainty.METADATA.value, "Kyiv")


def test_a_weekday_in_the_lede_moves_the_date_back_from_publication() -> None:
    text = "Drones struck Kyiv on Thursday night. Several homes burned."
    assert info(text)[:2] == (dt.date(2025, 11, 13), DateCertainty.INFERRED.value)


def test_a_date_stated_in_the_lede_wins() -> None:
    text = "Missiles hit Kyiv on 12 November. The city counted the damage."
    assert info(text)[:2] == (dt.date(2025, 11, 12), DateCertainty.STATED.value)


def test_without_metadata_a_stated_date_further_down_is_used() -> None:
    text = "Drones struck the capital overnight. Officials spoke.\n\nThe attack on 4 July 2025 ..."
    assert info(text, None)[:2] == (dt.date(2025, 7, 4), DateCertainty.STATED.value)


def test_a_city_named_as_an_actor_is_not_the_place() -> None:
    text = (
        "Kyiv residents sheltered as Russian drones struck the capital, two days after Moscow "
        "said it would talk. Nine people were hurt. Moscow's offer stands. Moscow has not "
        "commented."
    )
    assert info(text)[2] == "Kyiv"


def test_the_lede_city_nearest_the_attack_wins() -> None:
    text = (
        "Hours after offering talks in Istanbul, Russia pounded Kyiv with air strikes. "
        "Istanbul talks may resume. Istanbul is ready."
    )
    assert info(text)[2] == "Kyiv"


def kind(text: str) -> str | None:
    return event_info(Article(id="a", text=text, published=FRIDAY)).kind


def test_the_kind_is_read_from_the_lede_for_every_story_type() -> None:
    assert kind("A magnitude 6.9 quake shook the coast at dawn. Homes fell.") == "earthquake"
    assert kind("A cargo jet crashed on take-off from Lomé. Nine crew died.") == "plane crash"
    assert kind("A night train derailed near Brno. Twelve were hurt.") == "derailment"
    assert kind("Voters returned the ruling party in the election. Turnout fell.") == "election"
    assert kind("The former minister was sentenced to nine years. He will appeal.") == (
        "sentencing"
    )
    assert kind("Russia launched 300 drones and 12 missiles at Lviv. Sirens sounded.") == (
        "drone and missile attack"
    )
    # a footbridge over a river in Laos gives way: a collapse, one site
    assert kind("A rope bridge collapsed over the Nam Ou river, killing 14. Divers searched.") == (
        "bridge collapse"
    )


def test_a_building_that_collapsed_is_a_collapse_unless_another_kind_applies() -> None:
    assert (
        kind(
            "Two workers died after the collapse of a multistorey building under construction "
            "in Ikoyi on Monday. Rescuers dug through the night."
        )
        == "building collapse"
    )
    assert kind("An apartment block that collapsed in Mogadishu buried 14. Crews dug.") == (
        "building collapse"
    )
    # buildings fall in a quake: the quake is the event
    assert kind("Buildings collapsed across the city after a 7.1 earthquake. Crews dug.") == (
        "earthquake"
    )


def test_the_first_kind_word_of_the_lede_wins_over_later_ones() -> None:
    # The quake comes first; the drones filming the damage are not the event.
    assert kind("An earthquake flattened the old town. Drones filmed the damage.") == "earthquake"


def test_no_kind_word_gives_no_kind() -> None:
    assert kind("The committee met on Friday. It adjourned.") is None


def test_words_of_other_stories_in_a_lede_do_not_make_its_kind() -> None:
    assert kind("Russian aircraft fired missiles at Odesa overnight. Flights stopped.") == (
        "missile attack"
    )
    assert kind("The final toll of the quake rose to 300. Rescuers dug on.") == "earthquake"


def test_the_first_sentence_says_where_it_happened_and_names_are_not_places() -> None:
    text = (
        "Thirty people were killed when a jet crashed into houses in Rionegro on Tuesday. "
        "The flight to San Andres carried 140 passengers.\n\n"
        "George Osborne and Nigel Farage sent condolences from London."
    )
    info = event_info(Article(id="x", text=text))
    assert info.place == "Rionegro"
    named = {city for _, _, city in _city_mentions(text)}
    assert "San Andres" in named and "San" not in named
    assert not named & {"George", "Nigel"}


def test_the_crash_site_outranks_the_route_and_a_dateline() -> None:
    text = (
        "MOSCOW, July 24 (Wire) - A passenger plane with 40 people aboard crashed in "
        "Russia's Far East on Thursday, officials said.\n\n"
        "The plane had set out from Khabarovsk and called at Blagoveshchensk before heading "
        "to Tynda. Rescuers found the wreck near Tynda on a wooded slope."
    )
    assert info(text)[2] == "Tynda"


def test_a_place_named_as_a_time_zone_is_not_the_site() -> None:
    # a foreign outlet's note of its own clock says nothing of where the vote was held
    text = (
        "With 97 percent of ballots counted, the incumbent won 54 percent in the runoff in "
        "Poland, the electoral commission said.\n\n"
        "Polls closed at 9 p.m. (at 11 p.m. Tbilisi time), and counting went on overnight."
    )
    assert info(text)[2] is None


def test_a_small_town_or_district_named_as_the_site_is_the_place() -> None:
    text = (
        "An earthquake killed at least 30 people in the remote Lorvan district overnight, "
        "officials in Kathmandu said. Houses collapsed in Lorvan district and nearby "
        "villages."
    )
    assert info(text)[2] == "Lorvan"


def test_a_caption_place_and_a_company_tagged_as_a_place_are_not_the_site() -> None:
    text = (
        "Photo: Traffic in Mumbai at night. File photo\n\n"
        "Floods swept through Chiplun on Monday, killing nine people, officials said."
    )
    assert info(text)[2] == "Chiplun"


def test_a_word_of_a_longer_place_name_is_no_city_of_its_own() -> None:
    text = "A jury in New York found the singer guilty on Wednesday."
    assert "York" not in [name for _s, _e, name in _city_mentions(text)]


def test_a_city_word_inside_an_organisations_name_is_no_place() -> None:
    text = (
        "The anti-immigration UK Independence Party won a single seat as the Conservatives "
        "took a majority in the general election, results showed on Friday."
    )
    assert "Independence" not in {name for _, _, name in _city_mentions(text)}
    # an organisation named after its city first still says where it is
    text = "The Kyiv City Military Administration said two people were hurt in the attack."
    assert "Kyiv" in {name for _, _, name in _city_mentions(text)}
    # a company named after a city says nothing of where the story is
    text = "Shares fell after Oxford Instruments cut its forecast on Tuesday."
    assert "Oxford" not in {name for _, _, name in _city_mentions(text)}
    # one the tagger splits into a city and another word: written only so, it is a name
    text = "Regulators fined the firm after the Bristol Analytix data scandal, the board said."
    assert "Bristol" not in {name for _, _, name in _city_mentions(text)}
    # a title, a body of the city or the city alone elsewhere keep it
    for text in (
        "Bristol Mayor Ann Lowe said the firm had misled the council.",
        "The Bristol Analytix scandal shook the firm, and staff in Bristol were questioned.",
    ):
        assert "Bristol" in {name for _, _, name in _city_mentions(text)}


def test_a_city_word_inside_a_partys_name_read_as_a_title_is_no_place() -> None:
    # the tagger reads this party's name as a work of art; its "Granada" is no city
    text = "Her party, La Granada Avanza, holds nine seats in Congress."
    assert "Granada" not in {name for _, _, name in _city_mentions(text)}


def test_an_island_the_tagger_calls_a_location_is_the_site() -> None:
    # "Evia" is tagged LOC, not GPE, and the gazetteer does not know it; the fire service's
    # city is only where a spokesman spoke.
    text = (
        "Wildfires raged on Evia on Tuesday, forcing thousands to flee. A spokesman for the "
        "fire service in Athens said crews were stretched."
    )
    assert event_info(parse_article(text, article_id="x")).place == "Evia"


def test_a_city_in_a_persons_description_is_not_the_site() -> None:
    # "Former Dallas pastor Mark Ellis": Dallas describes the man, Tyler is where it happened
    text = (
        "Former Dallas pastor Mark Ellis was sentenced to eight years in prison on Friday for "
        "fraud. The hearing was held at the federal courthouse in Tyler, Texas, and lasted "
        "two hours."
    )
    assert event_info(parse_article(text, article_id="x")).place == "Tyler"


def test_a_place_of_a_proper_name_is_only_an_actor() -> None:
    # "the station KHON of Honolulu" names a broadcaster, not where the fire burned
    text = "Residents told the station KHON of Honolulu that the flames came fast."
    mention = next(m for m in _place_mentions(text) if m.name == "Honolulu")
    assert _role(mention, text) == "actor"


def test_a_place_in_capitals_and_a_dash_opens_a_dateline() -> None:
    from claimcheck.extract.event import dateline_end, is_dateline

    text = "MARIUPOL - The toll from the strikes on the city rose to 12 on Monday."
    assert is_dateline(text, 0)
    assert text[dateline_end(text, 0) or 0 :].startswith("The toll")
    wire = "SANTIAGO, Chile (AP) \u2014 Volunteers cleared debris on Monday."
    assert text and wire[dateline_end(wire, 0) or 0 :].startswith("Volunteers")
    # a sentence that merely opens with a place is no dateline, nor is a short initialism
    assert not is_dateline("Mariupol was struck again on Monday - officials said.", 0)
    assert not is_dateline("US - China talks resumed on Monday.", 0)


def test_a_place_of_another_years_event_is_not_the_events_place() -> None:
    article = Article(
        id="a",
        text=(
            "Hopes faded on Thursday of finding more survivors of the earthquake, whose toll "
            "surpassed that of the 2011 earthquake off Sendai, Japan, in which more than 18,000 "
            "died.\n\nRescuers in Gaziantep said the cold hampered the search."
        ),
        published=dt.date(2023, 2, 9),
    )
    assert event_info(article).place == "Gaziantep"


def test_a_storms_name_is_no_place_anywhere_in_the_article() -> None:
    # a cyclone named like a city: the storm's name is no site, even where the text later
    # names the storm alone
    text = (
        "Victoria leaves two dead in Australia's north. Cyclone Victoria lashed Darwin on "
        "Tuesday, killing two people, before Victoria weakened overnight."
    )
    assert event_info(parse_article(text, article_id="x")).place == "Darwin"
    assert "Victoria" not in {m.name for m in _place_mentions(text)}


def test_a_weekday_still_to_come_does_not_date_the_event() -> None:
    # a final result, with the swearing-in to come: Monday is no day of the event
    text = (
        "---\npublished: 2024-03-06\n---\nThe electoral commission confirmed the final "
        "results, and the new president will be sworn in on Monday. Turnout was 61%."
    )
    info = event_info(parse_article(text, article_id="x"))
    assert (info.date, info.date_certainty) == (dt.date(2024, 3, 6), DateCertainty.METADATA)
    # a day past in the lede still dates it
    text = (
        "---\npublished: 2024-03-06\n---\nThe electoral commission confirmed the final "
        "results on Monday, and the new president will be sworn in next week."
    )
    assert event_info(parse_article(text, article_id="y")).date == dt.date(2024, 3, 4)
