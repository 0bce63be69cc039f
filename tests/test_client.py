"""The one LLM factory: ``open_llm(LLMSettings)`` builds the client for the command line, the
review page, the Ray workers and library callers alike."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from claimcheck import LLMSettings, open_llm
from claimcheck.cluster import Endpoint
from claimcheck.errors import ConfigError
from claimcheck.llm import Backend
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.settings import ENV_NO_CACHE
from claimcheck.web import Settings

PACKAGE = Path(__file__).resolve().parent.parent / "claimcheck"


class Recorder:
    """A backend factory that keeps what it was called with and what it made."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.made: list[FakeBackend] = []

    def __call__(self, **options: Any) -> Backend:
        self.calls.append(options)
        backend = FakeBackend([])
        self.made.append(backend)
        return backend


def test_the_backend_gets_the_settings_and_a_timeout_only_when_one_is_set(
    tmp_path: Path,
) -> None:
    factory = Recorder()
    local = tmp_path / "m.gguf"
    with open_llm(LLMSettings(model="m", base_url="http://x/v1"), backend_factory=factory):
        pass
    with open_llm(LLMSettings(local_model=local, timeout=9.0), backend_factory=factory):
        pass
    assert factory.calls == [
        {"model": "m", "base_url": "http://x/v1", "local_model": None},
        {"model": None, "base_url": None, "local_model": local, "timeout": 9.0},
    ]
    assert all(b.closed for b in factory.made)


def test_the_cache_follows_no_cache_the_environment_and_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    with open_llm(backend_factory=Recorder()) as llm:
        assert llm.cache is not None and llm.cache.directory == cache_dir
    with open_llm(LLMSettings(cache_dir=tmp_path / "c"), backend_factory=Recorder()) as llm:
        assert llm.cache is not None and llm.cache.directory == tmp_path / "c"
    with open_llm(LLMSettings(no_cache=True), backend_factory=Recorder()) as llm:
        assert llm.cache is None
    monkeypatch.setenv(ENV_NO_CACHE, "1")
    with open_llm(backend_factory=Recorder()) as llm:
        assert llm.cache is None


def test_limits_are_applied_and_closing_closes_backend_then_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed: list[str] = []
    monkeypatch.setattr(ResponseCache, "close", lambda self: closed.append("cache"))
    factory = Recorder()
    ticks: list[int] = []
    settings = LLMSettings(retry_failed=True, max_questions=7)
    llm = open_llm(settings, backend_factory=factory, on_question=lambda: ticks.append(1))
    assert (llm.retry_failed, llm.max_questions, llm.on_question is not None) == (True, 7, True)
    assert closed == []
    llm.close()
    assert factory.made[0].closed and closed == ["cache"]


def test_a_refused_setting_leaves_no_cache_open(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[str] = []
    monkeypatch.setattr(ResponseCache, "close", lambda self: closed.append("cache"))
    with pytest.raises(ConfigError, match="max_questions"):
        open_llm(LLMSettings(max_questions=0), backend_factory=Recorder())
    assert closed == ["cache"]


def test_the_review_page_and_the_ray_workers_hand_over_the_same_settings(tmp_path: Path) -> None:
    page = Settings(
        baseline_file=tmp_path / "r.json",
        backend_factory=Recorder(),
        model="m",
        base_url="http://x/v1",
        no_cache=True,
        retry_failed=True,
        max_questions=5,
        timeout=3.0,
    )
    assert page.llm_settings() == LLMSettings(
        model="m",
        base_url="http://x/v1",
        timeout=3.0,
        no_cache=True,
        retry_failed=True,
        max_questions=5,
    )
    worker = Endpoint(model="m", local_model="a.gguf", cache_dir="c", no_cache=True)
    assert worker.settings() == LLMSettings(
        model="m", local_model=Path("a.gguf"), cache_dir=Path("c"), no_cache=True
    )


def test_no_module_but_the_factory_builds_an_llm() -> None:
    """The CLI, the page and the workers build their client with open_llm, never LLM(...)."""
    builders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "llm" / "client.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "LLM"
            ):
                builders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert builders == []
