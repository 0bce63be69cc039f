"""Knowledge files: reading and writing the formats office holders come in.

A user's YAML file (the documented format, below), the same columns as CSV, the compact
gzip'd JSON the built-in knowledge ships in, and Wikidata SPARQL exports (read through
:func:`claimcheck.knowledge.wikidata.import_wikidata`)::

    format: claimcheck-officeholders/1
    verified_through: 2025-10-31      # last date the data is known to reflect
    entries:
      - person: Andrii Sybiha          # common English spelling
        aliases: [Andriy Sybiha, Sibiha]
        office: foreign minister       # normalised: see normalise_office()
        roles: [foreign_minister]      # head_of_state, head_of_government, foreign_minister,
                                       # defence_minister, other
        jurisdiction: Ukraine          # country (or city, for a mayor)
        start: 2024-09-05
        end: null                      # null while in office (as far as the source saw)
        acting: false                  # acting holders may overlap a suspended holder
        approximate: false             # true when a date is a best estimate
        co_holder: false               # one of several holding the office together
        note: null                     # free text
        source: null                   # where the entry came from: an official URL
        verified_through: null         # this entry's own date, when it differs

A bare YAML list of entries (without the header) loads too, and so does a CSV file with the
same columns (``aliases`` and ``roles`` separated by ``;``, booleans as true/false, an optional
first line ``# verified_through: YYYY-MM-DD``). A ``.json`` file is read as YAML, unless it is
a Wikidata SPARQL export; a ``.json.gz`` file is the compact built format.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from claimcheck.errors import KnowledgeError
from claimcheck.fileio import write_atomic
from claimcheck.knowledge.tenures import SURNAME_KEYS, Role, Tenure, find_overlaps
from claimcheck.knowledge.wikidata import import_wikidata

__all__ = [
    "COMPACT_COLUMNS",
    "FILE_FORMAT",
    "dump_tenures",
    "parse_compact",
    "read_knowledge_file",
]

FILE_FORMAT = "claimcheck-officeholders/1"


def read_knowledge_file(path: Path) -> tuple[list[Tenure], date | None]:
    """The tenures of one knowledge file (YAML, CSV, compact .json.gz or a SPARQL export)
    and the ``verified_through`` it declares."""
    try:
        raw = path.read_bytes()
        if path.name.lower().endswith(".json.gz"):
            return parse_compact(raw, origin=str(path), trusted=False)
    except FileNotFoundError:
        raise KnowledgeError(
            f"knowledge file {path} does not exist; check the path given to --knowledge"
        ) from None
    except OSError as exc:
        raise KnowledgeError(f"cannot read knowledge file {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeError(f"knowledge file {path} is not UTF-8 text; save it as UTF-8") from None
    suffix = path.suffix.lower()
    if suffix == ".csv" and _looks_like_sparql_csv(text):
        return import_wikidata(path), None
    if suffix == ".csv":
        return _parse_csv(text, origin=str(path))
    if suffix == ".json" and _looks_like_sparql(text):
        return import_wikidata(path), None
    if suffix not in {".yaml", ".yml", ".json"}:
        raise KnowledgeError(
            f"knowledge file {path} has an unknown type; use .yaml, .yml, .csv or .json"
        )
    return _parse_yaml(text, origin=str(path))


#: The columns of the shipped compact knowledge file, in order (the build script writes them).
COMPACT_COLUMNS = (
    "person",
    "aliases",
    "office",
    "roles",
    "jurisdiction",
    "start",
    "end",
    "flags",
    "note",
    "source",
    "ref",
    "surnames",
)
_ACTING, _APPROXIMATE, _CO_HOLDER, _INFERRED_END = 1, 2, 4, 8


def parse_compact(raw: bytes, *, origin: str, trusted: bool) -> tuple[list[Tenure], date | None]:
    """The compact format the built-in knowledge ships in: gzip'd JSON, one row per tenure.

    ``{"format", "verified_through", "sources": [{id, url, verified_through, ...}],
    "columns": [...], "entries": [[person, aliases, office, roles, jurisdiction, start, end,
    flags, note, source index, ref, surnames], ...]}``; ``flags`` is a bit set (1 acting,
    2 approximate, 4 co-holder, 8 inferred end), ``ref`` the row's id in its source (the
    Wikidata id of the person, or ``row:...``), ``surnames`` the
    keys :func:`surname_keys` gives for the names (an index built once, at build time).
    scripts/build_officeholders.py writes it; the built-in file is validated when it is
    built and by the tests, so it is read without re-validating each of its rows.
    """
    try:
        document = json.loads(gzip.decompress(raw))
        if document.get("format") != FILE_FORMAT or tuple(document["columns"]) != COMPACT_COLUMNS:
            raise KnowledgeError(
                f"{origin}: not a {FILE_FORMAT} compact file; rebuild it with "
                "scripts/build_officeholders.py"
            )
        sources = [
            (str(s["id"]), date.fromisoformat(s["verified_through"])) for s in document["sources"]
        ]
        verified = _header_date(document.get("verified_through"), origin)
        rows = document["entries"]
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"{origin}: not a readable compact knowledge file ({exc})") from None
    roles = {r.value: r for r in Role}
    tenures: list[Tenure] = []
    for i, row in enumerate(rows):
        person, aliases, office, role_names, place, start, end, flags, note, index, ref, keys = row
        source_id, source_date = sources[index]
        fields: dict[str, Any] = {
            "person": person,
            "aliases": tuple(aliases),
            "office": office,
            "roles": tuple(roles[r] for r in role_names),
            "jurisdiction": place,
            "start": date.fromisoformat(start),
            "end": date.fromisoformat(end) if end else None,
            "acting": bool(flags & _ACTING),
            "co_holder": bool(flags & _CO_HOLDER),
            "approximate": bool(flags & _APPROXIMATE),
            "inferred_end": bool(flags & _INFERRED_END),
            "note": note,
            "source": _source_text(source_id, ref),
            "verified_through": source_date,
        }
        if trusted:
            tenures.append(_fast_tenure(fields))
            names: tuple[str, ...] = (fields["person"], *fields["aliases"])
            SURNAME_KEYS[names] = tuple(keys)
        else:
            tenures.append(_tenure(fields, where=f"{origin}: entry {i + 1}", origin=origin))
    if not trusted:
        _reject_overlaps(tenures, origin)
    return tenures, verified


def _source_text(source_id: str, ref: str | None) -> str:
    """A row's provenance: its source and, where the source has them, the row's own id
    (a Wikidata id, bare in files built before other sources came in, or ``row:...``)."""
    if not ref:
        return source_id
    return f"{source_id} {ref}" if ":" in ref else f"{source_id} wikidata:{ref}"


def _looks_like_sparql_csv(text: str) -> bool:
    """A CSV downloaded from the Wikidata query service: it has positionLabel, not office."""
    header = next(csv.reader(io.StringIO(text.lstrip())), [])
    return "positionLabel" in header and "office" not in header


def _looks_like_sparql(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and "head" in data and "results" in data


_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, *, origin: str) -> tuple[list[Tenure], date | None]:
    # libyaml's loader, where PyYAML was built with it, reads the built-in file about ten
    # times faster than the pure-Python one; both give nodes with line numbers.
    loader = _SAFE_LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{origin}:{mark.line + 1}" if mark is not None else origin
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(f"{where}: not valid YAML ({problem}); fix the syntax") from None
    finally:
        loader.dispose()
    if data is None:
        raise KnowledgeError(f"{origin}: the knowledge file is empty; add an `entries:` list")
    verified: date | None = None
    entries_node: yaml.Node | None = root
    if isinstance(data, dict):
        unknown = set(data) - {"format", "verified_through", "entries"}
        if unknown:
            raise KnowledgeError(
                f"{origin}: unknown top-level keys {sorted(map(str, unknown))}; expected "
                "format, verified_through and entries"
            )
        fmt = data.get("format")
        if fmt is not None and fmt != FILE_FORMAT:
            raise KnowledgeError(
                f"{origin}: format {fmt!r} is not supported; this claimcheck reads {FILE_FORMAT}"
            )
        verified = _header_date(data.get("verified_through"), origin)
        entries = data.get("entries")
        entries_node = None
        assert isinstance(root, yaml.MappingNode)
        for key, value in root.value:
            if key.value == "entries":
                entries_node = value
    else:
        entries = data
    if not isinstance(entries, list) or not isinstance(entries_node, yaml.SequenceNode):
        raise KnowledgeError(
            f"{origin}: expected a list of entries (under `entries:`), found "
            f"{type(entries).__name__}"
        )
    tenures = [
        _tenure(entry, where=f"{origin}:{node.start_mark.line + 1}: entry {i + 1}", origin=origin)
        for i, (entry, node) in enumerate(zip(entries, entries_node.value, strict=True))
    ]
    _reject_overlaps(tenures, origin)
    return tenures, verified


def _header_date(value: object, origin: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise KnowledgeError(
            f"{origin}: verified_through {value!r} is not a date; write YYYY-MM-DD"
        ) from None


def _tenure(entry: object, *, where: str, origin: str) -> Tenure:
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{where}: expected a mapping of person, office, ..., found {entry!r}")
    data = dict(entry)
    data.setdefault("source", origin)
    try:
        return Tenure.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors()
        )
        who = data.get("person", "?")
        raise KnowledgeError(f"{where} (person {who!r}): {problems}; fix this entry") from None


def _reject_overlaps(tenures: Sequence[Tenure], origin: str) -> None:
    overlaps = find_overlaps(tenures)
    if overlaps:
        a, b = overlaps[0]
        raise KnowledgeError(
            f"{origin}: {a.describe()} overlaps {b.describe()} "
            f"({len(overlaps)} overlap(s) in all); correct the dates or mark one acting"
        )


_CSV_COLUMNS = (
    "person",
    "aliases",
    "office",
    "roles",
    "jurisdiction",
    "start",
    "end",
    "acting",
    "approximate",
    "note",
    "source",
    "co_holder",
    "verified_through",
    "inferred_end",
)
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


def _parse_csv(text: str, *, origin: str) -> tuple[list[Tenure], date | None]:
    lines = text.splitlines(keepends=True)
    verified: date | None = None
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip().startswith("#"):
        match = re.match(r"\s*#\s*verified_through\s*:\s*(\S+)", lines[skipped])
        if match:
            verified = _header_date(match.group(1), origin)
        skipped += 1
    reader = csv.DictReader(io.StringIO("".join(lines[skipped:])))
    header = reader.fieldnames or []
    missing = {"person", "office", "jurisdiction", "start"} - set(header)
    if missing:
        raise KnowledgeError(
            f"{origin}: CSV header lacks {sorted(missing)}; columns are {', '.join(_CSV_COLUMNS)}"
        )
    unknown = set(header) - set(_CSV_COLUMNS)
    if unknown:
        raise KnowledgeError(
            f"{origin}: unknown CSV columns {sorted(unknown)}; columns are "
            f"{', '.join(_CSV_COLUMNS)}"
        )
    tenures = []
    for row in reader:
        where = f"{origin}:{reader.line_num + skipped}: row {reader.line_num - 1}"
        entry: dict[str, Any] = {}
        for column, value in row.items():
            if column is None:
                raise KnowledgeError(f"{where}: more fields than columns; quote commas in values")
            value = (value or "").strip()
            if column in {"aliases", "roles"}:
                entry[column] = [v.strip() for v in value.split(";") if v.strip()]
            elif column in {"acting", "approximate", "co_holder", "inferred_end"}:
                if value.lower() not in _TRUE | _FALSE:
                    raise KnowledgeError(f"{where}: {column} must be true or false, not {value!r}")
                entry[column] = value.lower() in _TRUE
            elif column in {"end", "note", "source", "verified_through"}:
                entry[column] = value or None
            else:
                entry[column] = value
        tenures.append(_tenure(entry, where=where, origin=origin))
    _reject_overlaps(tenures, origin)
    return tenures, verified


def _fast_tenure(fields: dict[str, Any]) -> Tenure:
    """A Tenure from trusted, complete fields without validation or copying.

    What ``model_construct`` does, minus its per-field default handling, which made up
    most of the time to load the built-in file; a test checks the result equals a
    validated Tenure.
    """
    tenure = object.__new__(Tenure)
    object.__setattr__(tenure, "__dict__", fields)
    object.__setattr__(tenure, "__pydantic_fields_set__", set(fields))
    object.__setattr__(tenure, "__pydantic_extra__", None)
    object.__setattr__(tenure, "__pydantic_private__", None)
    return tenure


def dump_tenures(
    tenures: Iterable[Tenure], path: Path, *, verified_through: date | None = None
) -> None:
    """Write tenures as a knowledge file (YAML, or CSV when ``path`` ends in ``.csv``)."""
    items = list(tenures)
    path = Path(path)
    try:
        # Whole or not at all, through a symlink to its target: a full disk never leaves a
        # knowledge file cut into invalid YAML.
        if path.suffix.lower() == ".csv":
            write_atomic(path, _csv_text(items, verified_through))
            return
        document: dict[str, Any] = {"format": FILE_FORMAT}
        if verified_through is not None:
            document["verified_through"] = verified_through
        document["entries"] = [_entry(t) for t in items]
        header = (
            "# claimcheck knowledge file of office holders (format documented in "
            "claimcheck/knowledge/formats.py)\n"
        )
        write_atomic(path, header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    except OSError as exc:
        raise KnowledgeError(f"cannot write knowledge file {path}: {exc.strerror}") from None


def _entry(t: Tenure) -> dict[str, Any]:
    entry: dict[str, Any] = {"person": t.person}
    if t.aliases:
        entry["aliases"] = list(t.aliases)
    entry.update(
        office=t.office,
        roles=[r.value for r in t.roles],
        jurisdiction=t.jurisdiction,
        start=t.start,
        end=t.end,
    )
    for flag in ("acting", "co_holder", "approximate", "inferred_end"):
        if getattr(t, flag):
            entry[flag] = True
    for text in ("note", "source"):
        if getattr(t, text) is not None:
            entry[text] = getattr(t, text)
    if t.verified_through is not None:
        entry["verified_through"] = t.verified_through
    return entry


def _csv_text(items: Sequence[Tenure], verified_through: date | None) -> str:
    out = io.StringIO()
    if verified_through is not None:
        out.write(f"# verified_through: {verified_through.isoformat()}\n")
    writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for t in items:
        writer.writerow(
            {
                "person": t.person,
                "aliases": ";".join(t.aliases),
                "office": t.office,
                "roles": ";".join(r.value for r in t.roles),
                "jurisdiction": t.jurisdiction,
                "start": t.start.isoformat(),
                "end": t.end.isoformat() if t.end else "",
                "acting": "true" if t.acting else "false",
                "approximate": "true" if t.approximate else "false",
                "note": t.note or "",
                "source": t.source or "",
                "co_holder": "true" if t.co_holder else "false",
                "verified_through": t.verified_through.isoformat() if t.verified_through else "",
                "inferred_end": "true" if t.inferred_end else "false",
            }
        )
    return out.getvalue()
