"""The visitor's own name in a message: "I'm Sarah", "Maria Diaz 404-555-0122", "Chloé Lefèvre", "Sunday"
(as the answer to the name question), "P-O-W-E-L" (a respelling of the earlier name).

A lowercase word is taken as a name only where a name is expected (after "my name is", as the answer to
the name question) or when it is not a common English word: spaCy's word frequencies
(spacy-lookups-data, `en_lexeme_prob`) decide what is common.
"""
from __future__ import annotations

import gzip
import json
import re
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from typing import List, Optional, Sequence, Tuple

from nameparser import HumanName

# Words that are never part of a name, even capitalised (they end a name: "Michael Okafor I'd like…").
NAME_ENDS = set("""
i i'd i'm i'll i've im id and or but my me phone email e-mail number cell mobile tel text texts call
please pls plz thanks thank thx here is at on for from to them they her him us we it that this later now
you your u ur the a an of in with by so just also too very really be was are am
its it's thats that's um umm ummm hmm hm uh er oops okay ok
y o mi mis es el un una cel celular móvil movil whatsapp número numero teléfono telefono correo por favor porfa
gracias llamo nombre apellido
""".split())
# Words that start no name unless the visitor clearly means one (capitalised after a cue, or the whole
# answer to the name question): greetings, fillers, booking words, days and months.
NOT_NAMES = set("""
yes yeah yep yup nope no ok okay k sure skip none nothing idk dunno hi hello hey hiya howdy bonjour hola ciao
aloha namaste salut good morning
interested looking wondering curious asking trying hoping thinking planning want wanna would like love
pregnant breastfeeding nursing taking allergic diabetic over under about back new fine great sorry free
available busy done ready unsure confused still booking book booked appointment appt consult consultation
session sessions treatment contact reach name surname first last full real nickname microneedling what
why how when where who which can could will do does did should afternoon evening night noon lunch today
tomorrow tonight week weekend weekday weekdays next monday tuesday wednesday thursday friday saturday
sunday mon tue tues wed thu thur thurs fri sat sun january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec asap soon any
anytime whenever friend recommended sister mom mother husband wife daughter son boyfriend girlfriend
actually oops wait correction instead change changed update meant mean spelt spelled spelling best only
prefer rather lol haha omg btw fyi ps
""".split())
COMMON_THRESHOLD = -11.5  # log-probability above which a lowercase word is a common word, not a name

TOKEN = r"[^\W\d_][^\W\d_'\-]*(?:['\-][^\W\d_]+)*\.?"
_RUN = re.compile(rf"{TOKEN}(?:\s+{TOKEN}){{0,3}}")
_STRONG_CUE = re.compile(
    r"\b(?:my name(?:'s| is)|(?:the )?name(?:'s| is| should be)|name\s*[:=-]|names?|call me|put (?:it|me)? ?(?:down )?"
    r"(?:as|under)|under(?: the name)?|first name(?: is)?|full name(?: is)?|me llamo|mi nombre es|a nombre de)\s+",
    re.IGNORECASE)
_WEAK_CUE = re.compile(r"\b(?:i am|i'm|im|this is|it's|its|it is|soy)\s+", re.IGNORECASE)
_FIRST_LAST = re.compile(rf"\bfirst(?: name)?(?: is|:)?\s+({TOKEN})[\s,]+(?:and\s+)?(?:last|sur)(?: ?name)?(?: is|:)?\s+({TOKEN})",
                         re.IGNORECASE)
_ADJECTIVE = re.compile(r"(?i)(?:ble|ful|ous|ive|ing|ed|ish|less|ic|al|ant|ent|ary|ory)$")
# The lookbehind starts a match only at a word's start: without it a long word is tried from each letter (quadratic).
_HERE = re.compile(rf"(?<![^\W\d_'\-])({TOKEN}(?:\s+{TOKEN}){{0,2}})\s+here\b")
_CLAUSES = re.compile(r"[.!?;,()/\n]|\s[-–—]\s|\s+-\s*|\s*-\s+")


@lru_cache(maxsize=1)
def _word_probabilities() -> dict:
    table = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(table) as handle:
        return {w: p for w, p in json.load(handle).items() if p > COMMON_THRESHOLD and w.isalpha()}


def is_common_word(word: str) -> bool:
    bare = word.lower().strip(".'")
    return bare in NOT_NAMES or bare in NAME_ENDS or bare in _word_probabilities()


def _bare(word: str) -> str:
    return word.strip(".,").lower()


def _words(candidate: str, *, lowercase_ok: bool) -> List[str]:
    """The leading words of `candidate` that can be a name."""
    words = []
    for word in candidate.split():
        bare = _bare(word)
        if bare in NAME_ENDS:
            break
        capitalised = word[:1].isupper()
        if not capitalised and not lowercase_ok and is_common_word(word):
            break
        if not capitalised and bare in NOT_NAMES:
            break
        words.append(word.rstrip(".,"))
        if len(words) == 4 or (word.endswith(".") and len(word) > 2):
            break  # "Tony. Tony Marino": a full stop ends the name
    return words


def tidy(words: Sequence[str]) -> str:
    name = " ".join(words).strip(" ,.;:!-")
    if name == name.lower() or name == name.upper():
        parsed = HumanName(name)
        parsed.capitalize(force=True)
        name = str(parsed) or name.title()
    return name


def _name_clause(clause: str, *, lowercase_ok: bool) -> Optional[List[str]]:
    """A clause that is nothing but a name ("Chloé Lefèvre", "Tyler")."""
    tokens = clause.split()
    if not 1 <= len(tokens) <= 4 or not all(re.fullmatch(TOKEN, t) for t in tokens):
        return None
    if any(_bare(t) in NAME_ENDS for t in tokens):
        return None
    if lowercase_ok:
        return tokens if _bare(tokens[0]) not in NOT_NAMES or tokens[0][:1].isupper() else None
    if not all(t[:1].isupper() for t in tokens) or _bare(tokens[0]) in NOT_NAMES:
        return None
    if len(tokens) == 1 and is_common_word(tokens[0]):
        return None
    return tokens


def _longer(name: List[str], text: str) -> List[str]:
    """"Paul (Paul Robinson)", "Lisa, lisa wong": a later, longer form of the same name."""
    for clause in _CLAUSES.split(text):
        tokens = clause.split()
        if len(tokens) > len(name) and _bare(tokens[0]) == _bare(name[0]):
            longer = _words(clause, lowercase_ok=True)
            if len(longer) > len(name):
                return longer
    return name


DAYS_AND_MONTHS = set("""monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
sat sun january february march april may june july august september october november december jan feb mar apr jun
jul aug sep sept oct nov dec""".split())
_SYMBOLS = re.compile(r"[^\w\s'.,;:!?()/\-–—]", re.UNICODE)


def warm() -> None:
    """Load the word frequencies now (about a second), not at a visitor's first message."""
    _word_probabilities()


def find_name(text: str, *, asked_for_name: bool) -> Optional[str]:
    """The visitor's own name in the (contact-free) text, or None."""
    text = _SYMBOLS.sub(" ", text.replace("’", "'"))  # emoji and symbols are not part of a name
    both = _FIRST_LAST.search(text)
    if both:
        return tidy([both.group(1), both.group(2)])
    for cue in _STRONG_CUE.finditer(text):
        run = _RUN.match(text, cue.end())
        words = _words(run.group(0), lowercase_ok=True) if run else []
        if words and not (len(words) == 1 and _bare(words[0]) in NOT_NAMES and not words[0][:1].isupper()):
            if cue.group(0).strip().lower() == "call me" and is_common_word(words[0]) and not words[0][:1].isupper():
                continue  # "call me back"
            return tidy(_longer(words, text))
    for cue in _WEAK_CUE.finditer(text):
        if cue.group(0).strip().lower() in ("it's", "its", "it is") and not asked_for_name:
            following = re.match(r"\s*([^\W\d_]+)", text[cue.end():])
            if not following or (not following.group(1)[:1].isupper() and is_common_word(following.group(1))):
                continue  # "it's fine", "its been a while"
        run = _RUN.match(text, cue.end())
        words = _words(run.group(0), lowercase_ok=False) if run else []
        # "I'm Olivia Tuesday 12/1…": a day or month ends a name after "I'm"
        words = words[:next((i for i, w in enumerate(words) if i and _bare(w) in DAYS_AND_MONTHS), len(words))]
        after = text[run.end():].lstrip() if run else ""
        if len(words) == 1 and is_common_word(words[0]) and not (words[0][:1].isupper() and (not after or after[0] in ",.!(-")):
            continue  # "I'm Black and worried…", "i'm new"; but "Hi I'm Summer, can I…"
        if words and not words[0][:1].isupper() and _ADJECTIVE.search(words[0]):
            continue  # "im flexible", "i'm available"
        if words and (words[0][:1].isupper() or not is_common_word(words[0])):
            return tidy(_longer(words, text))
    here = _HERE.search(text)
    if here:
        words = [w for w in here.group(1).split() if (w[:1].isupper() or not is_common_word(w))
                 and _bare(w) not in NOT_NAMES | NAME_ENDS]
        if words:
            return tidy(_longer(words, text))
    clauses = [c.strip() for c in _CLAUSES.split(text) if c.strip()]
    if asked_for_name:
        if "?" in text:
            # a question back ("why do you need it?"), unless a capitalised name stands beside it:
            # "Jamal Robinson. btw…?", "can you just pass it on? Priya Nair, …"
            sentences = [c for c in re.split(r"(?<=[.!?])\s+", text) if "?" not in c]
            named = [w for w in (_name_clause(c.strip(), lowercase_ok=False)
                                 for sentence in sentences for c in _CLAUSES.split(sentence)) if w]
            return tidy(max(named, key=len)) if named else None
        for clause in clauses:
            cleaned = re.sub(r"(?i)^(?:(?:sure|ok(?:ay)?|yes|yeah|yep|hi|hey|of course|just|only)\b\s*)+", "", clause)
            cleaned = re.sub(r"(?i)\s*(?:thanks?|thx|ty|pls|please|here)$", "", cleaned).strip()
            words = _name_clause(cleaned, lowercase_ok=True) if cleaned else None
            # lowercase words are a name when they are the whole answer or none is a common word
            if words and (any(w[:1].isupper() for w in words) or len(clauses) == 1
                          or not any(is_common_word(w) for w in words)):
                return tidy(_longer(words, text))
        # "Derrick Johnson sorry for the late reply": the capitalised words it opens with
        opening = _RUN.match(clauses[0]) if clauses else None
        if opening:
            words = [w for w in _words(opening.group(0), lowercase_ok=False)]
            words = words[:next((i for i, w in enumerate(words) if not w[:1].isupper()), len(words))]
            if len(words) >= 2 or (words and not is_common_word(words[0])):
                return tidy(words)
        return None
    found = [w for w in (_name_clause(c, lowercase_ok=False) for c in clauses) if w]
    if found:  # "Bonjour! … Chloé Lefèvre": a full name before a lone capitalised word
        return tidy(_longer(max(found, key=len), text))
    return None


def find_name_beside_contact(text: str, spans: Sequence[Tuple[int, int]]) -> Optional[str]:
    """"Maria Diaz 404-555-0122", "Keisha Banks, keisha@…", "678 555 0141 - Melissa": words next to a contact."""
    for start, end in sorted(spans):
        before = _CLAUSES.split(text[:start].rstrip(" ,:;-–—("))[-1].split()[-3:]
        while before and (_bare(before[0]) in NOT_NAMES | NAME_ENDS or not before[0][:1].isalpha()):
            before = before[1:]
        if before and all(re.fullmatch(TOKEN, t) and _bare(t) not in NAME_ENDS for t in before) and \
                (all(t[:1].isupper() for t in before) or not is_common_word(before[0])) and \
                not (len(before) == 1 and _ADJECTIVE.search(before[0]) and not before[0][:1].isupper()):
            return tidy(before)
        after = _CLAUSES.split(text[end:].lstrip(" ,:;-–—)"))[0].strip()
        words = _name_clause(after, lowercase_ok=False)
        if words:
            return tidy(words)
    return None


_SPELLED = re.compile(r"\b((?:[^\W\d_][-.\s]){2,}[^\W\d_])\b")
_LETTER_COUNT = re.compile(r"\b(?:with|has|it's|just)\s+(?:one|a single|1|only one|two|double|2|an?)\s+([a-z])'?s?\b",
                           re.IGNORECASE)
_SPELT_AS = re.compile(rf"\b(?:(?:is\s+)?(?:spelt|spelled)|spelling is|it's|its|is)\s+({TOKEN})(?:\s*,?\s*not\s+({TOKEN}))?", re.IGNORECASE)


def corrected_name(text: str, old: Optional[str]) -> Optional[str]:
    """The earlier name respelt: "P-O-W-E-L", "Powel with one L", "spelled Nguyen not Nguyan",
    "Katherine with a K, not Catherine"."""
    if not old:
        return None
    words = old.split()

    def replace(new_word: str) -> str:
        new_word = new_word[:1].upper() + new_word[1:]
        index = next((i for i in range(len(words) - 1, -1, -1) if words[i][:1].lower() == new_word[:1].lower()
                      or similar(words[i], new_word)), len(words) - 1)
        return " ".join(words[:index] + [new_word] + words[index + 1:])

    spelled = _SPELLED.search(text)
    if spelled:
        respelt = re.sub(r"[-.\s]", "", spelled.group(1)).lower()
        return replace(respelt)
    spelt = next((m for m in _SPELT_AS.finditer(text) if m.group(2)), None)
    if spelt and any(similar(w, spelt.group(2)) for w in words):
        index = next(i for i, w in enumerate(words) if similar(w, spelt.group(2)))
        return " ".join(words[:index] + [spelt.group(1)[:1].upper() + spelt.group(1)[1:]] + words[index + 1:])
    count = _LETTER_COUNT.search(text)
    if count:
        letter, single = count.group(1).lower(), not re.search(r"(?i)two|double|2", count.group(0))
        index = next((i for i in range(len(words) - 1, -1, -1) if letter in words[i].lower()), None)
        if index is None:
            return None
        word = words[index]
        if single:
            new = re.sub(f"(?i)({letter}){letter}", r"\1", word, count=1)
        else:
            new = re.sub(f"(?i)({letter})(?!{letter})", r"\1\1", word, count=1)
        return " ".join(words[:index] + [new] + words[index + 1:]) if new != word else None
    return None


def similar(a: str, b: str) -> bool:
    """Two spellings of one name ("Rachel" / "Rachael", "Nguyan" / "Nguyen")."""
    return len(a) >= 3 and SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.75
