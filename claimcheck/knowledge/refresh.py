"""Bringing a user's knowledge up to date from Wikidata.

:func:`update_knowledge` lays a SPARQL export the user downloaded over a knowledge file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from claimcheck.knowledge.formats import dump_tenures, read_knowledge_file
from claimcheck.knowledge.tenures import Tenure, merge_tenures
from claimcheck.knowledge.wikidata import import_wikidata

__all__ = ["update_knowledge"]


def update_knowledge(export: Path, output: Path, *, as_of: date) -> tuple[int, int]:
    """Lay a Wikidata SPARQL export over a user knowledge file (created when absent).

    Returns how many tenures the export gave and how many the file now holds. ``as_of``
    (the day the export was downloaded) becomes the file's ``verified_through``.

    Example::

        update_knowledge(Path("ministers.csv"), Path("knowledge.yaml"), as_of=date.today())
    """
    new = import_wikidata(export)
    existing: list[Tenure] = []
    if Path(output).exists():
        existing, _ = read_knowledge_file(Path(output))
    merged = merge_tenures(existing, new)
    dump_tenures(merged, Path(output), verified_through=as_of)
    return len(new), len(merged)


# --------------------------------------------------------------------------- writing files
