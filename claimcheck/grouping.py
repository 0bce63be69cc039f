"""A user's declaration of which articles report which event (``--events FILE``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from claimcheck import safeyaml
from claimcheck.errors import InputError


def read_grouping(path: Path) -> dict[str, str]:
    """Read a user's declaration of which articles report which event.

    The file (YAML or JSON) maps each event id to its article ids, either at the top level
    or under ``events``; a list of ``{id, articles, drafts}`` records works too (the shape
    of ``fixtures/gold/events.yaml``; drafts belong to the event they will report)::

        events:
          crash-2025-03-18: [crash-a, crash-b]
          quake-2025-09-23: [quake-a]

    Returns article id → event id, as ``cross_check(grouping=...)`` takes it.
    """
    try:
        raw = safeyaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the events file {path}: {exc}") from exc
    if isinstance(raw, dict) and "events" in raw:
        raw = raw["events"]
    if isinstance(raw, list):
        try:
            raw = {str(r["id"]): [*r["articles"], *r.get("drafts", [])] for r in raw}
        except (TypeError, KeyError):
            raw = None
    grouping: dict[str, str] = {}
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise InputError(
            f"the events file {path} must map each event id to a list of article ids, "
            "e.g. 'kyiv-2025-07-04: [jul04-a, jul04-b]'"
        )
    for event_id, article_ids in raw.items():
        for article_id in article_ids:
            if str(article_id) in grouping:
                raise InputError(
                    f"the events file {path} puts article {article_id!r} in two events "
                    f"({grouping[str(article_id)]!r} and {event_id!r}); keep one"
                )
            grouping[str(article_id)] = str(event_id)
    return grouping


__all__ = ["read_grouping"]
