"""The machine-readable report and its versioned JSON schema (``docs/report-schema.json``).

Top level: ``schema_version``, ``articles``, ``events``, ``claims``, ``findings``, ``usage``,
``model``, ``as_of`` and ``errors`` (articles that could not be processed). Every finding
carries ``kind``, ``severity``, ``confidence``, ``explanation`` and ``evidence`` entries that
name their ``article_id``. A change that breaks readers bumps ``SCHEMA_VERSION`` in
:mod:`claimcheck.models`.
"""

from __future__ import annotations

import json
from typing import Any

from claimcheck.models import SCHEMA_VERSION, Report

SCHEMA_ID = "https://claimcheck.invalid/report-schema.json"


def render_json(report: Report) -> str:
    """The report as indented JSON; read it back with ``Report.model_validate_json``."""
    return report.model_dump_json(indent=2) + "\n"


def report_schema() -> dict[str, Any]:
    """The JSON schema of the report, as committed in ``docs/report-schema.json``."""
    schema = Report.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "claimcheck report",
        "description": (
            f"claimcheck report, schema version {SCHEMA_VERSION}. Generated from "
            "claimcheck.models.Report; do not edit by hand "
            "(claimcheck schema > docs/report-schema.json)."
        ),
        **{k: v for k, v in schema.items() if k not in {"title", "description"}},
    }


def schema_text() -> str:
    """``report_schema()`` serialised the way the committed file is."""
    return json.dumps(report_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
