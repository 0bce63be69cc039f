"""Imports run one way: the support layers import no stage, and no stage imports another
stage or the pipeline that composes them (``docs/architecture.md``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "claimcheck"
STAGES = ("ingest", "extract", "crosscheck", "report")
ABOVE = ("pipeline", "cli", "web", "cluster", "baseline", "grouping")


def _imports(folder: str) -> dict[str, set[str]]:
    """Every claimcheck module each file of ``folder`` imports, by its path."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[path.relative_to(PACKAGE).as_posix()] = {
            n for n in names if n.startswith("claimcheck.")
        }
    return found


def _reaching(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path} imports {name}"
        for path, names in _imports(folder).items()
        for name in sorted(names)
        if name.split(".")[1] in forbidden
    ]


@pytest.mark.parametrize("layer", ["llm", "language", "knowledge"])
def test_a_support_layer_imports_no_stage(layer: str) -> None:
    assert _reaching(layer, STAGES + ABOVE) == []


@pytest.mark.parametrize("stage", ["extract", "crosscheck", "report"])
def test_a_stage_imports_no_other_stage_nor_the_pipeline(stage: str) -> None:
    others = tuple(s for s in STAGES if s != stage)
    assert _reaching(stage, others + ABOVE) == []
