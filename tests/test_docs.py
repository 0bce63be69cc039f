"""Documentation keeps up with the CLI: every command and option is documented and has help.

The README is the user's guide; the CLI reference lives in docs/cli.md. Either may document
an item, so the check reads both. The README holds no work log (measurements with their
dates, commits and sessions live in evaluation/README.md and benchmarks/README.md), and
every relative link of the documentation leads to a file that exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from claimcheck.cli import EXIT_BACKEND, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, main

REPO = Path(__file__).resolve().parent.parent


def documentation() -> str:
    parts = [REPO / "README.md", REPO / "docs" / "cli.md"]
    return "\n".join(p.read_text(encoding="utf-8") for p in parts if p.exists())


def commands() -> list[tuple[list[str], click.Command]]:
    found: list[tuple[list[str], click.Command]] = [([], main)]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in sorted(group.commands.items()):
            found.append(([*prefix, name], command))
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(main, [])
    return found


def options() -> list[tuple[str, str]]:
    """(command path, long option) for every option of every command."""
    seen = []
    for path, command in commands():
        for param in command.params:
            if isinstance(param, click.Option):
                longs = [o for o in param.opts + param.secondary_opts if o.startswith("--")]
                seen += [(" ".join(path) or "claimcheck", o) for o in longs]
    return seen


@pytest.mark.parametrize("path", [p for p, _ in commands() if p], ids=" ".join)
def test_every_command_is_documented(path: list[str]) -> None:
    assert f"claimcheck {' '.join(path)}" in documentation(), (
        f"`claimcheck {' '.join(path)}` is not in README.md or docs/cli.md"
    )


@pytest.mark.parametrize(("where", "option"), options(), ids=lambda v: str(v))
def test_every_option_is_documented(where: str, option: str) -> None:
    assert f"`{option}" in documentation(), (
        f"option {option} of {where} is not documented (as `{option}…`) in README.md or docs/cli.md"
    )


@pytest.mark.parametrize("path", [p for p, _ in commands()], ids=lambda p: " ".join(p) or "main")
def test_every_command_has_help(path: list[str]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")


def test_exit_codes_are_documented() -> None:
    text = documentation()
    for code in (EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BACKEND):
        assert f"| {code} |" in text


def test_environment_variables_are_documented() -> None:
    text = documentation()
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "CLAIMCHECK_MODEL",
        "CLAIMCHECK_CACHE_DIR",
        "CLAIMCHECK_NO_CACHE",
        "CLAIMCHECK_BATCH",
        "CLAIMCHECK_LOCAL_THREADS",
        "CLAIMCHECK_FAIL_ON",
        "CLAIMCHECK_PRICES",
    ):
        assert f"`{name}`" in text, name


def test_the_check_fails_on_an_undocumented_option() -> None:
    """Guard against a vacuous check: an invented option is not found."""
    assert "`--no-such-option" not in documentation()


# A work log's marks: "session 6", "at commit bda0957", a bare commit hash. A finding id
# ("f-7b18fdc1e687") is no hash: it is preceded by "f-".
_SESSION = re.compile(r"\bsession \d+", re.IGNORECASE)
_HASH = re.compile(r"(?<![\w-])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}(?![\w-])")


def work_log_marks(text: str) -> list[str]:
    return [m.group() for m in (*_SESSION.finditer(text), *_HASH.finditer(text))]


def test_the_readme_holds_no_work_log() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert work_log_marks(readme) == [], "move measurement history to evaluation/README.md"
    assert "## Measured" not in readme


def test_the_work_log_check_finds_what_it_looks_for() -> None:
    """Guard against a vacuous check: a history line is caught, a finding id is not."""
    line = "Measured on 30 November 2026 (session 6) at commit bda0957, see f-7b18fdc1e687."
    assert work_log_marks(line) == ["session 6", "bda0957"]


_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


PAGES = ("README.md", "docs/cli.md", "docs/architecture.md", "docs/knowledge.md")


@pytest.mark.parametrize("page", [*PAGES, "evaluation/README.md", "benchmarks/README.md"])
def test_relative_links_lead_somewhere(page: str) -> None:
    path = REPO / page
    links = [t for t in _LINK.findall(path.read_text(encoding="utf-8")) if "://" not in t]
    missing = [t for t in links if not (path.parent / t).exists()]
    assert missing == [], f"{page} links to files that do not exist: {missing}"


def test_the_readme_links_the_figures_and_the_architecture() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for target in ("evaluation/README.md", "docs/architecture.md", "benchmarks/README.md"):
        assert f"]({target})" in readme, target
