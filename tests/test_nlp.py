"""The NLP layer: one parse per text, entities and attachments the finders rely on."""

from __future__ import annotations

from claimcheck import nlp


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
