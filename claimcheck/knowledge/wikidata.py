"""Wikidata "position held" (P39) statements, as the query service returns them, made tenures.

:func:`import_wikidata` reads a SPARQL export a user downloaded (JSON or CSV);
:func:`wikidata_tenures` reads the bindings of a query :mod:`claimcheck.knowledge.refresh`
ran. Only offices declared in ``data/vocabulary/offices.yaml`` are kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimcheck.errors import KnowledgeError
from claimcheck.knowledge.tenures import Tenure
from claimcheck.language.names import name_key
from claimcheck.language.titles import canonical_jurisdiction, parse_title
from claimcheck.models import RoleModifier

__all__ = ["import_wikidata", "wikidata_tenures"]


def import_wikidata(path: Path) -> list[Tenure]:
    """Tenures from a Wikidata SPARQL export (JSON or CSV) of "position held" statements.

    Run this at https://query.wikidata.org/, download the result as JSON ("SPARQL JSON")
    or CSV, then ``claimcheck kb update result.json`` (or ``kb import result.csv -o
    ministers.yaml``)::

        SELECT ?person ?personLabel ?personAltLabel ?positionLabel ?countryLabel
               ?start ?startPrecision ?end ?endPrecision WHERE {
          VALUES ?position { wd:Q11696 }   # the position items you need, e.g. President of
                                           # the United States; add foreign ministers etc.
          ?person p:P39 ?held .            # position held
          ?held ps:P39 ?position ;
                pqv:P580 [ wikibase:timeValue ?start ; wikibase:timePrecision ?startPrecision ] .
          OPTIONAL { ?held pqv:P582 [ wikibase:timeValue ?end ;
                                      wikibase:timePrecision ?endPrecision ] . }
          OPTIONAL { ?position wdt:P1001 ?country . }   # applies to jurisdiction
          FILTER(!BOUND(?end) || ?end >= "2015-01-01T00:00:00Z"^^xsd:dateTime)
          SERVICE wikibase:label { bd:serviceParam wikibase:language "en". }
        }

    Any position (P39) works; the country may also come as ``jurisdictionLabel``. Rows whose
    position maps to no office declared in ``data/vocabulary/offices.yaml`` (see
    :func:`normalise_office`) are skipped: declare the office there, no code changes. A
    date with precision coarser than a day (or, without precision columns, a 1 January
    date) is marked approximate. Roles are inferred from the office; a
    president who is also head of government needs ``head_of_government`` added by hand.
    """
    if Path(path).suffix.lower() == ".csv":
        return wikidata_tenures(_sparql_csv_bindings(Path(path)), origin=str(path))
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"Wikidata export {path} does not exist") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise KnowledgeError(
            f"{path} is not a readable JSON file ({exc}); download the query result as SPARQL JSON"
        ) from None
    try:
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError):
        raise KnowledgeError(
            f"{path} is not a SPARQL JSON export: it lacks results.bindings; download the "
            "query result as SPARQL JSON"
        ) from None
    if not isinstance(bindings, list):
        raise KnowledgeError(f"{path}: results.bindings is not a list")
    return wikidata_tenures(bindings, origin=str(path))


def _sparql_csv_bindings(path: Path) -> list[dict[str, Any]]:
    """The rows of a query-service CSV download, shaped like SPARQL JSON bindings."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KnowledgeError(f"Wikidata export {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path} is not a readable UTF-8 CSV file ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    if not {"personLabel", "positionLabel"} <= set(reader.fieldnames or []):
        raise KnowledgeError(
            f"{path}: a Wikidata CSV export needs the columns personLabel and positionLabel "
            "(and start, end, countryLabel); see the query in the README"
        )
    return [{k: {"value": v} for k, v in row.items() if k and v} for row in reader]


def wikidata_tenures(bindings: Sequence[Any], *, origin: str) -> list[Tenure]:
    """Tenures from SPARQL JSON bindings; ``origin`` names them in error messages."""
    tenures: dict[tuple[str, str, str, date], Tenure] = {}
    for index, row in enumerate(bindings):
        where = f"{origin}: binding {index + 1}"
        if not isinstance(row, dict):
            raise KnowledgeError(f"{where}: expected an object of variables")
        tenure = _wikidata_tenure(row, where=where)
        if tenure is None:
            continue
        key = (name_key(tenure.person), tenure.office, tenure.jurisdiction, tenure.start)
        previous = tenures.get(key)
        if previous is not None:
            aliases = tuple(dict.fromkeys(previous.aliases + tenure.aliases))
            tenure = previous.model_copy(update={"aliases": aliases})
        tenures[key] = tenure
    return sorted(tenures.values(), key=lambda t: (t.jurisdiction, t.office, t.start))


def _binding(row: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        cell = row.get(name)
        if isinstance(cell, dict) and isinstance(cell.get("value"), str) and cell["value"]:
            return str(cell["value"])
    return None


_WIKIDATA_ENTITY = re.compile(r"/entity/(Q\d+)$")
_DAY_PRECISION = 11


def _wikidata_date(value: str, precision: str | None, *, where: str) -> tuple[date, bool]:
    match = re.match(r"^\+?(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        raise KnowledgeError(f"{where}: {value!r} is not a date")
    year, month, day = (int(g) for g in match.groups())
    # Wikidata writes a year- or month-precision date with zero month or day.
    approximate = month == 0 or day == 0
    try:
        parsed = date(year, max(month, 1), max(day, 1))
    except ValueError:
        raise KnowledgeError(f"{where}: {value!r} is not a date") from None
    if precision is not None:
        approximate = approximate or int(precision) < _DAY_PRECISION
    else:
        approximate = approximate or (parsed.month == 1 and parsed.day == 1)
    return parsed, approximate


def _wikidata_tenure(row: Mapping[str, Any], *, where: str) -> Tenure | None:
    person = _binding(row, "personLabel", "person")
    position = _binding(row, "positionLabel", "position")
    start = _binding(row, "start", "startTime")
    if person is None or position is None:
        raise KnowledgeError(f"{where}: needs personLabel and positionLabel")
    if _WIKIDATA_ENTITY.search(person):
        raise KnowledgeError(
            f"{where}: person has no English label ({person}); add the label service to the query"
        )
    if start is None:
        return None  # a tenure without a start cannot be placed in time
    country = _binding(row, "countryLabel", "jurisdictionLabel", "country", "jurisdiction")
    parsed = parse_title(position if country is None else f"{position} {country}")
    if parsed is None:
        return None
    jurisdiction = (canonical_jurisdiction(country) or country) if country else parsed.jurisdiction
    if jurisdiction is None:
        return None
    start_date, start_approx = _wikidata_date(start, _binding(row, "startPrecision"), where=where)
    end = _binding(row, "end", "endTime")
    end_date, end_approx = (
        _wikidata_date(end, _binding(row, "endPrecision"), where=where) if end else (None, False)
    )
    aliases_text = _binding(row, "personAltLabel")
    aliases = tuple(a.strip() for a in aliases_text.split(",") if a.strip()) if aliases_text else ()
    entity = _WIKIDATA_ENTITY.search(_binding(row, "person") or "")
    try:
        return Tenure(
            person=person,
            aliases=aliases,
            office=parsed.office,
            jurisdiction=jurisdiction,
            start=start_date,
            end=end_date,
            acting=parsed.modifier is RoleModifier.ACTING,
            approximate=start_approx or end_approx,
            source=f"wikidata:{entity.group(1)}" if entity else "wikidata",
        )
    except ValidationError as exc:
        raise KnowledgeError(f"{where} (person {person!r}): {exc.errors()[0]['msg']}") from None
