"""Faults of a real HTTP endpoint, end to end through the CLI: a server that echoes the key
in its error bodies, one whose bodies are not JSON, one that hangs (``--timeout``). And the
fault server itself (tests/faultserver.py): it answers the schema it is asked for, injects
every fault at the rate or for the schema it is told, and each fault reaches the client as
what it imitates. Loopback only."""

from __future__ import annotations

import base64
import json
import random
import time
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import pytest
from click.testing import CliRunner
from conftest import FakeOpenAIServer, Reply, error_body
from faultserver import (
    TRANSIENT,
    Fault,
    FaultInjector,
    FaultPlan,
    FaultServerProcess,
    instance_of,
    violating_instance,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claimcheck.cli import main
from claimcheck.crosscheck.events import SameEventAnswer
from claimcheck.crosscheck.facts import FactRelation
from claimcheck.crosscheck.titles import TitleAnswer
from claimcheck.errors import BackendError, BackendUnavailable, TransientError
from claimcheck.extract.context import answer_model, choice_enum
from claimcheck.llm import CompletionRequest, Sampling, json_schema_for
from claimcheck.llm.backends.openai_compat import OpenAIBackend
from claimcheck.llm.prompts import Message
from claimcheck.llm.redact import redact, register_url_credentials

KEY = "sk-fault-0123456789abcdefKEY"
ARTICLE = (
    "At least 12 people were injured when a bridge collapsed in Lisbon on Monday, the city's "
    "civil protection service said. Rescue teams searched the river through the night."
)

# Answers the checks accept for ARTICLE's figure ("people", "injured"), where a schema allows.
ANSWERS = {"subject": "people", "measure": "injured", "place": "Lisbon", "speaker": None}


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "sleep", lambda _s: None)


def _run(server: FakeOpenAIServer, tmp_path: Path, fmt: str, *extra: str) -> Any:
    source = tmp_path / "a.md"
    source.write_text(ARTICLE, encoding="utf-8")
    return CliRunner().invoke(
        main,
        ["check", str(source), "--base-url", server.url, "--model", "m", "--format", fmt, *extra],
        env={"OPENAI_API_KEY": KEY},
    )


@pytest.mark.parametrize("status", [400, 403, 413, 422])
@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "terminal"])
def test_a_key_echoed_in_an_error_body_reaches_no_output(
    openai_server: FakeOpenAIServer, tmp_path: Path, no_sleep: None, status: int, fmt: str
) -> None:
    def echo(body: dict[str, Any]) -> Reply:
        seen = openai_server.requests[-1].headers.get("authorization", "")
        return Reply(status=status, body=error_body(f"refused; you sent Authorization: {seen}"))

    openai_server.responder = echo
    result = _run(openai_server, tmp_path, fmt)
    assert openai_server.requests, "the server was never asked; the check would be vacuous"
    assert openai_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    everything = result.stdout + result.stderr
    assert "refused" in everything  # the server's reason is shown ...
    assert KEY not in everything and KEY[3:] not in everything  # ... without the key
    assert result.exit_code == 3


def test_credentials_in_the_base_url_never_appear_even_as_base64() -> None:
    url = "http://editor:pa55word-xyz@127.0.0.1:9/v1"
    register_url_credentials(url)
    basic = base64.b64encode(b"editor:pa55word-xyz").decode()
    text = redact(f"server said: bad Basic {basic}; tried {url}; user editor:pa55word-xyz")
    assert "pa55word-xyz" not in text and basic not in text


def test_a_malformed_body_is_retried_then_an_error_of_ours(
    openai_server: FakeOpenAIServer, no_sleep: None
) -> None:
    openai_server.script(Reply(raw=b'{"choices": [ {"mess'), Reply(content='{"ok": true}'))
    backend = OpenAIBackend(base_url=openai_server.url, model="m", api_key=KEY, max_attempts=3)
    request = CompletionRequest(
        messages=(), schema_name="S", json_schema={"type": "object"}, sampling=Sampling()
    )
    assert backend.complete(request).text == '{"ok": true}'
    openai_server.script(*[Reply(raw=b"<html>bad gateway</html>")] * 3)
    with pytest.raises(TransientError, match="malformed"):
        backend.complete(request)


def test_a_malformed_body_loses_no_article_in_a_batch(
    openai_server: FakeOpenAIServer, tmp_path: Path, no_sleep: None
) -> None:
    calls = {"n": 0}

    def flaky(body: dict[str, Any]) -> Reply:
        calls["n"] += 1
        if calls["n"] % 2:
            return Reply(raw=b"not json at all")
        return Reply(content=json.dumps({"answer": "not_a_count"}))

    openai_server.responder = flaky
    result = _run(openai_server, tmp_path, "json", "--fail-on", "never")
    assert calls["n"] >= 2
    report = json.loads(result.stdout)
    assert [a["id"] for a in report["articles"]] == ["a"]
    assert "Traceback" not in (result.stderr or "")


def test_a_model_that_always_answers_outside_the_schema_is_not_a_clean_run(
    openai_server: FakeOpenAIServer, tmp_path: Path, no_sleep: None
) -> None:
    openai_server.responder = lambda body: Reply(content='{"nonsense": 1}')
    result = _run(openai_server, tmp_path, "json", "--fail-on", "never")
    report = json.loads(result.stdout)
    assert result.exit_code == 3, result.stderr
    [error] = report["errors"]
    assert error["article_id"] == "a" and "no valid answer" in error["message"]
    assert report["usage"]["failed"] >= 2
    assert "unanswered" in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": []},
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "length",
                    "message": {"role": "assistant", "content": '{"ans'},
                }
            ],
        },
    ],
    ids=["empty-choices", "finish-length"],
)
def test_empty_or_cut_off_answers_are_failures_too(
    openai_server: FakeOpenAIServer, tmp_path: Path, no_sleep: None, body: dict[str, Any]
) -> None:
    openai_server.responder = lambda _b: Reply(body=body)
    result = _run(openai_server, tmp_path, "json", "--fail-on", "never")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["errors"]


def test_remembered_failures_are_asked_again_with_retry_failed(
    openai_server: FakeOpenAIServer, tmp_path: Path, no_sleep: None
) -> None:
    openai_server.responder = lambda body: Reply(content='{"nonsense": 1}')
    assert _run(openai_server, tmp_path, "json").exit_code == 3
    asked = len(openai_server.requests)
    # A rerun against the same endpoint remembers the failures and asks nothing ...
    assert _run(openai_server, tmp_path, "json").exit_code == 3
    assert len(openai_server.requests) == asked
    # ... unless told to ask again.
    _run(openai_server, tmp_path, "json", "--retry-failed")
    assert len(openai_server.requests) > asked


# --------------------------------------------------------------------------- --timeout


def test_timeout_bounds_a_run_against_a_hanging_server(
    openai_server: FakeOpenAIServer, tmp_path: Path, no_sleep: None
) -> None:
    # The server answers questions about the first article and hangs (30 s, far beyond
    # --timeout) on every question about the second. Without --timeout a question would be
    # waited on 300 s x 5 attempts.
    injector = FaultInjector(
        FaultPlan(by_text={"Porto": Fault.HANG}, hang_seconds=30.0, prefer=ANSWERS)
    )
    openai_server.responder = injector
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "At least 30 people were injured when a tram left the rails in Porto on Tuesday, the "
        "city's fire service said.",
        encoding="utf-8",
    )
    started = time.monotonic()
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(tmp_path / "a.md"),
            str(tmp_path / "b.md"),
            "--base-url",
            openai_server.url,
            "--model",
            "m",
            "--format",
            "json",
            "--timeout",
            "1",
        ],
        env={"OPENAI_API_KEY": KEY},
    )
    elapsed = time.monotonic() - started
    assert injector.injected[Fault.HANG] == 5  # one question, five attempts, then it stops
    assert result.exit_code == 3, result.stderr
    report = json.loads(result.stdout)
    assert [a["id"] for a in report["articles"]] == ["a", "b"]
    [error] = [e for e in report["errors"] if e["article_id"] == "b"]
    assert "timed out" in error["message"]
    assert "a" not in {e["article_id"] for e in report["errors"] if e["stage"] == "extract"}
    assert {c["article_id"] for c in report["claims"]} == {"a"}  # the part that was done
    # Five attempts of one second, plus the work: bounded, where the default waits 25 min.
    assert elapsed < 120, elapsed


# --------------------------------------------------------------------------- the fault server


class _Kind(str, Enum):
    KILLED = "killed"
    INJURED = "injured"


class _Nested(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=5)
    count: int = Field(ge=3, le=7)


class _Everything(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: _Kind
    verdict: Literal["same", "different"]
    place: str | None = None
    share: float = Field(gt=0, lt=1)
    flag: bool
    items: list[_Nested] = Field(min_length=1, max_length=3)
    tags: tuple[str, ...] = ()


SCHEMAS: list[type[BaseModel]] = [
    _Everything,
    SameEventAnswer,
    FactRelation,
    TitleAnswer,
    answer_model(
        "FigureAnswer",
        subject=(str, Field(max_length=40)),
        measure=(choice_enum("MeasureChoice", ["killed", "other", "not_a_count"]), ...),
        place=(str | None, None),
    ),
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_the_server_answers_valid_instances_of_the_schema(schema: type[BaseModel]) -> None:
    rng = random.Random(5)
    json_schema = json_schema_for(schema)
    for _ in range(50):
        schema.model_validate(instance_of(json_schema, rng))
        with pytest.raises(ValidationError):
            schema.model_validate(violating_instance(json_schema, rng))


def test_pick_first_takes_the_first_choice_of_every_enum() -> None:
    answer = instance_of(json_schema_for(TitleAnswer), random.Random(1), pick="first")
    assert answer["answer"] == "yes"


def test_preferred_values_are_given_where_the_schema_allows_them() -> None:
    schema = json_schema_for(SCHEMAS[-1])
    rng = random.Random(4)
    answer = instance_of(schema, rng, prefer={"subject": "people", "measure": "killed"})
    assert answer["subject"] == "people" and answer["measure"] == "killed"
    # A value outside the enum is not forced on it.
    assert instance_of(schema, rng, prefer={"measure": "injured"})["measure"] != "injured"


def test_the_server_draws_each_fault_at_its_rate_reproducibly() -> None:
    plan = FaultPlan.mixed(0.2, seed=3)
    body = {"response_format": {"json_schema": {"name": "V", "schema": json_schema_for(_Nested)}}}
    drawn: list[list[Fault | None]] = []
    for _ in range(2):
        injector = FaultInjector(plan)
        drawn.append([injector._fault_for("V", body) for _ in range(5000)])
    assert drawn[0] == drawn[1]  # seeded: the same plan injects the same faults
    counts = Counter(drawn[0])
    assert 0.17 < sum(n for f, n in counts.items() if f is not None) / 5000 < 0.23
    assert set(counts) == {*Fault, None}
    with pytest.raises(ValueError):
        FaultPlan(rates={Fault.HANG: 0.7, Fault.DROP: 0.5})


def _request() -> CompletionRequest:
    return CompletionRequest(
        messages=(Message("user", "How many?"),),
        schema_name="Nested",
        json_schema=json_schema_for(_Nested),
        sampling=Sampling(),
    )


@pytest.mark.parametrize("fault", list(Fault), ids=lambda f: f.value)
def test_each_fault_reaches_the_client_as_what_it_imitates(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    injector = FaultInjector(FaultPlan(by_schema={"Nested": fault}, hang_seconds=3.0))
    openai_server.responder = injector
    backend = OpenAIBackend(
        base_url=openai_server.url, model="m", api_key=KEY, max_attempts=2, timeout=1.0
    )
    expected: dict[Fault, type[Exception]] = {
        Fault.RATE_LIMIT: TransientError,
        Fault.SERVER_ERROR: TransientError,
        Fault.UNAVAILABLE: TransientError,
        Fault.MALFORMED: TransientError,
        Fault.HANG: BackendUnavailable,
        Fault.DROP: BackendUnavailable,
        Fault.DRIP: BackendUnavailable,  # the answer's deadline, not each read's
        Fault.ECHO_4XX: BackendError,
    }
    if fault in expected:
        with pytest.raises(expected[fault]) as caught:
            backend.complete(_request())
        assert KEY not in str(caught.value)
        # Transient faults are retried (the same body again); a refusal is not.
        assert injector.stats().requests == (2 if fault in TRANSIENT else 1)
        if fault is Fault.RATE_LIMIT:
            assert waits == [2.0]  # the Retry-After the server sent
        if fault is Fault.ECHO_4XX:
            assert "refused" in str(caught.value)
            assert openai_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
            # An echoed "content-type: application/json" is no complaint about the
            # response format: the run keeps asking for the schema.
            assert backend.mode == "json_schema"
        return
    text = backend.complete(_request()).text
    assert injector.injected[fault] == 1
    with pytest.raises(ValidationError):
        _Nested.model_validate_json(text)


def test_a_clean_plan_answers_every_request_validly(openai_server: FakeOpenAIServer) -> None:
    injector = FaultInjector(FaultPlan(seed=9))
    openai_server.responder = injector
    backend = OpenAIBackend(base_url=openai_server.url, model="m", api_key=KEY)
    for _ in range(20):
        _Nested.model_validate_json(backend.complete(_request()).text)
    stats = injector.stats()
    assert stats.answered == stats.requests == 20 and stats.faults == 0


def test_the_server_in_a_child_process_reports_its_counters() -> None:
    with FaultServerProcess(FaultPlan(by_schema={"Nested": Fault.SERVER_ERROR})) as server:
        backend = OpenAIBackend(base_url=server.url, model="m", api_key=KEY, max_attempts=3)
        with pytest.raises(TransientError):
            backend.complete(_request())
        stats = server.stats()
    assert stats.injected == {Fault.SERVER_ERROR: 3}
    assert stats.per_body == ((3, 3),)
