"""Faults of a real HTTP endpoint, end to end through the CLI: a server that echoes the key
in its error bodies, and one whose bodies are not JSON. Loopback only (FakeOpenAIServer)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FakeOpenAIServer, Reply, error_body

from claimcheck.backends.openai_compat import OpenAIBackend
from claimcheck.cli import main
from claimcheck.errors import TransientError
from claimcheck.llm import CompletionRequest, Sampling
from claimcheck.redact import redact, register_url_credentials

KEY = "sk-fault-0123456789abcdefKEY"
ARTICLE = (
    "At least 12 people were injured when a bridge collapsed in Lisbon on Monday, the city's "
    "civil protection service said. Rescue teams searched the river through the night."
)


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
