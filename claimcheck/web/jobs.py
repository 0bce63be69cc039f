"""Background checks for the review page: one job per run, progress per article, reviews.

Jobs run one at a time in a worker thread (the embedded model answers one question at a
time anyway), through the same :func:`claimcheck.pipeline.verify` the CLI calls, with the
backend built by the same factory. A job outlives the page that started it: the page keeps
only the job's id, and a reload asks for the job again.

This module does not depend on the web framework, so it can be tested and reused on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from claimcheck import baseline as baselines
from claimcheck import pipeline
from claimcheck.errors import ClaimcheckError, InputError
from claimcheck.knowledge import KnowledgeBase
from claimcheck.llm import LLM, Backend, memo
from claimcheck.llm.client import LLMSettings, open_llm
from claimcheck.llm.redact import hide_endpoints
from claimcheck.models import Article, ArticleError, Report

log = logging.getLogger(__name__)

JobState = Literal["running", "done", "failed"]
BackendFactory = Callable[..., Backend]
# Finished jobs kept for reattaching; older ones are forgotten first (never a running one).
MAX_JOBS = 50


@dataclass
class Settings:
    """How the review page builds its LLM (through :func:`claimcheck.llm.client.open_llm`, as the
    CLI does) and where reviews are written.

    ``backend_factory`` is called like the CLI calls it (``model``, ``base_url``,
    ``local_model``); tests pass one that returns a FakeBackend. ``extractor`` and
    ``checker`` replace the stages (None: the real ones), as ``claimcheck.cli.Runtime``.
    ``knowledge`` None means the built-in office-holder list, loaded at the first check.
    """

    baseline_file: Path
    backend_factory: BackendFactory
    root: Path | None = None
    model: str | None = None
    base_url: str | None = None
    local_model: Path | None = None
    no_cache: bool = False
    retry_failed: bool = False
    max_questions: int | None = None
    timeout: float | None = None
    concurrency: int = 1
    knowledge: KnowledgeBase | None = None
    extractor: pipeline.Extractor | None = None
    checker: pipeline.CrossChecker | None = None

    def llm_settings(self) -> LLMSettings:
        """The LLM part of these settings, for :func:`claimcheck.llm.client.open_llm`."""
        return LLMSettings(
            model=self.model,
            base_url=self.base_url,
            local_model=self.local_model,
            timeout=self.timeout,
            no_cache=self.no_cache,
            retry_failed=self.retry_failed,
            max_questions=self.max_questions,
        )


@dataclass
class Job:
    """One check of a draft against its sources, as the page polls it."""

    id: str
    draft_id: str
    article_ids: tuple[str, ...]
    state: JobState = "running"
    articles: dict[str, str] = field(default_factory=dict)  # id -> waiting/started/done/failed
    stage: str = "extract"
    report: Report | None = None
    error: str | None = None
    skipped: tuple[ArticleError, ...] = ()
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def view(self) -> dict[str, Any]:
        """What the page sees: state, per-article progress, and the report when done."""
        done = sum(s in ("done", "failed") for s in self.articles.values())
        return {
            "id": self.id,
            "state": self.state,
            "stage": self.stage,
            "draft_id": self.draft_id,
            "articles": [{"id": k, "status": v} for k, v in self.articles.items()],
            "completed": done,
            "total": len(self.articles),
            "error": self.error,
            "skipped": [e.model_dump(mode="json") for e in self.skipped],
            "report": self.report.model_dump(mode="json") if self.report else None,
            "fingerprints": (
                {f.id: baselines.fingerprint(f) for f in self.report.findings}
                if self.report
                else {}
            ),
        }


class JobBoard:
    """Starts jobs, tracks them, and records reviews in the baseline file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        if settings.no_cache:
            memo.switch_off()  # nothing of the copy is kept: no answers, no entities
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-job")
        self._llm: LLM | None = None

    # ------------------------------------------------------------------ jobs

    def start(
        self, draft: Article, sources: Sequence[Article], *, skipped: Sequence[ArticleError] = ()
    ) -> tuple[Job, Future[None]]:
        """Queue a check of ``draft`` against ``sources``; returns at once."""
        ids = (draft.id, *(s.id for s in sources))
        if len(set(ids)) != len(ids):
            raise InputError(
                "two articles have the same name; give every draft and source a different name"
            )
        job = Job(
            id=uuid.uuid4().hex,
            draft_id=draft.id,
            article_ids=ids,
            articles=dict.fromkeys(ids, "waiting"),
            skipped=tuple(skipped),
        )
        with self._lock:
            self._jobs[job.id] = job
            # Only finished jobs are forgotten: a running or queued one is still polled, and
            # dropping it would tell the page "no such check" while it calls the model.
            finished = [k for k, j in self._jobs.items() if j.state != "running"]
            for old in finished[: max(0, len(self._jobs) - MAX_JOBS)]:
                del self._jobs[old]
        return job, self._pool.submit(self._run, job, draft, tuple(sources))

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def view(self, job: Job) -> dict[str, Any]:
        """``job.view()`` taken while the worker cannot change the job half-way."""
        with self._lock:
            return job.view()

    def latest(self) -> Job | None:
        with self._lock:
            return next(reversed(self._jobs.values()), None)

    def _progress(self, job: Job) -> pipeline.Progress:
        def update(event: pipeline.ProgressEvent) -> None:
            with self._lock:
                job.stage = event.stage
                if event.article_id is not None:
                    job.articles[event.article_id] = event.status

        return update

    def _run(self, job: Job, draft: Article, sources: tuple[Article, ...]) -> None:
        s = self.settings
        try:
            report = pipeline.verify(
                draft,
                sources,
                llm=self._shared_llm(),
                options=pipeline.CheckOptions(
                    knowledge=self._knowledge(),
                    concurrency=s.concurrency,
                    progress=self._progress(job),
                    extractor=s.extractor,
                    checker=s.checker,
                ),
            )
            if job.skipped:
                report = report.model_copy(update={"errors": (*job.skipped, *report.errors)})
            report = _without_endpoints(report)
            report = self._with_reviews(report)
            with self._lock:
                job.report, job.state, job.stage = report, "done", "done"
        except Exception as exc:  # the page must learn of any failure, not wait forever
            if not isinstance(exc, ClaimcheckError):
                log.exception("job %s failed", job.id)
            with self._lock:
                job.error = hide_endpoints(f"{type(exc).__name__}: {exc}")
                job.state = "failed"

    def _knowledge(self) -> KnowledgeBase:
        if self.settings.knowledge is None:
            self.settings.knowledge = KnowledgeBase.load()
        return self.settings.knowledge

    def _shared_llm(self) -> LLM:
        """One LLM for the server's life: the embedded model starts once, not per job."""
        if self._llm is None:
            s = self.settings
            self._llm = open_llm(s.llm_settings(), backend_factory=s.backend_factory)
        return self._llm

    def close(self) -> None:
        """Stop: queued jobs are dropped, the running one is abandoned (its answers so far
        are cached), the model stopped and the cache closed. Nothing waits in silence."""
        with self._lock:
            running = [j for j in self._jobs.values() if j.state == "running"]
        if running:
            log.warning(
                "stopping: %d check(s) not finished are abandoned; answers already received "
                "are cached, so running them again resumes",
                len(running),
            )
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._llm is not None:
            self._llm.close()  # and its response cache

    # ------------------------------------------------------------------ reviews

    def baseline(self) -> baselines.Baseline:
        return baselines.read_baseline(self.settings.baseline_file, missing_ok=True)

    def _with_reviews(self, report: Report) -> Report:
        return baselines.apply_baseline(report, self.baseline())

    def review(
        self,
        job_id: str,
        finding_id: str,
        *,
        decision: baselines.Decision,
        reason: str,
        by: str | None,
    ) -> Job:
        """Record a finding of a finished job in the baseline file; the job shows it reviewed."""
        job = self.get(job_id)
        if job is None or job.report is None:
            raise InputError(f"no finished check {job_id}")
        finding = next((f for f in job.report.findings if f.id == finding_id), None)
        if finding is None:
            raise InputError(f"the check has no finding {finding_id}")
        # Locked across processes: a `claimcheck baseline add` on the same file meanwhile
        # keeps its entry.
        updated = baselines.update_baseline(
            self.settings.baseline_file,
            lambda current: baselines.review(
                current, finding, decision=decision, reason=reason, by=by
            ),
        )
        with self._lock:
            job.report = baselines.apply_baseline(job.report, updated)
        return job


def _without_endpoints(report: Report) -> Report:
    """The report with no endpoint address in its errors: the page may be read by people
    who are not the operator (the CLI's report keeps them, for the operator)."""
    errors = tuple(
        e.model_copy(update={"message": hide_endpoints(e.message)}) for e in report.errors
    )
    return report.model_copy(update={"errors": errors})


__all__ = ["MAX_JOBS", "Job", "JobBoard", "Settings"]
