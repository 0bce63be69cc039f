"""Files claimcheck updates, written so that nothing is lost: a lock across processes and
an atomic replace.

Every file claimcheck changes in place (the baseline of reviewed findings, knowledge files,
reports given with ``--output``) is written through :func:`write_atomic`: the new text goes
to a temporary file beside the target, is flushed to disk, and replaces the target in one
rename, so a full disk or a crash leaves the old file whole. A symbolic link is followed, so
the file it points to is replaced and the link stays a link.

A read-modify-write (``baseline add`` in five shells at once, the review page and the CLI on
one file) holds :func:`locked` around the read and the write: an advisory lock on a hidden
``.NAME.lock`` file beside the target, taken with ``flock`` (POSIX) or ``msvcrt.locking``
(Windows), which separate processes and separate threads both respect.

Example::

    with locked(path):
        text = path.read_text() if path.exists() else ""
        write_atomic(path, text + "one more line\\n")
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from claimcheck.errors import ConfigError

#: How long :func:`locked` waits for another process before giving up with a clear error.
LOCK_TIMEOUT_SECONDS = 60.0


def real_path(path: Path) -> Path:
    """``path`` with symbolic links followed (the file a write must replace)."""
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):  # a link loop: write next to the link, as named
        return path.absolute()


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path``'s content with ``text`` (UTF-8) in one rename.

    The old content stays whole when anything fails (full disk, no permission, crash), and
    the permissions of an existing file are kept. Raises OSError, with the temporary file
    removed.
    """
    target = real_path(path)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def check_writable(path: Path) -> None:
    """Raise ConfigError now when ``path`` could not be written later (no folder, a
    read-only folder or file, a full or read-only file system), so that a long run does
    not end with "cannot write"."""
    target = real_path(path)
    folder = target.parent
    if not folder.is_dir():
        raise ConfigError(
            f"cannot write {path}: the directory {folder} does not exist; create it or "
            "choose another --output"
        )
    if target.is_dir():
        raise ConfigError(f"cannot write {path}: it is a directory; name a file")
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".probe")
        os.close(handle)
        os.unlink(probe)
        if target.exists():
            with open(target, "r+b"):
                pass
    except OSError as exc:
        raise ConfigError(
            f"cannot write {path} ({exc.strerror or exc}); choose a writable --output, "
            "checked before the run so that no work is lost"
        ) from None


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock for updating ``path`` (across processes and threads)."""
    target = real_path(path)
    lock_path = target.with_name(f".{target.name}.lock")
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise ConfigError(
            f"cannot lock {path} for writing ({exc.strerror or exc}); check that its folder "
            "is writable"
        ) from None
    try:
        _acquire(handle, path, timeout)
        try:
            yield
        finally:
            _release(handle)
    finally:
        os.close(handle)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _release(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: int, path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pause = 0.005
    while not _try_lock(handle):
        if time.monotonic() > deadline:
            raise ConfigError(
                f"{path} is being updated by another claimcheck process for over "
                f"{timeout:.0f} s; try again when it has finished"
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


__all__ = ["LOCK_TIMEOUT_SECONDS", "check_writable", "locked", "real_path", "write_atomic"]
