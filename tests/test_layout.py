"""The package layout: moving modules changes no cache key, no prompt id and no fingerprint
rule (the values a cache entry or a claim shard is found by)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
from pathlib import Path

import pytest
from pydantic import BaseModel

import claimcheck
import claimcheck.knowledge
from claimcheck._moved import MOVED, new_name
from claimcheck.llm import Sampling, cache_key
from claimcheck.llm.article_cache import _TEXT_LIBRARIES, extraction_fingerprint
from claimcheck.llm.prompts import all_templates, prompts_dir, render
from claimcheck.llm.redact import redact

# (version, sha256 of the file) of every shipped template: part of every cache key. A change
# to a template changes its line here, on purpose; a move of Python code never does.
PROMPTS = {
    "crosscheck.fact_pair": (3, "57a6920de050dbbe8ac4fc05a45862bc256b819b1cad40b6063e93f2d0a80952"),
    "crosscheck.same_event": (
        3,
        "6e6bf0ceb633ed0f4e19697deddf339b2d246eba3734378cf2ef7f639cee5912",
    ),
    "crosscheck.title_check": (
        1,
        "fd00548a66ae8297d394b31aa3220398a3d95991b14759977e409f06fd0d0a26",
    ),
    "crosscheck.verify_figure": (
        2,
        "d4cd0ba68a2554f9bae9995595bfb2e8169b414398d583d0ee5dcf407b7a83c1",
    ),
    "crosscheck.verify_speaker": (
        1,
        "d6c517a7c86e97177ff8a34c3b15041c728e4d5e1ebc02dd41217ec1f846bb36",
    ),
    "extract_fact": (3, "a1a10ff00a0b240847843e0606b7057931b0b499d7196b57e0b20e13cad78156"),
    "extract_fact_batch": (1, "84d54d80b311ad4a51749a8d9f07b91717daf8370ee68c59766ade4a93d43bfe"),
    "extract_quantity": (3, "3d8fe7943ef0ae2a79c2400cdb00437dc208652613874e29088e545a9964e1b7"),
    "extract_quantity_batch": (
        1,
        "2794d271eb60b188e18f7dff7f8f3056b9f214544a8f6a2ddb6bbb5e1742b855",
    ),
    "extract_quantity_recheck": (
        3,
        "75d3e007f448f996ee8693d6e57cf2c0209f1cfd1714c4cd2619f61af51c2bdc",
    ),
    "extract_quote": (2, "b77c7a10b9dacc7b573c691586a95688324ff8ffd4f844d3cfd0fa435267020a"),
    "extract_quote_batch": (1, "880648c7ad28a7729314ac20aaa4eea7bb7314be28b90f6e3c1067ca1e0225ec"),
    "extract_role": (2, "94fe47701d46b41a76a5eed12297f268f677e57630baea8bee4c443265533a7c"),
    "extract_role_batch": (1, "bc5dc7d7b4827da74a2b89a6e8e48b2dd95b852f0af39d5faa529add0448ca79"),
    "reask": (1, "ab5184e4482895e6af0c9fadf035c7fed842ef0c5deccbad67140b0e1b36be4f"),
    "schema_hint": (1, "093c89a938e8ba8bf628afb4278e2d40a060f7659ab635813362ad074d0866fb"),
}


def test_prompt_ids_versions_and_digests_are_pinned() -> None:
    found = {pid: (t.version, t.sha256) for pid, t in all_templates().items()}
    assert found == PROMPTS


def test_the_templates_are_read_from_the_top_level_prompts_folder() -> None:
    root = Path(claimcheck.__file__).resolve().parent
    assert prompts_dir() in {root.parent / "prompts", root / "_prompts"}


#: the key of one request, computed before the package was laid out in layers
KEY = "7acbad16258b127660586a1e49f544f5e6990a966ce5ca46b19c316734333901"


class _Answer(BaseModel):
    label: str


def test_a_cache_key_is_pinned() -> None:
    prompt = render("schema_hint", schema='{"type": "object"}')
    key = cache_key(
        backend="fake",
        model="m",
        prompt=prompt,
        schema=_Answer.model_json_schema(),
        sampling=Sampling(temperature=0.0, max_tokens=64, seed=7),
    )
    assert key == KEY


def test_the_extraction_fingerprint_covers_the_whole_package_and_the_prompts() -> None:
    """Wherever the module computing it lives, the digest is over every file of the
    ``claimcheck`` package (code and data) and of the prompt templates."""
    digest = hashlib.sha256()
    for root in (Path(claimcheck.__file__).resolve().parent, prompts_dir()):
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        assert len(files) > 10
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    for dist in _TEXT_LIBRARIES:
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist}={version}\0".encode())
    extraction_fingerprint.cache_clear()
    assert extraction_fingerprint() == digest.hexdigest()


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_import_path_is_the_module_at_its_new_home(old: str) -> None:
    new = importlib.import_module(MOVED[old])
    assert importlib.import_module(old) is new
    assert new.__spec__ is not None and new.__spec__.name == MOVED[old]


def test_old_paths_of_submodules_and_names_keep_working() -> None:
    def old(module: str, name: str) -> object:
        # by name: a type checker knows only the new paths
        return getattr(importlib.import_module(module), name)

    fake = old("claimcheck.backends", "FakeBackend")
    assert old("claimcheck.backends.fake", "FakeBackend") is fake is claimcheck.FakeBackend
    assert old("claimcheck.backends", "make_backend") is claimcheck.make_backend
    assert old("claimcheck.client", "open_llm") is claimcheck.open_llm
    assert old("claimcheck.cache", "ResponseCache") is claimcheck.ResponseCache
    assert old("claimcheck.prompts", "render") is render
    assert old("claimcheck.redact", "redact") is redact
    assert old("claimcheck.vocabulary.measures", "measures") is not None
    assert (
        old("claimcheck.knowledge.titles", "title_modifier") is claimcheck.knowledge.title_modifier
    )
    assert (
        old("claimcheck.nlp", "parse") is importlib.import_module("claimcheck.language.nlp").parse
    )
    assert new_name("claimcheck.backends.local") == "claimcheck.llm.backends.local"
    assert new_name("claimcheck.models") is None


def test_every_public_name_imports_from_the_package() -> None:
    for name in claimcheck.__all__:
        assert getattr(claimcheck, name) is not None, name
