"""The default test run: plain ``pytest`` is the deterministic suite, and the slow tests (the
live embedded model, the soak, the browser) run only when asked for, as .ci/run does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The modules that hold the slow tests; collecting them is enough to see what a run selects.
MODULES = ("tests/test_backend_local.py", "tests/test_soak.py", "tests/test_web.py")
LIVE = "tests/test_backend_local.py::test_live_embedded_model_structured_call_and_cache"
BROWSER = "tests/test_web.py::test_in_a_browser_paste_run_dismiss_and_rerun"


def collected(*args: str) -> set[str]:
    """Test ids ``pytest`` would run with these arguments, read from the project's config."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, *args, *MODULES],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_plain_pytest_leaves_out_the_live_soak_and_browser_tests() -> None:
    default = collected()
    assert LIVE not in default
    assert BROWSER not in default
    assert not any(t.startswith("tests/test_soak.py::") for t in default)
    # the rest of those modules still runs: the backend's and the review page's own tests
    assert any(t.startswith("tests/test_backend_local.py::") for t in default)
    assert any(t.startswith("tests/test_web.py::") for t in default)


def test_ci_selects_exactly_the_slow_tests() -> None:
    slow = collected("-m", "live or soak or browser")
    assert LIVE in slow and BROWSER in slow
    assert any(t.startswith("tests/test_soak.py::") for t in slow)
    assert slow.isdisjoint(collected())
