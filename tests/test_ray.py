"""claimcheck on a local Ray (2 CPUs) against a fake OpenAI-compatible server on loopback.

The server answers each request with an instance of the request's schema seeded by the
request itself, so an answer does not depend on which actor asks or when: a Ray run and a
single-process run get the same answers and must give the same report. Covered: the
pipeline end to end (same findings as ``check``, and a rerun that asks nothing), a driver
killed mid-run and resumed (no finished article asked again), an actor that dies mid-batch
(its batch retried, nothing lost), and cross-checking in Ray tasks equal to ``compare``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from faultserver import FakeOpenAIServer, Reply, chat_completion, instance_of
from pydantic import BaseModel

from claimcheck import pipeline
from claimcheck.cli import main, read_claims
from claimcheck.cluster import (
    BatchProgress,
    ClusterOptions,
    Endpoint,
    ShardStore,
    compare_on_ray,
    extract_on_ray,
    read_inputs,
    run_batch,
)
from claimcheck.cluster.run import setup_key
from claimcheck.errors import PromptError
from claimcheck.llm import LLM
from claimcheck.llm.backends.openai_compat import OpenAIBackend
from claimcheck.llm.prompts import parse_template
from claimcheck.models import Article, ArticleClaims, Report

ray = pytest.importorskip("ray", reason="needs the [ray] extra: pip install 'claimcheck[ray]'")

pytestmark = pytest.mark.ray

REPO = Path(__file__).resolve().parent.parent
MODEL = "fake-model"


class Server:
    """The fake endpoint, answering from a seed of the request; counts who was asked."""

    def __init__(self) -> None:
        self.http = FakeOpenAIServer(keep_requests=False)
        self.http.responder = self.answer
        self.delay = 0.0
        self.asked: Counter[str] = Counter()
        self._lock = threading.Lock()

    def answer(self, body: dict[str, Any]) -> Reply:
        messages = json.dumps(body.get("messages"), sort_keys=True)
        marker = messages.split("ARTICLE[", 1)[1].split("]", 1)[0] if "ARTICLE[" in messages else ""
        with self._lock:
            self.asked[marker] += 1
        fmt = body.get("response_format") or {}
        schema = (fmt.get("json_schema") or {}).get("schema") or {}
        seed = hashlib.sha256(messages.encode("utf-8")).hexdigest()
        content = json.dumps(instance_of(schema, random.Random(seed)))
        return Reply(body=chat_completion(content, model=MODEL), delay=self.delay)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.http.close()


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local Ray of 2 CPUs for the module. Its workers inherit this environment when it
    starts: a fake key, a private cache, this checkout and the tests on the path."""
    cache = tmp_path_factory.mktemp("ray-cache")
    path = os.pathsep.join([str(REPO), str(REPO / "tests"), os.environ.get("PYTHONPATH", "")])
    with pytest.MonkeyPatch.context() as env:
        for name in ("OPENAI_BASE_URL", "CLAIMCHECK_NO_CACHE", "CLAIMCHECK_BATCH"):
            env.delenv(name, raising=False)
        env.setenv("OPENAI_API_KEY", "test-key")
        env.setenv("CLAIMCHECK_CACHE_DIR", str(cache))
        env.setenv("PYTHONPATH", path)
        for attempt in (1, 2):  # on an overloaded machine Ray's node can time out once
            try:
                ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
                break
            except Exception:
                if attempt == 2:
                    raise
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    yield str(ray.get_runtime_context().gcs_address)
    ray.shutdown()


def endpoint(server: Server) -> Endpoint:
    # No response cache: a rerun that asks nothing proves the shards, not the cache, resumed.
    return Endpoint(base_url=server.http.url, model=MODEL, no_cache=True)


# --------------------------------------------------------------------------- a cheap stage


class Label(BaseModel):
    label: str


TEMPLATE = parse_template(
    "---\nid: test.label\nversion: 1\nvariables: [text, id, n]\n---\n"
    "## system\nAnswer with JSON only.\n## user\nARTICLE[{{ id }}] {{ text }}\nQuestion {{ n }}.\n",
    path=Path("test.label.prompt"),
)


def ask_twice(article: Article, llm: LLM) -> ArticleClaims:
    """A stand-in extraction stage: two questions to the endpoint, no claims."""
    for n in range(2):
        llm.parse(Label, TEMPLATE.render(text=article.text, id=article.id, n=str(n)))
    return ArticleClaims(article=article)


class DiesOnce:
    """A stand-in stage that kills its actor's process the first time it sees ``victim``
    (``flag`` records that it did)."""

    def __init__(self, flag: Path, victim: str) -> None:
        self.flag = flag
        self.victim = victim

    def __call__(self, article: Article, llm: LLM) -> ArticleClaims:
        if article.id == self.victim and not self.flag.exists():
            self.flag.write_text(str(os.getpid()), encoding="utf-8")
            os._exit(1)
        return ask_twice(article, llm)


def articles(n: int) -> list[Article]:
    return [Article(id=f"a-{i:02d}", text=f"Report {i} of the harbour fire.") for i in range(n)]


# --------------------------------------------------------------------------- the tests


def test_end_to_end_gives_the_findings_of_check_and_a_rerun_asks_nothing(
    local_ray: str, server: Server, tmp_path: Path
) -> None:
    names = ["crash-a", "crash-b", "crash-c", "quake-a", "quake-b"]
    batch = read_inputs([str(REPO / "fixtures/articles" / f"{n}.md") for n in names])
    options = ClusterOptions(out=str(tmp_path / "out"), actors=2, in_flight=2, batch_size=2)
    seen: list[BatchProgress] = []
    report = run_batch(
        batch.articles, endpoint=endpoint(server), options=options, progress=seen.append
    )
    backend = OpenAIBackend(base_url=server.http.url, model=MODEL, api_key="test-key")
    with LLM(backend) as llm:
        single = pipeline.check(batch.articles, llm=llm, concurrency=2)
    assert report.claims and report.claims == single.claims
    assert report.events == single.events
    assert report.findings == single.findings
    assert report.errors == single.errors
    assert report.usage.calls == single.usage.calls > 0
    assert seen[-1].done + seen[-1].failed == len(names) and seen[-1].remaining == 0
    assert seen[-1].usage.calls == report.usage.calls - report.crosscheck_usage.calls

    before = sum(server.asked.values())
    again = run_batch(batch.articles, endpoint=endpoint(server), options=options)
    assert sum(server.asked.values()) == before + again.crosscheck_usage.calls
    assert again.usage.calls == again.crosscheck_usage.calls
    assert again.findings == report.findings and again.claims == report.claims


def test_a_killed_driver_resumes_without_asking_finished_articles_again(
    local_ray: str, server: Server, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    batch = articles(16)
    store = ShardStore(out, setup_key(endpoint(server), ask_twice))
    driver = f"""
import ray, sys
sys.path[:0] = {[str(REPO), str(REPO / "tests")]!r}
from test_ray import ask_twice, articles
from claimcheck.cluster import ClusterOptions, Endpoint, extract_on_ray
ray.init(address={local_ray!r}, logging_level="ERROR")
extract_on_ray(articles(16), endpoint=Endpoint(base_url={server.http.url!r}, model={MODEL!r},
               no_cache=True), options=ClusterOptions(out={str(out)!r}, actors=2, in_flight=1,
               batch_size=2), extractor=ask_twice)
"""
    server.delay = 0.3
    process = subprocess.Popen([sys.executable, "-c", driver], start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(store.finished()) < 4:
            assert process.poll() is None, "the driver ended before it could be killed"
            assert time.monotonic() < deadline, "no shard written in 120 s"
            time.sleep(0.2)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        server.delay = 0.0
    finished = {o.article_id for o in store.finished().values() if o.claims is not None}
    assert 4 <= len(finished) < 16
    server.asked.clear()
    result = extract_on_ray(
        batch,
        endpoint=endpoint(server),
        options=ClusterOptions(out=str(out), actors=2, in_flight=2, batch_size=4),
        extractor=ask_twice,
    )
    assert [i.article.id for i in result.items] == [a.id for a in batch]
    assert not result.errors
    assert result.progress.resumed >= len(finished)
    assert not finished & set(server.asked), "a finished article was asked again"


def test_an_actor_that_dies_mid_batch_loses_no_article(
    local_ray: str, server: Server, tmp_path: Path
) -> None:
    flag = tmp_path / "died"
    result = extract_on_ray(
        articles(12),
        endpoint=endpoint(server),
        options=ClusterOptions(out=str(tmp_path / "out"), actors=2, in_flight=2, batch_size=3),
        extractor=DiesOnce(flag, victim="a-05"),
    )
    assert flag.exists(), "the actor was not killed"
    assert [i.article.id for i in result.items] == [a.id for a in articles(12)]
    assert not result.errors and result.progress.failed == 0


def test_cross_checking_in_ray_tasks_equals_one_compare(local_ray: str) -> None:
    gold = read_claims(REPO / "fixtures/gold/article-claims.json")
    single = pipeline.compare(gold)
    report = compare_on_ray(gold, options=ClusterOptions(bin_size=8))
    assert report.findings == single.findings and len(report.findings) > 20
    assert report.events == single.events


def test_the_batch_command_reports_what_check_reports(
    local_ray: str, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    sources = [str(REPO / "fixtures/articles" / f"{n}.md") for n in ("rc1-a", "rc1-b")]
    common = ["--base-url", server.http.url, "--model", MODEL, "--no-cache", "--fail-on", "never"]
    runner = CliRunner()
    out = ["--out", str(tmp_path / "out"), "-o", str(tmp_path / "batch.json")]
    ran = runner.invoke(main, ["batch", *sources, *out, *common, "--actors", "2", "-j", "2"])
    checked = runner.invoke(main, ["check", *sources, "-o", str(tmp_path / "check.json"), *common])
    assert ran.exit_code == checked.exit_code, ran.stderr
    assert "articles:" in ran.stderr and "0 remaining" in ran.stderr
    batch = Report.model_validate_json((tmp_path / "batch.json").read_text(encoding="utf-8"))
    check = Report.model_validate_json((tmp_path / "check.json").read_text(encoding="utf-8"))
    assert batch.claims and batch.claims == check.claims
    assert batch.findings == check.findings and batch.events == check.events


def broken_stage(article: Article, llm: LLM) -> ArticleClaims:
    """A stage that fails the way a damaged install does: no article could survive it."""
    raise PromptError("the prompt template test.label is broken; reinstall claimcheck")


def test_a_failure_no_article_survives_stops_the_run_with_claimcheck_s_own_error(
    local_ray: str, server: Server, tmp_path: Path
) -> None:
    with pytest.raises(PromptError, match="reinstall claimcheck"):
        extract_on_ray(
            articles(4),
            endpoint=endpoint(server),
            options=ClusterOptions(out=str(tmp_path / "out"), actors=1, in_flight=2),
            extractor=broken_stage,
        )
