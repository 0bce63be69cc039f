"""The child process of :class:`~claimcheck.llm.backends.local.EmbeddedBackend`: it watches its
parent, starts llama.cpp's server, publishes the address and waits.

The parent starts it as ``python -m claimcheck.llm.backends.local`` (that module's ``__main__``
calls :func:`serve_llama`); :mod:`claimcheck.llm.backends.standin` runs the same child code
with a stand-in server. Whatever way the parent ends, the child ends with it
(:func:`watch_parent`), so no model server is ever left behind.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from claimcheck.llm.backends.local import DEFAULT_N_CTX

_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
#: Seconds between two looks at the parent's pid (the last of the three watches).
PARENT_POLL_SECONDS = 1.0


def child_parser(prog: str = "python -m claimcheck.llm.backends.local") -> argparse.ArgumentParser:
    """The child's arguments, as :class:`EmbeddedBackend` passes them."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--model", required=True)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--address-file", required=True)
    parser.add_argument("--n-ctx", type=int, default=DEFAULT_N_CTX)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--parent-pid", type=int, default=None)
    # Tests turn the parent-death signal off to show the portable watches work alone.
    parser.add_argument("--no-death-signal", action="store_true", help=argparse.SUPPRESS)
    return parser


def set_parent_death_signal(signum: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent thread ends.

    True when the kernel accepted it; False elsewhere (other systems rely on the pipe and
    the pid watch of :func:`watch_parent`).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def watch_parent(
    parent_pid: int | None, *, death_signal: bool = True, poll: float = PARENT_POLL_SECONDS
) -> None:
    """End this process as soon as its parent ends, however the parent ends.

    Three watches, because each alone has a gap: the parent-death signal (Linux only, and
    it must be set before the parent dies: the pid check right after closes that race), end
    of file on stdin (the pipe only the parent holds; portable, but a process forked by the
    parent could hold it open), and the parent's pid (polled; a dead parent's children are
    adopted by another process). The exit is ``os._exit``: the server has nothing to save,
    and an orderly shutdown would first finish the answer being computed, minutes on a
    busy machine.
    """
    if death_signal:
        set_parent_death_signal()
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(0)  # the parent is already gone
    threading.Thread(target=_exit_at_end_of_stdin, name="watch-stdin", daemon=True).start()
    if parent_pid is not None:
        threading.Thread(
            target=_exit_when_orphaned, args=(parent_pid, poll), name="watch-ppid", daemon=True
        ).start()


def _exit_at_end_of_stdin() -> None:
    try:
        while os.read(0, 65536):
            pass
    except OSError:
        pass
    os._exit(0)


def _exit_when_orphaned(parent_pid: int, poll: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(poll)
    os._exit(0)


def run_child(args: argparse.Namespace, start: Callable[[argparse.Namespace], str]) -> NoReturn:
    """The child process: watch the parent, start the server, publish its address, wait.

    ``start`` starts a server in the background and returns its address
    (``http://127.0.0.1:PORT``). The process ends through :func:`watch_parent`.
    """
    watch_parent(args.parent_pid, death_signal=not args.no_death_signal)
    started = time.perf_counter()
    address = start(args).rstrip("/")
    print(f"claimcheck: server at {address} after {time.perf_counter() - started:.1f}s", flush=True)
    target = Path(args.address_file)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(address, encoding="utf-8")
    os.replace(tmp, target)
    while True:
        time.sleep(3600)


def _start_llama(args: argparse.Namespace) -> str:
    """Start llama.cpp's server (xllamacpp) in this process; its address."""
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
    server = xllamacpp.Server(params)
    _keep.append(server)  # the server lives as long as the process
    return str(server.listening_address)


_keep: list[object] = []


def serve_llama(argv: Sequence[str] | None = None) -> NoReturn:
    """The child process of :class:`EmbeddedBackend` with the real llama.cpp server."""
    run_child(child_parser().parse_args(argv), _start_llama)


__all__ = [
    "PARENT_POLL_SECONDS",
    "child_parser",
    "run_child",
    "serve_llama",
    "set_parent_death_signal",
    "watch_parent",
]
