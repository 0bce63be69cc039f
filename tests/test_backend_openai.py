"""OpenAIBackend against a real (fake) HTTP server on 127.0.0.1: retries, fallbacks, errors.

No SDK internals are mocked: the OpenAI client talks HTTP to ``FakeOpenAIServer`` from
conftest. Only ``time.sleep`` is replaced, so back-off waits are recorded instead of slept.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeOpenAIServer, Reply, chat_completion, error_body
from pydantic import BaseModel

from claimcheck.errors import BackendError, BackendUnavailable, ConfigError, TransientError
from claimcheck.llm import LLM, CompletionRequest, Sampling, json_schema_for
from claimcheck.llm.backends.openai_compat import OpenAIBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.prompts import Message, parse_template

SECRET = "sk-test-1234567890abcdefSECRET"


class Verdict(BaseModel):
    ok: bool


def request(**sampling: Any) -> CompletionRequest:
    return CompletionRequest(
        messages=(Message("system", "You judge."), Message("user", "Is water wet?")),
        schema_name="Verdict",
        json_schema=json_schema_for(Verdict),
        sampling=Sampling(**sampling),
    )


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Back-off waits the retry policy asked for (tenacity sleeps via time.sleep)."""
    asked: list[float] = []
    monkeypatch.setattr(time, "sleep", asked.append)
    return asked


def backend_for(server: FakeOpenAIServer, **options: Any) -> OpenAIBackend:
    options.setdefault("max_attempts", 4)
    options.setdefault("backoff_initial", 0.5)
    options.setdefault("backoff_max", 2.0)
    return OpenAIBackend(base_url=server.url, model="test-model", api_key=SECRET, **options)


def test_success_maps_text_and_usage(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(Reply(content='{"ok": false}'))
    completion = backend_for(openai_server).complete(request(max_tokens=33, seed=5))
    assert completion.text == '{"ok": false}'
    assert (completion.prompt_tokens, completion.completion_tokens) == (11, 3)
    assert completion.retries == 0
    assert completion.mode == "json_schema"
    (seen,) = openai_server.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.body["model"] == "test-model"
    assert seen.body["max_tokens"] == 33
    assert seen.body["seed"] == 5
    assert seen.body["temperature"] == 0.0
    assert seen.body["response_format"]["type"] == "json_schema"
    assert seen.body["response_format"]["json_schema"]["schema"] == json_schema_for(Verdict)
    assert seen.body["messages"][1] == {"role": "user", "content": "Is water wet?"}


def test_the_servers_own_timings_are_kept_when_it_sends_them(
    openai_server: FakeOpenAIServer,
) -> None:
    body = chat_completion('{"ok": true}')
    body["timings"] = {"prompt_n": 40, "cache_n": 212, "prompt_ms": 655.5, "predicted_n": 9}
    openai_server.script(Reply(body=body), Reply())
    backend = backend_for(openai_server)
    timed = backend.complete(request())
    assert timed.timings == {
        "prompt_n": 40.0,
        "cache_n": 212.0,
        "prompt_ms": 655.5,
        "predicted_n": 9.0,
    }
    assert backend.complete(request()).timings is None  # an endpoint that sends none


def test_429_with_retry_after_is_honoured(
    openai_server: FakeOpenAIServer, sleeps: list[float]
) -> None:
    openai_server.script(Reply(status=429, headers={"Retry-After": "7"}), Reply())
    completion = backend_for(openai_server).complete(request())
    assert completion.text == '{"ok": true}'
    assert completion.retries == 1
    assert len(openai_server.requests) == 2
    assert sleeps == [7.0]  # the server's number, not the back-off schedule


def test_retry_after_ms_is_honoured(openai_server: FakeOpenAIServer, sleeps: list[float]) -> None:
    openai_server.script(Reply(status=429, headers={"retry-after-ms": "1500"}), Reply())
    backend_for(openai_server).complete(request())
    assert sleeps == [1.5]


def test_retry_after_is_capped(openai_server: FakeOpenAIServer, sleeps: list[float]) -> None:
    openai_server.script(Reply(status=429, headers={"Retry-After": "86400"}), Reply())
    backend_for(openai_server).complete(request())
    assert sleeps == [60.0]


@pytest.mark.parametrize("statuses", [(500,), (503,), (500, 503), (502, 500, 503)])
def test_server_errors_then_success(
    openai_server: FakeOpenAIServer, sleeps: list[float], statuses: tuple[int, ...]
) -> None:
    openai_server.script(*(Reply(status=s) for s in statuses), Reply())
    completion = backend_for(openai_server).complete(request())
    assert completion.text == '{"ok": true}'
    assert completion.retries == len(statuses)
    assert len(openai_server.requests) == len(statuses) + 1
    assert len(sleeps) == len(statuses)
    assert all(0 <= s <= 2.0 for s in sleeps)  # exponential back-off, capped at backoff_max


def test_timeout_then_success(openai_server: FakeOpenAIServer, sleeps: list[float]) -> None:
    openai_server.script(Reply(delay=5.0), Reply(content='{"ok": false}'))
    completion = backend_for(openai_server, timeout=0.5).complete(request())
    assert completion.text == '{"ok": false}'
    assert completion.retries == 1
    assert len(openai_server.requests) == 2


def test_repeated_failure_is_a_transient_error(
    openai_server: FakeOpenAIServer, sleeps: list[float]
) -> None:
    openai_server.responder = lambda body: Reply(status=503)
    with pytest.raises(TransientError, match=r"kept failing \(503\) after 3 attempts"):
        backend_for(openai_server, max_attempts=3).complete(request())
    assert len(openai_server.requests) == 3
    assert len(sleeps) == 2


def test_repeated_timeouts_are_unavailable(
    openai_server: FakeOpenAIServer, sleeps: list[float]
) -> None:
    openai_server.responder = lambda body: Reply(delay=5.0)
    with pytest.raises(BackendUnavailable, match="timed out after 2 attempts"):
        backend_for(openai_server, max_attempts=2, timeout=0.3).complete(request())


def test_unreachable_server(sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = OpenAIBackend(base_url=f"http://127.0.0.1:{port}/v1", max_attempts=2)
    with pytest.raises(BackendUnavailable, match="is unreachable after 2 attempts"):
        backend.complete(request())


def test_credentials_in_the_base_url_stay_out_of_identity_and_errors(
    sleeps: list[float],
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://editor:{SECRET}@127.0.0.1:{port}/v1?api-key={SECRET}"
    backend = OpenAIBackend(base_url=url, max_attempts=1)
    assert SECRET not in backend.identity
    assert SECRET not in backend.base_url
    assert backend.identity == f"openai-compatible|http://127.0.0.1:{port}/v1"
    with pytest.raises(BackendUnavailable) as caught:
        backend.complete(request())
    assert SECRET not in str(caught.value)
    assert f"127.0.0.1:{port}" in str(caught.value)


def refuse_formats(*refused: str) -> Any:
    def responder(body: dict[str, Any]) -> Reply:
        kind = (body.get("response_format") or {}).get("type", "plain")
        if kind in refused:
            return Reply(status=400, body=error_body(f"response_format {kind} is not supported"))
        return Reply(content='{"ok": true}')

    return responder


def test_json_schema_refused_falls_back_and_remembers(openai_server: FakeOpenAIServer) -> None:
    openai_server.responder = refuse_formats("json_schema", "json_object")
    backend = backend_for(openai_server)
    completion = backend.complete(request())
    assert completion.mode == "plain"
    assert backend.mode == "plain"
    kinds = [(r.body.get("response_format") or {}).get("type") for r in openai_server.requests]
    assert kinds == ["json_schema", "json_object", None]
    plain = openai_server.requests[-1].body["messages"]
    assert [m["role"] for m in plain] == ["system", "user"]  # one merged system message
    assert '"ok"' in plain[0]["content"]  # the schema travels in the instructions
    assert "You judge." in plain[0]["content"]

    backend.complete(request())
    assert len(openai_server.requests) == 4  # remembered: straight to plain
    assert "response_format" not in openai_server.requests[-1].body


def test_json_object_is_enough_when_only_json_schema_is_refused(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.responder = refuse_formats("json_schema")
    backend = backend_for(openai_server)
    assert backend.complete(request()).mode == "json_object"
    assert backend.mode == "json_object"


def test_concurrent_fallback_never_steps_back_to_a_refused_mode(
    openai_server: FakeOpenAIServer,
) -> None:
    # Each thread meets each refused mode at most once when the remembered mode only ever
    # moves forward; a thread that wrote back its own stale fallback would meet one again.
    refuse: Callable[[dict[str, Any]], Reply] = refuse_formats("json_schema", "json_object")
    late = itertools.count()

    def responder(body: dict[str, Any]) -> Reply:
        reply = refuse(body)
        if (body.get("response_format") or {}).get("type") == "json_schema":
            # Refusals of the first mode arrive one after another, so stale ones land after
            # other threads have already moved on to plain.
            return dataclasses.replace(reply, delay=0.03 * next(late))
        return reply

    openai_server.responder = responder
    backend = backend_for(openai_server)
    with ThreadPoolExecutor(8) as pool:
        modes = list(pool.map(lambda _: backend.complete(request()).mode, range(48)))
    assert modes == ["plain"] * 48
    assert backend.mode == "plain"
    refused = [r for r in openai_server.requests if "response_format" in r.body]
    assert len(refused) <= 2 * 8


def test_a_400_about_something_else_does_not_fall_back(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(Reply(status=400, body=error_body("max_tokens is too large")))
    backend = backend_for(openai_server)
    with pytest.raises(BackendError, match="max_tokens is too large"):
        backend.complete(request())
    assert backend.mode == "json_schema"
    assert len(openai_server.requests) == 1


@pytest.mark.parametrize("status", [403, 409, 413])
def test_other_client_errors_are_backend_errors_not_sdk_exceptions(
    openai_server: FakeOpenAIServer, status: int
) -> None:
    openai_server.script(Reply(status=status, body=error_body("this project has no access")))
    with pytest.raises(BackendError, match=rf"\({status}\): this project has no access"):
        backend_for(openai_server).complete(request())
    assert len(openai_server.requests) == 1  # not retried: it would fail the same way


def test_401_names_the_key_variable(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(Reply(status=401, body=error_body("bad key", code="invalid_api_key")))
    with pytest.raises(BackendError, match="OPENAI_API_KEY") as caught:
        backend_for(openai_server).complete(request())
    assert len(openai_server.requests) == 1  # not retried
    assert SECRET not in str(caught.value)


def test_404_names_the_model(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(Reply(status=404, body=error_body("model not found")))
    with pytest.raises(BackendError, match="'test-model'"):
        backend_for(openai_server).complete(request())


def test_api_key_never_reaches_logs_errors_or_identity(
    openai_server: FakeOpenAIServer,
    sleeps: list[float],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)  # everything: openai, httpx2, claimcheck
    openai_server.script(
        Reply(status=429, headers={"Retry-After": "1"}),
        Reply(status=400, body=error_body("response_format json_schema unsupported")),
        Reply(content="not json"),
        Reply(content='{"ok": true}'),
        Reply(status=401, body=error_body("bad key")),
    )
    backend = backend_for(openai_server)
    llm = LLM(backend, cache=ResponseCache(tmp_path / "cache"))
    template = parse_template(
        "---\nid: t\nversion: 1\nvariables: []\n---\n## user\nIs water wet?\n", path=Path("t")
    )
    assert llm.parse(Verdict, template.render()).ok
    with pytest.raises(BackendError) as caught:
        backend.complete(request(seed=9))
    # The key really was in play: the server saw it.
    assert openai_server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert caplog.records, "debug logging produced nothing; the check below would be vacuous"
    logged = "\n".join(
        [caplog.text, *(r.getMessage() for r in caplog.records), *openai_server.log_lines]
    )
    assert SECRET not in logged
    assert SECRET[3:] not in logged
    assert SECRET not in str(caught.value)
    assert SECRET not in backend.identity
    assert llm.cache is not None
    assert all(SECRET not in value for value in llm.cache.iter_values())


def test_key_from_environment(
    openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.url)
    backend = OpenAIBackend(model="m")
    backend.complete(request())
    assert openai_server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert backend.identity == f"openai-compatible|{openai_server.url}"


def test_local_server_needs_no_key(openai_server: FakeOpenAIServer) -> None:
    backend = OpenAIBackend(base_url=openai_server.url)
    assert backend.complete(request()).text == '{"ok": true}'


def test_no_endpoint_and_no_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        OpenAIBackend()


def test_unknown_mode_is_a_config_error(openai_server: FakeOpenAIServer) -> None:
    with pytest.raises(ConfigError, match="json_schema"):
        OpenAIBackend(base_url=openai_server.url, mode="xml")


def test_forced_plain_mode_sends_no_response_format(openai_server: FakeOpenAIServer) -> None:
    backend = backend_for(openai_server, mode="plain")
    backend.complete(request())
    assert "response_format" not in openai_server.requests[0].body


class Place(BaseModel):
    city: str
    country: str


@pytest.mark.vcr
def test_replays_an_answer_recorded_from_the_embedded_model(recorded_llm: LLM) -> None:
    """The cassette was recorded by scripts/record-cassettes.sh from the real embedded server."""
    template = parse_template(
        "---\nid: test.place\nversion: 1\nvariables: [sentence]\n---\n"
        "## system\nYou extract places from one sentence. Answer with JSON only.\n"
        "## user\nSentence: {{ sentence }}\nGive the city and the country it is in.\n",
        path=Path("test.place.prompt"),
    )
    sentence = "The ferry left the harbour of Gdansk at dawn with ninety passengers."
    place = recorded_llm.parse(Place, template.render(sentence=sentence))
    assert isinstance(place, Place)
    assert place.city.strip()
    assert place.country.strip()
    assert recorded_llm.usage.calls >= 1
    assert recorded_llm.usage.prompt_tokens > 0  # usage comes back from the recorded response
