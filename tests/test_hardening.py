"""The hardening audit of 7 December 2026 (issue 23), one section per class of defect:
work lost, secrets, reachable from outside, resources, tracebacks, misleading outcomes.

Each test was seen failing on the code before its fix. The web tests need the web extra.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_cli import DISAGREE, run, runtime, write_articles

from claimcheck import baseline as baselines
from claimcheck.backends.fake import FakeBackend
from claimcheck.cache import ResponseCache
from claimcheck.fileio import locked, write_atomic

# --------------------------------------------------------------------------- work lost


def _add_slowly(path: str, number: int, start: Any) -> None:
    start.wait()

    def change(current: baselines.Baseline) -> baselines.Baseline:
        time.sleep(0.05)  # a slow reader: without a lock, another process writes meanwhile
        entry = baselines.BaselineEntry(fingerprint=f"f1-{number}", decision="accepted")
        return current.with_entry(entry)

    baselines.update_baseline(Path(path), change)


def test_five_processes_adding_to_one_baseline_keep_every_entry(tmp_path: Path) -> None:
    path = tmp_path / "reviewed.json"
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [context.Process(target=_add_slowly, args=(str(path), n, start)) for n in range(5)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    entries = baselines.read_baseline(path).entries
    assert sorted(e.fingerprint for e in entries) == [f"f1-{n}" for n in range(5)]


def test_a_symlinked_baseline_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "reviewed.json"
    real.parent.mkdir()
    baselines.write_baseline(baselines.Baseline(), real)
    link = tmp_path / "reviewed.json"
    link.symlink_to(real)
    entry = baselines.BaselineEntry(fingerprint="f1-x", decision="dismissed", reason="r")
    baselines.update_baseline(link, lambda b: b.with_entry(entry))
    assert link.is_symlink()
    assert baselines.read_baseline(real).entries == (entry,)
    left = sorted(p.name for p in real.parent.iterdir())
    assert left == [".reviewed.json.lock", "reviewed.json"]  # no temp file left


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "knowledge.yaml"
    path.write_text("tenures: []\n", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, "tenures:\n  - person: A\n" * 1000)
    assert path.read_text(encoding="utf-8") == "tenures: []\n"
    assert [p.name for p in tmp_path.iterdir()] == ["knowledge.yaml"]


def test_the_lock_is_held_across_threads_too(tmp_path: Path) -> None:
    path = tmp_path / "reviewed.json"
    order: list[str] = []

    def second() -> None:
        with locked(path):
            order.append("second")

    with locked(path):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.1)
        order.append("first")
    thread.join(5)
    assert order == ["first", "second"]


def _counting_runtime(made: list[FakeBackend]) -> Any:
    from test_cli import fake_factory

    return runtime(DISAGREE, backend_factory=fake_factory(DISAGREE, made))


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a folder even root cannot write")
def test_an_unwritable_output_fails_before_any_model_call(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    made: list[FakeBackend] = []
    result = run(
        ["check", str(folder), "-o", "/sys/claimcheck-report.json"], _counting_runtime(made)
    )
    assert result.exit_code == 2, result.output
    assert "cannot write /sys/claimcheck-report.json" in result.stderr
    assert sum(len(b.requests) for b in made) == 0
    made.clear()
    result = run(["extract", str(folder), "-o", "/sys/claims.json"], _counting_runtime(made))
    assert result.exit_code == 2
    assert sum(len(b.requests) for b in made) == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_fails_before_the_run(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    locked_dir = tmp_path / "ro"
    locked_dir.mkdir()
    locked_dir.chmod(0o555)
    made: list[FakeBackend] = []
    result = run(["check", str(folder), "-o", str(locked_dir / "r.json")], _counting_runtime(made))
    assert result.exit_code == 2
    assert sum(len(b.requests) for b in made) == 0


def _damage_the_middle(directory: Path) -> None:
    database = directory / "cache.db"
    size = database.stat().st_size
    with database.open("r+b") as handle:
        handle.seek((size // 2) // 4096 * 4096)
        handle.write(b"\xa5" * 4096)


def _filled_cache(directory: Path, entries: int = 3000) -> None:
    store = ResponseCache(directory)
    for n in range(entries):
        store.set(f"key-{n}", "answer " * 40 + str(n))
    store.close()


def test_a_cache_with_a_damaged_page_is_rebuilt_at_its_first_error(tmp_path: Path) -> None:
    directory = tmp_path / "responses"
    _filled_cache(directory)
    _damage_the_middle(directory)
    store = ResponseCache(directory)
    for n in range(3000):
        store.get(f"key-{n}")
    assert [p.name for p in tmp_path.iterdir() if ".broken-" in p.name], "not moved aside"
    # The new database works: what is written now is read back (a resumed run hits it).
    store.set("after", "kept")
    assert store.get("after") == "kept"
    store.close()
    assert ResponseCache(directory).get("after") == "kept"


def test_cache_clear_always_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "responses"
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(directory))
    _filled_cache(directory)
    _damage_the_middle(directory)
    result = run(["cache", "clear", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    store = ResponseCache(directory)
    assert len(store) == 0
    store.set("k", "v")
    assert store.get("k") == "v"


def test_the_job_board_never_drops_a_running_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_pipeline import llm_extractor
    from test_web import settings

    from claimcheck.llm import LLM
    from claimcheck.models import Article, ArticleClaims
    from claimcheck.web import jobs

    release = threading.Event()

    def held(article: Article, llm: LLM) -> ArticleClaims:
        release.wait(30)
        return llm_extractor(article, llm)

    monkeypatch.setattr(jobs, "MAX_JOBS", 3)
    board = jobs.JobBoard(settings(tmp_path, extractor=held))
    draft, source = (Article(id=k, text=v) for k, v in DISAGREE.items())
    try:
        first, _ = board.start(draft, [source])
        later = [board.start(draft, [source])[1] for _ in range(4)]
        assert board.get(first.id) is not None  # still running: never forgotten
        release.set()
        for future in later:
            future.result(30)
        finished, _ = board.start(draft, [source])
        assert board.get(first.id) is None  # finished ones go first, oldest first
        assert board.get(finished.id) is not None
    finally:
        release.set()
        board.close()


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize("via_env", [False, True])
def test_a_base_url_without_a_scheme_never_shows_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, via_env: bool
) -> None:
    from claimcheck.cli import Runtime

    folder = write_articles(tmp_path / "in", DISAGREE)
    url = "alice:Pa55word-x@127.0.0.1:9/v1"
    args = ["check", str(folder), "--no-cache"]
    if via_env:
        monkeypatch.setenv("OPENAI_BASE_URL", url)
    else:
        args += ["--base-url", url]
    result = run(args, Runtime())
    assert result.exit_code == 2, result.output
    assert "Pa55word-x" not in result.output
    assert "http://" in result.stderr  # says how to write it


@pytest.mark.parametrize(
    "url", ["http://a:Pw-secret-9@[bad/v1", "http://al:pw@[bad/v1", "ftp://al:pw@host/v1"]
)
def test_a_malformed_base_url_is_one_line_without_its_password(tmp_path: Path, url: str) -> None:
    from claimcheck.cli import Runtime

    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder), "--no-cache", "--base-url", url], Runtime())
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Pw-secret-9" not in result.output and ":pw@" not in result.output
    assert result.stderr.count("\n") == 1


def test_short_keys_are_masked_as_words() -> None:
    from claimcheck.redact import redact, register_secret

    register_secret("Zq9x", short_ok=True)
    assert redact("the server said: bad key Zq9x (401)") == "the server said: bad key *** (401)"
    assert redact("Zq9xylophone stays") == "Zq9xylophone stays"
    register_secret("Yv8w")  # from the environment: too short to mask without harm
    assert redact("Yv8w") == "Yv8w"


def test_a_failed_answer_echoing_the_key_is_cached_redacted(tmp_path: Path) -> None:
    from pydantic import BaseModel

    from claimcheck.errors import StructuredOutputError
    from claimcheck.llm import LLM
    from claimcheck.prompts import render
    from claimcheck.redact import register_secret

    key = "sk-echo-" + "K" * 20
    register_secret(key)

    class Answer(BaseModel):
        verdict: str

    store = ResponseCache(tmp_path / "c")
    backend = FakeBackend(lambda request: f"sorry, your key {key} is wrong; basic fee")
    llm = LLM(backend, cache=store)
    prompt = render("reask", error="x")
    with pytest.raises(StructuredOutputError):
        llm.parse(Answer, prompt)
    stored = "".join(store.iter_values())
    assert "sorry, your key" in stored
    assert key not in stored
    raw = b"".join(p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert key.encode() not in raw


def test_endpoint_urls_never_reach_the_review_page(tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient
    from test_web import PASTED, settings, wait

    from claimcheck.errors import BackendUnavailable
    from claimcheck.llm import CompletionRequest
    from claimcheck.web import create_app

    class Gone(FakeBackend):
        def complete(self, request: CompletionRequest) -> Any:
            raise BackendUnavailable(
                "http://10.9.8.7:8080/v1 is unreachable after 5 attempts; is the server running?"
            )

    app = create_app(settings(tmp_path, backend_factory=lambda **_: Gone([])))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        job = wait(client, client.post("/api/jobs", json=PASTED).json()["id"])
    seen = str(job)
    assert "unreachable" in seen
    assert "10.9.8.7" not in seen
