"""Entity resolution inside an event: spellings merge, namesakes and institutions do not."""

from __future__ import annotations

from claimcheck.crosscheck.entities import People, is_person_name


def test_spellings_and_surname_only_mentions_resolve_to_one_person() -> None:
    people = People(
        ["Vitali Klitschko", "Vitaly Klitschko", "Klitschko", "Mayor Vitaliy Klitschko"]
    )
    person = people.resolve("Klitschko")
    assert person is not None
    assert people.resolve("Vitaly Klitschko") == person
    assert people.resolve("Vitaliy Klitschko") == person
    assert len(people.people) == 1


def test_namesakes_stay_apart_and_a_bare_surname_is_left_unresolved() -> None:
    people = People(["Vitali Klitschko", "Wladimir Klitschko", "Klitschko"])
    assert people.resolve("Vitali Klitschko") != people.resolve("Wladimir Klitschko")
    assert people.resolve("Klitschko") is None


def test_institutions_are_not_people() -> None:
    assert not is_person_name("the Kremlin")
    assert not is_person_name("Ukrainian officials")
    assert not is_person_name("a senior Ukrainian official")
    assert is_person_name("Andrii Sybiha")
    assert People(["the Kremlin"]).resolve("the Kremlin") is None


def test_canonical_spelling_names_the_person() -> None:
    people = People(["Volodymyr Zelensky"], canonical=lambda name: "Volodymyr Zelenskyy")
    person = people.resolve("Volodymyr Zelensky")
    assert person is not None and person.name == "Volodymyr Zelenskyy"


def test_unseen_mention_is_matched_against_known_people() -> None:
    people = People(["Donald Trump", "Donald Tusk"])
    trump = people.resolve("President Trump")
    assert trump is not None and trump.name == "Donald Trump"
    assert people.resolve("Donald") is None


def test_a_reference_spelling_never_renames_a_namesake_found_by_surname() -> None:
    # The knowledge holds one "Abdullah" (a different chief minister); a bare "Abdullah"
    # from one article and "Omar Abdullah" from another are not renamed after him.
    def canonical(name: str) -> str | None:
        return "Farooq Abdullah" if name.endswith("Abdullah") else None

    people = People(["Abdullah"], canonical=canonical)
    person = people.resolve("Abdullah")
    assert person is not None and person.name == "Abdullah"
    people = People(["Omar Abdullah", "Abdullah"], canonical=canonical)
    omar = people.resolve("Omar Abdullah")
    assert omar is not None and omar.name == "Omar Abdullah"
    assert people.resolve("Abdullah") == omar
    assert people.resolve("Farooq Abdullah") is None


def test_a_given_name_alone_is_not_a_person_of_its_own() -> None:
    # "Donald" in one article, "Donald Trump" in another: never two speakers.
    people = People(["Donald Trump", "Donald"])
    assert people.resolve("Donald") is None
    assert [p.name for p in people.people] == ["Donald Trump"]


def test_spelling_variants_stay_one_person() -> None:
    people = People(["Vitali Klitschko", "Vitaliy Klitschko", "Volodymyr Zelensky", "Zelenskyy"])
    assert people.resolve("Vitaly Klitschko") == people.resolve("Vitali Klitschko")
    assert people.resolve("Volodymyr Zelenskyy") == people.resolve("Zelenskyy")
    assert len(people.people) == 2


def test_an_outlet_or_platform_is_never_a_person() -> None:
    # An extraction that credited a quote to the outlet relaying it must not yield a speaker.
    for name in ("New York Times", "the New York Times", "Reuters", "X", "Telegram"):
        assert not is_person_name(name), name
    assert People(["Omar Abdullah", "New York Times"]).resolve("New York Times") is None
