"""The environment is read in one place: ``claimcheck.settings``. Every other module asks it,
and every variable it names is documented in docs/cli.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from claimcheck import settings

PACKAGE = Path(settings.__file__).resolve().parent
CLI_DOC = PACKAGE.parent / "docs" / "cli.md"

#: Modules that still read the environment themselves, each with the reason. Entries leave
#: this list as their module moves to ``settings``; a stale entry fails the test.
NOT_YET: dict[str, str] = {}

_ENV_NAMES = frozenset({"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"})


def environment_reads(source: str) -> list[str]:
    """Where ``source`` touches the process environment: ``os.environ``/``os.getenv`` (and
    friends), those names imported from ``os``, or a click ``envvar=`` given as a literal
    (the name must come from ``settings``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in _ENV_NAMES:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [
                f"line {node.lineno}: from os import {a.name}"
                for a in node.names
                if a.name in _ENV_NAMES
            ]
        elif (
            isinstance(node, ast.keyword)
            and node.arg == "envvar"
            and isinstance(node.value, ast.Constant)
        ):
            found.append(f"line {node.lineno}: envvar={node.value.value!r}")
    return sorted(found, key=lambda where: int(where.split()[1].rstrip(":")))


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "settings.py":
            continue
        reads = environment_reads(path.read_text(encoding="utf-8"))
        if reads:
            readers[name] = reads
    assert sorted(readers) == sorted(NOT_YET), (
        f"read the environment through claimcheck.settings instead: {readers}"
    )


def test_the_check_finds_every_way_of_reading_the_environment() -> None:
    """Guard against a vacuous check: each spelling is found, a mention in text is not."""
    source = (
        "import os\nfrom os import getenv\nimport click\n"
        "a = os.environ.get('X')\nb = os.getenv('Y')\nc = click.option('--z', envvar='Z')\n"
        "d = 'os.environ in a string'\ne = click.option('--w', envvar=settings.W)\n"
    )
    assert environment_reads(source) == [
        "line 2: from os import getenv",
        "line 4: .environ",
        "line 5: .getenv",
        "line 6: envvar='Z'",
    ]


def test_every_variable_is_documented_and_every_documented_one_is_read() -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    section = text.split("### Environment", 1)[1].split("\n#", 1)[0]
    documented = re.findall(r"^\| `([A-Z_]+)` \|", section, re.MULTILINE)
    assert documented == list(settings.VARIABLES)
    for name in settings.VARIABLES:
        assert f"``{name}``" in (settings.__doc__ or ""), name


def test_values_are_read_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(settings.ENV_CACHE_DIR, raising=False)
    assert settings.cache_dir() is None
    monkeypatch.setenv(settings.ENV_CACHE_DIR, "~/cc")
    assert settings.cache_dir() == Path("~/cc").expanduser()
    monkeypatch.setenv(settings.ENV_CACHE_DIR, "")
    assert settings.cache_dir() is None
    for value, on in (("1", True), (" Yes ", True), ("on", True), ("0", False), ("", False)):
        monkeypatch.setenv(settings.ENV_NO_CACHE, value)
        assert settings.no_cache() is on, value
    monkeypatch.delenv(settings.ENV_FAIL_ON, raising=False)
    assert settings.fail_on("high") == "high"
    monkeypatch.setenv(settings.ENV_FAIL_ON, "medium")
    assert settings.fail_on("high") == "medium"
    monkeypatch.setenv(settings.ENV_PRICES, "")
    assert settings.prices_file() is None
    monkeypatch.setenv(settings.ENV_MODEL, "m")
    assert settings.model() == "m"
    monkeypatch.setenv(settings.ENV_LOCAL_THREADS, " 3 ")
    assert settings.text(settings.ENV_LOCAL_THREADS) == "3"


def test_secret_values_are_found_by_the_ends_of_their_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOME_API_KEY", "k-1")
    monkeypatch.setenv("some_service_token", "t-1")
    monkeypatch.setenv("NOT_A_SECRET_KEYS", "plain")
    exact = settings.values_of_names_ending(("API_KEY", "_TOKEN"))
    assert "k-1" in exact and "t-1" not in exact and "plain" not in exact
    assert "t-1" in settings.values_of_names_ending(("TOKEN",), any_case=True)
