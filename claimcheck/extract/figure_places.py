"""Where a figure happened, read from the parse: the place phrase on the figure's own noun
or verb (:func:`clause_place`), and whether a place the model gave stands in the figure's
own clause (:func:`place_in_clause`), is a place at all (:func:`is_a_place`) or is only
the dateline's (:func:`only_dateline`). The small model was seen to give the story's main
place, or the dateline city, to every figure of a breakdown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claimcheck.extract.context import ArticleContext
from claimcheck.extract.event import dateline_end, is_dateline
from claimcheck.extract.figure_parse import figure_token, path_to_verb
from claimcheck.extract.number_candidates import NumberCandidate
from claimcheck.language import nlp, places

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


_PLACE_PREPS = frozenset({"in", "across", "throughout"})


_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})


def clause_place(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The place the parse puts a figure at: an "in X" phrase hung on the figure's own
    noun or verb, standing after the figure and before the sentence's next figure ("at
    least 85 people had been hurt *in Rukum West* and 55 in Jajarkot"). None when the
    parse shows no such place, or more than one.

    The small model was seen to answer the story's main place for every figure of a
    breakdown; the parse does not confuse two figures' places this way.
    """
    token = figure_token(ctx, candidate)
    if token is None:
        return None
    noun = token.head if token.dep_ in ("nummod", "quantmod") else token
    verb = noun.head if noun.dep_ not in ("ROOT",) else noun
    next_number = min(
        (
            n.start
            for n in ctx.numbers
            if n.start >= candidate.end and n.sentence == candidate.sentence
        ),
        default=candidate.sentence.end,
    )
    found: list[str] = []
    for owner in {noun, verb, token}:
        for prep in owner.children:
            if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
                continue
            if not candidate.end <= prep.idx < next_number:
                continue
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if not objects:
                continue
            phrase = _phrase(objects[0])
            is_place = any(t.ent_type_ in _PLACE_ENTS for t in phrase) or (
                places.lookup(phrase.text) is not None
            )
            if is_place and phrase.text not in found:
                found.append(phrase.text)
    if not found:
        where = _where_clause_place(verb) or _subject_place(verb) or _there_place(ctx, token)
        if where is not None:
            found.append(where)
    return found[0] if len(found) == 1 else None


# Between a figure's verb and the verb whose subject may be its place: "suffered the most
# deaths, *with* about 40 people *falling* victim".
_UP_TO_PLACE_VERB = frozenset({"pcomp", "prep", "dobj", "xcomp", "conj"})


def _subject_place(verb: Token) -> str | None:
    """The place that is the subject of a verb of the vocabulary's ``figure_place_verbs``
    the figure hangs under: "Paiporta suffered the most deaths, with about 40 people
    falling victim" puts the 40 in Paiporta."""
    node, steps = verb, 0
    while steps < 4:
        if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in places.figure_place_verbs():
            for child in node.children:
                if child.dep_ == "nsubj" and _names_a_place(child):
                    return _phrase(child).text
            return None
        if node.dep_ not in _UP_TO_PLACE_VERB or node.head is node:
            return None
        node, steps = node.head, steps + 1
    return None


def _names_a_place(token: Token) -> bool:
    return token.ent_type_ in _PLACE_ENTS or (
        token.pos_ == "PROPN" and places.lookup(token.text) is not None
    )


def _phrase(head: Token) -> Span:
    """The words of ``head``'s phrase up to it, without a leading article ("the Valencia
    region" -> "Valencia region")."""
    phrase = head.doc[head.left_edge.i : head.i + 1]
    return phrase[1:] if phrase[0].dep_ == "det" else phrase


def _there_place(ctx: ArticleContext, token: Token) -> str | None:
    """The place a "there" on the figure's way to its verb points back to: "The Cordillera
    deaths were confirmed by an official, who said police had counted at least 20 dead
    *there*" puts the 20 in the Cordillera, not nationwide. The place is the last one named
    before the figure in its sentence or the one before; None when "there" is not on the
    figure's way or no place stands before it."""
    way = [token, *path_to_verb(token, 4)]
    if not any(c.dep_ == "advmod" and c.lower_ == "there" for t in way for c in t.children):
        return None
    doc = token.doc
    sentence = token.sent
    start = sentence.start
    if start > 0:
        start = doc[start - 1].sent.start
    for i in range(token.i - 1, start - 1, -1):
        word = doc[i]
        if word.pos_ == "PROPN" and _names_a_place(word):
            return str(_phrase(word).text) if word.dep_ != "compound" else str(word.text)
    return None


def _where_clause_place(verb: Token) -> str | None:
    """The place a "where" clause holding the figure hangs on: "most of the deaths were in
    Sindh province, *where* 40 people died" puts the 40 in Sindh province, not nationwide."""
    if verb.dep_ != "relcl" or not any(c.lower_ == "where" for c in verb.children):
        return None
    phrase = _phrase(verb.head)
    if not phrase:
        return None
    named = any(_names_a_place(t) for t in phrase) or places.lookup(phrase.text) is not None
    return phrase.text if named else None


# Clauses of their own hanging on a figure's verb: a place in them is not the figure's.
_OTHER_CLAUSES = frozenset({"advcl", "relcl", "ccomp", "csubj", "parataxis"})


_SUBJECT = ("nsubj", "nsubjpass")


_OPENING = ("prep", "npadvmod")


def place_in_clause(ctx: ArticleContext, candidate: NumberCandidate, place: str) -> bool:
    """Whether the parse puts ``place`` in the figure's own clause: under the verb the
    figure hangs on, outside the clauses of their own that hang there ("when an earthquake
    struck Jajarkot"), or among the subject and phrases of the verb a conjoined verb shares
    ("In Rukum West, five people died and 10 others were hurt").

    A place named nowhere in the figure's sentence is not in its clause: the small model
    was seen to answer the dateline or the story's main place for every figure.
    """
    words = [w for w in re.findall(r"[\w'-]+", places.fold(place)) if len(w) > 2]
    story = _after_dateline(ctx, candidate)
    sentence = ctx.article.text[story : candidate.sentence.end]
    if not words or not any(w in places.fold(sentence) for w in words):
        return False
    token = figure_token(ctx, candidate)
    if token is None:
        return True  # no parse to judge by: keep the model's reading
    verb = path_to_verb(token, 6)[-1]
    if verb.pos_ not in ("VERB", "AUX"):
        verb = token.sent.root
    scope = _clause_tokens(verb, keep=token)
    own_subject = any(c.dep_ in _SUBJECT for c in verb.children)
    shared: tuple[str, ...] = ()
    if verb.dep_ == "ccomp":
        shared = _SUBJECT  # "Officials in Kharkiv said three people were killed"
    elif verb.dep_ == "conj":
        # "In Rukum West, five died and 10 were hurt": the opening phrase covers both
        shared = _OPENING if own_subject else (*_SUBJECT, *_OPENING)
    elif verb.dep_ in ("xcomp", "advcl") and not own_subject:
        shared = (*_SUBJECT, *_OPENING)  # "has won a majority, taking 326 seats"
    if verb.head is not verb:
        for child in verb.head.children:
            if child.dep_ in shared and child.i < verb.i:
                scope |= {t.i for t in child.subtree}
    clause = verb.head if verb.dep_ == "ccomp" and verb.head.dep_ == "relcl" else verb
    if clause.dep_ == "relcl":
        # "a quake in eastern Afghanistan that (state media said) killed 1,000 people": the
        # place of the thing the clause tells of is the figure's
        scope |= {t.i for t in clause.head.subtree if t.i < clause.i}
    doc = token.doc
    text = places.fold(" ".join(doc[i].text for i in sorted(scope)))
    return any(w in text.split() for w in words)


def _after_dateline(ctx: ArticleContext, candidate: NumberCandidate) -> int:
    """Where the figure's sentence starts once a dateline opening it is left out: "VINA DEL
    MAR - The toll from central Chile's fires rose to 120" names no town for the 120."""
    start = candidate.sentence.start
    end = dateline_end(ctx.article.text, start)
    return end if end is not None and end < candidate.start else start


def _clause_tokens(verb: Token, *, keep: Token) -> set[int]:
    """The token indexes of ``verb``'s clause without the clauses of their own under it
    (the one holding ``keep`` stays)."""
    out = {verb.i}
    for child in verb.children:
        if child.dep_ in _OTHER_CLAUSES and not any(t.i == keep.i for t in child.subtree):
            continue
        out |= {t.i for t in child.subtree}
    return out


def _written_as_name(ctx: ArticleContext, phrase: str) -> bool:
    """Whether the article writes ``phrase`` with a capital somewhere: "the island" in
    lower case is no name, though a country's other spelling ("Island", Iceland's own)
    folds to it."""
    return any(
        any(ch.isupper() for ch in m.group())
        for m in re.finditer(re.escape(phrase.strip()), ctx.article.text, re.IGNORECASE)
    )


def only_dateline(ctx: ArticleContext, candidate: NumberCandidate, place: str) -> bool:
    """Whether the article names ``place`` only in its dateline ("LONDON, May 8 -"): the
    small model was seen to give the dateline city to every figure."""
    text = ctx.article.text
    found = [m.start() for m in re.finditer(re.escape(place), text, re.IGNORECASE)]
    return bool(found) and all(is_dateline(text, at) for at in found)


def is_a_place(ctx: ArticleContext, phrase: str) -> bool:
    """Whether a place the model gave is a place: the gazetteer knows it, a generic place
    word names it ("the western district"), or the parse tags it as a place where the
    article writes it."""
    folded = places.fold(phrase)
    words = folded.split()
    named = _written_as_name(ctx, phrase)
    if named and (
        places.lookup(phrase) is not None or places.find_place(words, min_city_population=0)
    ):
        return True
    if any(places.kind_of_word(w) is not None for w in words):
        return True
    doc = nlp.parse(ctx.article.text)
    low = phrase.lower()
    return any(
        e.label_ in _PLACE_ENTS and (low in e.text.lower() or e.text.lower() in low)
        for e in doc.ents
    )
