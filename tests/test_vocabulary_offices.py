"""The office vocabulary: every office declared once, with the words that name it."""

from __future__ import annotations

from claimcheck.language.vocabulary.offices import office_vocabulary


def test_every_office_is_declared_once_with_phrases() -> None:
    vocabulary = office_vocabulary()
    ids = [o.id for o in vocabulary.offices]
    assert len(ids) == len(set(ids))
    for office in vocabulary.offices:
        assert office.phrases or office.usually, office.id
        for other in office.same_as:
            assert vocabulary.office(other) is not None, (office.id, other)


def test_levels_cover_national_subnational_city_and_international_offices() -> None:
    vocabulary = office_vocabulary()
    levels = {o.id: o.level for o in vocabulary.offices}
    assert levels["president"] == "national"
    assert levels["chief minister"] == levels["deputy chief minister"] == "subnational"
    assert levels["governor"] == levels["minister president"] == "subnational"
    assert levels["mayor"] == "city"
    assert levels["secretary general"] == "international"


def test_the_longest_phrase_wins() -> None:
    vocabulary = office_vocabulary()
    match = vocabulary.find("deputy chief minister of punjab")
    assert match is not None and match.office is not None
    assert match.office.id == "deputy chief minister"
    match = vocabulary.find("chancellor of the exchequer")
    assert match is not None and match.office is not None
    assert (match.office.id, match.usual_jurisdiction) == ("finance minister", "United Kingdom")
    # A declared uncovered phrase stops a shorter office being read into it.
    match = vocabulary.find("secretary of state for health")
    assert match is not None and match.office is None
    assert vocabulary.find("club chairman") is None


def test_heads_of_government_match_each_other() -> None:
    vocabulary = office_vocabulary()
    assert vocabulary.matching("premier") == {"premier", "prime minister", "chancellor"}
    assert vocabulary.matching("mayor") == {"mayor"}
    assert vocabulary.matching("unheard of") == {"unheard of"}
