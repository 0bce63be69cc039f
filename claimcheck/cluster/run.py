"""The Ray side: extraction as a Ray Data actor pool, cross-checking as Ray tasks per block.

Extraction: the articles not finished before (:mod:`claimcheck.cluster.shards`) go through
``Dataset.map_batches`` with a pool of ``actors`` actors; each actor builds one LLM client
(an OpenAI-compatible endpoint, or its own embedded model server on its node) and extracts a
batch with ``in_flight`` articles at a time through :func:`claimcheck.pipeline.aextract`,
the same per-article isolation as a local run. It writes the batch's claims as one shard
before it returns, so what the driver has seen finished is on storage. Ray restarts an actor
that dies and runs its batch again (Ray Data's defaults for actor pools); the driver streams
the results to show progress and, at the end, reads the shards.

Cross-checking: sketches of the articles (grouping evidence, computed in tasks), blocks on
the driver (:func:`claimcheck.cluster.blocks.plan_blocks`, small data), one task per bin of
blocks running :func:`claimcheck.pipeline.compare`, and one merged :class:`Report`.

The API key is never shipped: each actor reads ``OPENAI_API_KEY`` from its node's
environment (a local Ray started here inherits this process's).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from claimcheck import errors
from claimcheck.cluster.blocks import Job, Sketch, compare_in_blocks, sketch
from claimcheck.cluster.shards import Outcome, ShardStore, article_key, extraction_key
from claimcheck.errors import ClaimcheckError, ConfigError
from claimcheck.extract.batch import batch_size_from_env
from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM, Backend, Sampling
from claimcheck.llm.article_cache import extraction_fingerprint
from claimcheck.llm.client import LLMSettings, open_llm
from claimcheck.models import Article, ArticleClaims, ArticleError, Report, Usage
from claimcheck.pipeline import CheckOptions, Extractor, aextract, compare, options_from, run_sync

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "running on Ray needs the ray extra: pip install 'claimcheck[ray]' (Ray Data, "
    "pyarrow, fsspec), in the same environment on every node of the cluster"
)


def require_ray() -> ModuleType:
    """The ``ray`` module, or a ConfigError that says how to install it."""
    try:
        import ray  # optional dependency: the [ray] extra
        import ray.data
    except ImportError as exc:
        raise ConfigError(f"{INSTALL_HINT} ({exc})") from exc
    return ray


@dataclass(frozen=True)
class Endpoint:
    """How every actor and task builds its LLM client: the settings, never the key."""

    model: str | None = None
    base_url: str | None = None
    local_model: str | None = None
    timeout: float | None = None
    no_cache: bool = False
    retry_failed: bool = False
    #: The response cache on each node (default: the node's own cache directory).
    cache_dir: str | None = None

    def settings(self) -> LLMSettings:
        """The same settings as the LLM factory takes everywhere else."""
        return LLMSettings(
            model=self.model,
            base_url=self.base_url,
            local_model=Path(self.local_model) if self.local_model is not None else None,
            timeout=self.timeout,
            no_cache=self.no_cache,
            retry_failed=self.retry_failed,
            cache_dir=Path(self.cache_dir) if self.cache_dir is not None else None,
        )

    def backend(self) -> Backend:
        return self.settings().backend()

    def open(self) -> LLM:
        """A new client over its backend and the node's response cache (close it when done:
        that closes both)."""
        return open_llm(self.settings())


@dataclass(frozen=True)
class ClusterOptions:
    """Where and how wide a batch runs.

    ``address``: None starts a local Ray for the run (``num_cpus`` of this machine);
    ``"auto"`` joins the cluster this machine belongs to; ``ray://host:10001`` a remote
    one. ``out``: where the claim shards go (a path every node can reach, or a URL).
    ``actors`` LLM clients, each with ``in_flight`` articles at a time, batches of
    ``batch_size`` articles (default twice ``in_flight``), ``cpus_per_actor`` CPUs reserved
    per actor (an endpoint client mostly waits; an embedded model wants the node's cores).
    ``bin_size``: about how many articles one cross-check task takes.
    """

    address: str | None = None
    out: str = "claimcheck-batch"
    actors: int = 2
    in_flight: int = 4
    batch_size: int | None = None
    cpus_per_actor: float = 0.25
    num_cpus: int | None = None
    bin_size: int = 500

    def __post_init__(self) -> None:
        if self.actors < 1 or self.in_flight < 1:
            raise ConfigError("actors and articles in flight per actor must be at least 1")
        if self.batch_size is not None and self.batch_size < 1:
            raise ConfigError("the batch size must be at least 1")


@dataclass(frozen=True)
class BatchProgress:
    """Where an extraction stands: for the terminal, and summed up in the report."""

    total: int
    done: int = 0
    failed: int = 0
    resumed: int = 0
    usage: Usage = field(default_factory=Usage)

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed - self.resumed


BatchProgressCallback = Callable[[BatchProgress], None]


@dataclass(frozen=True)
class ClusterExtraction:
    """Claims of the articles that worked, errors of the rest, this run's usage."""

    items: tuple[ArticleClaims, ...]
    errors: tuple[ArticleError, ...]
    usage: Usage
    progress: BatchProgress


# Starts of a local Ray tried: on an overloaded machine its node can time out once.
_STARTS = 2


def connect(options: ClusterOptions) -> bool:
    """Join or start Ray unless this process already has; True when this call did."""
    ray = require_ray()
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"logging_level": logging.WARNING, "include_dashboard": False}
    if options.address is None:
        if options.num_cpus is not None:
            kwargs["num_cpus"] = options.num_cpus
    else:
        kwargs["address"] = options.address
    for attempt in range(1, _STARTS + 1):
        try:
            ray.init(**kwargs)
            break
        except Exception as exc:  # Ray raises a bare Exception when its node is slow to start
            where = options.address or "a new local Ray"
            if options.address is None and attempt < _STARTS:
                log.warning("Ray did not start (%s); trying again", exc)
                continue
            raise ConfigError(
                f"cannot start or reach {where}: {exc}; on a busy machine start Ray once "
                "(ray start --head) and pass --ray, or check the address"
            ) from exc
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    # claimcheck prints its own progress line; Ray Data's per-run notices would bury it.
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    return True


def setup_key(endpoint: Endpoint, extractor: Extractor | None) -> str:
    """The extraction key of these settings (see :mod:`claimcheck.cluster.shards`)."""
    backend = endpoint.backend()
    try:
        identity, model = backend.identity, backend.model
    finally:
        backend.close()
    sampling = Sampling()
    stage = (
        "built-in"
        if extractor is None
        else f"{getattr(extractor, '__module__', '?')}.{getattr(extractor, '__qualname__', '?')}"
    )
    return extraction_key(
        {
            "v": 1,
            "code": extraction_fingerprint(),
            "batch": batch_size_from_env(),
            "backend": identity,
            "model": model,
            "sampling": [sampling.temperature, sampling.max_tokens, sampling.seed],
            "stage": stage,
        }
    )


class ExtractActor:
    """One Ray Data actor: one LLM client, ``in_flight`` articles at a time per batch."""

    def __init__(
        self,
        *,
        endpoint: Endpoint,
        out: str,
        key: str,
        in_flight: int,
        extractor: Extractor | None,
    ) -> None:
        # A question the model could not answer is recorded with its article (the report's
        # errors); a warning per question from every actor would flood the driver's terminal.
        logging.getLogger("claimcheck").setLevel(logging.ERROR)
        self.in_flight = in_flight
        self.extractor = extractor
        # A failure no article survives (no endpoint, an unwritable cache or --out, a broken
        # prompt) is sent back as a row: Ray would carry it to the driver only as text.
        self.broken: ClaimcheckError | None = None
        try:
            self.llm = endpoint.open()
            self.store = ShardStore(out, key)
        except ClaimcheckError as exc:
            self.broken = exc

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[str]]:
        keys = [str(k) for k in batch["key"]]
        if self.broken is not None:
            return _fatal_rows(keys, self.broken)
        articles = [Article.model_validate_json(str(a)) for a in batch["article"]]
        before = self.llm.usage
        try:
            result = run_sync(
                aextract(
                    articles, llm=self.llm, concurrency=self.in_flight, extractor=self.extractor
                )
            )
        except ClaimcheckError as exc:
            return _fatal_rows(keys, exc)
        used = self.llm.usage - before
        claims = {item.article.id: item for item in result.items}
        errors = {error.article_id: error for error in result.errors}
        outcomes = [
            Outcome(key=k, article_id=a.id, claims=claims.get(a.id), error=errors.get(a.id))
            for k, a in zip(keys, articles, strict=True)
        ]
        self.store.write(outcomes)
        return {
            "key": keys,
            "ok": ["1" if o.claims is not None else "" for o in outcomes],
            "usage": [used.model_dump_json() if n == 0 else "" for n in range(len(outcomes))],
            "fatal": [""] * len(outcomes),
        }


def _fatal_rows(keys: list[str], exc: ClaimcheckError) -> dict[str, list[str]]:
    fatal = json.dumps({"error": type(exc).__name__, "message": str(exc)})
    n = len(keys)
    return {"key": keys, "ok": [""] * n, "usage": [""] * n, "fatal": [fatal] + [""] * (n - 1)}


def fatal_error(row: str) -> ClaimcheckError:
    """The claimcheck error an actor sent back as a row (see :class:`ExtractActor`)."""
    record = json.loads(row)
    kind = getattr(errors, str(record.get("error")), None)
    if not (isinstance(kind, type) and issubclass(kind, ClaimcheckError)):
        kind = ClaimcheckError
    return kind(str(record.get("message", "")))


def extract_on_ray(
    articles: Sequence[Article],
    *,
    endpoint: Endpoint,
    options: ClusterOptions,
    extractor: Extractor | None = None,
    progress: BatchProgressCallback | None = None,
) -> ClusterExtraction:
    """Extract every article not finished before on Ray; claims and errors in input order."""
    ray = require_ray()
    store = ShardStore(options.out, setup_key(endpoint, extractor))
    keys = [article_key(a) for a in articles]
    before = store.finished(keys)
    todo = [
        {"key": k, "article": a.model_dump_json()}
        for k, a in zip(keys, articles, strict=True)
        if k not in before or before[k].claims is None
    ]
    state = BatchProgress(total=len(articles), resumed=len(articles) - len(todo))
    if progress is not None:
        progress(state)
    if todo:
        dataset = ray.data.from_items(todo).map_batches(
            ExtractActor,
            fn_constructor_kwargs={
                "endpoint": endpoint,
                "out": options.out,
                "key": store.key,
                "in_flight": options.in_flight,
                "extractor": extractor,
            },
            batch_size=options.batch_size or 2 * options.in_flight,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=options.actors),
            num_cpus=options.cpus_per_actor,
        )
        for row in dataset.iter_rows():
            if row["fatal"]:
                raise fatal_error(str(row["fatal"]))
            usage = state.usage
            if row["usage"]:
                usage = usage + Usage.model_validate_json(str(row["usage"]))
            ok = bool(row["ok"])
            state = replace(
                state, done=state.done + ok, failed=state.failed + (not ok), usage=usage
            )
            if progress is not None:
                progress(state)
    found = store.finished(keys)
    items: list[ArticleClaims] = []
    errors: list[ArticleError] = []
    for key, article in zip(keys, articles, strict=True):
        outcome = found.get(key)
        if outcome is None:
            errors.append(
                ArticleError(
                    article_id=article.id,
                    error="NotChecked",
                    message="no result was written for this article; run the batch again",
                )
            )
            continue
        if outcome.claims is not None:
            items.append(outcome.claims)
        if outcome.error is not None:
            errors.append(outcome.error)
    return ClusterExtraction(
        items=tuple(items), errors=tuple(errors), usage=state.usage, progress=state
    )


def _sketch_job(items: list[ArticleClaims], start: int) -> list[Sketch]:
    return sketch(items, start=start)


def _check_job(
    items: list[ArticleClaims],
    declared: dict[str, str],
    endpoint: Endpoint | None,
    knowledge: KnowledgeBase | None,
    as_of: dt.date | None,
    model_knowledge: bool,
) -> Report:
    llm = endpoint.open() if endpoint is not None else None
    try:
        return compare(
            items,
            llm=llm,
            knowledge=knowledge,
            as_of=as_of,
            grouping=declared,
            model_knowledge=model_knowledge,
        )
    finally:
        if llm is not None:
            llm.close()
            if llm.cache is not None:
                llm.cache.close()


def compare_on_ray(
    items: Sequence[ArticleClaims],
    *,
    options: ClusterOptions,
    endpoint: Endpoint | None = None,
    knowledge: KnowledgeBase | None = None,
    as_of: dt.date | None = None,
    grouping: Mapping[str, str] | None = None,
    model_knowledge: bool = False,
    model: str | None = None,
) -> Report:
    """Cross-check on Ray, block by block: the findings of ``pipeline.compare(items)``.

    ``endpoint`` (None: no model) is what each task asks for ambiguous groupings and fact
    pairs, as ``compare(llm=...)`` would.
    """
    ray = require_ray()
    size = max(1, options.bin_size)
    sketch_task = ray.remote(_sketch_job)
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    sketches = [
        s
        for part in ray.get([sketch_task.remote(c, n * size) for n, c in enumerate(chunks)])
        for s in part
    ]
    shared = ray.put(knowledge)
    check_task = ray.remote(_check_job)

    def run(jobs: Sequence[Job]) -> list[Report]:
        refs = [
            check_task.remote(piece, declared, endpoint, shared, as_of, model_knowledge)
            for piece, declared in jobs
        ]
        return list(ray.get(refs))

    return compare_in_blocks(
        items,
        grouping=grouping,
        as_of=as_of,
        bin_size=size,
        map_blocks=run,
        sketches=sketches,
        model=model,
    )


def run_batch(
    articles: Sequence[Article],
    *,
    endpoint: Endpoint,
    options: ClusterOptions,
    knowledge: KnowledgeBase | None = None,
    as_of: dt.date | None = None,
    grouping: Mapping[str, str] | None = None,
    model_knowledge: bool = False,
    extractor: Extractor | None = None,
    progress: BatchProgressCallback | None = None,
    check_options: CheckOptions | None = None,
) -> Report:
    """Extract on Ray (resuming from ``options.out``), cross-check on Ray, one report.

    ``check_options`` gives ``knowledge``, ``as_of``, ``grouping``, ``model_knowledge`` and
    ``extractor`` as the one :class:`~claimcheck.pipeline.CheckOptions` a local run takes
    (either it or those keywords); how many work at once is ``options`` (the cluster's), and
    progress on a cluster is reported per batch (``progress``), so a ``concurrency``,
    ``progress`` or ``checker`` in it is refused.

    Example::

        report = run_batch(
            read_articles(["archive/"]),
            endpoint=Endpoint(base_url="http://vllm:8000/v1", model="Qwen/Qwen2.5-7B-Instruct"),
            options=ClusterOptions(address="auto", out="s3://desk/run-1", actors=16),
        )
    """
    run = _check_options(
        check_options,
        knowledge=knowledge,
        as_of=as_of,
        grouping=grouping,
        model_knowledge=model_knowledge,
        extractor=extractor,
    )
    knowledge, as_of, grouping = run.knowledge, run.as_of, run.grouping
    model_knowledge, extractor = run.model_knowledge, run.extractor
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise ConfigError(
            "two articles share an id; give each input a distinct file name or an explicit id"
        )
    started = connect(options)
    ray = require_ray()
    try:
        extraction = extract_on_ray(
            articles, endpoint=endpoint, options=options, extractor=extractor, progress=progress
        )
        backend = endpoint.backend()
        model = backend.model
        backend.close()
        compared = compare_on_ray(
            extraction.items,
            options=options,
            endpoint=endpoint,
            knowledge=knowledge,
            as_of=as_of,
            grouping=grouping,
            model_knowledge=model_knowledge,
            model=model,
        )
    finally:
        if started:
            ray.shutdown()
    return Report(
        articles=tuple(articles),
        events=compared.events,
        claims=compared.claims,
        findings=compared.findings,
        usage=extraction.usage + compared.crosscheck_usage,
        crosscheck_usage=compared.crosscheck_usage,
        model=model,
        as_of=as_of,
        errors=extraction.errors + compared.errors,
    )


def _check_options(options: CheckOptions | None, **keywords: Any) -> CheckOptions:
    """The options of a cluster run as one :class:`CheckOptions`, refusing the fields a
    cluster run sets another way."""
    run = options_from(options, **keywords)
    unused = [
        name
        for name, value in (
            ("concurrency", run.concurrency != 1),
            ("progress", run.progress is not None),
            ("checker", run.checker is not None),
        )
        if value
    ]
    if unused:
        raise ConfigError(
            f"a cluster run does not take {', '.join(unused)} in check_options: set the "
            "actors and blocks in ClusterOptions, and a batch progress callback as progress="
        )
    return run


def describe(state: BatchProgress) -> str:
    """One progress line: articles done / failed / resumed / remaining, calls, tokens."""
    return (
        f"{state.done + state.resumed + state.failed}/{state.total} articles: "
        f"{state.done} done, {state.failed} failed, {state.resumed} from earlier runs, "
        f"{state.remaining} remaining; {state.usage.calls} calls, "
        f"{state.usage.total_tokens} tokens"
    )


class ProgressLines:
    """Progress on a stream, one line at most every ``every`` seconds and at the end."""

    def __init__(self, stream: TextIO, *, every: float = 2.0) -> None:
        self.stream = stream
        self.every = every
        self._last = -float("inf")

    def __call__(self, state: BatchProgress) -> None:
        now = time.monotonic()
        if state.remaining and now - self._last < self.every:
            return
        self._last = now
        print(f"claimcheck: {describe(state)}", file=self.stream, flush=True)


__all__ = [
    "INSTALL_HINT",
    "BatchProgress",
    "ClusterExtraction",
    "ClusterOptions",
    "Endpoint",
    "ExtractActor",
    "ProgressLines",
    "compare_on_ray",
    "connect",
    "describe",
    "extract_on_ray",
    "require_ray",
    "run_batch",
]
