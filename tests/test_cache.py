"""ResponseCache: shared between processes, degradable, and loud when unusable."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import platformdirs
import pytest
from pydantic import BaseModel

from claimcheck.errors import ConfigError
from claimcheck.llm import LLM
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.llm.cache import ResponseCache, cache_disabled_by_env, default_cache_dir
from claimcheck.llm.prompts import parse_template

WRITER = textwrap.dedent(
    """
    import sys
    from claimcheck.llm.cache import ResponseCache

    directory, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cache = ResponseCache(directory)
    for n in range(count):
        cache.set(f"{tag}-{n}", f"value {tag} {n}")
    # Read back what the other process wrote so far: must never raise or return garbage.
    other = "b" if tag == "a" else "a"
    for n in range(count):
        value = cache.get(f"{other}-{n}")
        assert value is None or value == f"value {other} {n}", value
    cache.close()
    """
)


def test_two_processes_share_one_cache_directory(tmp_path: Path) -> None:
    count = 200
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), tag, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for tag in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    cache = ResponseCache(tmp_path)
    assert len(cache) == 2 * count
    assert cache.get("a-7") == "value a 7"
    assert cache.get("b-199") == "value b 199"
    cache.close()


def test_default_directory_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"
    assert ResponseCache().directory == tmp_path / "here"


def test_tests_run_with_a_private_cache_directory(cache_dir: Path) -> None:
    assert default_cache_dir() == cache_dir
    user_cache = Path(platformdirs.user_cache_dir("claimcheck"))
    assert user_cache != cache_dir
    assert user_cache not in cache_dir.parents


@pytest.mark.parametrize("value", ["1", "true", "YES", "on"])
def test_no_cache_variable_disables(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CLAIMCHECK_NO_CACHE", value)
    assert cache_disabled_by_env()


@pytest.mark.parametrize("value", ["", "0", "no"])
def test_no_cache_variable_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CLAIMCHECK_NO_CACHE", value)
    assert not cache_disabled_by_env()


class Answer(BaseModel):
    yes: bool


def test_without_a_cache_every_call_reaches_the_backend(cache_dir: Path) -> None:
    template = parse_template(
        "---\nid: t\nversion: 1\nvariables: []\n---\n## user\nSay yes.\n", path=Path("t")
    )
    backend = FakeBackend(['{"yes": true}', '{"yes": true}'])
    llm = LLM(backend, cache=None)
    llm.parse(Answer, template.render())
    llm.parse(Answer, template.render())
    assert len(backend.requests) == 2
    assert llm.usage.cache_hits == 0
    assert not any(cache_dir.iterdir())  # nothing was written anywhere


def test_unwritable_directory_is_a_config_error(tmp_path: Path) -> None:
    # A directory cannot be created below a regular file, even by root.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="CLAIMCHECK_CACHE_DIR"):
        ResponseCache(blocker / "cache")


def test_non_text_entry_is_dropped(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache._store.set("k", b"\x00\x01")
    assert cache.get("k") is None
    assert "k" not in cache._store


def test_clear_and_volume(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.set("k1", "one")
    cache.set("k2", "two")
    assert cache.volume() > 0
    assert sorted(cache.iter_values()) == ["one", "two"]
    assert cache.clear() == 2
    assert len(cache) == 0


def test_an_edited_value_fails_its_checksum_and_is_asked_again(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.set("k", '{"killed": 4}')
    raw = cache._store.get("k")
    cache._store.set("k", raw.replace('"killed": 4', '"killed": 9'))  # still valid JSON
    assert cache.get("k") is None
    assert len(cache) == 0  # dropped, so the next run asks the model again


@pytest.mark.parametrize("damage", ["truncate", "garbage", "folder"])
def test_a_damaged_database_is_moved_aside_and_rebuilt(tmp_path: Path, damage: str) -> None:
    directory = tmp_path / "responses"
    first = ResponseCache(directory)
    first.set("k", "answer")
    first.close()
    db = directory / "cache.db"
    if damage == "truncate":
        db.write_bytes(db.read_bytes()[:50])
    elif damage == "garbage":
        db.write_bytes(b"this is not a sqlite database at all" * 100)
    else:
        db.unlink()
        db.mkdir()
    store = ResponseCache(directory)  # no exception: the broken one is kept aside
    store.set("k2", "new")
    assert store.get("k2") == "new"
    store.close()
    assert [p.name.startswith("responses.broken-") for p in tmp_path.iterdir()].count(True) == 1
