"""Claims written per article to JSONL shards, so a killed job resumes where it stopped.

Layout under the output location (a local directory, or an fsspec URL such as
``s3://bucket/run`` or ``file:///data/run`` when ``fsspec`` and the filesystem's package are
installed)::

    OUT/claims/<extraction key>/part-<uuid>.jsonl

The extraction key is a digest of everything that changes what extraction gives besides
the article: claimcheck's code, data and prompts
(:func:`claimcheck.llm.article_cache.extraction_fingerprint`), the backend, the model and its
sampling. One line per article::

    {"key": "<sha256 of the article>", "article_id": "...", "claims": {...ArticleClaims...},
     "error": null}

``claims`` is null and ``error`` names the reason when the article failed. Each shard is
written whole (a temporary name, then renamed; an object store writes an object at once), so
a worker killed while writing leaves no half shard. A rerun reads every shard of its key:
articles with claims are skipped, failed ones are tried again. Changing the code or the
model starts a new key, so nothing stale is reused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck.errors import ConfigError
from claimcheck.models import Article, ArticleClaims, ArticleError

log = logging.getLogger(__name__)


def article_key(article: Article) -> str:
    """The digest of the article as read (id, text and metadata)."""
    blob = json.dumps(article.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def extraction_key(material: dict[str, Any]) -> str:
    """A short digest naming the shard folder of one extraction setup."""
    blob = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Outcome:
    """What extraction gave for one article: claims (maybe with a warning) or an error."""

    key: str
    article_id: str
    claims: ArticleClaims | None
    error: ArticleError | None

    def to_line(self) -> str:
        return json.dumps(
            {
                "key": self.key,
                "article_id": self.article_id,
                "claims": self.claims.model_dump(mode="json") if self.claims else None,
                "error": self.error.model_dump(mode="json") if self.error else None,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_line(cls, line: str) -> Outcome:
        record = json.loads(line)
        claims = record.get("claims")
        error = record.get("error")
        return cls(
            key=str(record["key"]),
            article_id=str(record["article_id"]),
            claims=ArticleClaims.model_validate(claims) if claims else None,
            error=ArticleError.model_validate(error) if error else None,
        )


class ShardStore:
    """The shards of one extraction key at a local path or an fsspec URL."""

    def __init__(self, location: str | os.PathLike[str], key: str) -> None:
        self.location = str(location)
        self.key = key
        self._fs: Any = None
        if "://" in self.location and not self.location.startswith("file://"):
            try:
                import fsspec  # optional: only for URLs
            except ImportError as exc:
                raise ConfigError(
                    f"writing claims to {self.location} needs fsspec and the package of that "
                    "filesystem (pip install 'claimcheck[ray]' s3fs, gcsfs, …), or use a path"
                ) from exc
            self._fs, root = fsspec.core.url_to_fs(self.location)
            self.root = f"{root.rstrip('/')}/claims/{key}"
            self._fs.makedirs(self.root, exist_ok=True)
        else:
            local = Path(self.location.removeprefix("file://")).expanduser()
            self.root = str(local / "claims" / key)
            try:
                Path(self.root).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    f"cannot create the claims folder {self.root}: {exc}; choose another --out"
                ) from exc

    def write(self, outcomes: Sequence[Outcome]) -> str:
        """Write one shard; returns its name."""
        name = f"part-{uuid.uuid4().hex}.jsonl"
        data = "".join(o.to_line() + "\n" for o in outcomes).encode("utf-8")
        if self._fs is not None:
            with self._fs.open(f"{self.root}/{name}", "wb") as f:
                f.write(data)
            return name
        final = Path(self.root) / name
        temporary = Path(self.root) / f".{name}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, final)
        return name

    def _shards(self) -> list[str]:
        if self._fs is not None:
            return sorted(p for p in self._fs.ls(self.root, detail=False) if p.endswith(".jsonl"))
        return sorted(str(p) for p in Path(self.root).glob("part-*.jsonl"))

    def _read(self, shard: str) -> str:
        if self._fs is not None:
            with self._fs.open(shard, "rb") as f:
                return bytes(f.read()).decode("utf-8")
        return Path(shard).read_text(encoding="utf-8")

    def outcomes(self) -> Iterator[Outcome]:
        """Every article outcome written so far (a later success overrides a failure)."""
        for shard in self._shards():
            try:
                text = self._read(shard)
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("cannot read claims shard %s (its articles run again): %s", shard, exc)
                continue
            for n, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    yield Outcome.from_line(line)
                except (ValueError, KeyError, TypeError) as exc:
                    log.warning("skipped line %d of %s (%s); it runs again", n, shard, exc)

    def finished(self, keys: Iterable[str] | None = None) -> dict[str, Outcome]:
        """The best outcome per article key (claims beat an error), limited to ``keys``."""
        wanted = set(keys) if keys is not None else None
        best: dict[str, Outcome] = {}
        for outcome in self.outcomes():
            if wanted is not None and outcome.key not in wanted:
                continue
            old = best.get(outcome.key)
            if old is None or (old.claims is None and outcome.claims is not None):
                best[outcome.key] = outcome
        return best


__all__ = ["Outcome", "ShardStore", "article_key", "extraction_key"]
