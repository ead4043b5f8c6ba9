"""Which language a message is in: "en", "es" or "other".

Lingua (`lingua-language-detector`) reads the whole message, with its high-accuracy models for English,
Spanish and the languages most easily taken for either (Portuguese, Italian, French, German,
Vietnamese, Tagalog); scripts it has no model for here (Cyrillic, Arabic, Chinese, Japanese, Korean)
are "other" at once. A message Lingua calls Spanish stays English when it holds at least as many
English-only function words as Spanish-only ones (spaCy's stop-word lists): "muchas gracias for the
info!" is English. One word alone ("Gutierrez", "hola") is English: the policy keeps the conversation's
language for it. Chosen and measured by `make language` on the blind corpus in tests/language/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS

MODELLED = (Language.ENGLISH, Language.SPANISH, Language.PORTUGUESE, Language.ITALIAN, Language.FRENCH,
            Language.GERMAN, Language.VIETNAMESE, Language.TAGALOG)
# Spanish when a close neighbour (Portuguese, Italian…) wins by less than this ratio of confidences.
NEIGHBOUR_RATIO = 0.5
ENGLISH_ONLY = frozenset(ENGLISH_STOP_WORDS - SPANISH_STOP_WORDS)
SPANISH_ONLY = frozenset(SPANISH_STOP_WORDS - ENGLISH_STOP_WORDS)
OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Verdict:
    code: str            # "en" | "es" | "other"
    spanish_words: int   # Spanish-only function words ("el", "mi", "para"): how sure a Spanish verdict is
    words: int

    def as_dict(self) -> dict:
        return {"code": self.code, "spanish_words": self.spanish_words, "words": self.words}


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*MODELLED).with_preloaded_language_models().build()


def warm_up() -> None:
    _detector()


def detect(text: str) -> Verdict:
    words = [w.lower().replace("’", "'") for w in WORD.findall(text or "")]
    english = sum(w in ENGLISH_ONLY for w in words)
    spanish = sum(w in SPANISH_ONLY for w in words)
    if OTHER_SCRIPT.search(text or ""):
        return Verdict("other", spanish, len(words))
    if len(words) < 2 or (text or "").startswith("/"):
        return Verdict("en", spanish, len(words))
    confidences = {c.language: c.value for c in _detector().compute_language_confidence_values(text)}
    if not confidences:
        return Verdict("en", spanish, len(words))
    top = max(confidences, key=confidences.get)
    if top == Language.ENGLISH:
        return Verdict("en", spanish, len(words))
    is_spanish = top == Language.SPANISH or confidences.get(Language.SPANISH, 0.0) >= NEIGHBOUR_RATIO * confidences[top]
    if is_spanish:
        return Verdict("en" if english >= 1 and english >= spanish else "es", spanish, len(words))
    return Verdict("other", spanish, len(words))
