"""Documentation keeps up with the CLI: every command and option is documented and has help.

The README is the lead's; the CLI reference lives in docs/cli.md. Either may document an
item, so the check reads both.
"""

from __future__ import annotations

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
