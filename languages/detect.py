"""Which language a message is in: "en", "es" or "other".

Lingua (`lingua-language-detector`) reads the whole message, with its high-accuracy models for English,
Spanish and the languages most easily taken for either (Portuguese, Italian, French, German,
Vietnamese, Tagalog); scripts it has no model for here (Cyrillic, Arabic, Chinese, Japanese, Korean)
are "other" at once. A message Lingua calls Spanish stays English when it holds at least as many
English-only function words as Spanish-only ones (spaCy's stop-word lists): "muchas gracias for the
info!" is English. One word alone ("Gutierrez", "hola") is English: the policy keeps the conversation's
language for it. Capitalised words that are no function word (a visitor's name: "Đặng Thị Hoa") and numbers
are set aside first, and Spanish needs evidence of its own (a Spanish function word, ñ, ¿, an accent).
Chosen and measured by `make language` on the blind corpus in tests/language/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS

from answers.points import common_words

MODELLED = (Language.ENGLISH, Language.SPANISH, Language.PORTUGUESE, Language.ITALIAN, Language.FRENCH,
            Language.GERMAN, Language.VIETNAMESE, Language.TAGALOG)
# Spanish when a close neighbour (Portuguese, Italian…) wins by less than this ratio of confidences.
NEIGHBOUR_RATIO = 0.5
ENGLISH_ONLY = frozenset(ENGLISH_STOP_WORDS - SPANISH_STOP_WORDS)
SPANISH_ONLY = frozenset(SPANISH_STOP_WORDS - ENGLISH_STOP_WORDS)
OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
SPANISH_MARKS = re.compile(r"[ñÑ¿¡áéíóúÁÉÍÓÚ]")
# Another Latin-script language only when Lingua is fairly sure of it (short odd strings spread its votes).
OTHER_CONFIDENCE = 0.4
COMMON_SHARE = 0.6
SURE = 0.7  # Lingua's confidence above which its verdict stands against the common-English-words guard
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
    common_words()


def _without_names(text: str) -> str:
    """The message without its capitalised words that are no function word ("Carlos Mendoza", "Đặng Thị
    Hoa", "Publix"), nor its numbers and addresses: a visitor's name says nothing about their language."""
    def keep(match: re.Match) -> str:
        word = match.group(0)
        bare = word.lower().replace("’", "'")
        return word if not word[:1].isupper() or bare in ENGLISH_STOP_WORDS or bare in SPANISH_STOP_WORDS else " "
    text = re.sub(r"\S+@\S+|https?://\S+|[\d()+\-.]{5,}", " ", text)
    return WORD.sub(keep, text)


def detect(text: str) -> Verdict:
    text = text or ""
    if OTHER_SCRIPT.search(text):
        return Verdict("other", 0, len(WORD.findall(text)))
    text = _without_names(text)
    words = [w.lower().replace("’", "'") for w in WORD.findall(text)]
    english = sum(w in ENGLISH_ONLY for w in words)
    spanish = sum(w in SPANISH_ONLY for w in words)
    if len(words) < 2 or text.startswith("/"):
        return Verdict("en", spanish, len(words))
    confidences = {c.language: c.value for c in _detector().compute_language_confidence_values(text)}
    if not confidences:
        return Verdict("en", spanish, len(words))
    top = max(confidences, key=confidences.get)
    # Most words common English words (spaCy's word frequencies): English, whatever a short message's
    # n-grams say ("old chickenpox pits", "r u real", "i'm on isotretinoin").
    common = sum(w in common_words() for w in words) / len(words)
    if (common >= COMMON_SHARE or not common) and spanish < 2 and confidences[top] < SURE:
        # (no common word at all and Lingua unsure: keyboard mashing, "lkdsjf oiwer nmnm")
        return Verdict("en", spanish, len(words))
    if top == Language.ENGLISH and spanish >= 3 and not english:
        return Verdict("es", spanish, len(words))  # "el parking es gratis o hay que pagar?"
    if top == Language.ENGLISH or english >= 1 and english >= spanish:
        return Verdict("en", spanish, len(words))
    is_spanish = top == Language.SPANISH or confidences.get(Language.SPANISH, 0.0) >= NEIGHBOUR_RATIO * confidences[top]
    if is_spanish:
        # Spanish needs Spanish evidence of its own: a function word ("el", "una", "para") or its letters and
        # marks; "<script>alert('x')</script>" and "Carlos Mendoza" have neither.
        if not (spanish or SPANISH_MARKS.search(text)):
            return Verdict("en", spanish, len(words))
        return Verdict("es", spanish, len(words))
    if len(words) < 3 or confidences[top] < OTHER_CONFIDENCE:
        return Verdict("en", spanish, len(words))  # too little to tell: English, the assistant's language
    return Verdict("other", spanish, len(words))
