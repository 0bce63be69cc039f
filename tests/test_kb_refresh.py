"""`claimcheck kb refresh` against a stand-in SPARQL server on 127.0.0.1 serving answers of
the query service's shape (fixtures/knowledge/wikidata_sample.json)."""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimcheck.cli import main
from claimcheck.errors import KnowledgeError
from claimcheck.knowledge import KnowledgeBase, Verdict
from claimcheck.knowledge.refresh import RefreshStep, refresh_knowledge, sparql_query

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge" / "wikidata_sample.json"


@dataclass
class StandIn:
    """What the stand-in server answers, and what it was asked."""

    url: str
    queries: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    # Called with the query; returns (status, headers, body).
    answer: Callable[[str], tuple[int, dict[str, str], bytes]] = lambda q: (200, {}, b"")


def _sample() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    state = StandIn(url="")
    state.answer = lambda query: (
        200,
        {"Content-Type": "application/sparql-results+json"},
        _sample(),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            query = form["query"][0]
            state.queries.append(query)
            state.agents.append(self.headers.get("User-Agent", ""))
            status, headers, body = state.answer(query)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_refresh_writes_a_dated_file_that_brings_the_office_up_to_date(
    stand_in: StandIn, tmp_path: Path
) -> None:
    steps: list[RefreshStep] = []
    out = tmp_path / "fresh.yaml"
    total = refresh_knowledge(
        out,
        countries=["Ukraine"],
        endpoint=stand_in.url,
        as_of=date(2026, 12, 6),
        progress=steps.append,
    )
    assert total > 0 and out.exists()
    assert [(s.done, s.total, s.country) for s in steps] == [(1, 1, "Ukraine")]
    # One query, for Ukraine by its ISO code, from a client that names itself.
    (query,) = stand_in.queries
    assert '?country wdt:P297 "UA"' in query and "p:P39" in query
    assert stand_in.agents[0].startswith("claimcheck/")
    kb = KnowledgeBase.load([out], include_default=False)
    assert kb.verified_through == date(2026, 12, 6)
    assert kb.verified_through_for("foreign minister", "Ukraine") == date(2026, 12, 6)
    verdict = kb.check_title("Dmytro Kuleba", "Ukraine's foreign minister", date(2026, 11, 1))
    assert verdict.verdict is Verdict.SITTING_BUT_FORMER


def test_refresh_waits_when_the_service_asks_and_retries(stand_in: StandIn, tmp_path: Path) -> None:
    answers = iter(
        [
            (429, {"Retry-After": "7"}, b"slow down"),
            (503, {}, b"busy"),
            (200, {}, _sample()),
        ]
    )
    stand_in.answer = lambda query: next(answers)
    waits: list[float] = []
    refresh_knowledge(
        tmp_path / "k.yaml", countries=["Ukraine"], endpoint=stand_in.url, sleep=waits.append
    )
    assert waits == [7.0, 4.0]
    assert len(stand_in.queries) == 3


def test_a_query_over_the_time_limit_is_split_by_office(stand_in: StandIn, tmp_path: Path) -> None:
    def answer(query: str) -> tuple[int, dict[str, str], bytes]:
        if "rdfs:label ?name" not in query:
            return 500, {}, b"java.util.concurrent.TimeoutException"
        return 200, {}, _sample()

    stand_in.answer = answer
    steps: list[RefreshStep] = []
    total = refresh_knowledge(
        tmp_path / "k.yaml", countries=["Ukraine"], endpoint=stand_in.url, progress=steps.append
    )
    assert total > 0
    split = stand_in.queries[1:]
    assert len(split) > 10 and all("rdfs:label ?name" in q for q in split)
    assert "foreign minister" in {s.office for s in steps}
    assert any("foreign minister|" in q or '"foreign minister' in q for q in split)


def test_refresh_without_a_network_says_so(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(KnowledgeError, match="cannot reach the Wikidata query service"):
        refresh_knowledge(
            tmp_path / "k.yaml", countries=["Kenya"], endpoint=f"http://127.0.0.1:{port}/sparql"
        )
    result = CliRunner().invoke(
        main,
        ["kb", "refresh", "--country", "Kenya", "-o", str(tmp_path / "k.yaml")],
        env={"CLAIMCHECK_SPARQL_ENDPOINT": f"http://127.0.0.1:{port}/sparql"},
    )
    assert result.exit_code == 2
    assert "cannot reach the Wikidata query service" in result.stderr
    assert not (tmp_path / "k.yaml").exists()


def test_kb_refresh_shows_progress(stand_in: StandIn, tmp_path: Path) -> None:
    out = tmp_path / "k.yaml"
    result = CliRunner().invoke(
        main,
        ["kb", "refresh", "--country", "Ukraine", "--endpoint", stand_in.url, "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "[1/1] Ukraine:" in result.stderr and f"to {out}" in result.stderr


def test_an_unknown_country_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not a country"):
        refresh_knowledge(tmp_path / "k.yaml", countries=["Narnia"], endpoint="http://127.0.0.1:9")


def test_the_query_asks_every_position_of_the_country_since_a_day() -> None:
    query = sparql_query("KE", since=date(2015, 1, 1))
    assert '"2015-01-01T00:00:00Z"^^xsd:dateTime' in query
    assert "rdfs:label" not in query
    by_office = sparql_query("KE", since=date(2015, 1, 1), phrases=["prime minister", "pm"])
    assert 'REGEX(LCASE(STR(?name)), "prime minister|pm")' in by_office
