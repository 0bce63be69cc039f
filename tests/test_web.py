"""The review page's HTTP API, through Starlette's test client and a fake backend: a job runs
in the background and reports progress per article, reviews go to the baseline file, a
reload reattaches, input limits and the --root folder are enforced, no key reaches the page."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")

from click.testing import CliRunner
from starlette.testclient import TestClient
from test_cli import DISAGREE, fake_factory
from test_pipeline import figure_checker, llm_extractor

from claimcheck.baseline import read_baseline
from claimcheck.cli import Runtime, main
from claimcheck.ingest import MAX_ARTICLE_BYTES
from claimcheck.web import Settings, create_app
from claimcheck.web.app import MAX_ARTICLES

SECRET = "sk-test-WEB-NEVER-SHOWN-0987654321"


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    options: dict[str, Any] = {
        "baseline_file": tmp_path / "reviewed.json",
        "backend_factory": fake_factory(DISAGREE),
        "extractor": llm_extractor,
        "checker": figure_checker,
        "no_cache": True,
    }
    options.update(overrides)
    return Settings(**options)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(tmp_path)), base_url="http://127.0.0.1") as c:
        yield c


def wait(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] != "running":
            return job
        time.sleep(0.02)
    raise AssertionError("the job did not finish")


PASTED = {
    "draft": {"name": "a1", "text": DISAGREE["a1"]},
    "sources": [{"name": "a2", "text": DISAGREE["a2"]}],
}


def test_the_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "editor's desk" in page.text
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    assert "<script src" not in page.text  # nothing loaded from outside


def test_a_pasted_check_runs_in_the_background_and_reports(client: TestClient) -> None:
    started = client.post("/api/jobs", json=PASTED)
    assert started.status_code == 202, started.text
    first = started.json()
    assert first["state"] == "running"
    assert [a["id"] for a in first["articles"]] == ["a1", "a2"]
    job = wait(client, first["id"])
    assert job["state"] == "done", job["error"]
    assert {a["status"] for a in job["articles"]} == {"done"}
    assert job["completed"] == job["total"] == 2
    (finding,) = job["report"]["findings"]
    assert {e["article_id"] for e in finding["evidence"]} == {"a1", "a2"}
    assert job["report"]["reviewed"] == []
    assert job["fingerprints"][finding["id"]].startswith("f1-")
    # A reload finds the same job again.
    assert client.get("/api/jobs/latest").json()["id"] == first["id"]


def test_dismissing_writes_the_baseline_and_a_rerun_shows_it_reviewed(
    client: TestClient, tmp_path: Path
) -> None:
    job = wait(client, client.post("/api/jobs", json=PASTED).json()["id"])
    finding_id = job["report"]["findings"][0]["id"]
    no_reason = client.post(
        f"/api/jobs/{job['id']}/review",
        json={"finding_id": finding_id, "decision": "dismissed", "reason": " "},
    )
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["error"]
    reviewed = client.post(
        f"/api/jobs/{job['id']}/review",
        json={"finding_id": finding_id, "decision": "dismissed", "reason": "updated", "by": "ed"},
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["report"]["reviewed"][0]["decision"] == "dismissed"
    (entry,) = read_baseline(tmp_path / "reviewed.json").entries
    assert (entry.decision, entry.by, entry.reason) == ("dismissed", "ed", "updated")

    again = wait(client, client.post("/api/jobs", json=PASTED).json()["id"])
    assert [r["finding_id"] for r in again["report"]["reviewed"]] == [finding_id]


def test_review_errors(client: TestClient) -> None:
    job = wait(client, client.post("/api/jobs", json=PASTED).json()["id"])
    url = f"/api/jobs/{job['id']}/review"
    bad = client.post(url, json={"finding_id": "x", "decision": "maybe", "reason": "r"})
    assert bad.status_code == 400
    missing = client.post(url, json={"finding_id": "nope", "decision": "accepted", "reason": "r"})
    assert missing.status_code == 400
    assert "no finding nope" in missing.json()["error"]
    assert client.get("/api/jobs/unknown").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"draft": {"name": "d", "text": "   "}, "sources": PASTED["sources"]}, "empty"),
        ({"draft": {"name": "../d", "text": "x"}, "sources": PASTED["sources"]}, "slashes"),
        ({"draft": PASTED["draft"], "sources": []}, "at least one source"),
        ({"draft": PASTED["draft"], "sources": [{"name": "a1", "text": "12 people"}]}, "same"),
        (
            {"draft": {"name": "big", "text": "x" * (MAX_ARTICLE_BYTES + 1)}, "sources": []},
            "byte limit",
        ),
        (
            {
                "draft": PASTED["draft"],
                "sources": [{"name": f"s{n}", "text": "t"} for n in range(MAX_ARTICLES)],
            },
            "at most",
        ),
        ({"draft_path": "a.md", "sources": PASTED["sources"]}, "no folder is open"),
    ],
)
def test_input_errors_are_clear(client: TestClient, body: dict[str, Any], message: str) -> None:
    response = client.post("/api/jobs", json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_only_json_is_accepted(client: TestClient) -> None:
    # A form post from another site would arrive as text/plain without a CORS preflight.
    response = client.post(
        "/api/jobs", content=json.dumps(PASTED), headers={"content-type": "text/plain"}
    )
    assert response.status_code == 400
    assert "application/json" in response.json()["error"]


def test_a_foreign_host_header_is_refused(tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path)), base_url="http://evil.example") as c:
        assert c.get("/").status_code == 400


def test_the_folder_is_the_only_place_files_are_read_from(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    (root / "wires").mkdir(parents=True)
    (root / "draft.md").write_text(DISAGREE["a1"], encoding="utf-8")
    (root / "wires" / "a2.md").write_text(DISAGREE["a2"], encoding="utf-8")
    (root / ".hidden.md").write_text("secret", encoding="utf-8")
    outside = tmp_path / "outside.md"
    outside.write_text("not yours", encoding="utf-8")
    (root / "link.md").symlink_to(outside)
    factory = fake_factory({"draft": DISAGREE["a1"], "a2": DISAGREE["a2"]})
    app = create_app(settings(tmp_path, root=root, backend_factory=factory))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/api/files").json()["files"] == ["draft.md", "wires/a2.md"]
        for path in ("../outside.md", str(outside), "link.md", ".", "wires"):
            refused = c.post(
                "/api/jobs", json={"draft_path": path, "source_paths": ["wires/a2.md"]}
            )
            assert refused.status_code == 400, path
            assert "open folder" in refused.json()["error"], path
        started = c.post(
            "/api/jobs", json={"draft_path": "draft.md", "source_paths": ["wires/a2.md"]}
        )
        assert started.status_code == 202, started.text
        job = wait(c, started.json()["id"])
        assert job["state"] == "done", job["error"]
        assert job["draft_id"] == "draft"
        assert len(job["report"]["findings"]) == 1


def test_a_failing_backend_is_a_failed_job_with_a_redacted_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)

    def broken(**options: Any) -> Any:
        raise RuntimeError(f"cannot reach the endpoint with key {os.environ['OPENAI_API_KEY']}")

    from claimcheck.redact import register_secret

    register_secret(SECRET)
    app = create_app(settings(tmp_path, backend_factory=broken))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        job = wait(c, c.post("/api/jobs", json=PASTED).json()["id"])
        assert job["state"] == "failed"
        assert "cannot reach the endpoint" in job["error"]
        everything = c.get("/").text + json.dumps(c.get("/api/jobs/latest").json())
        assert SECRET not in everything


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import fails as if not installed
    result = CliRunner().invoke(main, ["serve"], obj=Runtime())
    assert result.exit_code == 2
    assert "pip install 'claimcheck[web]'" in result.stderr
