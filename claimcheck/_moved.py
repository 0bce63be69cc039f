"""Old import paths of modules that moved into a layer, kept working for callers.

``import claimcheck.backends`` (or ``from claimcheck.cache import ResponseCache``) gives the
module at its new home, the same module object, so a caller's patch of the old path patches
the one module the package uses. Submodules follow (``claimcheck.backends.fake`` is
``claimcheck.llm.backends.fake``). New code imports the new paths.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

#: old module -> where it lives now (its submodules follow it)
MOVED: dict[str, str] = {
    "claimcheck.article_cache": "claimcheck.llm.article_cache",
    "claimcheck.backends": "claimcheck.llm.backends",
    "claimcheck.cache": "claimcheck.llm.cache",
    "claimcheck.calendar_words": "claimcheck.language.calendar_words",
    "claimcheck.client": "claimcheck.llm.client",
    "claimcheck.flights": "claimcheck.llm.flights",
    "claimcheck.knowledge.titles": "claimcheck.language.titles",
    "claimcheck.memo": "claimcheck.llm.memo",
    "claimcheck.names": "claimcheck.language.names",
    "claimcheck.nlp": "claimcheck.language.nlp",
    "claimcheck.places": "claimcheck.language.places",
    "claimcheck.prompts": "claimcheck.llm.prompts",
    "claimcheck.redact": "claimcheck.llm.redact",
    "claimcheck.vocabulary": "claimcheck.language.vocabulary",
}


def new_name(old: str) -> str | None:
    """Where the module once imported as ``old`` lives now; None when it did not move."""
    for before, after in MOVED.items():
        if old == before or old.startswith(before + "."):
            return after + old[len(before) :]
    return None


class _OldPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old path and loads it as the module at the new one."""

    def __init__(self) -> None:
        self._specs: dict[str, ModuleSpec | None] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if new_name(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        module = importlib.import_module(new_name(spec.name) or spec.name)
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system has just set the alias's spec on the module: give it back its own.
        alias = module.__spec__
        if alias is not None:
            module.__spec__ = self._specs.pop(alias.name, None)


def install() -> None:
    """Serve the old paths (once per process)."""
    if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OldPaths())
