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
