"""The response cache: answers on disk, so a repeated call costs no request.

diskcache keeps entries in SQLite with its own locking, so two processes can share one cache
directory. Only answers that passed validation are stored, and each is validated again when
read (see :meth:`claimcheck.llm.LLM.parse`), so a damaged entry is asked again, not trusted.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import diskcache
import platformdirs

from claimcheck.errors import ConfigError

log = logging.getLogger(__name__)

ENV_CACHE_DIR = "CLAIMCHECK_CACHE_DIR"
ENV_NO_CACHE = "CLAIMCHECK_NO_CACHE"


def default_cache_dir() -> Path:
    """``$CLAIMCHECK_CACHE_DIR`` or the user cache directory's ``claimcheck/responses``."""
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("claimcheck")) / "responses"


def cache_disabled_by_env() -> bool:
    """True when ``CLAIMCHECK_NO_CACHE`` is set to a true-looking value."""
    return os.environ.get(ENV_NO_CACHE, "").strip().lower() in {"1", "true", "yes", "on"}


class ResponseCache:
    """A key → JSON-text store on disk. Failures to read or write degrade to a miss."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._store = diskcache.Cache(str(self.directory))
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot open the response cache at {self.directory}: {exc}; "
                f"set {ENV_CACHE_DIR} to a writable directory or use --no-cache"
            ) from exc

    def get(self, key: str) -> str | None:
        try:
            value: Any = self._store.get(key)
        except (OSError, sqlite3.Error, ValueError, EOFError) as exc:
            log.warning("cache read failed (%s); treating as a miss", exc)
            return None
        if value is None:
            return None
        if not isinstance(value, str):
            log.warning("cache entry %s… is not text; dropping it", key[:12])
            self.delete(key)
            return None
        return value

    def set(self, key: str, text: str) -> None:
        try:
            self._store.set(key, text)
        except (OSError, sqlite3.Error) as exc:
            log.warning("cache write failed (%s); the answer is not cached", exc)

    def delete(self, key: str) -> None:
        try:
            self._store.delete(key)
        except (OSError, sqlite3.Error) as exc:
            log.warning("cache delete failed (%s)", exc)

    def __len__(self) -> int:
        return len(self._store)

    def volume(self) -> int:
        """Bytes the cache takes on disk."""
        return int(self._store.volume())

    def clear(self) -> int:
        """Remove every entry; returns how many were removed."""
        return int(self._store.clear())

    def close(self) -> None:
        self._store.close()

    def iter_values(self) -> list[str]:
        """Every stored value (for audits such as the secret scan in the tests)."""
        values = []
        for key in self._store.iterkeys():
            value = self._store.get(key)
            if isinstance(value, str):
                values.append(value)
        return values
