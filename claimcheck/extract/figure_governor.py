"""What a figure's own words make of it, read from the parse: the measure of the word it
hangs under, and whether the measure the model (or the words next to the figure) gave has
any word in the figure's own clause.

The small model reads a sentence's main verb into every figure of it: "At least 25 people
were killed after a flight carrying 72 people crashed" gave 72 killed; "killing at least 68
people onboard" was read as 68 aboard by the word after the figure; "the bodies of 30
passengers have been recovered" as 30 passengers aboard. The parse settles each: the word a
figure's noun hangs under decides (``killing`` -> killed, ``bodies`` -> killed), and a
measure whose words stand only in another clause of the sentence is no reading of the figure.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claimcheck.extract.context import ArticleContext
from claimcheck.extract.figure_parse import figure_token
from claimcheck.extract.number_candidates import NumberCandidate
from claimcheck.language.vocabulary.measures import OTHER, Measure, measures

if TYPE_CHECKING:
    from spacy.tokens import Token

# Links by which a word heads a clause of its own: a figure under one is that clause's.
_CLAUSE_LINKS = frozenset({"acl", "relcl", "advcl", "ccomp", "csubj", "parataxis", "xcomp"})
# ... and those whose words say nothing of the figure in the clause above: an open
# complement ("rushed to hospital", "reported to have collapsed") shares its subject.
_APART = _CLAUSE_LINKS - {"xcomp"}
# Links through which a figure's noun reaches the word it hangs under.
_THROUGH = frozenset({"pobj", "prep", "nummod", "quantmod", "compound", "amod", "appos"})
# How many heads up the word a figure hangs under is looked for.
_REACH = 5


def reread_measure(
    ctx: ArticleContext, candidate: NumberCandidate, measure_id: str, *, own: str | None
) -> str:
    """The measure the parse leaves a figure the model (or ``own``, the word right after
    it) read as ``measure_id``: the measure of the word it hangs under when that word bears
    one; "other" when the measure's words stand only outside its own clause; else as read.
    A figure whose own words make it "other" ("13 separate strikes") stays so."""
    if own == OTHER:
        return measure_id
    token = figure_token(ctx, candidate)
    word = governing_word(token) if token is not None else None
    governed = _measure_of(word, candidate.kind) if word is not None else None
    if governed is not None:
        return governed.id  # "killing at least 68 people onboard": the verb decides
    if own is None and token is not None and _unsupported(ctx, candidate, measure_id, token, word):
        return OTHER  # "killed 25 after a flight carrying 72 people crashed": not the 72
    return measure_id


def governing_word(token: Token) -> Token | None:
    """The first word above a figure's counted noun (``token`` is the figure's first word)
    that is not a preposition: the verb ("*killing* at least 68 people"), or the noun the
    figure is "of" ("the *bodies* of 30 passengers"). None when the parse has no such word
    before another figure."""
    node = token.head if token.dep_ in ("nummod", "quantmod") else token
    # a participle after the noun is its own verb; a relative clause ("one man whose car was
    # struck") says something else of it
    own = [c for c in node.children if c.dep_ == "acl" and c.pos_ == "VERB" and c.i > node.i]
    if own and node is not token:
        return own[0]  # "with 72 drones breaching the defences": the noun's own verb
    for _ in range(_REACH):
        head = node.head
        if head is node:
            return None
        if head.like_num or head.pos_ == "NUM":
            return None  # "68 of the 72 aboard": the 72 is the whole, read as its own figure
        if head.pos_ == "ADP" or head.dep_ == "prep":
            node = head  # "of", and "including" tagged a verb
            continue
        if node.dep_ not in _THROUGH and head.pos_ not in ("VERB", "AUX"):
            return None
        return head
    return None


def _measure_of(word: Token, kind: str) -> Measure | None:
    """The measure ``word`` is a strong word of, when it takes a figure of ``kind``
    ("killing" for a count): None otherwise."""
    vocab = measures()
    for form in (word.lower_, word.lemma_.lower()):
        measure = vocab.of_word(form)
        if measure is not None and not vocab.is_weak(form) and measure.takes(kind):
            return measure
    return None


def _unsupported(
    ctx: ArticleContext,
    candidate: NumberCandidate,
    measure_id: str,
    token: Token,
    word: Token | None,
) -> bool:
    """Whether the figure stands in a clause of its own (under a verb hung on a noun or on
    another clause) that has no word of ``measure_id``, while the sentence has one outside
    it: "killed" in the main clause is no reading of the 72 in "a flight carrying 72 people
    crashed". A length standing before a noun is that noun's: "a four-month trial" is no
    sentence."""
    measure = measures().get(measure_id)
    if measure is None or measure.id == OTHER:
        return False
    if word is not None and word.pos_ == "NOUN" and candidate.kind == "duration":
        # "a four-month trial", "a 15-year sentence": a length is the length of the noun
        # it stands before, so that noun (with its own modifiers) must bear the measure
        named = [word, *(c for c in word.children if c.dep_ in ("compound", "amod"))]
        phrase = " ".join(t.lower_ for t in sorted(named, key=lambda t: t.i))
        return not any(_has(phrase, w) for w in measure.words)
    if word is None or word.pos_ not in ("VERB", "AUX") or word.dep_ not in _CLAUSE_LINKS:
        return False
    low = candidate.sentence.text.lower()
    if not any(_has(low, w) for w in measure.words):
        return False  # the sentence says nothing of it: the model read it from around
    others = [
        (n.start, n.end)
        for n in ctx.numbers
        if n.sentence == candidate.sentence and n.start != candidate.start
    ]
    clause = _clause(word, keep=token, others=others)
    if word.dep_ in ("advcl", "xcomp", "conj") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in word.children
    ):
        # "Revenue grew 13%, *reaching* $70.07 billion": a participle with no subject of its
        # own shares the subject of the verb it hangs on
        subject = [c for c in word.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        clause += " " + " ".join(t.lower_ for s in subject for t in s.subtree)
    if word.dep_ in ("relcl", "acl"):
        # "the fatalities, which stood at 80", "a passenger jet carrying 146 people": the
        # noun the clause describes belongs to it
        noun = word.head
        named = [c for c in noun.children if c.dep_ in ("compound", "amod")]
        clause += " " + " ".join(t.lower_ for t in sorted([noun, *named], key=lambda t: t.i))
    return not any(_has(clause, w) for w in measure.words)


def _clause(verb: Token, *, keep: Token, others: list[tuple[int, int]]) -> str:
    """The words of ``verb``'s clause, without the clauses of their own under it and
    without the phrases of other figures ("crossed 1,000 *with more than 600 injured*":
    "injured" is the 600's); the phrase holding ``keep`` stays."""
    kept = {verb.i}
    for child in verb.children:
        inside = {t.i for t in child.subtree}
        if keep.i in inside:
            kept |= inside
            continue
        if child.dep_ in _APART:
            continue
        if any(start <= t.idx < end for t in child.subtree for start, end in others):
            continue
        kept |= inside
    doc = verb.doc
    return " ".join(doc[i].lower_ for i in sorted(kept))


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None
