"""claimcheck past one machine: extraction and cross-checking on a Ray cluster.

``claimcheck batch SOURCES`` (or :func:`run_batch`) runs a check on Ray — a local Ray on
this machine, or a cluster (``ray up``, KubeRay): extraction is a Ray Data pipeline with a
pool of actors, one LLM client each, writing each article's claims to shards keyed by the
article and the extraction setup, so a killed job resumes without repeating finished
articles; cross-checking runs per block of articles no event can span
(:mod:`claimcheck.cluster.blocks`) and merges into one :class:`~claimcheck.models.Report`
with the findings a single-process run gives. Needs ``pip install 'claimcheck[ray]'``;
docs/cluster.md has the set-ups.

Example::

    from claimcheck.cluster import ClusterOptions, Endpoint, read_inputs, run_batch

    batch = read_inputs(["archive/", "s3://desk/wires/2026-05.jsonl"])
    report = run_batch(
        batch.articles,
        endpoint=Endpoint(base_url="http://localhost:8000/v1", model="Qwen/Qwen2.5-7B-Instruct"),
        options=ClusterOptions(out="runs/may", actors=4, in_flight=8),
    )
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from claimcheck.cluster.blocks import compare_in_blocks, plan_blocks, sketch
from claimcheck.cluster.run import (
    INSTALL_HINT,
    BatchProgress,
    ClusterExtraction,
    ClusterOptions,
    Endpoint,
    ProgressLines,
    compare_on_ray,
    connect,
    describe,
    extract_on_ray,
    require_ray,
    run_batch,
)
from claimcheck.cluster.shards import ShardStore, article_key
from claimcheck.errors import ConfigError
from claimcheck.ingest import Ingested, read_sources


def read_inputs(sources: Sequence[str], *, download_to: Path | None = None) -> Ingested:
    """Read files, directories and JSONL as ``read_sources`` does, and fsspec URLs too.

    ``file://`` URLs are read in place; other URLs (``s3://``, ``gs://``, …) are copied,
    folder and all, to ``download_to`` (default: a new temporary directory) first, which
    needs ``fsspec`` and that filesystem's package (``s3fs``, ``gcsfs``).
    """
    local: list[str | Path] = []
    for source in sources:
        if source.startswith("file://"):
            local.append(Path(source.removeprefix("file://")))
        elif "://" in source:
            local.append(_download(source, download_to))
        else:
            local.append(source)
    return read_sources(local)


def _download(url: str, into: Path | None) -> Path:
    try:
        import fsspec  # optional: only for URLs
    except ImportError as exc:
        raise ConfigError(
            f"reading {url} needs fsspec and the package of its filesystem (pip install "
            "'claimcheck[ray]' s3fs, or gcsfs); or copy the files here first"
        ) from exc
    fs, path = fsspec.core.url_to_fs(url)
    target = Path(into or tempfile.mkdtemp(prefix="claimcheck-inputs-"))
    name = Path(path.rstrip("/")).name or "input"
    destination = target / name
    try:
        fs.get(path, str(destination), recursive=fs.isdir(path))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {url}: {exc}") from exc
    return destination


__all__ = [
    "INSTALL_HINT",
    "BatchProgress",
    "ClusterExtraction",
    "ClusterOptions",
    "Endpoint",
    "ProgressLines",
    "ShardStore",
    "article_key",
    "compare_in_blocks",
    "compare_on_ray",
    "connect",
    "describe",
    "extract_on_ray",
    "plan_blocks",
    "read_inputs",
    "require_ray",
    "run_batch",
    "sketch",
]
