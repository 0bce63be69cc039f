"""The domain vocabulary: every word list about a kind of story, read from data files.

Measures and units, event kinds and their verbs, speaker bodies, offices and demonyms live
in ``claimcheck/data/vocabulary/*.yaml``. Each section has a module here that parses its file
once (``functools.cache``) into frozen objects; extraction and cross-checking both read those
objects and hold no story-specific words of their own. A new kind of story is added by
adding data, not code.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from claimcheck.errors import InputError

FORMAT = "claimcheck-vocabulary/1"


def load_section(name: str) -> dict[str, Any]:
    """The parsed YAML file ``claimcheck/data/vocabulary/<name>.yaml``, format-checked."""
    path = resources.files("claimcheck") / "data" / "vocabulary" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"vocabulary file {name}.yaml: expected 'format: {FORMAT}'")
    return data
