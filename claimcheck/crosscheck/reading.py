"""Whether a figure claim may carry a finding: its number does not count something else.

The small model answers "what does this figure count?" for every number code finds, and on
real copy it sometimes answers with the story's main noun for a number that counts something
else ("two" in "killed in two earthquakes" read as two people killed). A contradiction resting
on such a reading is a false alarm, the worst thing an editor can see. The parse shows it:
the number modifies a noun that is neither the claim's subject nor a word of any measure.

Only positive evidence sets a figure aside: elided nouns ("92 died in Jajarkot and 36 in
Rukum West") and figures the parse hangs elsewhere are kept, as gold readings often are.

Example::

    counts_something_else(claim, article.text)   # True for "two" counted as people
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from claimcheck.crosscheck.text import STOPWORDS, singular, tokens
from claimcheck.language import places
from claimcheck.language.calendar_words import MONTHS, WEEKDAYS
from claimcheck.language.nlp import parse, path_to_verb
from claimcheck.language.vocabulary.measures import Measures, measures
from claimcheck.language.vocabulary.units import units
from claimcheck.models import QuantityClaim

if TYPE_CHECKING:
    from spacy.tokens import Token

# Where a sentence ends: the parse reads one sentence, not the whole article.
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, str]:
    """The sentence around ``text[start:end]``, with its offset in ``text``."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.start() + 1 if after else len(text)
    return begin, text[begin:stop]


# How many words before a figure (within its clause) and after it a possibility word is
# looked for: "could top 10,000" and "1,000 feared dead", not a modal two clauses away.
_BEFORE_WORDS = 5
_AFTER_WORDS = 2
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\s-\s")


def is_possibility(claim: QuantityClaim, text: str) -> bool:
    """Whether the words around a figure make it a possibility, not a count ("the toll could
    top 10,000", "1,000 feared dead"): such a figure is an opinion, never a contradiction."""
    offset, sentence = _sentence(text, claim.span.start, claim.span.end)
    lo, hi = claim.span.start - offset, claim.span.end - offset
    before = _CLAUSE.split(sentence[:lo])[-1]
    after = _CLAUSE.split(sentence[hi:])[0]
    words = measures().possibility_words
    near = tokens(before)[-_BEFORE_WORDS:] + tokens(after)[:_AFTER_WORDS]
    return any(w in words for w in near)


# Dependency edges a figure's stance is read up through: its noun, the preposition, the verb,
# "to" and "that" clauses. Never an adverbial clause ("after 20 people died, police asked
# ..."), a relative clause or a second verb joined by "and": those are another statement.
_STANCE_EDGES = frozenset(
    {
        "nummod",
        "quantmod",
        "compound",
        "amod",
        "pobj",
        "prep",
        "dobj",
        "attr",
        "npadvmod",
        "appos",
        "nmod",
        "oprd",
        "dative",
        "acomp",
        "xcomp",
        "ccomp",
        "pcomp",
    }
)
_STANCE_STEPS = 12
_OWN_PREPOSITIONS = frozenset({"of", "at", "per"})


def stance(claim: QuantityClaim, text: str) -> str | None:
    """What the sentence makes of a figure besides a fact of the event, from the parse:
    "requested" for a figure hanging under a request ("prosecutors had asked the court for
    a 15-year sentence"), "expected" under an expectation ("beating expectations of 3.8
    million", "expects to add 8.5 million"); None for a figure stated as fact. The
    vocabulary's ``stances`` list the verbs and nouns."""
    stances = measures().stances
    if not stances:
        return None
    for number in _numbers(claim, text):
        token = number
        # A noun is a stance only as what the figure is "of" ("expectations of 98 cents"),
        # never the figure's own counted noun ("hit 12 targets", "a 15-year target").
        after_prep = False
        for step in range(_STANCE_STEPS):
            # A sum or a rate names a stance noun it modifies as its own: "the average
            # $1.53 estimate", "a 4% target" (a plain count's noun is what it counts).
            own = step == 1 and claim.unit is not None and number.dep_ in ("nummod", "compound")
            found = _stance_of(token, stances, nouns=after_prep or own)
            if found is not None:
                return found
            # "pleaded for mercy and a sentence of five years": a noun joined by "and" is
            # still what the verb governs; a second verb is another statement
            # as is the other end of a range ("between $12.5 billion and $13.5 billion")
            nominal_conj = token.dep_ == "conj" and token.pos_ in ("NOUN", "PROPN", "NUM")
            if token.head is token or not (token.dep_ in _STANCE_EDGES or nominal_conj):
                break
            # A noun takes a figure as its own only by "of" ("a sentence of five years",
            # "expectations of 98 cents"); "a sentence on the two convictions" counts the
            # convictions, whatever the sentence is.
            if (
                token.dep_ == "prep"
                and token.head.pos_ in ("NOUN", "PROPN")
                and token.lower_ not in _OWN_PREPOSITIONS
            ):
                break
            after_prep = after_prep or token.dep_ == "prep"
            token = token.head
        return None
    return None


def _stance_of(
    token: Token,
    stances: tuple[tuple[str, frozenset[str], frozenset[str]], ...],
    *,
    nouns: bool,
) -> str | None:
    lemma = token.lemma_.lower()
    for name, verbs, stance_nouns in stances:
        if token.pos_ in ("VERB", "AUX") and lemma in verbs:
            return name
        if nouns and token.pos_ == "NOUN" and lemma in stance_nouns:
            return name
    return None


# A sentence that opens by naming a whole its next clause divides: "Of the 175 passengers,",
# "Among the dead,".
_WHOLE_FIRST = re.compile(r"^\s*(?:of|among|out of)\s+(?:the|those|these|all)\b[^,;:]{1,60},")
# "Among the dead were 4 firefighters": no comma needed after "among".
_AMONG_FIRST = re.compile(r"^\s*among\s+(?:the|those|these|them)\b[^,;:]{0,60}$")


def is_part(claim: QuantityClaim, text: str) -> bool:
    """Whether the sentence states the figure as a part of a whole it names: right after one
    of the vocabulary's ``part_words`` ("including 5 children", "of whom 82 were men"), or in
    the clause after an opening "Of the 175 passengers,"."""
    offset, sentence = _sentence(text, claim.span.start, claim.span.end)
    before = sentence[: claim.span.start - offset].lower()
    words = tokens(before)[-6:]
    vocab = measures()
    for phrase in vocab.part_words:
        size = len(phrase.split())
        for at in range(len(words) - size + 1):
            # only a hedge may stand between ("including at least 5"), never a clause
            # ("officials, including the mayor, said 8 died")
            between = words[at + size :]
            if " ".join(words[at : at + size]) == phrase and set(between) <= vocab.part_fillers:
                return True
    if _AMONG_FIRST.match(before):
        return True
    rest = tokens(sentence[claim.span.start - offset :])
    first = next((i for i, w in enumerate(rest) if _NUMBER.match(w)), 0)
    if set((words + rest[:first])[-2:]) & vocab.increment_words:
        # "an additional 10 victims were added to the toll, bringing it to 122": the day's
        # increase, a part of the toll
        later = " " + " ".join(rest[first + 1 :]) + " "
        if any(f" {phrase} " in later for phrase in vocab.increment_adds_to):
            return True
    # "Six of those who died there": the figure counts some of a whole named before, and
    # nothing says which; "all 62 of those aboard" is the whole itself, and "60 of them
    # seriously" a subset of its measure, compared with the same subset (``subset``)
    after = " ".join(rest[first + 1 : first + 5])
    if (
        words[-1:] != ["all"]
        and any(after == phrase or after.startswith(phrase + " ") for phrase in vocab.part_after)
        and subset(claim, text) is None
        and {vocab.counted_noun(w) for w in tokens(claim.subject)} <= vocab.default_noun_set
    ):
        # ... and nothing says which part: "67 of the victims" read as women counts women
        return True
    opening = _WHOLE_FIRST.match(before)
    return opening is not None and not _CLAUSE.search(before[opening.end() :])


# "49.4% of all ballot boxes", "16 per cent of the overall growth": the words of the whole
# after a percentage, up to the first word that ends its noun phrase.
_SHARE_OF = re.compile(r"(?:%|\bper\s?cent\b|\bpercent\b)\s+of\s+([^.;:,()\u2013\u2014]{1,80})")
_PHRASE_ENDS = frozenset(
    (  # noqa: SIM905
        "with while and but after before as to for from by against compared which that "
        "who when on at than"
    ).split()
)
_WHOLE_SIZE = 6


def is_proportion(claim: QuantityClaim, text: str) -> bool:
    """Whether a percentage is a share of a whole its sentence names after it ("AI made up
    16% of Azure's growth", "with 99.49 per cent of ballot boxes counted"), not a figure of
    its measure: the vocabulary's ``proportion`` says which wholes keep a share the
    measure's own ("52% of the votes cast") and which words make it a count's progress."""
    if units().kind(claim.unit) != "percent":
        return False
    offset, sentence = _sentence(text, claim.span.start, claim.span.end)
    lo, hi = claim.span.start - offset, claim.span.end - offset
    vocab = measures()
    for m in _SHARE_OF.finditer(sentence.lower()):
        if not lo <= m.start() < max(hi, lo + 1):
            continue
        words = tokens(m.group(1))[:_WHOLE_SIZE]
        if any(w in vocab.proportion_progress for w in words):
            return True  # "with 99% of the votes counted": how far the count has gone
        whole: list[str] = []
        for word in words:
            if word in _PHRASE_ENDS:
                break
            whole.append(word)
        return not any(w in vocab.proportion_own for w in whole)
    return False


# How far from a figure (in characters, within its sentence) a phrase naming its part of
# the event is looked for.
_PART_REACH = 60


def subset(claim: QuantityClaim, text: str) -> str | None:
    """Which part of its measure a figure is, by the nearest phrase of the vocabulary's
    ``subsets`` in its sentence: "serious" for "205 were seriously hurt", "per share" for
    "$5.98 a share"; None for the whole."""
    return _nearest_part(claim, text, measures().subsets)


def sub_scope(claim: QuantityClaim, text: str) -> str | None:
    """Which part of one event a figure counts, by the nearest phrase of the vocabulary's
    ``sub_scopes`` in its sentence: "aboard" for "all 146 people on board", "ground" for
    "29 killed on the ground"; None when no such phrase is near."""
    return _nearest_part(claim, text, measures().sub_scopes)


def _nearest_part(
    claim: QuantityClaim, text: str, vocabulary: tuple[tuple[str, tuple[str, ...]], ...]
) -> str | None:
    offset, sentence = _sentence(text, claim.span.start, claim.span.end)
    lo, hi = claim.span.start - offset, claim.span.end - offset
    lowered = sentence.lower()
    best: tuple[int, str] | None = None
    for part, pattern in _part_patterns(vocabulary):
        for m in pattern.finditer(lowered):
            gap = m.start() - hi if m.start() >= hi else lo - m.end() if m.end() <= lo else 0
            between = lowered[hi : m.start()] if m.start() >= hi else lowered[m.end() : lo]
            # "480 were injured, 60 of them seriously": the phrase belongs to the figure
            # next to it, never across another one; the whole a figure is part of ("144
            # of the 146 people on board") is no other figure.
            between = _WHOLE_OF.sub(" ", between)
            if _NUMBER.search(between):
                continue
            if m.start() >= hi and _verb_between(text, claim.span.end, offset + m.start()):
                # "The 16-year sentence comes with the possibility of supervised release":
                # a phrase past another verb is that verb's, not the figure's part
                continue
            if 0 <= gap <= _PART_REACH and (best is None or gap < best[0]):
                best = (gap, part)
    return best[1] if best else None


def _verb_between(text: str, start: int, end: int) -> bool:
    """Whether the phrase at ``end`` hangs on a noun of another verb's clause than the
    figure's words before ``start``: "The 16-year sentence comes with the possibility of
    supervised release" (the release is the possibility's), not "12 people died elsewhere"
    (the verb's own word) nor "205 were seriously hurt" (a helper verb)."""
    doc = parse(text)
    between = doc.char_span(start, end, alignment_mode="contract")
    verbs = {t.i for t in between or () if t.pos_ == "VERB"}
    at = doc.char_span(end, end + 1, alignment_mode="expand")
    if not verbs or at is None or at[0].idx != end:
        return False
    node, steps = at[0], 0
    while node.head is not node and node.i not in verbs and steps < 8:
        node, steps = node.head, steps + 1
        if node.pos_ in ("NOUN", "PROPN") and start <= node.idx < end:
            return True
    return False


@cache
def _part_patterns(
    vocabulary: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One whole-word pattern per part, compiled once per vocabulary."""
    return tuple(
        # longest first, so "crew members" wins over "crew" where both start
        (part, re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, longest)) + r")(?![\w-])"))
        for part, phrases in vocabulary
        for longest in [sorted(phrases, key=len, reverse=True)]
    )


_WHOLE_OF = re.compile(r"^\s*(?:of|out of)\s+(?:the\s+|all\s+)?[\d,]+\b")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
    r"hundreds?|thousands?)\b"
)


def passage(text: str, start: int, end: int, *, before: int = 1, after: int = 0) -> str:
    """The sentence around ``text[start:end]`` with ``before`` sentences before it and
    ``after`` after it, on one line: what a verification question shows of an article."""
    begin, sentence = _sentence(text, start, end)
    stop = begin + len(sentence)
    for _ in range(before):
        if begin <= 0:
            break
        begin, _unused = _sentence(text, max(0, begin - 2), max(0, begin - 2))
    for _ in range(after):
        if stop >= len(text):
            break
        nxt, more = _sentence(text, min(len(text), stop + 1), min(len(text), stop + 1))
        stop = nxt + len(more)
    return " ".join(text[begin:stop].split())


def _words(text: str) -> set[str]:
    return {singular(w) for w in tokens(text)}


@cache
def _accepted(measure_id: str) -> frozenset[str]:
    """Nouns a figure of this measure may count besides its subject: the measure's own words
    ("35 deaths" of people killed) and the counted nouns that change nothing ("10 others")."""
    vocab = measures()
    measure = vocab.get(measure_id)
    phrases = measure.words if measure is not None else ()
    words = {singular(w) for phrase in phrases for w in tokens(phrase)}
    words |= {singular(w) for w in vocab.counted_noise}
    words |= {singular(w) for pair in vocab.counted_synonyms for w in pair}
    return frozenset(words)


def counts_something_else(claim: QuantityClaim, text: str) -> bool:
    """Whether the parse shows the claim's number counting a noun other than its subject."""
    if claim.unit:
        return False  # "500 km", "$6 billion": the unit is what the figure is of
    subject = _words(claim.subject)
    if not subject or subject & _words(claim.span.text):
        return False  # "at least 69 people": the span names what is counted
    accepted = _accepted(claim.measure)
    for number in _numbers(claim, text):
        if number.dep_ != "nummod" or number.head.pos_ != "NOUN":
            continue
        noun = _words(number.head.text)
        if noun and not noun & subject and not noun & accepted:
            return True
    return False


# Dependency labels by which a counted noun hangs under the verb whose subject holds it
# ("Labour won 232 seats", "the Tories were left with 329 seats").
_UNDER_VERB = frozenset({"dobj", "pobj", "attr", "prep", "npadvmod", "oprd", "conj", "appos"})
_SUBJECTS = ("nsubj", "nsubjpass")
_BORROWS_SUBJECT = frozenset({"advcl", "xcomp"})


def holder(claim: QuantityClaim, text: str) -> str | None:
    """Whose figure it is, from the parse: the named subject of the verb the figure's noun
    hangs under ("*Labour* has won 228 seats"); None for a pronoun or no such subject."""
    offset, sentence = _sentence(text, claim.span.start, claim.span.end)
    doc = parse(sentence)
    lo, hi = claim.span.start - offset, claim.span.end - offset
    for number in doc:
        if not (lo <= number.idx < hi and (number.like_num or number.pos_ == "NUM")):
            continue
        token = number.head if number.dep_ == "nummod" else number
        # "Labour's 232 seats", "gave the Greens 19 seats": the name on the counted noun
        for child in token.children:
            if child.dep_ in ("poss", "nmod") and child.pos_ == "PROPN" and not _a_place(child):
                return _name(child)
        steps = 0
        while token.pos_ not in ("VERB", "AUX") and token.dep_ in _UNDER_VERB and steps < 4:
            token, steps = token.head, steps + 1
        if token.pos_ not in ("VERB", "AUX"):
            continue
        own_subject = any(c.dep_ in _SUBJECTS for c in token.children)
        # "won 228 seats and lost 12": a conjoined verb with no subject shares the first's;
        # "Gálvez will take 27% and the contender, Máynez, will get 10%" does not
        verbs = [token, token.head] if token.dep_ == "conj" and not own_subject else [token]
        # "has won a majority, *taking* 326 seats", "are projected *to take* 329 seats": a
        # verb with no subject of its own takes the subject of the verb it hangs on.
        if token.dep_ in _BORROWS_SUBJECT and not any(c.dep_ in _SUBJECTS for c in token.children):
            verbs.append(token.head)
        for verb in verbs:
            for child in verb.children:
                # "Projections gave *the Tories* 331 seats": the recipient holds the seats.
                if child.dep_ == "dative" and child.pos_ == "PROPN":
                    return _name(child)
            for child in verb.children:
                if child.dep_ in _SUBJECTS and _named(child) and not _a_place(child):
                    return _name(child)
                if child.dep_ in _SUBJECTS:
                    # "the only male contender, Jorge Álvarez Máynez, will get 10%"
                    named = [a for a in child.children if a.dep_ == "appos" and _named(a)]
                    if named and not _a_place(named[0]):
                        return _name(named[0])
            for child in verb.children:
                # "Results gave *the party* 20 seats": the party the story named before
                if child.dep_ in ("dative", *_SUBJECTS) and _refers_back(child):
                    return _named_before(text, offset)
    return None


def defendant(claim: QuantityClaim, text: str) -> str | None:
    """Whose term or fine a figure is, from the parse: the capitalised object of the verb
    it hangs under ("Judge Cole sentenced *Pruitt* to 14 years"), else its subject or the
    name set beside it ("*Lehane* was jailed for eight years", "her deputy, *Marcus
    Lehane*, received eight years"); a verb with no subject of its own ("will have to
    serve 30 years") takes its head's. None for a pronoun or no such name."""
    for number in _numbers(claim, text):
        verb = path_to_verb(number.head if number.dep_ == "nummod" else number, 6)[-1]
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        while verb.dep_ in (*_BORROWS_SUBJECT, "conj") and not _has_subject(verb):
            verb = verb.head
        for deps in (("dobj",), _SUBJECTS):
            for child in verb.children:
                if child.dep_ not in deps:
                    continue
                if child.text[:1].isupper() and child.pos_ not in ("PRON", "DET"):
                    return _name(child)
                named = [a for a in child.children if a.dep_ == "appos" and a.text[:1].isupper()]
                if named:
                    return _name(named[0])
    return None


def segment(claim: QuantityClaim, text: str) -> str | None:
    """Which of a company's businesses a figure is of, from the parse: the subject of the
    verb the figure hangs under when a noun of the vocabulary's ``segment_nouns`` names it
    ("The *Intelligent Cloud unit* generated $26.75 billion", "*Azure*, Microsoft's cloud
    business, grew 33%"), or such a business the figure is "in" or "from" ("$26.75 billion
    in revenue from its cloud unit"). None for the company's own figure."""
    nouns = measures().segment_nouns
    for number in _numbers(claim, text):
        token, steps = (number.head if number.dep_ == "nummod" else number), 0
        path = [token]
        while token.pos_ not in ("VERB", "AUX") and token.dep_ in _TO_VERB and steps < 5:
            token, steps = token.head, steps + 1
            path.append(token)
        verbs = [token] if token.pos_ in ("VERB", "AUX") else []
        if verbs and token.dep_ in _BORROWS_SUBJECT and not _has_subject(token):
            verbs.append(token.head)  # "Revenue grew 13%, reaching $70.07 billion"
        for verb in verbs:
            for child in verb.children:
                if child.dep_ in _SUBJECTS:
                    found = _business(child, nouns)
                    if found is not None:
                        return found
        for owner in [*path, *verbs[:1]]:
            for prep in owner.children:
                if prep.dep_ == "prep" and prep.lower_ in ("in", "from", "at"):
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and obj.lemma_.lower() in nouns:
                            return _business(obj, nouns)
    return None


def business_part(claim: QuantityClaim, text: str, own: frozenset[str]) -> str | None:
    """What part of a company's business, or whose business, a figure counts, read from the
    noun it counts: another company that owns it ("*Google's* cloud revenue increased 34%"),
    the words compounded on it ("*advertising* revenue surged 24%", "$11.4 billion in
    *operating* income"), or the named subject of the sentence a "with" clause hangs on
    ("*AWS* experienced its fastest growth, with revenue increasing 20%"). Words of the
    measure's whole (``whole_words``: net, total, quarterly ...) and names whose words are
    all in ``own`` (the company the story is about) say nothing. None for the company's own
    figure."""
    vocab = measures()
    for number in _numbers(claim, text):
        noun = _counted_noun(claim, number)
        if noun is None:
            continue
        words: list[str] = []
        for child in noun.children:
            if child.dep_ == "poss" and _named(child):
                words.append(_name(child))
            elif child.dep_ == "poss" and child.lemma_.lower() in vocab.segment_nouns:
                # "The data center division's sales came to $41.1 billion"
                words.append(_business(child, vocab.segment_nouns) or child.lower_)
            elif child.dep_ in ("compound", "amod", "nmod") and _names_a_part(child, vocab):
                words.append(_name(child) if _named(child) else child.lower_)
        verb = path_to_verb(noun, 4)[-1]
        if noun.dep_ in _SUBJECTS and verb.dep_ == "pcomp" and verb.head.lower_ == "with":
            verb = verb.head.head  # "AWS experienced ..., with revenue increasing 20%"
        if noun.head is not verb or noun.dep_ not in _SUBJECTS:
            # "Microsoft Azure recorded growth of 40%": the business that stated it
            named = [c for c in verb.children if c.dep_ in _SUBJECTS and _named(c)]
            words.extend(_name(c) for c in named if not _a_place(c) and c.ent_type_ != "PERSON")
        kept = [w for w in words if not _own_name(w, own, vocab.company_suffixes)]
        if kept:
            return " ".join(kept).lower()
    return None


def _counted_noun(claim: QuantityClaim, number: Token) -> Token | None:
    """The noun a figure counts, near it in the parse: on its way up to its verb, the verb's
    subject, or a noun the figure is "in" or "of" ("$33 billion in sales")."""
    measure = measures().get(claim.measure)
    # the noun the reading gave first ("profit" of "a 21% rise in first-half profit"), then
    # the measure's own words
    wanted = [{singular(w) for w in tokens(claim.subject)}]
    if measure is not None:
        wanted.append({singular(w) for phrase in measure.words for w in tokens(phrase)})
    token = number.head if number.dep_ == "nummod" else number
    path = path_to_verb(token, 5)
    near = list(path)
    for link in path:
        for prep in link.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "of"):
                near.extend(c for c in prep.children if c.dep_ == "pobj")
    if path[-1].pos_ in ("VERB", "AUX"):
        near.extend(c for c in path[-1].children if c.dep_ in _SUBJECTS)
    for want in wanted:
        found = next((t for t in near if t.pos_ == "NOUN" and singular(t.lower_) in want), None)
        if found is not None:
            return found
    return None


def _names_a_part(word: Token, vocab: Measures) -> bool:
    """A modifier that narrows what a business figure counts: not a number, a date, a
    determiner, or a word of the measure's whole ("net", "total", "quarterly")."""
    if word.pos_ in ("NUM", "DET", "PRON", "PUNCT", "ADV") or not word.is_alpha:
        return False
    if word.lower_ in _CALENDAR or word.lower_ in vocab.counted_noise:
        return False  # "September-quarter revenue", "56% more revenue"
    return not set(re.split(r"[-\s]+", word.lower_)) <= vocab.whole_words


def _own_name(name: str, own: frozenset[str], suffixes: frozenset[str]) -> bool:
    """Whether ``name`` is the company the story is about ("Amazon", "Amazon.com Inc"),
    not a business of it or another company ("Amazon Web Services", "Google")."""
    words = set(tokens(name)) - suffixes
    return bool(words) and words <= own


# Calendar words: a modifier that says when, not which part.
_CALENDAR = frozenset(w.lower() for w in (*MONTHS, *WEEKDAYS))


def count_stage(claim: QuantityClaim, text: str) -> str | None:
    """How far the count had gone when a share of the vote was stated, from its sentence:
    "55.95% of the votes, with almost 87% of the tables counted" -> "87% counted". Shares
    of two stages of one count differ as the count goes on; None for a share stated with
    no stage (the final result, or one the sentence does not date)."""
    _, sentence = _sentence(text, claim.span.start, claim.span.end)
    own = claim.span.text
    for match in _stage_pattern().finditer(sentence.lower()):
        if match.group(1) not in own:
            return f"{match.group(1)}% counted"
    return None


@cache
def _stage_pattern() -> re.Pattern[str]:
    """A share of the count's units with a word of counting progress a few words after it
    ("87% of the tables counted", "94 % of the poll stations scrutinized")."""
    progress = "|".join(re.escape(w) for w in sorted(measures().proportion_progress))
    return re.compile(rf"(\d+(?:\.\d+)?)\s?%\s+of\s+(?:[\w-]+\s+){{0,4}}?(?:{progress})\b")


# From a figure to its verb through the words of a noun phrase too: "a 21% rise in revenue".
_TO_VERB = _UNDER_VERB | {"compound", "nmod", "amod", "quantmod", "nummod"}


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in verb.children)


def _business(noun: Token, nouns: frozenset[str]) -> str | None:
    """The name of the business ``noun`` is or stands for: its own proper words ("Azure"
    of "the Azure public-cloud business"), else the words compounded on it ("cloud" of
    "its cloud unit"), else the noun itself; None when it names no business."""
    if noun.lemma_.lower() not in nouns:
        # "Azure, Microsoft's cloud business, ...": the name the business noun stands beside
        if not any(a.dep_ == "appos" and a.lemma_.lower() in nouns for a in noun.children):
            return None
        return _name(noun).lower() if _named(noun) else None
    # "Microsoft's" is the company the business belongs to, not the business's name
    lead = [
        t
        for t in noun.lefts
        if t.dep_ in ("compound", "amod", "nmod") and not any(c.dep_ == "case" for c in t.children)
    ]
    # "Kestrel Cloud division": the name's own compounds hang on each other
    lead = [w for t in lead for w in t.subtree if w.dep_ in ("compound", "amod", "nmod")]
    proper = [t.text for t in lead if t.pos_ == "PROPN"]
    words = proper or [t.text for t in lead if t.pos_ == "NOUN"] or [noun.lemma_]
    return " ".join(words).lower()


def _numbers(claim: QuantityClaim, text: str) -> list[Token]:
    """The number tokens of a claim's span, in the parse of its sentence."""
    offset, sentence = _sentence(text, claim.span.start, claim.span.end)
    lo, hi = claim.span.start - offset, claim.span.end - offset
    return [t for t in parse(sentence) if lo <= t.idx < hi and (t.like_num or t.pos_ == "NUM")]


def own_noun(claim: QuantityClaim, text: str) -> str | None:
    """The noun a plain count modifies in its own sentence ("people" of "a train carrying
    more than 350 people"); None for a figure with a unit or with no such noun."""
    if claim.unit is not None:
        return None
    for number in _numbers(claim, text):
        if number.dep_ == "nummod" and number.head.pos_ == "NOUN":
            return number.head.lower_
    return None


_COUNT_WORDS = frozenset({"number", "total", "tally", "count", "figure"})


def restated_noun(claim: QuantityClaim, text: str) -> str | None:
    """The noun a plain count is the new value of, from the parse: "deaths" for "raised the
    total deaths to 62", "toll" for "the toll rose to 80", "passengers" for "revised the
    number of passengers to 58"; None for a figure with a noun or a unit of its own."""
    if claim.unit is not None or own_noun(claim, text) is not None:
        return None
    for number in _numbers(claim, text):
        to = number.head
        if number.dep_ != "pobj" or to.lower_ != "to" or to.head.pos_ not in ("VERB", "AUX"):
            continue
        verb = to.head
        named = [c for c in verb.children if c.dep_ == "dobj"] or [
            c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
        ]
        if not named or named[0].pos_ not in ("NOUN", "PROPN"):
            continue
        noun = named[0]
        if noun.lower_ in _COUNT_WORDS:
            of = [
                g for c in noun.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
            ]
            if not of:
                continue
            noun = of[0]
        return noun.lower_
    return None


def borrows_anothers_noun(claim: QuantityClaim, text: str) -> bool:
    """Whether a plain count with no noun of its own was read with the noun of a figure
    after it in its sentence: "raised the death toll to 62 with 58 passengers plus four
    crew" read as 62 passengers. A noun stated with an earlier figure is elided after it
    ("killing 18 people and wounding 13"), and a noun the sentence also gives bare may be
    the figure's own ("67 of the victims were women, while 19 women ..."): neither is
    another's."""
    if claim.unit is not None or own_noun(claim, text) is not None:
        return False
    words = tokens(claim.subject)
    if not words:
        return False
    head = singular(words[-1])
    offset, sentence = _sentence(text, claim.span.start, claim.span.end)
    hi = claim.span.end - offset
    nouns = [t for t in parse(sentence) if singular(t.lower_) == head]
    counted = [[c for c in t.children if c.dep_ == "nummod"] for t in nouns]
    return bool(nouns) and all(numbers and all(c.idx >= hi for c in numbers) for numbers in counted)


def states_a_size(claim: QuantityClaim, text: str) -> bool:
    """Whether the sentence gives the figure as the size of a whole other than what its
    measure counts: "cut 15% of its workforce, *which totals* 110,000 employees", "Acme,
    which employs 4,000 people". The verb is one of the vocabulary's ``size_verbs``; the
    whole is its subject, or the noun a relative clause hangs on."""
    vocab = measures()
    if not vocab.size_verbs:
        return False
    measure = vocab.get(claim.measure)
    counted = {singular(w) for w in tokens(claim.subject)}
    if measure is not None:
        counted |= {singular(w) for w in measure.words if " " not in w}
    for number in _numbers(claim, text):
        token = path_to_verb(number, 4)[-1]
        if token.pos_ != "VERB" or token.lemma_.lower() not in vocab.size_verbs:
            continue
        wholes = [c for c in token.children if c.dep_ == "nsubj"]
        if token.dep_ == "relcl" and token.head.pos_ in ("NOUN", "PROPN"):
            wholes = [token.head]
        for whole in wholes:
            if whole.pos_ == "PRON" or whole.lower_ in STOPWORDS:
                continue
            if singular(whole.lower_) not in counted:
                return True
    return False


_SITE_PREPOSITIONS = frozenset({"at", "in", "inside"})


def site(claim: QuantityClaim, text: str) -> str | None:
    """The site within the event a figure is given at, from the parse: "linwood mosque" for
    "seven died at the Linwood mosque"; None when no phrase of a site (the vocabulary's
    ``site_nouns``) hangs on the figure, its noun or its verb."""
    nouns = measures().site_nouns
    if not nouns:
        return None
    for number in _numbers(claim, text):
        for owner in path_to_verb(number, 3):
            for prep in owner.children:
                if prep.dep_ != "prep" or prep.lower_ not in _SITE_PREPOSITIONS:
                    continue
                for obj in prep.children:
                    # one site, not "at two hotels" (all the sites: the whole)
                    if obj.dep_ != "pobj" or obj.lemma_.lower() not in nouns or obj.tag_ == "NNS":
                        continue
                    names = [t.lower_ for t in obj.subtree if t.i < obj.i and t.dep_ == "compound"]
                    return " ".join([*names, obj.lemma_.lower()])
    return None


def figure_verb(claim: QuantityClaim, text: str) -> str | None:
    """The lemma of the verb a figure hangs under, from the parse ("carry" for "a flight
    carrying 72 people", "stay" for "33,000 people have stayed at shelters"); None when
    the parse shows none within a few heads."""
    for number in _numbers(claim, text):
        token = path_to_verb(number, 5)[-1]
        if token.pos_ in ("VERB", "AUX"):
            return token.lemma_.lower()
    return None


def _refers_back(token: Token) -> bool:
    """'the party', 'the coalition': a holder named by the kind of holder it is."""
    return (
        token.pos_ == "NOUN"
        and token.lower_ in measures().holder_nouns
        and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    )


def _named_before(text: str, offset: int) -> str | None:
    """The holder the sentences before ``offset`` name as their subject, nearest first
    (up to three sentences back); None when none does."""
    doc = parse(text[:offset])
    for sentence in list(doc.sents)[::-1][:3]:
        for token in sentence:
            subject = token.dep_ in _SUBJECTS and token.head.dep_ == "ROOT"
            if subject and _named(token) and not _a_place(token):
                return _name(token)
    return None


def _name(token: Token) -> str:
    """The name itself and the capitalised words compounded onto it ("Liberal Democrats",
    "Labour Party"), not what follows it ("of Ed Miliband")."""
    # a lower-case modifier describes the holder ("the right-wing Freedom Alliance"), a
    # capitalised one is part of its name
    lead = [t.text for t in token.lefts if t.dep_ in ("compound", "amod") and t.text[:1].isupper()]
    return " ".join([*lead, token.text])


def _named(token: Token) -> bool:
    """A proper name: tagged so, or an entity the tagger read as a common noun ("*Labour*
    was on 232", tagged NOUN but an organisation)."""
    return token.pos_ == "PROPN" or token.ent_type_ in ("ORG", "NORP", "PERSON")


def _a_place(token: Token) -> bool:
    """A dateline's city parsed as a subject ("LONDON, May 8 (CNL) ... has won") holds no
    seats: a holder is a party, candidate or side, never a bare place name."""
    return token.ent_type_ in ("GPE", "LOC") and places.lookup(token.text) is not None


__all__ = [
    "business_part",
    "counts_something_else",
    "defendant",
    "figure_verb",
    "holder",
    "is_part",
    "stance",
]
