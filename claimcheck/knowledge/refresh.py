"""Bringing a user's knowledge up to date from Wikidata.

:func:`refresh_knowledge` (``claimcheck kb refresh``) runs the "position held" query for
every office ``data/vocabulary/offices.yaml`` declares, country by country, against the
Wikidata query service (or the endpoint the user sets), and writes a dated knowledge file;
:func:`update_knowledge` lays a SPARQL export the user downloaded over a knowledge file.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pycountry

from claimcheck import __version__
from claimcheck.errors import KnowledgeError
from claimcheck.fileio import locked
from claimcheck.knowledge.formats import dump_tenures, read_knowledge_file
from claimcheck.knowledge.tenures import Tenure, find_overlaps, merge_tenures
from claimcheck.knowledge.wikidata import import_wikidata, wikidata_tenures
from claimcheck.language import places
from claimcheck.language.vocabulary.offices import office_vocabulary

__all__ = [
    "DEFAULT_ENDPOINT",
    "RefreshStep",
    "refresh_knowledge",
    "sparql_query",
    "untangle",
    "update_knowledge",
]


def update_knowledge(export: Path, output: Path, *, as_of: date) -> tuple[int, int]:
    """Lay a Wikidata SPARQL export over a user knowledge file (created when absent).

    Returns how many tenures the export gave and how many the file now holds. ``as_of``
    (the day the export was downloaded) becomes the file's ``verified_through``.

    Example::

        update_knowledge(Path("ministers.csv"), Path("knowledge.yaml"), as_of=date.today())
    """
    new = import_wikidata(export)
    existing: list[Tenure] = []
    # Read, merge and write under one lock: two updates at once never lose each other's.
    with locked(Path(output)):
        if Path(output).exists():
            existing, _ = read_knowledge_file(Path(output))
        merged = merge_tenures(existing, new)
        dump_tenures(merged, Path(output), verified_through=as_of)
    return len(new), len(merged)


# --------------------------------------------------------------------------- writing files


# --------------------------------------------------------------------------- kb refresh

#: The public Wikidata query service; a setting (``--endpoint``, CLAIMCHECK_SPARQL_ENDPOINT).
DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
# The query service asks every client to name itself (Wikimedia's User-Agent policy).
USER_AGENT = f"claimcheck/{__version__} (office-holder refresh; Python urllib)"
# Retries of one query after a rate limit or a passing server error, and the longest wait
# a Retry-After may ask for.
_ATTEMPTS = 4
_MAX_WAIT_S = 60.0
# The service stops a query after 60 s; a client waits a little longer for its answer.
_TIMEOUT_S = 75.0
# Terms that ended before this day are not asked for: news copy names today's holders and
# their recent predecessors.
DEFAULT_SINCE = date(2015, 1, 1)

_QUERY = """SELECT ?person ?personLabel ?personAltLabel ?positionLabel ?countryLabel
       ?start ?startPrecision ?end ?endPrecision WHERE {{
  ?country wdt:P297 "{code}" .
  ?position wdt:P1001 ?country .
  ?person p:P39 ?held .
  ?held ps:P39 ?position ;
        pqv:P580 [ wikibase:timeValue ?start ; wikibase:timePrecision ?startPrecision ] .
  OPTIONAL {{ ?held pqv:P582 [ wikibase:timeValue ?end ;
                               wikibase:timePrecision ?endPrecision ] . }}
  FILTER(!BOUND(?end) || ?end >= "{since}T00:00:00Z"^^xsd:dateTime)
{office_filter}  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en". }}
}}"""
_OFFICE_FILTER = """  ?position rdfs:label ?name .
  FILTER(LANG(?name) = "en" && REGEX(LCASE(STR(?name)), "{pattern}"))
"""


@dataclass(frozen=True)
class RefreshStep:
    """One query of a refresh, for a progress display."""

    done: int
    total: int
    country: str
    office: str | None  # set when a country's query was split by office
    tenures: int


def sparql_query(code: str, *, since: date, phrases: Sequence[str] = ()) -> str:
    """The "position held" query for one country (ISO 3166-1 alpha-2 ``code``), limited to
    positions whose English label contains one of ``phrases`` when given."""
    office_filter = ""
    # Declared phrases are folded words (letters, digits, spaces): safe inside the regex
    # and the SPARQL string alike.
    words = [p for p in phrases if re.fullmatch(r"[a-z0-9 ]+", p)]
    if words:
        office_filter = _OFFICE_FILTER.format(pattern="|".join(words))
    return _QUERY.format(code=code, since=since.isoformat(), office_filter=office_filter)


class _Timeout(Exception):
    """The query service gave up on a query: it must be split."""


def _post(endpoint: str, query: str, *, sleep: Callable[[float], None]) -> list[dict[str, Any]]:
    """The bindings of one query, retried politely after rate limits and passing errors."""
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    for attempt in range(1, _ATTEMPTS + 1):
        request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:
                document = json.loads(response.read().decode("utf-8"))
            bindings = document["results"]["bindings"]
            if not isinstance(bindings, list):
                raise KnowledgeError(f"{endpoint} answered without a list of bindings")
            return bindings
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")
            if "TimeoutException" in text or exc.code == 504:
                raise _Timeout from None
            if exc.code not in (429, 500, 502, 503) or attempt == _ATTEMPTS:
                raise KnowledgeError(
                    f"the query service at {endpoint} answered {exc.code} {exc.reason}; "
                    "try again later, or with --country for fewer queries"
                ) from None
            sleep(_retry_after(exc.headers.get("Retry-After"), attempt))
        except TimeoutError:
            raise _Timeout from None
        except urllib.error.URLError as exc:
            raise KnowledgeError(
                f"cannot reach the Wikidata query service at {endpoint} ({exc.reason}); "
                "check the network connection, or set --endpoint / CLAIMCHECK_SPARQL_ENDPOINT"
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise KnowledgeError(
                f"{endpoint} did not answer in SPARQL JSON ({exc}); is it a SPARQL endpoint?"
            ) from None
    raise AssertionError("unreachable")


def _retry_after(value: str | None, attempt: int) -> float:
    """Seconds to wait: what the server asked (capped), or a growing pause."""
    try:
        return min(float(value), _MAX_WAIT_S) if value else min(2.0**attempt, _MAX_WAIT_S)
    except ValueError:
        return min(2.0**attempt, _MAX_WAIT_S)


def refresh_knowledge(
    output: Path,
    *,
    countries: Sequence[str] = (),
    endpoint: str = DEFAULT_ENDPOINT,
    since: date = DEFAULT_SINCE,
    as_of: date | None = None,
    progress: Callable[[RefreshStep], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Ask Wikidata who held every declared office, country by country, and write the
    answers as a knowledge file dated ``as_of`` (today): laid over the built-in knowledge
    (``--knowledge FILE``), it brings every office it covers up to that day.

    A country whose query runs into the service's time limit is asked again office by
    office. Returns how many tenures the file holds.

    Example::

        refresh_knowledge(Path("knowledge-2026-12-07.yaml"), countries=["Kenya"])
    """
    codes = _country_codes(countries)
    day = as_of or date.today()
    offices = [o for o in office_vocabulary().offices if o.exclusive and o.level == "national"]
    found: list[Tenure] = []
    for done, (name, code) in enumerate(codes, start=1):
        try:
            bindings = _post(endpoint, sparql_query(code, since=since), sleep=sleep)
            new = wikidata_tenures(bindings, origin=f"{endpoint} ({name})")
            found.extend(new)
            if progress is not None:
                progress(RefreshStep(done, len(codes), name, None, len(new)))
        except _Timeout:
            for office in offices:
                query = sparql_query(code, since=since, phrases=office.phrases)
                try:
                    bindings = _post(endpoint, query, sleep=sleep)
                except _Timeout:
                    raise KnowledgeError(
                        f"the query service timed out on {office.id} of {name} even alone; "
                        "try again later"
                    ) from None
                new = [
                    t
                    for t in wikidata_tenures(bindings, origin=f"{endpoint} ({name})")
                    if t.office == office.id
                ]
                found.extend(new)
                if progress is not None:
                    progress(RefreshStep(done, len(codes), name, office.id, len(new)))
    tenures = [t.model_copy(update={"verified_through": day}) for t in untangle(found)]
    dump_tenures(tenures, output, verified_through=day)
    return len(tenures)


def _country_codes(countries: Sequence[str]) -> list[tuple[str, str]]:
    """(name, ISO code) of the countries asked for, or of every country."""
    if not countries:
        return sorted((c.name, c.alpha_2) for c in pycountry.countries)
    codes = []
    for name in countries:
        place = places.lookup(name)
        if place is None or place.kind is not places.PlaceKind.COUNTRY or not place.country_code:
            raise KnowledgeError(f"{name!r} is not a country claimcheck knows; write e.g. Kenya")
        codes.append((place.name, place.country_code))
    return codes


def untangle(tenures: Sequence[Tenure]) -> list[Tenure]:
    """Wikidata's terms of one office made one holder at a time: duplicates joined, a term
    overlapping the next one's start cut there (marked approximate), real clashes dropped."""
    unique: dict[tuple[str, str, str, date], Tenure] = {}
    for t in tenures:
        unique.setdefault((t.office, t.jurisdiction, t.person, t.start), t)
    by_office: dict[tuple[str, str], list[Tenure]] = {}
    for t in unique.values():
        by_office.setdefault((t.office, t.jurisdiction), []).append(t)
    kept: list[Tenure] = []
    for group in by_office.values():
        group.sort(key=lambda t: (t.start, t.person))
        for i, a in enumerate(group[:-1]):
            b = group[i + 1]
            if b.start > a.start and (a.end is None or a.end > b.start):
                group[i] = a.model_copy(update={"end": b.start, "approximate": True})
        bad = {id(x) for pair in find_overlaps(group) for x in pair}
        kept.extend(t for t in group if id(t) not in bad)
    return kept
