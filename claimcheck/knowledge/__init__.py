"""Who held which office when: the reference knowledge the cross-checker checks titles against.

News copy goes stale in a particular way: a minister is still called "Foreign Minister" a year
after being replaced, or a sitting president is called "former". Those errors cannot be caught
by comparing sources with each other when every source copied the same stale line, so titles
are also checked against a file of office holders.

The package, by concern:

- the title parsing it uses (office, place, modifier of a free-text title) lives in the
  language layer, :mod:`~claimcheck.language.titles`, so extraction reads titles without
  this package; its names are exported here too;
- :mod:`~claimcheck.knowledge.tenures`: the records (:class:`Tenure`, :class:`TitleVerdict`)
  and laying one list of tenures over another;
- :mod:`~claimcheck.knowledge.store`: :class:`KnowledgeBase`, its queries and title checks,
  and the built-in knowledge; :mod:`~claimcheck.knowledge.verdicts`: the verdict rules;
- :mod:`~claimcheck.knowledge.formats`: the file formats (YAML, CSV, the compact built file);
  :mod:`~claimcheck.knowledge.wikidata`: Wikidata SPARQL exports;
- :mod:`~claimcheck.knowledge.refresh`: bringing a knowledge file up to date from Wikidata;
  :mod:`~claimcheck.knowledge.freshness`: what each source covers and through which date.

The built-in knowledge (``claimcheck/data/officeholders.json.gz``) is built by
``scripts/build_officeholders.py`` from dated public sources, each entry with its provenance;
docs/knowledge.md lists them. A tenure records what its source saw: a term open in a snapshot
taken on D is "in office on D, later unknown", and a title checked well after D is unknown
unless a fresher source covers the office then.

Names are imported on first use (PEP 562), so ``from claimcheck.knowledge import
title_modifier`` does not load the store.

Example::

    >>> kb = KnowledgeBase.load()
    >>> v = kb.check_title("Dmytro Kuleba", "Ukraine's Foreign Minister", date(2025, 7, 4))
    >>> v.verdict, [t.person for t in v.holders]
    (<Verdict.SITTING_BUT_FORMER: 'sitting_but_former'>, ['Andrii Sybiha'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimcheck._lazy import lazy_exports

if TYPE_CHECKING:
    from claimcheck.knowledge.formats import (
        COMPACT_COLUMNS,
        FILE_FORMAT,
        dump_tenures,
        read_knowledge_file,
    )
    from claimcheck.knowledge.refresh import refresh_knowledge, update_knowledge
    from claimcheck.knowledge.store import (
        DEFAULT_KNOWLEDGE,
        KnowledgeBase,
        check_title,
        default_knowledge,
        knowledge_sources,
    )
    from claimcheck.knowledge.tenures import (
        Role,
        Tenure,
        TitleVerdict,
        Verdict,
        find_overlaps,
        merge_tenures,
        role_of_office,
        surname_keys,
    )
    from claimcheck.knowledge.wikidata import import_wikidata
    from claimcheck.language.titles import (
        ParsedTitle,
        canonical_jurisdiction,
        normalise_office,
        organisation_title,
        parse_title,
        title_modifier,
    )

__all__ = [
    "COMPACT_COLUMNS",
    "DEFAULT_KNOWLEDGE",
    "FILE_FORMAT",
    "KnowledgeBase",
    "ParsedTitle",
    "Role",
    "Tenure",
    "TitleVerdict",
    "Verdict",
    "canonical_jurisdiction",
    "check_title",
    "default_knowledge",
    "dump_tenures",
    "find_overlaps",
    "import_wikidata",
    "knowledge_sources",
    "merge_tenures",
    "normalise_office",
    "organisation_title",
    "parse_title",
    "read_knowledge_file",
    "refresh_knowledge",
    "role_of_office",
    "surname_keys",
    "title_modifier",
    "update_knowledge",
]

_EXPORTS: dict[str, str] = {
    "COMPACT_COLUMNS": "claimcheck.knowledge.formats",
    "DEFAULT_KNOWLEDGE": "claimcheck.knowledge.store",
    "FILE_FORMAT": "claimcheck.knowledge.formats",
    "KnowledgeBase": "claimcheck.knowledge.store",
    "ParsedTitle": "claimcheck.language.titles",
    "Role": "claimcheck.knowledge.tenures",
    "Tenure": "claimcheck.knowledge.tenures",
    "TitleVerdict": "claimcheck.knowledge.tenures",
    "Verdict": "claimcheck.knowledge.tenures",
    "canonical_jurisdiction": "claimcheck.language.titles",
    "check_title": "claimcheck.knowledge.store",
    "default_knowledge": "claimcheck.knowledge.store",
    "dump_tenures": "claimcheck.knowledge.formats",
    "find_overlaps": "claimcheck.knowledge.tenures",
    "import_wikidata": "claimcheck.knowledge.wikidata",
    "knowledge_sources": "claimcheck.knowledge.store",
    "merge_tenures": "claimcheck.knowledge.tenures",
    "normalise_office": "claimcheck.language.titles",
    "organisation_title": "claimcheck.language.titles",
    "parse_title": "claimcheck.language.titles",
    "read_knowledge_file": "claimcheck.knowledge.formats",
    "refresh_knowledge": "claimcheck.knowledge.refresh",
    "role_of_office": "claimcheck.knowledge.tenures",
    "surname_keys": "claimcheck.knowledge.tenures",
    "title_modifier": "claimcheck.language.titles",
    "update_knowledge": "claimcheck.knowledge.refresh",
}

__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)
