"""The hardening audit of 7 December 2026 (issue 23), one section per class of defect:
work lost, secrets, reachable from outside, resources, tracebacks, misleading outcomes.

Each test was seen failing on the code before its fix. The web tests need the web extra.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import threading
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest
from test_cli import DISAGREE, run, runtime, write_articles

from claimcheck import baseline as baselines
from claimcheck.fileio import locked, write_atomic
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.llm.cache import ResponseCache


@pytest.fixture(autouse=True)
def _own_redaction_registry() -> Any:
    """Secrets and endpoints registered here are forgotten afterwards (the registry is
    process-wide; a short one left behind would mask words in other tests' messages)."""
    from claimcheck.llm import redact

    saved = {
        name: set(getattr(redact, name)) for name in ("_secrets", "_short_secrets", "_endpoints")
    }
    yield
    for name, values in saved.items():
        registry = getattr(redact, name)
        registry.clear()
        registry.update(values)


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
    from claimcheck.llm.redact import redact, register_secret

    register_secret("Zq9x", short_ok=True)
    assert redact("the server said: bad key Zq9x (401)") == "the server said: bad key *** (401)"
    assert redact("Zq9xylophone stays") == "Zq9xylophone stays"
    register_secret("Yv8w")  # from the environment: too short to mask without harm
    assert redact("Yv8w") == "Yv8w"
    register_secret("a", short_ok=True)  # no secret at all: the prose keeps its articles
    assert redact("a key") == "a key"


def test_a_failed_answer_echoing_the_key_is_cached_redacted(tmp_path: Path) -> None:
    from pydantic import BaseModel

    from claimcheck.errors import StructuredOutputError
    from claimcheck.llm import LLM
    from claimcheck.llm.prompts import render
    from claimcheck.llm.redact import register_secret

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
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 1)) as client:
        job = wait(client, client.post("/api/jobs", json=PASTED).json()["id"])
    seen = str(job)
    assert "unreachable" in seen
    assert "10.9.8.7" not in seen


# --------------------------------------------------------------------------- reachable from outside

web = pytest.importorskip  # (the web tests below skip without the web extra)
LOCAL = ("127.0.0.1", 50000)
REMOTE = ("203.0.113.5", 50000)
TOKEN = "a-long-enough-test-token-42"


def _web_client(tmp_path: Path, *, client: tuple[str, int] = LOCAL, **options: Any) -> Any:
    web("starlette")
    from starlette.testclient import TestClient
    from test_web import settings

    from claimcheck.web import create_app

    token = options.pop("token", None)
    app = create_app(settings(tmp_path, **options), token=token)
    return TestClient(app, base_url="http://localhost", client=client)


def test_another_machine_is_refused_whatever_its_host_header(tmp_path: Path) -> None:
    from test_web import PASTED

    with _web_client(tmp_path, client=REMOTE) as remote:
        for response in (
            remote.get("/"),
            remote.get("/api/files"),
            remote.get("/api/config"),
            remote.post("/api/jobs", json=PASTED),
        ):
            assert response.status_code == 401
            assert "--token" in response.json()["error"]
    with _web_client(tmp_path) as local:
        assert local.get("/").status_code == 200


def test_with_a_token_every_request_must_carry_it(tmp_path: Path) -> None:
    with _web_client(tmp_path, client=REMOTE, token=TOKEN) as remote:
        assert remote.get("/").status_code == 401
        assert (
            remote.get("/api/config", headers={"authorization": "Bearer wrong"}).status_code == 401
        )
        ok = remote.get("/api/config", headers={"authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        page = remote.get(f"/?token={TOKEN}")
        assert page.status_code == 200
        assert "HttpOnly" in page.headers["set-cookie"]
        assert "SameSite=Strict" in page.headers["set-cookie"]
        assert remote.get("/api/files").status_code == 200  # the cookie now
    with _web_client(tmp_path, token=TOKEN) as local:  # this machine too
        assert local.get("/api/config").status_code == 401


def test_no_answer_may_be_framed(tmp_path: Path) -> None:
    with _web_client(tmp_path) as client:
        for path in ("/", "/api/config", "/api/jobs/none"):
            response = client.get(path)
            assert response.headers["x-frame-options"] == "DENY"
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_hidden_files_under_the_root_are_refused(tmp_path: Path) -> None:
    from claimcheck.errors import InputError
    from claimcheck.web.app import inside_root

    root = tmp_path / "copy"
    (root / ".hidden").mkdir(parents=True)
    (root / "wires").mkdir()
    for rel in (".dotfile.md", ".hidden/a.md", "wires/b.md"):
        (root / rel).write_text(DISAGREE["a1"], encoding="utf-8")
    for rel in (".dotfile.md", ".hidden/a.md", "wires/../.dotfile.md", "./.hidden/a.md"):
        with pytest.raises(InputError, match="hidden"):
            inside_root(root, rel)
    assert inside_root(root, "wires/b.md") == (root / "wires" / "b.md").resolve()


def _serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[Any, dict[str, Any]]:
    web("uvicorn")
    import uvicorn

    from claimcheck.cli import Runtime

    seen: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        seen.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return run(["serve", *args], Runtime()), seen


def test_serve_beyond_loopback_needs_a_token_and_says_so_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.testclient import TestClient

    monkeypatch.chdir(tmp_path)
    result, seen = _serve(tmp_path, monkeypatch, "--host", "0.0.0.0")
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.stderr and "other machines" in result.stderr
    token = result.stderr.split("?token=")[1].split()[0]
    assert len(token) >= 16
    with TestClient(seen["app"], base_url="http://192.0.2.1", client=REMOTE) as remote:
        assert remote.get("/api/config").status_code == 401
        ok = remote.get("/api/config", headers={"authorization": f"Bearer {token}"})
        assert ok.status_code == 200
    result, _ = _serve(tmp_path, monkeypatch, "--host", "0.0.0.0", "--token", "short")
    assert result.exit_code == 2
    result, _ = _serve(tmp_path, monkeypatch)
    assert "WARNING" not in result.stderr and "token" not in result.stderr


def test_serve_never_writes_reviews_into_the_checked_folder_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_articles(tmp_path / "copy", DISAGREE)
    monkeypatch.chdir(root)
    result, _ = _serve(tmp_path, monkeypatch, "--root", str(root))
    assert result.exit_code == 2
    assert "--baseline" in result.stderr
    monkeypatch.chdir(tmp_path)
    result, _ = _serve(tmp_path, monkeypatch, "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "reviews go to reviewed.json" in result.stderr
    asked = root / "reviewed.json"
    result, _ = _serve(tmp_path, monkeypatch, "--root", str(root), "--baseline", str(asked))
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- web input


def test_bad_requests_are_400_not_500(tmp_path: Path) -> None:
    root = write_articles(tmp_path / "copy", DISAGREE)
    with _web_client(tmp_path, root=root) as client:
        bodies: list[Any] = [
            {"draft_path": "a1\x00.md", "source_paths": ["a2.md"]},
            {
                "draft": {"name": "d", "text": "lone \ud800 surrogate"},
                "sources": [{"name": "s", "text": "x"}],
            },
        ]
        for body in bodies:
            response = client.post(
                "/api/jobs",
                content=json.dumps(body),  # \ud800 escaped, as a browser may send it
                headers={"content-type": "application/json"},
            )
            assert response.status_code == 400, body
        deep = "[" * 100_000 + "]" * 100_000
        response = client.post(
            "/api/jobs", content=deep, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400


def test_a_chunked_upload_is_cut_at_the_cap_while_it_streams(tmp_path: Path) -> None:
    import asyncio

    web("starlette")
    from test_web import settings

    from claimcheck.web import create_app
    from claimcheck.web.app import MAX_BODY_BYTES

    app = create_app(settings(tmp_path))
    chunk = b"x" * 65536
    sent = 0
    replies: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        sent += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": sent < 40 * MAX_BODY_BYTES}

    async def send(message: MutableMapping[str, Any]) -> None:
        replies.append(dict(message))

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/jobs",
        "raw_path": b"/api/jobs",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        "client": LOCAL,
        "server": ("127.0.0.1", 8765),
        "scheme": "http",
        "http_version": "1.1",
        "root_path": "",
    }
    asyncio.run(app(scope, receive, send))
    assert replies[0]["status"] == 400
    assert sent <= MAX_BODY_BYTES + 2 * len(chunk)


def test_stopping_the_server_does_not_wait_in_silence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
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

    board = jobs.JobBoard(settings(tmp_path, extractor=held))
    draft, source = (Article(id=k, text=v) for k, v in DISAGREE.items())
    board.start(draft, [source])
    time.sleep(0.1)
    started = time.monotonic()
    try:
        with caplog.at_level("WARNING"):
            board.close()
        assert time.monotonic() - started < 5
        assert "abandoned" in caplog.text
    finally:
        release.set()


def test_too_many_sources_are_refused_before_any_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.web import app as web_app

    parsed: list[str] = []

    def counting(text: str, **options: Any) -> Any:
        parsed.append(text)
        raise AssertionError("parsed")

    monkeypatch.setattr(web_app, "parse_article", counting)
    body = {
        "draft": {"name": "d", "text": DISAGREE["a1"]},
        "sources": [{"name": f"s{n}", "text": DISAGREE["a2"]} for n in range(3000)],
    }
    with _web_client(tmp_path) as client:
        response = client.post("/api/jobs", json=body)
    assert response.status_code == 400
    assert "at most" in response.json()["error"]
    assert parsed == []


# --------------------------------------------------------------------------- no traceback

BOMB = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "title: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "---\n" + DISAGREE["a1"]
)
DEEP = "[" * 50_000 + "]" * 50_000


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], bytes | None]]:
    """Each bad input as (arguments, stdin)."""
    good = write_articles(tmp_path / "good", DISAGREE)
    files = {
        "deep.json": DEEP,
        "deep-front.md": f"---\ntitle: {DEEP}\n---\n{DISAGREE['a1']}",
        "bomb.md": BOMB,
        "claims.json": DEEP,
        "events.yaml": DEEP,
        "surrogate.json": '{"text": "lone \\ud800 here"}',
        "bomb-events.yaml": BOMB.split("---\n")[1].replace("title:", "ev1:"),
        "bomb-prices.yaml": BOMB.split("---\n")[1].replace("title:", "model-x:"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    latin1 = "Officials counted 12 people hurt in the caf\xe9 strike.".encode("latin-1")
    return {
        "latin-1 on stdin": (["check", "-"], latin1),
        "deep JSON article": (["check", str(tmp_path / "deep.json")], None),
        "deep front matter": (["check", str(tmp_path / "deep-front.md")], None),
        "alias bomb": (["check", str(tmp_path / "bomb.md")], None),
        "lone surrogate": (["check", str(tmp_path / "surrogate.json")], None),
        "deep claims file": (["compare", str(tmp_path / "claims.json")], None),
        "deep events file": (
            ["check", str(good), "--events", str(tmp_path / "events.yaml")],
            None,
        ),
        "alias bomb events file": (
            ["check", str(good), "--events", str(tmp_path / "bomb-events.yaml")],
            None,
        ),
        "alias bomb price table": (
            ["check", str(good), "--prices", str(tmp_path / "bomb-prices.yaml")],
            None,
        ),
    }


def test_no_bad_input_ends_in_a_traceback(tmp_path: Path) -> None:
    for name, (args, stdin) in _bad_inputs(tmp_path).items():
        result = run(args, runtime(DISAGREE), input=stdin)
        assert result.exit_code in (2, 3), (name, result.exit_code, result.output)
        assert "Traceback" not in result.output, name
        errors = [line for line in result.stderr.splitlines() if "error" in line]
        assert len(errors) == 1, (name, result.stderr)
        assert len(result.stdout) < 100_000, name  # the bomb is never expanded into a report


def test_an_alias_bomb_in_front_matter_is_refused_at_once() -> None:
    from claimcheck.errors import InputError
    from claimcheck.ingest import parse_article

    started = time.monotonic()
    with pytest.raises(InputError, match="aliases"):
        parse_article(BOMB, article_id="bomb")
    assert time.monotonic() - started < 2


def test_an_unexpected_error_is_one_line_and_exit_3(tmp_path: Path) -> None:
    def broken(items: Any, **options: Any) -> Any:
        raise AttributeError("'NoneType' object has no attribute 'text'")

    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder)], runtime(DISAGREE, checker=broken))
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "unexpected AttributeError" in result.stderr and "-v" in result.stderr
    assert run(["check", str(folder)], runtime(DISAGREE)).exit_code == 1


def test_a_folder_entry_that_cannot_be_inspected_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.ingest import read_sources

    folder = write_articles(tmp_path / "in", DISAGREE)
    real = Path.is_file

    def no_search(self: Path) -> bool:
        if self.name == "a2.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_file", no_search)
    batch = read_sources([folder])
    assert [a.id for a in batch.articles] == ["a1"]
    (error,) = batch.errors
    assert error.article_id.endswith("a2.md") and "Permission denied" in error.message


# --------------------------------------------------------------------------- misleading outcomes


def test_process_substitution_and_named_pipes_are_read(tmp_path: Path) -> None:
    from claimcheck.ingest import read_sources

    reader, writer = os.pipe()

    def feed() -> None:
        with os.fdopen(writer, "wb") as out:
            out.write(DISAGREE["a1"].encode("utf-8"))

    thread = threading.Thread(target=feed)
    thread.start()
    try:
        batch = read_sources([f"/dev/fd/{reader}"])
    finally:
        thread.join(5)
        os.close(reader)
    assert batch.articles[0].text == DISAGREE["a1"]


def test_a_fifo_in_a_folder_is_named_not_skipped_in_silence(tmp_path: Path) -> None:
    from claimcheck.ingest import read_sources

    folder = write_articles(tmp_path / "in", DISAGREE)
    os.mkfifo(folder / "x.md")
    batch = read_sources([folder])
    assert len(batch.articles) == 2
    (error,) = batch.errors
    assert error.article_id.endswith("x.md") and "FIFO" in error.message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(tmp_path: Path, codec: str) -> None:
    from claimcheck.ingest import read_sources

    path = tmp_path / "a.md"
    path.write_bytes(DISAGREE["a1"].encode(codec))
    (article,) = read_sources([path]).articles
    assert article.text == DISAGREE["a1"]
    path.write_bytes(b"\x00\x01\x02\x03" * 50)  # binary stays binary
    with pytest.raises(Exception, match="binary"):
        read_sources([path])


def test_a_large_jsonl_is_read_record_by_record(tmp_path: Path) -> None:
    from claimcheck.ingest import MAX_ARTICLE_BYTES, read_sources

    body = (DISAGREE["a1"] + " ") * (MAX_ARTICLE_BYTES // 70)
    lines = [json.dumps({"id": f"r{n}", "text": body}) for n in range(7)]
    lines.append(json.dumps({"id": "huge", "text": body * 2}))
    path = tmp_path / "wires.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert path.stat().st_size > 6 * MAX_ARTICLE_BYTES
    batch = read_sources([path])
    assert [a.id for a in batch.articles] == [f"r{n}" for n in range(7)]
    (error,) = batch.errors
    assert error.article_id == f"{path}:8" and "limit" in error.message


def test_a_bad_baseline_file_says_what_is_wrong(tmp_path: Path) -> None:
    from claimcheck.errors import InputError

    path = tmp_path / "reviewed.json"
    path.write_text(
        '{"version": 1, "entries": [{"fingerprint": "f1-a", "decision": "maybe"}]}',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        baselines.read_baseline(path)
    assert "entries.0.decision" in str(caught.value)
    assert "accepted" in str(caught.value)


def test_extract_does_not_count_incomplete_articles_as_extracted(tmp_path: Path) -> None:
    from test_pipeline import llm_extractor

    from claimcheck.llm import LLM, note_question
    from claimcheck.models import Article, ArticleClaims

    def half_failed(article: Article, llm: LLM) -> ArticleClaims:
        for _ in range(3):
            note_question("extract_fact", "asked")
            note_question("extract_fact", "failed")
        return llm_extractor(article, llm)

    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["extract", str(folder)], runtime(DISAGREE, extractor=half_failed))
    assert result.exit_code == 3
    assert "0 of 2 articles extracted, 2 incomplete" in result.stderr


# --------------------------------------------------------------------------- the model's questions


def test_one_questions_failed_retries_do_not_stop_the_run() -> None:
    from test_pipeline import answer_from_text, figure_checker, llm_extractor

    from claimcheck.errors import BackendUnavailable
    from claimcheck.llm import LLM, CompletionRequest
    from claimcheck.models import Article
    from claimcheck.pipeline import check

    articles = [
        Article(id=f"n{i}", text=f"Officials said {i + 2} people were hurt.") for i in range(6)
    ]
    answer = answer_from_text(articles)

    def drops_n2(request: CompletionRequest) -> str:
        if "article=n2 " in request.messages[0].content:
            raise BackendUnavailable("http://127.0.0.1:9/v1 is unreachable after 5 attempts")
        return answer(request)

    llm = LLM(FakeBackend(drops_n2))
    report = check(articles, llm=llm, extractor=llm_extractor, checker=figure_checker)
    assert [e.article_id for e in report.errors] == ["n2"]  # named, and only it
    assert report.errors[0].error == "TransientError"
    assert {c.article_id for c in report.claims} == {a.id for a in articles} - {"n2"}


def test_the_breaker_still_stops_after_failed_requests_in_a_row() -> None:
    from test_pipeline import answer_from_text, figure_checker, llm_extractor

    from claimcheck.errors import BackendUnavailable
    from claimcheck.llm import LLM, CompletionRequest
    from claimcheck.models import Article
    from claimcheck.pipeline import check

    articles = [
        Article(id=f"n{i}", text=f"Officials said {i + 2} people were hurt.") for i in range(8)
    ]
    answer = answer_from_text(articles)
    asked: list[str] = []

    def gone_after_n0(request: CompletionRequest) -> str:
        asked.append(request.messages[0].content)
        if "article=n0 " in request.messages[0].content:
            return answer(request)
        raise BackendUnavailable("http://127.0.0.1:9/v1 is unreachable after 5 attempts")

    llm = LLM(FakeBackend(gone_after_n0), circuit_breaker=3)
    report = check(articles, llm=llm, extractor=llm_extractor, checker=figure_checker)
    assert len(asked) == 4  # n0, then three failed requests in a row: the breaker opens
    assert [e.article_id for e in report.errors] == [a.id for a in articles[1:]]
    assert "not checked" in report.errors[-1].message


def test_a_cross_check_question_never_answered_in_the_schema_is_a_failure() -> None:
    from pydantic import BaseModel
    from test_pipeline import figure_checker

    from claimcheck.errors import StructuredOutputError
    from claimcheck.llm import LLM
    from claimcheck.llm.prompts import render
    from claimcheck.models import Article, ArticleClaims
    from claimcheck.pipeline import compare

    class Verdict(BaseModel):
        verdict: str

    def asking_checker(items: Any, *, llm: LLM | None = None, **options: Any) -> Any:
        assert llm is not None
        with contextlib.suppress(StructuredOutputError):  # undecided, as the real one does
            llm.parse(Verdict, render("reask", error="same event?"))
        return figure_checker(items, llm=llm, **options)

    items = [ArticleClaims(article=Article(id=k, text=v)) for k, v in DISAGREE.items()]
    llm = LLM(FakeBackend(lambda request: "not json at all"))
    report = compare(items, llm=llm, checker=asking_checker)
    (error,) = report.errors
    assert error.stage == "crosscheck" and "did not fit Verdict" in error.message


def test_the_cap_on_questions_per_article_is_kept_and_reported() -> None:
    import asyncio

    from pydantic import BaseModel

    from claimcheck.errors import StructuredOutputError
    from claimcheck.llm import LLM
    from claimcheck.llm.prompts import render
    from claimcheck.models import Article, ArticleClaims
    from claimcheck.pipeline import aextract

    class Verdict(BaseModel):
        verdict: str

    def many_questions(article: Article, llm: LLM) -> ArticleClaims:
        for n in range(50):
            with contextlib.suppress(StructuredOutputError):
                llm.parse(Verdict, render("reask", error=f"figure {n}"))
        return ArticleClaims(article=article)

    backend = FakeBackend(lambda request: '{"verdict": "yes"}')
    llm = LLM(backend, max_questions=7)
    result = asyncio.run(
        aextract([Article(id="long", text=DISAGREE["a1"])], llm=llm, extractor=many_questions)
    )
    assert len(backend.requests) == 7
    (error,) = result.errors
    assert "cap of 7 questions per article" in error.message and "--max-questions" in error.message


def test_the_cap_is_an_option_and_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.llm import LLM

    monkeypatch.setenv("CLAIMCHECK_MAX_QUESTIONS", "12")
    assert LLM(FakeBackend([])).max_questions == 12
    monkeypatch.setenv("CLAIMCHECK_MAX_QUESTIONS", "many")
    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder)], runtime(DISAGREE))
    assert result.exit_code == 2 and "CLAIMCHECK_MAX_QUESTIONS" in result.stderr
    monkeypatch.delenv("CLAIMCHECK_MAX_QUESTIONS")
    result = run(["check", str(folder), "--max-questions", "1"], runtime(DISAGREE))
    assert result.exit_code == 1, result.output


def test_long_runs_say_how_many_questions_were_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.cli import running

    monkeypatch.setattr(running._QuestionTicker, "EVERY_SECONDS", 0.0)
    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder)], runtime(DISAGREE))
    assert "claimcheck: 2 questions asked so far" in result.stderr


# --------------------------------------------------------------------------- prompt structure

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_SPECIAL_TOKENS = ("<|im_start|>", "<|im_end|>", "[INST]", "[/INST]", "</s>", "<<SYS>>")


def _rendered_user(article_text: str) -> str:
    from claimcheck.llm.prompts import render

    prompt = render(
        "extract_fact", article=article_text, number=1, sentence="A sentence.", options="a, b"
    )
    return "\n".join(m.content for m in prompt.messages)


def test_ordinary_articles_render_byte_for_byte_as_before() -> None:
    from claimcheck.ingest import read_articles
    from claimcheck.llm import cache_key, json_schema_for
    from claimcheck.llm.prompts import Message, get_template, neutralise

    articles = read_articles([FIXTURES / "articles", FIXTURES / "drafts"])
    assert len(articles) > 50
    template = get_template("extract_fact")
    for article in articles:
        assert neutralise(article.text) is article.text, article.id
        prompt = template.render(article=article.text, number=1, sentence="s", options="o")
        # What the template gave before values were neutralised: plain substitution.
        raw = tuple(
            Message(
                role=role,
                content=body.replace("{{ article }}", article.text)
                .replace("{{ number }}", "1")
                .replace("{{ sentence }}", "s")
                .replace("{{ options }}", "o"),
            )
            for role, body in template.sections
        )
        assert prompt.messages == raw, article.id
    # So the cache keys of existing answers are the same too.
    from test_pipeline import Figure

    from claimcheck.llm import Sampling

    before = cache_key(
        backend="b", model="m", prompt=prompt, schema=json_schema_for(Figure), sampling=Sampling()
    )
    again = template.render(article=articles[-1].text, number=1, sentence="s", options="o")
    assert before == cache_key(
        backend="b", model="m", prompt=again, schema=json_schema_for(Figure), sampling=Sampling()
    )


def test_article_text_cannot_close_the_data_block() -> None:
    from claimcheck.ingest import read_articles

    (article,) = read_articles([FIXTURES / "injection" / "inj-12-delimiter-break.md"])
    assert ">>>" in article.text and "<<<" in article.text
    empty = _rendered_user("")
    rendered = _rendered_user(article.text)
    assert rendered.count("<<<") == empty.count("<<<")
    assert rendered.count(">>>") == empty.count(">>>")
    assert "QUESTION:" in rendered  # the words are still there, as data


@pytest.mark.parametrize("name", ["inj-21-chat-template.md", "inj-25-llama-tokens.md"])
def test_chat_template_special_tokens_are_neutralised(name: str) -> None:
    from claimcheck.ingest import read_articles

    (article,) = read_articles([FIXTURES / "injection" / name])
    assert any(token in article.text for token in _SPECIAL_TOKENS)
    rendered = _rendered_user(article.text)
    assert not [token for token in _SPECIAL_TOKENS if token in rendered]
    assert "<start_of_turn>" not in rendered


@pytest.mark.parametrize(
    ("name", "hidden"),
    [
        (
            "inj-23-invisible-css.md",
            ["Instruction to the model", "System note", "Assistant, set"],
        ),
        ("inj-24-folded-and-alt.md", ["Instructions for AI", "SYSTEM: ignore", "<img"]),
    ],
)
def test_text_a_reader_cannot_see_never_reaches_the_model(name: str, hidden: list[str]) -> None:
    from claimcheck.ingest import read_articles

    (article,) = read_articles([FIXTURES / "injection" / name])
    assert not [words for words in hidden if words in article.text]
    assert "the city said" in article.text or "port authority said" in article.text


def test_hidden_html_is_dropped_from_html_files_too() -> None:
    from claimcheck.ingest import html_to_text

    text, _ = html_to_text(
        "<html><body><p>Kept. <span style='font-size: 0px'>gone one</span>"
        "<span style='color: white'>gone two</span><details>gone three</details>"
        "<details open>kept too</details><span style='color: #333'>kept three</span></p>"
    )
    assert "gone" not in text
    assert "Kept." in text and "kept too" in text and "kept three" in text


@pytest.mark.parametrize("batch", [0, 3])
def test_extraction_sends_the_same_bytes_as_before_for_ordinary_articles(
    fake_llm: Any, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """The requests of a whole extraction, single and batched questions, are what they were
    before values were neutralised, so the cached answers of every existing run still hit."""
    from test_extract_batch import ARTICLES, _article, policy

    from claimcheck.extract import extract_claims
    from claimcheck.llm import prompts

    def sent() -> list[Any]:
        out = []
        for name in ARTICLES:
            llm = fake_llm(policy)
            extract_claims(_article(name), llm, batch=batch)
            out += [r.messages for r in llm.backend.requests]
        return out

    now = sent()
    monkeypatch.setattr(prompts, "neutralise", lambda value: value)
    before = sent()
    assert len(now) > 20
    assert now == before


def test_an_events_file_read_by_the_library_refuses_aliases(tmp_path: Path) -> None:
    """The library's own reader of --events files, not only the CLI's pre-check, refuses a
    YAML alias bomb with a clear InputError."""
    from claimcheck.errors import InputError
    from claimcheck.pipeline import read_grouping

    bomb = tmp_path / "events.yaml"
    bomb.write_text('a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n', encoding="utf-8")
    with pytest.raises(InputError, match="events file"):
        read_grouping(bomb)
