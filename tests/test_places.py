"""The gazetteer: names, aliases, demonyms, scopes and comparison keys on real package data."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.language import places
from claimcheck.language.places import PlaceKind
from claimcheck.models import Scope


@pytest.mark.parametrize(
    ("name", "canonical", "kind", "country"),
    [
        ("Kiev", "Kyiv", PlaceKind.CITY, "UA"),
        ("Kyiv", "Kyiv", PlaceKind.CITY, "UA"),
        ("Bombay", "Mumbai", PlaceKind.CITY, "IN"),
        ("Burma", "Myanmar", PlaceKind.COUNTRY, "MM"),
        ("U.S.", "United States", PlaceKind.COUNTRY, "US"),
        ("the United States", "United States", PlaceKind.COUNTRY, "US"),
        ("America", "United States", PlaceKind.COUNTRY, "US"),
        ("UK", "United Kingdom", PlaceKind.COUNTRY, "GB"),
        ("Britain", "United Kingdom", PlaceKind.COUNTRY, "GB"),
        ("Russian Federation", "Russia", PlaceKind.COUNTRY, "RU"),
        # An alias in places.yaml wins over a package's town of the same name (Texas).
        ("Odessa", "Odesa", PlaceKind.CITY, "UA"),
        ("St Petersburg", "Saint Petersburg", PlaceKind.CITY, "RU"),
        # Package data beyond anything the code names: subdivisions and cities anywhere.
        ("Punjab", "Punjab", PlaceKind.REGION, "IN"),
        ("Ontario", "Ontario", PlaceKind.REGION, "CA"),
        ("Texas", "Texas", PlaceKind.REGION, "US"),
        ("Ahmedabad", "Ahmedabad", PlaceKind.CITY, "IN"),
        ("Srinagar", "Srinagar", PlaceKind.CITY, "IN"),
        # A city-state is the city, not its subdivision of the same name.
        ("Tokyo", "Tokyo", PlaceKind.CITY, "JP"),
        ("Delhi", "Delhi", PlaceKind.CITY, "IN"),
        ("Georgia", "Georgia", PlaceKind.COUNTRY, "GE"),
        # Subdivisions ISO lists under other languages' names, by the names news copy uses.
        ("Chechnya", "Chechnya", PlaceKind.REGION, "RU"),
        ("Sakha", "Yakutia", PlaceKind.REGION, "RU"),
        ("Crimea", "Crimea", PlaceKind.REGION, "UA"),
        ("Wales", "Wales", PlaceKind.REGION, "GB"),
        ("New South Wales", "New South Wales", PlaceKind.REGION, "AU"),
    ],
)
def test_lookup(name: str, canonical: str, kind: PlaceKind, country: str) -> None:
    place = places.lookup(name)
    assert place is not None
    assert (place.name, place.kind, place.country_code) == (canonical, kind, country)
    assert places.canonical(name) == canonical


def test_lookup_knows_populations_and_nothing_about_non_places() -> None:
    kyiv = places.lookup("Kyiv")
    assert kyiv is not None and kyiv.population is not None and kyiv.population > 1_000_000
    for word in ("Premier League", "Real Madrid", "Kyiv Oblast zzz", "", None):
        assert places.lookup(word) is None


@pytest.mark.parametrize(
    ("demonym", "country"),
    [
        ("Indian", "India"),
        ("British", "United Kingdom"),
        ("American", "United States"),
        ("Ukrainian", "Ukraine"),
        ("Russian", "Russia"),
        ("Nigerian", "Nigeria"),
        ("Burmese", "Myanmar"),
        ("Conservative", None),
        ("", None),
    ],
)
def test_country_of_demonym(demonym: str, country: str | None) -> None:
    assert places.country_of_demonym(demonym) == country


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("Kiev", "kyiv"),
        ("the Kyiv region", "kyiv"),
        ("the southern Rostov region", "rostov"),
        ("Ukraine's capital", "kyiv"),  # a country's capital is its capital city
        ("the capital", None),  # points back at the story's own place: the caller's to resolve
        ("the region", None),
        ("United States", "united-states"),
        ("the U.S.", "united-states"),
        ("Zaporizhzhia", "zaporizhzhia"),
        ("Zaporozhye", "zaporizhzhia"),
        # the adjective of a name in -ia keys as the name, known to the gazetteer or not
        ("the Patagonian state parliament", places.place_key("Patagonia")),
        ("Bavarian", places.place_key("Bavaria")),
        (None, None),
    ],
)
def test_place_key(phrase: str | None, key: str | None) -> None:
    assert places.place_key(phrase) == key


@pytest.mark.parametrize(
    ("phrase", "scope"),
    [
        ("Kharkiv", Scope.CITY),
        ("Kiev", Scope.CITY),
        ("the Rostov region", Scope.REGION),
        ("Punjab", Scope.REGION),
        ("New York state", Scope.REGION),
        ("Ukraine's capital", Scope.CITY),
        ("Ukraine", Scope.COUNTRY),
        ("the United States", Scope.COUNTRY),
        ("Mumbai", Scope.CITY),
        ("somewhere unnamed", Scope.UNKNOWN),
        (None, Scope.UNKNOWN),
    ],
)
def test_scope_of(phrase: str | None, scope: Scope) -> None:
    assert places.scope_of(phrase) is scope


def test_same_place_across_spellings() -> None:
    assert places.same_place("Kiev", "Kyiv")
    assert places.same_place("Bombay", "Mumbai")
    assert places.same_place("Burma", "Myanmar")
    assert places.same_place("the U.S.", "America")
    assert not places.same_place("Kyiv", "Odesa")
    assert not places.same_place("the capital", "the capital")  # unresolved: never the same


def test_find_place_reads_runs_of_words() -> None:
    jk = places.find_place(["chief", "minister", "of", "jammu", "and", "kashmir"])
    assert jk is not None and (jk.kind, jk.country_code) == (PlaceKind.REGION, "IN")
    india = places.find_place(["indian", "prime", "minister"])
    assert india is not None and india.name == "India"
    assert places.find_place(["indian"], demonyms=False) is None
    # A small town that shares an ordinary word is no place unless asked for.
    assert places.find_place(["federal", "reserve"]) is None


def test_broad_places_and_cities() -> None:
    assert places.is_broad("ukraine") and places.is_broad("united-states")
    assert places.is_broad("europe")
    assert not places.is_broad("kyiv") and not places.is_broad(None)
    assert places.is_city("Kharkiv") and places.is_city("Mumbai")
    assert not places.is_city("Ukraine")
    assert not places.is_city("Federal")  # a town of 16,000 is below the default threshold
    assert places.is_city("Federal", min_population=10_000)


def test_country_name_of_code() -> None:
    assert places.country_name("in") == "India"
    assert places.country_name("ZZ") is None


def test_fold() -> None:
    assert places.fold("U.S.") == "us"
    assert places.fold("Ukraine’s") == "ukraine"
    assert places.fold("Zaporizhzhia") == "zaporizhzhia"
    assert places.fold("Mahārāshtra") == "maharashtra"


def test_the_index_is_cached_on_disk_and_rebuilt_when_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(tmp_path))
    places._index.cache_clear()
    try:
        built = places._index()  # builds from the packages and writes the copy
        path = places._index_cache_path()
        assert path.is_relative_to(tmp_path) and path.exists()
        places._index.cache_clear()
        assert places._index() == built  # read back from the copy
        path.write_text("{not json", encoding="utf-8")
        places._index.cache_clear()
        assert places._index() == built  # an unreadable copy is rebuilt, not trusted
    finally:
        places._index.cache_clear()


def test_site_words_and_place_kind_words_come_from_the_data() -> None:
    from claimcheck.language.places import PlaceKind, kind_of_word, site_words

    site, route, journey = site_words()
    assert "near" in site and "off" in site  # "off" must stay a string in the YAML
    assert "from" in route and "depart" in journey
    assert kind_of_word("district") is PlaceKind.REGION
    assert kind_of_word("town") is PlaceKind.CITY
    assert kind_of_word("airport") is None
