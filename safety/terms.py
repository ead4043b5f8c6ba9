"""Word lists -> a spaCy Matcher on canonical lemmas. Shared by the warning-sign screen (safety/screen.py)
and the answer points (answers/points.py), both run inside the Rasa server.

A phrase's word matches its lemma ("swelling" matches swell, swells, swollen); "=word" the exact word only;
"x*" any word starting so; "re:..." a regular expression on the lower-cased word.
"""
from __future__ import annotations

import re
from typing import Dict, Sequence

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc


def canonical_doc(nlp: Language, text: str) -> Doc:
    """The pipeline's doc with one canonical lemma per token: "n't" -> not, "ca" -> can, "wo" -> will."""
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    for token in doc:
        norm = token.norm_
        if norm in ("not", "can", "will") or not token.lemma_:
            token.lemma_ = norm
        else:
            token.lemma_ = token.lemma_.lower()
    return doc


def term_matcher(nlp: Language, terms: Dict[str, Sequence[str]]) -> Matcher:
    matcher = Matcher(nlp.vocab)
    lemma_of = lambda word: canonical_doc(nlp, word)[0].lemma_  # noqa: E731 - the same lemma as the text's

    def token_pattern(word: str) -> dict:
        if word.startswith("re:"):
            return {"LOWER": {"REGEX": word[3:]}}
        if word.startswith("="):
            return {"LOWER": word[1:]}
        if word.endswith("*"):
            return {"LOWER": {"REGEX": "^" + re.escape(word[:-1])}}
        return {"LEMMA": lemma_of(word)}  # an equality test runs in the Matcher's C code; "IN" calls Python per token

    for term, phrases in terms.items():
        patterns = []
        # One regular expression per term for its one-word "x*" phrases: the Matcher runs each distinct
        # expression on every token, so 130 separate ones cost milliseconds a message.
        prefixes = [p[:-1] for p in phrases if p.endswith("*") and " " not in p]
        if prefixes:
            patterns.append([{"LOWER": {"REGEX": "^(?:" + "|".join(map(re.escape, prefixes)) + ")"}}])
        for phrase in phrases:
            if phrase.endswith("*") and " " not in phrase:
                continue
            words = [phrase] if phrase.startswith("re:") else [
                piece for word in phrase.split() for piece in (
                    [word] if word.startswith("=") or word.endswith("*") else
                    [t.text for t in nlp.make_doc(word)])]  # "ice-pick" is three tokens in the text, so here too
            patterns.append([token_pattern(w) for w in words])
            if len(words) == 1 and token_pattern(words[0]) != {"LEMMA": words[0]} \
                    and not words[0].startswith(("=", "re:")):
                patterns.append([{"LEMMA": words[0]}])  # a word whose own lemma differs ("swellings")
        matcher.add(term, patterns)
    return matcher
