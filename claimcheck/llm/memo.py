"""Results that depend on a text alone, kept on disk so a re-run does not compute them again.

A fully cached re-run of a checked batch asks the model nothing, but it still read every
article's language (langdetect, about 5 ms an article) and ran spaCy's entity recogniser
over every article's head for event grouping (about 7 ms): three quarters of the re-run's
CPU. Both are pure functions of the text and of the package versions that compute them, so
they are stored by a hash of those in ``derived/`` of ``$CLAIMCHECK_CACHE_DIR`` or of the
user cache directory (beside the gazetteer's index), in the response cache's checksummed
store.

``CLAIMCHECK_NO_CACHE`` turns it off, like the response cache. A store that cannot be
opened or written degrades to computing every time; nothing depends on a hit.

Example::

    lang = memo.cached("lang", text, detect)          # detect(text) -> str, run on a miss
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import threading
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from claimcheck.errors import ConfigError
from claimcheck.llm.cache import ResponseCache, cache_disabled_by_env, derived_cache_dir

log = logging.getLogger(__name__)

# Raise when what a kind stores changes shape or meaning: old entries are then never read.
_FORMAT = 1

_lock = threading.Lock()
# The store of the cache directory in force (one at a time: the directory only changes
# when the environment does, as between tests).
_open: tuple[Path, ResponseCache | None] | None = None


def switch_off() -> None:
    """Keep nothing for the rest of this process (``--no-cache``: a run that must leave no
    trace of the copy it read)."""
    global _switched_off
    _switched_off = True


_switched_off = False


def _store() -> ResponseCache | None:
    global _open
    if _switched_off or cache_disabled_by_env():
        return None
    directory = derived_cache_dir()
    with _lock:
        if _open is not None and _open[0] == directory:
            return _open[1]
        if _open is not None and _open[1] is not None:
            _open[1].close()
        try:
            store: ResponseCache | None = ResponseCache(directory)
        except ConfigError as exc:
            log.warning("derived results are not kept between runs: %s", exc)
            store = None
        _open = (directory, store)
        return store


def _key(kind: str, versions: Sequence[str], text: str) -> str:
    material = json.dumps([_FORMAT, kind, list(versions), text], ensure_ascii=False)
    return f"{kind}:" + hashlib.sha256(material.encode("utf-8")).hexdigest()


@cache
def version_of(*packages: str) -> tuple[str, ...]:
    """The installed versions of ``packages`` ("name==version"), for a memo key."""
    out = []
    for name in packages:
        try:
            out.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name}==?")
    return tuple(out)


def cached_many(
    kind: str,
    texts: Sequence[str],
    compute: Callable[[list[str]], list[Any]],
    *,
    versions: Sequence[str] = (),
) -> list[Any]:
    """``compute(texts)`` (a list of JSON-able results, one per text), taking each text's
    result from the store when an earlier run kept it; ``compute`` gets only the texts
    not found (each once). ``versions`` name what the results depend on besides the text.
    Results come back as JSON gives them (lists for tuples), hit or miss."""
    store = _store()
    keys = [_key(kind, versions, t) for t in texts]
    found: dict[str, Any] = {}
    if store is not None:
        for key in dict.fromkeys(keys):
            text = store.get(key)
            if text is None:
                continue
            try:
                found[key] = json.loads(text)
            except ValueError:
                store.delete(key)
    missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
    if missing:
        results = compute(list(missing.values()))
        for key, result in zip(missing, results, strict=True):
            # What a later run reads back: a computed result is given in the same shape
            # (JSON's: lists for tuples), so a hit and a miss cannot differ.
            stored = json.dumps(result, ensure_ascii=False)
            found[key] = json.loads(stored)
            if store is not None:
                store.set(key, stored)
    return [found[k] for k in keys]


def cached(
    kind: str, text: str, compute: Callable[[str], Any], *, versions: Sequence[str] = ()
) -> Any:
    """``compute(text)``, kept by :func:`cached_many`."""
    return cached_many(kind, [text], lambda ts: [compute(t) for t in ts], versions=versions)[0]
