"""The response cache: answers on disk, so a repeated call costs no request.

diskcache keeps entries in SQLite with its own locking, so two processes can share one cache
directory. Only answers that passed validation are stored, and each is validated again when
read (see :meth:`claimcheck.llm.LLM.parse`), so a damaged entry is asked again, not trusted.
Each value carries a SHA-256 checksum of its text: an entry edited or damaged on disk, even
into another schema-valid answer, is dropped and asked again. A cache database that cannot be
opened at all (truncated, not SQLite, replaced by a folder) is moved aside with a warning and
a new one is made, so a broken cache never blocks a run. A database that opens but fails
later (one damaged page in the middle) is caught at its first error: SQLite's integrity check
runs, and a database that fails it is moved aside and rebuilt the same way, so resuming keeps
working; ``clear`` on a damaged database deletes it and starts a new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import diskcache
import platformdirs

from claimcheck import settings
from claimcheck.errors import ConfigError
from claimcheck.settings import ENV_CACHE_DIR

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """``$CLAIMCHECK_CACHE_DIR`` or the user cache directory's ``claimcheck/responses``."""
    override = settings.cache_dir()
    if override is not None:
        return override
    return Path(platformdirs.user_cache_dir("claimcheck")) / "responses"


def cache_root() -> Path:
    """``$CLAIMCHECK_CACHE_DIR``, else the user cache directory's ``claimcheck``: where
    what is kept between runs beside the answers lives (the gazetteer's index, results
    derived from texts)."""
    override = settings.cache_dir()
    return override if override is not None else Path(platformdirs.user_cache_dir("claimcheck"))


def derived_cache_dir() -> Path:
    """Where results derived from a text alone are kept (:mod:`claimcheck.llm.memo`)."""
    return cache_root() / "derived"


def cache_disabled_by_env() -> bool:
    """True when ``CLAIMCHECK_NO_CACHE`` is set to a true-looking value."""
    return settings.no_cache()


class ResponseCache:
    """A key → JSON-text store on disk. Failures to read or write degrade to a miss."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self._repair_lock = threading.Lock()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the response cache directory {self.directory}: {exc}; "
                f"set {ENV_CACHE_DIR} to a writable directory or use --no-cache"
            ) from exc
        try:
            self._store = diskcache.Cache(str(self.directory))
        except (OSError, sqlite3.Error) as exc:
            if not os.access(self.directory, os.W_OK):
                raise ConfigError(
                    f"the response cache directory {self.directory} is not writable ({exc}); "
                    f"set {ENV_CACHE_DIR} to a writable directory or use --no-cache"
                ) from exc
            self._store = self._rebuild(exc)

    def _rebuild(self, exc: BaseException) -> diskcache.Cache:
        """Move a cache that cannot be opened aside, keep it for inspection, start afresh."""
        aside = self.directory.with_name(
            f"{self.directory.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        )
        try:
            self.directory.rename(aside)
            self.directory.mkdir(parents=True)
            store = diskcache.Cache(str(self.directory))
        except (OSError, sqlite3.Error) as again:
            raise ConfigError(
                f"the response cache at {self.directory} is damaged ({exc}) and could not be "
                f"replaced ({again}); delete it, or use --no-cache"
            ) from again
        log.warning(
            "the response cache at %s could not be opened (%s); moved it to %s and started a "
            "new one (earlier answers will be asked again)",
            self.directory,
            exc,
            aside,
        )
        return store

    def _failed(
        self, store: diskcache.Cache, exc: BaseException, action: str, outcome: str = ""
    ) -> None:
        """After a read or write error: rebuild a damaged database, else warn."""
        if isinstance(exc, sqlite3.DatabaseError) and self._damaged():
            with self._repair_lock:
                if self._store is store:  # not rebuilt by another thread meanwhile
                    with contextlib.suppress(Exception):
                        store.close()
                    self._store = self._rebuild(exc)
            return
        log.warning("cache %s failed (%s)%s", action, exc, f"; {outcome}" if outcome else "")

    def _damaged(self) -> bool:
        """Whether SQLite's integrity check fails on the cache's database."""
        database = self.directory / "cache.db"
        try:
            with contextlib.closing(sqlite3.connect(database, timeout=30)) as con:
                rows = con.execute("PRAGMA quick_check").fetchall()
        except sqlite3.OperationalError as exc:  # locked by another process: not damage
            return "malformed" in str(exc) or "not a database" in str(exc)
        except sqlite3.DatabaseError:
            return True
        return rows != [("ok",)]

    def get(self, key: str) -> str | None:
        store = self._store
        try:
            value: Any = store.get(key)
        except (OSError, sqlite3.Error, ValueError, EOFError) as exc:
            self._failed(store, exc, "read", "treating it as a miss")
            return None
        if value is None:
            return None
        text = _unsealed(value)
        if text is None:
            log.warning("cache entry %s… fails its checksum; dropping it", key[:12])
            self.delete(key)
            return None
        return text

    def set(self, key: str, text: str) -> None:
        store = self._store
        try:
            store.set(key, _sealed(text))
        except (OSError, sqlite3.Error) as exc:
            self._failed(store, exc, "write", "the answer is not cached")

    def delete(self, key: str) -> None:
        store = self._store
        try:
            store.delete(key)
        except (OSError, sqlite3.Error) as exc:
            self._failed(store, exc, "delete", "the entry stays")

    def __len__(self) -> int:
        store = self._store
        try:
            return len(store)
        except sqlite3.DatabaseError as exc:
            self._failed(store, exc, "count")
            return len(self._store)

    def volume(self) -> int:
        """Bytes the cache takes on disk."""
        store = self._store
        try:
            return int(store.volume())
        except sqlite3.DatabaseError as exc:
            self._failed(store, exc, "size")
            return int(self._store.volume())

    def clear(self) -> int:
        """Remove every entry; returns how many were removed. A damaged database is deleted
        and a new one made, so this always works."""
        store = self._store
        try:
            return int(store.clear())
        except (OSError, sqlite3.Error) as exc:
            log.warning("the cache at %s is damaged (%s); deleting it whole", self.directory, exc)
        with contextlib.suppress(Exception):
            store.close()
        try:
            _delete_database(self.directory)
            self._store = diskcache.Cache(str(self.directory))
        except (OSError, sqlite3.Error) as again:
            raise ConfigError(
                f"the response cache at {self.directory} is damaged and could not be deleted "
                f"({again}); delete the folder by hand"
            ) from again
        return 0

    def close(self) -> None:
        self._store.close()

    def iter_values(self) -> list[str]:
        """Every stored text (for audits such as the secret scan in the tests); a value that
        fails its checksum is given as stored."""
        values = []
        for key in self._store.iterkeys():
            value = self._store.get(key)
            if isinstance(value, str):
                text = _unsealed(value)
                values.append(value if text is None else text)
        return values


def _delete_database(directory: Path) -> None:
    """Delete diskcache's files in ``directory`` (its database and the folders of large
    values), and nothing else: the folder may be one the user named for other files too."""
    for path in directory.iterdir():
        if path.name.startswith("cache.db"):
            path.unlink()
        elif path.is_dir() and re.fullmatch(r"[0-9a-f]{2}", path.name):
            shutil.rmtree(path)


# A stored value is "<sha256 of the text>:<text>".
_DIGEST_CHARS = 64


def _sealed(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() + ":" + text


def _unsealed(value: Any) -> str | None:
    """The text of a stored value, or None when it is not one or its checksum is wrong."""
    if not isinstance(value, str) or value[_DIGEST_CHARS : _DIGEST_CHARS + 1] != ":":
        return None
    digest, text = value[:_DIGEST_CHARS], value[_DIGEST_CHARS + 1 :]
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        return None
    return text
