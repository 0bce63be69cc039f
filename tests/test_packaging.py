"""Packaging: the wheel ships the prompt templates, and both install styles find them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import claimcheck
from claimcheck.llm.prompts import all_templates, prompts_dir

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("claimcheck-*.whl")
    return built


def test_wheel_ships_every_prompt(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(n).name for n in names if n.startswith("claimcheck/_prompts/")}
    in_checkout = {p.name for p in (REPO / "prompts").glob("*.prompt")}
    assert in_checkout, "no templates in prompts/"
    assert shipped == in_checkout
    assert all(n.endswith(".prompt") for n in names if n.startswith("claimcheck/_prompts/"))


def test_wheel_ships_the_package_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "claimcheck/__init__.py" in names
    assert "claimcheck/py.typed" in names
    assert "claimcheck/llm/backends/local.py" in names
    assert "claimcheck/language/vocabulary/__init__.py" in names
    assert {
        "claimcheck/data/vocabulary/measures.yaml",
        "claimcheck/data/officeholders.json.gz",
    } <= names
    assert not any(n.startswith(("tests/", "fixtures/", "evaluation/")) for n in names)
    assert not any(Path(n).name.startswith("evaluat") for n in names), "evaluation code shipped"


def test_installed_wheel_reads_its_own_prompts(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import claimcheck.llm.prompts as p; print(p.prompts_dir()); print(len(p.all_templates()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(target)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    directory, count = result.stdout.split()
    assert Path(directory) == target / "claimcheck" / "_prompts"
    assert int(count) == len(all_templates())


def test_editable_install_reads_the_checkout() -> None:
    assert Path(claimcheck.__file__).resolve().parent == REPO / "claimcheck"
    assert prompts_dir() == REPO / "prompts"
    assert {"reask", "schema_hint"} <= set(all_templates())
