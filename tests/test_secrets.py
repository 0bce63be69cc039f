"""No secret in cassettes or caches: a scanner, proof that it catches planted secrets, and
proof that recording with our vcr settings strips them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import vcr
import yaml
from conftest import FakeOpenAIServer, Reply
from pydantic import BaseModel

from claimcheck.llm import LLM
from claimcheck.llm.backends.openai_compat import OpenAIBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.llm.prompts import parse_template

CASSETTES = Path(__file__).resolve().parent / "cassettes"

_HEADER_NAMES = (
    r"authorization|proxy-authorization|api-key|x-api-key|cookie|set-cookie"
    r"|openai-organization|openai-project"
)
SECRET_PATTERNS: dict[str, re.Pattern[str]] = {
    "openai-style key": re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"),
    "bearer token": re.compile(r"\bBearer\s+[A-Za-z0-9\-._~+/]{12,}=*"),
    "api key assignment": re.compile(r"(?i)\bapi[-_]?key[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9_\-]{16,}"),
    # A secret-bearing header recorded at all (YAML key at line start, or quoted JSON key).
    "secret header": re.compile(
        rf"(?im)(^\s*-?\s*[\"']?({_HEADER_NAMES})[\"']?\s*:\s*$|[\"']({_HEADER_NAMES})[\"']\s*:)"
    ),
}


def find_secrets(root: Path) -> list[str]:
    """Every secret-looking string in the files under ``root`` as ``path: kind: excerpt``."""
    found = []
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        # latin-1 never fails, so SQLite pages and binary values are scanned too.
        text = path.read_bytes().decode("latin-1")
        for kind, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                found.append(f"{path}: {kind}: {match.group(0).strip()[:40]}")
    return found


def test_no_secrets_in_cassettes() -> None:
    assert CASSETTES.is_dir()
    assert find_secrets(CASSETTES) == []


# Built at run time so that this file itself does not look like it holds a key.
PLANTED_KEY = "sk-" + "proj-" + "Q" * 8 + "7" * 16


@pytest.mark.parametrize(
    "content",
    [
        f"OPENAI_API_KEY={PLANTED_KEY}\n",
        "headers:\n  Authorization:\n  - Bearer abcdefghijklmnop1234\n",
        'request: {"headers": {"api-key": ["0123456789abcdef0123"]}}',
        "    set-cookie:\n    - session=abc\n",
        "config:\n  api_key: 'ABCDEFGHIJKLMNOP1234'\n",
    ],
    ids=["sk-key", "bearer", "api-key-json", "set-cookie", "api_key-yaml"],
)
def test_scanner_catches_planted_secrets(tmp_path: Path, content: str) -> None:
    nested = tmp_path / "cassettes" / "test_module"
    nested.mkdir(parents=True)
    (nested / "clean.yaml").write_text("interactions: []\nversion: 1\n")
    (nested / "planted.yaml").write_text(content)
    found = find_secrets(tmp_path)
    assert found
    assert all("planted.yaml" in line for line in found)


def test_scanner_ignores_ordinary_text(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "content: The minister said the key issue was authorization of new air-defence funds.\n"
        "headers:\n  content-type:\n  - application/json\n"
    )
    assert find_secrets(tmp_path) == []


class Answer(BaseModel):
    ok: bool


def test_recording_with_our_vcr_config_strips_secrets(
    tmp_path: Path, openai_server: FakeOpenAIServer, vcr_config: dict[str, Any]
) -> None:
    openai_server.script(
        Reply(
            content='{"ok": true}',
            headers={
                "Set-Cookie": "session=s3cr3t-cookie-value",
                "OpenAI-Organization": "org-private",
                "x-request-id": "req-123",
                "openai-processing-ms": "12",
            },
        )
    )
    recorder = vcr.VCR(record_mode="once", cassette_library_dir=str(tmp_path / "cassettes"))
    options = {k: v for k, v in vcr_config.items() if k != "allowed_hosts"}
    backend = OpenAIBackend(base_url=openai_server.url, model="m", api_key=PLANTED_KEY)
    llm = LLM(backend, cache=ResponseCache(tmp_path / "cache"))
    template = parse_template(
        "---\nid: t\nversion: 1\nvariables: []\n---\n## user\nSay ok.\n", path=Path("t")
    )
    with recorder.use_cassette("recorded.yaml", **options):
        assert llm.parse(Answer, template.render()).ok
    # The key was really sent, so a leak would have been possible.
    assert openai_server.requests[0].headers["authorization"] == f"Bearer {PLANTED_KEY}"

    recorded = tmp_path / "cassettes" / "recorded.yaml"
    data = yaml.safe_load(recorded.read_text())
    (interaction,) = data["interactions"]
    request_headers = {k.lower() for k in interaction["request"]["headers"]}
    response_headers = {k.lower() for k in interaction["response"]["headers"]}
    assert "authorization" not in request_headers
    assert not any(h.startswith("x-stainless") for h in request_headers)
    assert {"set-cookie", "openai-organization", "x-request-id", "openai-processing-ms"}.isdisjoint(
        response_headers
    )
    assert "content-type" in response_headers  # scrubbing is targeted, not wholesale
    assert find_secrets(tmp_path / "cassettes") == []
    assert find_secrets(tmp_path / "cache") == []
    assert llm.cache is not None and len(llm.cache) == 1  # the cache was really written


def test_no_secrets_in_a_used_cache_dir(cache_dir: Path, openai_server: FakeOpenAIServer) -> None:
    backend = OpenAIBackend(base_url=openai_server.url, model="m", api_key=PLANTED_KEY)
    llm = LLM(backend, cache=ResponseCache())  # the default location: CLAIMCHECK_CACHE_DIR
    template = parse_template(
        "---\nid: t\nversion: 1\nvariables: [n]\n---\n## user\nSay ok {{ n }}.\n",
        path=Path("t"),
    )
    for n in range(3):
        llm.parse(Answer, template.render(n=n))
    assert any(cache_dir.iterdir())
    assert find_secrets(cache_dir) == []


def test_recording_without_scrubbing_would_be_caught(
    tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    """The control: vcrpy's defaults keep the key, and the scanner notices."""
    recorder = vcr.VCR(record_mode="once", cassette_library_dir=str(tmp_path))
    backend = OpenAIBackend(base_url=openai_server.url, model="m", api_key=PLANTED_KEY)
    template = parse_template(
        "---\nid: t\nversion: 1\nvariables: []\n---\n## user\nSay ok.\n", path=Path("t")
    )
    with recorder.use_cassette("raw.yaml"):
        LLM(backend).parse(Answer, template.render())
    found = find_secrets(tmp_path)
    assert any("bearer token" in line for line in found)
    assert any("openai-style key" in line for line in found)
