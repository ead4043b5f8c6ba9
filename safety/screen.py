"""Text -> verdict: is the visitor describing a warning sign (emergency / urgent), and is the
message a medical question the assistant must not answer itself (medication, diagnosis, push-back
for a yes/no, a named condition)?

Words are matched by spaCy's Matcher on lemmas, after the text is normalised (curly quotes, case,
"can't" -> can not), so wording and inflection vary freely. A sign is a *term* (pus, hives) or two
terms close together in one clause (lips + swell, pain + worse). A found sign is then dropped when
its clause negates it ("no fever, no pus"), when its sentence is about someone else in the past ("my
friend got an infection at a spa"), asks about risk rather than reports ("can it cause
infection?"), is figurative ("I'm dying to try it") or, for the signs that only matter after a
treatment, asks about a condition before any treatment ("i get cold sores, can i still do it?").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from safety.terms import canonical_doc, term_matcher

EMERGENCY, URGENT = "emergency", "urgent"

# ------------------------------------------------------------------------------------------ vocabulary
# Each term: phrases, written as safety/terms.py reads them.
TERMS: Dict[str, Sequence[str]] = {
    "breath": ["breathe", "breath", "breathing", "breathless*", "breathin", "breth*", "airway", "air", "respir*", "lung", "lungs", "inhale", "stridor"],
    "wheeze": ["wheez*", "gasp*", "choke", "choking", "stridor", "falta el aire", "me falta aire", "no puedo respirar", "me ahogo", "ahog*"],
    "difficulty": ["trouble", "hard", "harder", "difficult", "difficulty", "struggle", "struggling", "short",
                   "shortness", "can not", "cannot", "cant", "unable", "problem", "labor*", "labour*", "barely",
                   "heavy", "tight", "tighten", "weird", "catch", "stop", "no puedo", "cuesta", "dificultad",
                   "get air in", "wheez*", "out of", "struggl*", "gasping for", "hardly", "scarcely"],
    "swallow": ["swallow*", "swollow*", "trag*"],
    "throat": ["throat", "airway", "windpipe", "tonsil*", "garganta", "voice", "voz"],
    "closing": ["close", "closing", "closed", "tight", "tighten*", "narrow*", "constrict*", "block*", "shut",
                "swell", "swelling", "swollen", "swolen", "thick", "lump", "cerrad*", "hinch*",
                "hoarse", "raspy", "croak*", "strange", "muffled", "different", "ronca", "cierra*", "cerr*"],
    "mouth_part": ["lip", "lips", "tongue", "mouth", "uvula", "labio*", "lengua", "boca"],
    "swell": ["swell", "swelling", "swollen", "swolen", "swoll*", "puff", "puffy", "puffing", "balloon*",
              "blow up", "blowing up", "blew up", "huge", "double", "fat", "enlarg*", "bigger", "hinch*",
              "inflamad*", "tingl*", "thick", "thicker"],
    "fast": ["fast", "quick", "quickly", "rapid*", "sudden*", "spread*", "minute", "minutes", "shut"],
    "balloon": ["balloon*", "blow up", "blowing up", "blew up", "blown up"],
    "face": ["face", "facial", "cheek*", "forehead", "chin", "jaw*", "neck", "skin", "nose", "head", "eye", "eyes"],
    "chest": ["chest", "heart", "pecho", "palpitat*"],
    "chest_pain": ["pain", "painful", "hurt", "hurting", "tight", "tightness", "pressure", "ache", "heavy", "race",
                   "racing", "pound*", "flutter*", "crush*", "elephant", "weight", "squeez*", "duele", "dolor",
                   "sitting on", "sit on", "burn", "burning", "presión", "opresión", "palpitat*", "apretad*", "opresi*"],
    "faint": ["=fainted", "=fainting", "=faintin", "feel faint", "about to faint", "=faints",
              "going to faint", "gonna faint", "pass out", "passed out", "passing out", "black out", "blacked out",
              "blackout", "collapse*", "unconscious", "lose consciousness", "lost consciousness", "keel over",
              "keeled over", "wake up on the floor", "not waking", "desmay*", "and i =fell", "=fell over", "=fell down", "woozy", "room is spinning",
              "grey and sweaty", "gray and sweaty", "not responding", "unresponsive", "not responsive",
              "will not wake", "wont wake", "can not wake", "cant wake", "no responde", "went limp", "gone limp", "slumped", "hit the floor", "out cold", "me desmayé", "lightheaded and", "light headed and", "light-headed and"],
    "vision": ["vision", "eyesight", "sight", "vista", "visión", "vision's"],
    "vision_change": ["blur*", "lose", "lost", "loss", "dark", "change*", "double", "go", "went", "gone",
                      "weird", "spot*", "black", "flash*", "half", "curtain", "shadow", "floater*", "borros*", "nubl*"],
    "blind": ["blind", "can not see out", "cannot see out", "cant see out", "swollen shut", "swell shut",
              "can not open my eye*", "cannot open my eye*", "no veo", "can not see anything", "cant see anything", "can not see properly", "can not see clearly", "cant see properly", "everything blurry", "everything is blurry", "everything went blurry", "everything 's blurry", "everything went black", "everything went dark", "seeing double", "double vision", "vision is going", "losing my vision", "losing vision", "no ve nada", "no veo nada"],
    "eye_word": ["eye", "eyes", "ojo*"],
    "eye_change": ["blur*", "blind*", "went dark", "go dark", "gone dark", "went black", "double", "lost vision",
                   "can not see", "cannot see", "cant see", "borros*", "flashing", "flashes", "curtain over", "floaters", "seeing double", "no veo", "nubl*", "no ve", "no veo nada", "no ve nada"],
    "bleed": ["bleed", "bleeding", "bled", "blood", "sangr*"],
    "wont_stop": ["will not stop", "wont stop", "not stop", "not stopping", "keep", "keeps", "still", "nonstop",
                  "non stop", "pour*", "gush*", "soak*", "drip*", "everywhere", "heavy", "heavily", "lot",
                  "can not stop", "cannot stop", "cant stop", "wo not stop", "hour", "hours", "through the gauze",
                  "keep coming", "keeps coming", "will not quit", "not quit", "wont quit", "keep dripping",
                  "keeps dripping", "no para", "no deja de", "no se detiene", "mucho"],
    "fever": ["fever", "feverish", "febrile", "fiebre", "high temperature", "high temp", "running a temp",
              "run a temp", "have a temp", "got a temp", "a temp and", "running hot", "burning up", "hot and cold", "fiebre alt*"],
    "temperature": ["temp", "temperature", "fever", "thermometer", "it was", "now"],
    "fever_number": [r"re:^(1\d\d(\.\d+)?|3[89](\.\d+)?|4[0-2](\.\d+)?)(f|c|°f|°c|°)?$"],
    "confused": ["confuse", "confused", "confusion", "disorient*", "delirious", "delirium", "out of it",
                 "not make sense", "can not think", "incoherent", "nonsense", "confundid*", "can not stay awake",
                 "cant stay awake", "not know where", "not know what day", "no sé dónde", "drowsy", "slur*", "talking nonsense", "not make any sense", "can not speak properly", "confus*", "mumbl*", "can not answer", "not answering", "not making any sense", "babbl*", "not with it", "not herself", "not himself", "does not know where", "doesn't know where", "desorient*", "no me reconoce", "no reconoce", "no sabe dónde", "no sabe donde"],
    "seizure": ["seizure", "convuls*", "seizing", "had a fit", "having a fit", "have a fit", "shaking all over",
                "jerking", "convulsi*", "convulsión", "convulsiones", "shaking uncontrollably"],
    "anaphylaxis": ["anaphyla*", "epipen", "epi pen", "epinephrine", "severe allergic reaction",
                    "serious allergic reaction", "severe reaction"],
    # urgent
    "pus": ["pus", "puss", "pustule*", "discharge", "yellow stuff", "white stuff", "gunk", "goo", "yellow head*",
            "whitehead*", "pus-filled", "green stuff", "greenish", "yellowish stuff", "yellow fluid", "cloudy fluid", "white heads", "white head", "white tips", "yellow tips", "white tops"],
    "ooze": ["ooze", "oozing", "oozy", "weep", "weeping", "weepy", "leak", "leaking", "seep*", "drain*",
             "supura*"],
    "crust": ["crust", "crusty", "crusting", "crusted", "honey", "yellow* scab*", "costra*"],
    "worse_alone": ["getting worse", "way worse", "much worse", "worse and worse", "worse not better",
                    "is worse", "'s worse", "keeps getting worse", "and hard", "and firm", "hard and", "getting redder", "redder and redder", "more and more red", "redder every", "at first but now", "ok at first", "okay at first", "fine at first", "better but now", "now it's worse", "worse now", "was going down but", "went down and came back"],
    "chills": ["chill", "chills", "shiver*", "rigor*", "escalofr*", "cold sweat*", "night sweat*", "=sweats", "flu-like", "flu like", "like i have the flu", "like i've got the flu", "body ache*", "achy all over"],
    "redness": ["red", "redness", "redder", "reddish", "streak", "streaks", "line", "lines", "rash", "pink",
                "roj*", "enrojec*", "rojiz*", "roja", "rojo"],
    "spreading": ["spread", "spreading", "spreads", "streak*", "expand*", "grow", "growing", "bigger", "creep*",
                  "travel*", "larger", "wider", "coming out", "come out", "running", "going up", "going down",
                  "toward*", "towards", "reaching", "up my", "down my", "extiend*", "crec*", "expande*", "=moving", "=moved", "climb*", "extend*"],
    "hot": ["throb", "throbbing", "pulsing", "burning hot", "hot to the touch", "radiating heat", "caliente",
            "on fire", "like fire"],
    "hot_word": ["hot", "caliente", "warm to the touch"],
    "swollen_or_sore": ["swell", "swelling", "swollen", "swoll*", "hurt", "hurts", "pain*", "sore", "throb*",
                        "tender", "bigger", "worse", "puffy"],
    "blister": ["blister", "blisters", "blistering", "blistered", "vesicle*", "bubble*", "ampolla*", "fluid-filled", "fluid filled", "water blister*", "watery bump*", "clear bump*"],
    "cold_sore": ["cold sore", "cold sores", "coldsore*", "fever blister*", "herpes", "hsv", "outbreak"],
    "painful": ["pain", "painful", "hurt", "hurting", "hurts", "sore", "soreness", "swell", "swelling",
                "swollen", "swolen", "tender", "ache", "aching", "redness", "red", "inflam*", "burn", "burning",
                "sting", "stinging", "itch", "itchy", "hinch*", "dolor", "duele", "arde"],
    "worse": ["worse", "worsen*", "increas*", "bad", "badly", "terrible", "severe", "unbearable", "excruciat*",
              "awful", "=more", "bigger", "spread*", "come back", "came back", "coming back", "returned", "not go down", "not going down", "not better", "not improve",
              "not improving", "empeor*", "peor", "worse today", "more every day", "more each day", "not touching it", "not helping", "nothing helps", "does nothing", "cada vez más", "cada vez mas", "cada vez peor"],
    "hives": ["hive", "hives", "welt*", "rash", "rashes", "allergic reaction", "reaction", "roncha*", "urticaria", "sarpullido", "erupción", "itchy bumps", "breaking out in hives", "broke out in hives"],
    "burn": ["=burned", "=burnt", "a burn", "burn mark", "burn marks", "chemical burn", "scorch*", "quemad*", "quemadura*", "feel burnt", "looks burnt", "looks burned", "burned skin", "burnt skin"],
    "not_heal": ["not heal", "not healing", "not healed", "will not heal", "never heal*", "open wound", "still raw",
                 "raw and", "not closing up", "nothing closing", "nothing 's closing", "nothing is closing",
                 "will not close", "wont close", "not scabbing", "not scab over",
                 "open sore", "open area", "ulcer*", "not closing", "not dry out", "will not dry", "no sana", "no cicatriza", "no se cura", "wound opened", "opening up", "opened up", "raw underneath", "raw under", "raw beneath", "in sheets", "gaping", "wide open", "open cut", "deep cut", "still open"],
    "infection": ["infect", "infection", "infected", "infectin", "cellulitis", "abscess*", "impetigo", "sepsis",
                  "staph", "mrsa", "infecci*", "infectad*", "infectada", "infectado"],
    "open_word": ["open", "=cracking", "=cracked", "split"],
    "wound_word": ["sore", "sores", "wound*", "scab*", "ulcer*"],
    "smell": ["smells", "smelly", "smelling", "stink*", "foul", "odor", "odour", "mal olor", "huele"],
    "glands": ["gland", "glands", "lymph*", "ganglio*"],
    "cluster": ["cluster", "clusters", "clustered", "group of", "patch of tiny", "patch of little", "grouped", "in a group", "in groups", "bunched"],
    "hard_word": ["hard", "firm", "solid"],
    "green": ["green*", "yellow*"],
    "cut": ["cut", "gash", "nick", "wound", "cortada", "herida"],
    "gushing": ["gush*", "pour*", "spurt*", "everywhere", "can not stop", "can not get it to stop", "will not stop",
                "wont stop", "not stop", "soak*", "through the", "no para"],
    "lump": ["lump", "lumps", "nodule*", "granuloma*", "hard bump", "hard bumps", "bumps under", "bulto*"],
    "bump": ["bump", "bumps", "pimple*", "nodule*", "lump*"],
    "late": ["week", "weeks", "wk", "wks", "month", "months", "semana*"],
    "dark_patch": ["dark", "darker", "brown", "pigment*", "hyperpigment*", "pih", "melasma", "patch*"],
}

# Signs: (name, level, terms that must all occur in one clause within WINDOW tokens, needs a treatment).
WINDOW = 8
# Signs whose two terms may stand anywhere in the message ("temp is 40.2C, ... I'm not making sense").
ANYWHERE = {"high fever with confusion", "bleeding that won't stop"}
SIGNS: List[Tuple[str, str, Tuple[str, ...], bool]] = [
    ("trouble breathing", EMERGENCY, ("breath", "difficulty"), False),
    ("trouble breathing", EMERGENCY, ("wheeze",), False),
    ("trouble swallowing", EMERGENCY, ("swallow", "difficulty"), False),
    ("throat tightness", EMERGENCY, ("throat", "closing"), False),
    ("swelling of the lips, tongue or eyes", EMERGENCY, ("mouth_part", "swell"), False),
    ("fast swelling of the face", EMERGENCY, ("face", "swell", "fast"), False),
    ("fast swelling of the face", EMERGENCY, ("face", "balloon"), False),
    ("chest pain", EMERGENCY, ("chest", "chest_pain"), False),
    ("fainting", EMERGENCY, ("faint",), False),
    ("sudden vision change", EMERGENCY, ("vision", "vision_change"), False),
    ("sudden vision change", EMERGENCY, ("blind",), False),
    ("sudden vision change", EMERGENCY, ("eye_word", "eye_change"), False),
    ("bleeding that won't stop", EMERGENCY, ("bleed", "wont_stop"), False),
    ("bleeding that won't stop", EMERGENCY, ("cut", "gushing"), False),
    ("high fever with confusion", EMERGENCY, ("fever", "confused"), False),
    ("high fever with confusion", EMERGENCY, ("fever_number", "confused"), False),
    ("high fever with confusion", EMERGENCY, ("temperature", "confused"), False),
    ("seizure", EMERGENCY, ("seizure",), False),
    ("severe allergic reaction", EMERGENCY, ("anaphylaxis",), False),
    ("pus", URGENT, ("pus",), True),
    ("oozing", URGENT, ("ooze",), True),
    ("crusts", URGENT, ("crust",), True),
    ("fever or chills", URGENT, ("fever",), True),
    ("fever or chills", URGENT, ("chills",), True),
    ("spreading redness", URGENT, ("redness", "spreading"), True),
    ("hot, throbbing skin", URGENT, ("hot",), True),
    ("hot, throbbing skin", URGENT, ("hot_word", "swollen_or_sore"), True),
    ("fever or chills", URGENT, ("temperature", "fever_number"), True),
    ("blisters", URGENT, ("blister",), True),
    ("cold sores", URGENT, ("cold_sore",), "always"),
    ("blisters", URGENT, ("cluster", "bump"), True),
    ("pain or swelling getting worse", URGENT, ("painful", "worse"), True),
    ("pain or swelling getting worse", URGENT, ("worse_alone",), True),
    ("rash or hives", URGENT, ("hives",), True),
    ("a burn", URGENT, ("burn",), True),
    ("skin that won't heal", URGENT, ("not_heal",), True),
    ("skin that won't heal", URGENT, ("open_word", "wound_word"), True),
    ("infection", URGENT, ("infection",), True),
    ("infection", URGENT, ("smell",), True),
    ("swollen glands", URGENT, ("glands", "swollen_or_sore"), True),
    ("lumps appearing later", URGENT, ("lump",), True),
    ("lumps appearing later", URGENT, ("bump", "late"), True),
    ("lumps appearing later", URGENT, ("hard_word", "bump"), True),
    ("crusts", URGENT, ("green", "wound_word"), True),
    ("darkening patches spreading", URGENT, ("dark_patch", "spreading"), True),
    ("darkening patches spreading", URGENT, ("dark_patch", "worse"), True),
]

# A score that went up ("from like a 2 to an 8", "3/10 yesterday, 7/10 now") counts as the term "worse".
HIGH_SCORE_RE = re.compile(r"\b([7-9]|10)\s*(?:/\s*10|out of (?:10|ten))\b")
SCORE_RE = re.compile(r"\b(?:from|was|de)\s+(?:like\s+|about\s+|maybe\s+|at\s+)?(?:an?\s+|una?\s+)?(\d{1,2})"
                      r"(?:\s*/\s*10)?\b[^.?!]{0,40}?\b(?:to|now|up to|a)\s+(?:it'?s\s+|it is\s+|like\s+|about\s+|"
                      r"maybe\s+|at\s+)?(?:an?\s+|una?\s+)?(\d{1,2})\b")


def _score_rises(match: "re.Match") -> bool:
    low, high = int(match.group(1)), int(match.group(2))
    return high <= 10 and high > low


NAME_PAIR_RE = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b")
INTRODUCED_RE = re.compile(r"\d{3}\D{0,3}\d{4}|@|\bname\b|\b(it'?s|i'?m|this is|i am)\s+[A-Z]", re.IGNORECASE)
BARE_NAME_RE = re.compile(r"[A-Z][a-z]+( [A-Z]\.?)? [A-Z][a-z'-]+[.!]?")
NOT_FIRST_NAMES = {"My", "The", "Is", "It", "Its", "Im", "This", "That", "Hi", "Hey", "Hello", "And", "But", "So",
                   "Please", "Help", "Now", "Face", "Skin", "Still"}


def _name_words(raw_text: str) -> set:
    """Surnames in a message that gives a name ("It's Ruby Blister, 770 555 0143"): the second of two
    capitalised words, when the message also gives a contact or introduces someone."""
    text = (raw_text or "").translate(_QUOTES)
    if not INTRODUCED_RE.search(text) and not BARE_NAME_RE.fullmatch(text.strip()):
        return set()
    surnames = {last for first, last in NAME_PAIR_RE.findall(text) if first not in NOT_FIRST_NAMES}
    # "I'm Sara Hives, I have hives all over": the word also typed in lower case is reported too
    return {name.lower() for name in surnames if not re.search(rf"\b{name.lower()}\b", text)}


# A word that is not the sign when this word follows it.
NOT_BEFORE = {"seizure": {"disorder", "disorders", "medication", "medications", "meds", "history"},
              "blood": {"thinner", "thinners", "thin", "thinning", "sugar", "pressure", "test", "work", "draw", "drawn",
                        "type", "donation", "cell", "vessel", "orange"}}

# Context words (lemmas after normalisation).
NEGATIONS = {"no", "not", "never", "without", "none", "nor", "neither", "zero", "nothing", "nope", "nah", "sin",
             "ni", "nada", "nothing's"}
OTHERS = {"friend", "friends", "sister", "brother", "mom", "mum", "mother", "dad", "father", "daughter", "son",
          "husband", "wife", "partner", "boyfriend", "girlfriend", "cousin", "aunt", "uncle", "coworker",
          "colleague", "people", "person", "patient", "client", "customer", "she", "he",
          "they", "her", "his", "their", "neighbor", "neighbour", "niece", "nephew", "grandma", "bestie", "bff",
          "roommate", "girl", "guy", "lady", "twin", "review", "reviews", "article", "video",
          "tiktok", "youtube", "reddit", "instagram",
          "amiga", "amigo", "hermana", "hermano", "mamá", "mama", "madre", "papá", "padre", "esposo", "esposa",
          "hija", "hijo", "prima", "primo", "tía", "vecina", "ella", "él", "gente"}
PAST_OR_GENERAL = {"got", "had", "gets", "has", "was", "were", "did", "once", "ago", "last", "year", "years",
                   "heard", "read", "saw", "happened", "told", "said", "posted", "ever", "before", "bled", "went",
                   "came", "felt", "fell", "always", "often", "usually", "lot", "sometimes", "faints", "swelled",
                   "tuvo", "tenía", "pasó", "fue", "dijo", "leí", "vi", "año"}
HYPOTHETICAL = {"if", "risk", "risks", "risky", "chance", "chances", "likely", "likelihood", "common", "commonly",
                "possible", "possibility", "ever", "cause", "causes", "caused", "prevent", "avoid", "rare", "often",
                "usually", "happen", "happens", "might", "may", "would", "could", "dangerous", "safe", "side",
                "complication", "complications", "sign", "signs", "look", "recognize", "recognise", "know",
                "worry", "typical", "expected", "expect", "percent", "odds", "anyone", "people", "normally",
                "común", "comun", "riesgo", "riesgos", "puede"}
RECENT_RE = re.compile(r"\b(just|right now|now|today|tonight|this (morning|afternoon|evening)|on the way|help|"
                       r"came round|came to|minutes? ago|mins? ago|an hour ago|hours? ago|hrs? ago|hoy|ahora|ahorita|ayuda|"
                       r"(beside|next to|with) me|sitting here|here with me|in the (last|past) (few |\d+ )?(minutes?|mins?|hours?|hrs?)|"
                       r"day of (the |my |her |his )?(treatment|session|procedure))\b")
PRESENT = {"now", "currently", "just", "today", "tonight", "here", "still", "keeps", "keep", "isn't", "aren't",
           "right", "suddenly", "started", "starting", "since", "im", "i'm"}
HISTORY_RE = re.compile(r"\b(once|(years?|months?) ago|last (year|summer|spring|fall|winter|time)|in (college|high school|20\d\d|"
                        r"19\d\d)|as a (kid|child|teen|teenager)|when i was|used to|years|cleared( up)?|went away|"
                        r"healed|back then|previously|in the past|history of|last month|gone now|resolved|"
                        r"recovered|all better)\b")
REPORT_RE = re.compile(r"\b((?<!could )(?<!would )(?<!can )(?<!will )(?<!might )(?<!if )(?<!do )i have|i've got|i got|ive got|i'm getting|im getting|i am getting|my (\w+ ){0,3}"
                       r"(is|are|has|have|was|were|keeps?|started|looks?|feels?)|it's (been|getting|still|now|"
                       r"really|very|so|all|kind of|kinda|like)|there's|there is|there are|i'm (having|seeing|"
                       r"noticing|starting)|i noticed|noticed|now|since|still|started|starting|day \d+|this morning|"
                       r"tonight|today|right now|yesterday|hours? ago|days? ago|is (it|this|that) normal (for|that|when)|"
                       # "I'm wheezing", "feel like I'm about to pass out", "my chest hurts", "3 days later"
                       r"i'?m (?!(going|gonna|thinking|wondering|planning|considering|looking|trying|hoping|asking|"
                       r"booking|reading|interested|scheduling|waiting|getting ready)\b)\w+ing|feel like i'?m|"
                       r"my (\w+ ){0,2}(hurts|aches|burns|stings|itches|throbs|bleeds|swells|turned|went|got)|"
                       r"(\d+|a|an|a few|few|couple( of)?) ?(hrs?|hours?|mins?|minutes?|days?|weeks?|wks?) "
                       r"(ago|later|after|out|post|since))\b")
CALL_FOR_HELP_RE = re.compile(r"\basap\b|\bcall me\b|\bcall (me )?back\b|"
                              r"\b(please|pls|plz) help\b|\bhelp\s*!|^help\b|\bayuda\b")
NOW_RE = re.compile(r"\b(started|starting|since|just now|this (morning|afternoon|evening)|tonight|today|right now|"
                    r"(a|one|\d+) (weeks?|days?) out|getting (bigger|worse|redder|more|larger)|"
                    r"\d+ ?(mins?|minutes?|hours?|hrs?) ago|an hour ago)\b")
PROGRESSIVE_RE = re.compile(r"^(i'?m |i am )?(getting|having|seeing|noticing|developing|starting)\b")
BODY_NOW_RE = re.compile(r"\b(face|skin|cheeks?|forehead|chin|jaw|neck|nose|lips?|eyes?|arms?|back|scalp|chest)\s+"
                         r"(is|are|has|have|looks?|feels?|keeps?)\b")
PROFESSION_RE = re.compile(r"\bi'?m an? (nurse|doctor|physician|np|pa|medic|paramedic|dermatologist|esthetician|"
                           r"aesthetician|pharmacist|med student|medical student)\b")
QUESTION_START = {"can", "could", "will", "would", "does", "do", "is", "are", "what", "how", "should", "might",
                  "may", "any", "which", "why", "when"}
URGENCY_RE = re.compile(r"\b(today|asap|urgent\w*|right away|check[- ]?up|checked|follow[- ]?up|look at|worried|worse|spreading|"
                        r"since|has been|have been|call me|call back|help|wasn't there|appeared|popped up|started|"
                        r"getting)\b")
SUITABILITY_Q = [r"\bcan i (still )?(get|do|have|book|come|go|try|be treated|proceed)\b",
                 r"\b(is it|would it be) (ok|okay|safe|fine|alright|a problem)\b",
                 r"\b(am i|are you) (still )?(a )?(good )?candidate\b", r"\bcandidate\b",
                 r"\bshould i (postpone|reschedule|cancel|wait|move)\b", r"\bbefore (my|the|a|i) ",
                 r"\b(prone to|(?<!did )i get|i tend to get|i often get|i usually get|history of|i suffer from)\b",
                 r"\bcan (you|they) (still )?(treat|do)\b", r"\bstill (do|get|have) (it|microneedling)\b",
                 r"\bmy (appointment|appt|session|treatment|consult\w*) is\b", r"\bshould i wait\b",
                 r"\bi'?m on\b", r"\bactive\b", r"\b(prone|susceptible)\b", r"\bcan i come\b",
                 r"\b(next|this) (week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"]
AFTER_TREATMENT_RE = re.compile(
    r"\b(after|since|post|following|from)\b(\W+\w+){0,3}?\W+(treatment|session|procedure|appointment|appt|"
    r"microneedl\w*|needling|it|facial|peel|laser|roll\w*|pen|visit|prp)\b|\bday \d+\b|\b\d+ (days?|weeks?|hours?)"
    r"( later| after| in| ago| out| post| now)\b|\bbeen \d+ (days?|weeks?|hours?)\b|\b(yesterday|yesterday's|last week)\b.*\b(treatment|session|"
    r"microneedl\w*|done|appointment)\b|\b(got|had) (it|microneedling|my \w+) done\b|\bi had (microneedling|"
    r"a session|a treatment|my treatment)\b", re.IGNORECASE)
FIGURATIVE_RE = re.compile(
    r"\b(dying to|die to|killing me|kill me|to die for|bleed(ing)? (me )?(money|dry)|my (wallet|bank|account) is "
    r"bleeding|my (wallet|bank( account)?|account|card|budget|savings) (is |was |keeps )?(still )?bleed\w*|"
    r"(i'?d|i would|i might) (faint|pass out|die)|take my breath away|breath ?taking|"
    r"hold my breath|sweating (it|bullets)|pain in the (neck|butt|ass)|burning question|"
    r"hot (tip|take|topic|deal)|rash decision|red flag|chok(e|ed|ing) on|chok(ed|ing) up|gasp(ed)? (at|when)|"
    r"(scared|afraid|worried|nervous|terrified|anxious) (that )?i'?(ll| will| might| would| may)\b|"
    r"i'?ll (probably |totally |literally )?(faint|pass out)|"
    r"(almost|nearly) (fainted|passed out|died|had a heart attack) (when|laughing|at|seeing|because|from (the )?"
    r"(price|cost|shock|excitement))|want(s)? to (faint|pass out|die)|hot mess|"
    r"(like|como) (a |un )?(sun ?burn|quemad\w* por el sol)|quemad\w* por el sol|"
    r"blistering (hot|heat|pace)|(makes|made|make) me (want to )?(faint|pass out)|at the sight of|"
    r"heart (skipped|melted|stopped)|my heart (sank|broke)|burn scars?|old scars?|at the sight of|"
    r"every (summer|winter|spring|fall|year|month|time))\b", re.IGNORECASE)

# ------------------------------------------------------------------------------------------ medical topics
MEDICINES = r"(ibuprofen|advil|motrin|tylenol|acetaminophen|paracetamol|aspirin|aleve|naproxen|pain ?killers?|" \
            r"pain (meds?|medication|relief|reliever)|antibiotics?|doxy(cycline)?|amoxicillin|minocycline|" \
            r"keflex|antivirals?|valtrex|valacyclovir|acyclovir|famvir|lidocaine|emla|numbing (cream|gel)|" \
            r"hydrocortisone|cortisone|steroids?( cream)?|prednisone|eliquis|apixaban|warfarin|coumadin|xarelto|" \
            r"plavix|blood ?thinners?|methotrexate|benadryl|antihistamines?|zyrtec|claritin|allegra|arnica|" \
            r"spironolactone|metformin|insulin|medicine|medication|meds|pills?|prescription|abreva|neosporin|" \
            r"polysporin|bacitracin|mupirocin|vaseline|aquaphor|ointment)"
MEDICINE_RE = re.compile(rf"\b{MEDICINES}\b", re.IGNORECASE)
# A question about taking, stopping or dosing (the medicine may be named in another sentence: "I take Eliquis.
# Can I just stop it for a few days?")
MEDICATION_ADVICE_RE = re.compile(
    r"\b(stop|stopping|skip|skipping|pause|pausing|hold off|quit|come off|go off|double|dose|dosage|mg|how much|"
    r"how many (days|hours|pills|mg)|how thick|increase|start taking|keep taking)\b|\b(should|can|could|ok|okay|"
    r"safe|fine|allowed|supposed) (i |to |you )?(\w+ )?(take|use|apply|put|pop|buy)\b|\bput it on\b|"
    r"\b(take|use|apply) (it|them|some|any)\b.*\?", re.IGNORECASE)
NUMBING_RE = re.compile(r"\b(numbing|lidocaine|emla|anesthetic|anaesthetic|benzocaine)\b", re.IGNORECASE)
DIAGNOSIS_RE = re.compile(
    r"\b(photo|photos|pic|pics|picture|pictures|image|images|selfie|snap)\b|\bsend (you|u) (a |an |my )?\w*|"
    r"\bshow (you|u)\b|\blook at (my|this|it)\b|\bmole\b|\bdiagnos\w*|\b(is|could) (this|it|that) (be )?(a |an )?"
    r"(rosacea|eczema|psoriasis|melasma|acne|cancer|skin cancer|melanoma|dermatitis|fungal|a rash|allergy)\b|"
    r"\bdo i have (rosacea|eczema|psoriasis|melasma|acne|cancer|skin cancer|melanoma|dermatitis|a skin)\b|"
    r"\bwhat (is|are) (this|that|these|those) (spot|spots|bump|bumps|thing|things|mark|marks|patch|patches)\b|"
    r"\bwhat kind of (acne|scar|scars|spot|spots|skin)\b.*\b(i have|do i have|is (this|mine))\b|"
    r"\bwhat (skin type|type of scars?) (am i|do i have)\b", re.IGNORECASE)
PUSHBACK_RE = re.compile(
    r"\b(so )?(can|could) i (do it |get it |have it )?or (not|can'?t i)\b|\byes or no\b|\bjust (tell|say)\b|"
    r"\bstraight answer\b|\bso (am i|i'?m) (fine|ok|okay|good|safe|a (good )?candidate|cleared)\b|"
    r"\bso (that'?s|is that) a (yes|no)\b|^\W*so i can\b|\bso it'?s (fine|ok|okay|safe)\b|\byou('?re| are) not "
    r"answering\b|\bbut (can|could) i\b.*\?|\bam i (fine|ok|okay|good|safe|cleared) (to|for)\b|"
    r"\bi('?m| am) sure (it'?s|i'?m) fine\b|\bi just want (a|to know)\b|\bis that a yes\b|"
    r"\b(it'?s|its|that'?s|thats) probably (nothing|fine|ok|okay|normal)\b|\bnothing to worry about\b", re.IGNORECASE)
CONDITIONS: Dict[str, str] = {
    "pregnancy": r"\bpregnan(?!\w* (years?|months?) ago)(?<!from my pregnan)(?<!after my pregnan)(?<!since my pregnan)\w*|\bexpecting (a baby)?\b|\btrying to (conceive|get pregnant)\b|\bivf\b|\btrimester\b",
    "breastfeeding": r"\bbreast ?-?feed\w*|\bnursing\b|\bbreast ?milk\b|\bpumping\b|\bbreastfed\b",
    "isotretinoin": r"\baccutane\b|\bisotretinoin\b|\babsorica\b|\bclaravis\b|\bamnesteem\b|\bzenatane\b|\bmyorisan\b",
    "blood_thinners": r"\bblood ?-?thinn\w*|\beliquis\b|\bapixaban\b|\bwarfarin\b|\bcoumadin\b|\bxarelto\b|"
                      r"\bplavix\b|\bheparin\b|\banticoagula\w*|\bbruise(s)? (easily|a lot)\b|\bbleeding disorder\b|"
                      r"\bhemophilia\b|\bhaemophilia\b|\bvon willebrand\b|\baspirin (daily|every day)\b",
    "cold_sores": r"\bcold ?sores?\b|\bfever blisters?\b|\bherpes\b|\bhsv\b",
    "keloids": r"\bkeloid\w*|\bhypertrophic scar\w*|\braised scar\w*",
    "darker_skin": r"\b(dark|darker|brown|black|deep|olive)(er)?[- ]?(skin|complexion|skinned)\b|\bskin of colou?r\b|"
                   r"\bfitzpatrick\b|\bmelanin\b|\bi'?m (black|african american|indian|south asian|latina|latino)\b|"
                   r"\bpoc\b|\bwoc\b",
    "active_acne": r"\b(active|current|cystic|bad) (acne|breakout\w*)\b|\bbreaking out\b|\bpimples? (right )?now\b|"
                   r"\bbreakouts?\b|\bacne (right now|rn|now)\b|\bzits\b|\bon \w+ for (my )?acne\b",
    "skin_flare": r"\beczema\b|\bpsoria\w*|\brosacea\b|\bdermatitis\b|\bflare\w*",
    "diabetes": r"\bdiabet\w*|\bblood sugar\b|\ba1c\b|\binsulin\b",
    "under_18": r"\b(1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen)[- ]?(years?[- ]old|yo|y/o)\b|\bi'?m (1[0-7])\b|"
                r"\bteen(ager)?s?\b|\bminor\b|\bunder 18\b|\b(i'?m|i am) (in|a) high school|\bhigh school(er| student)|\bmy (son|daughter|kid|child)\b",
    "autoimmune": r"\blupus\b|\bautoimmune\b|\bimmun\w*suppress\w*|\bimmunocompromised\b|\brheumatoid\b|"
                  r"\bscleroderma\b|\bvitiligo\b|\bmethotrexate\b|\bbiologics?\b|\bhumira\b|\bchemo\w*",
    "recent_treatment": r"\b(recent|recently|last week|yesterday|just had|just got)\b[^.?!]*\b(peel|laser|botox|"
                        r"filler\w*|sunburn\w*|wax\w*|injection\w*)\b|\b(peel|laser|botox|filler\w*|sunburn\w*)\b"
                        r"[^.?!]*\b(last week|yesterday|recently|days ago|a week ago|two weeks ago)\b|\bsunburn\w*",
}
_CONDITION_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in CONDITIONS.items()}


@dataclass
class Verdict:
    level: Optional[str] = None                       # emergency, urgent or None
    signs: List[str] = field(default_factory=list)
    medical: Optional[str] = None                     # medication, diagnosis or pushback
    conditions: List[str] = field(default_factory=list)
    treatment_words: bool = False                     # asks about treating something (cream, ice, pop)

    def warning(self) -> Optional[dict]:
        return {"level": self.level, "signs": self.signs} if self.level else None

    def medical_data(self) -> Optional[dict]:
        if not (self.medical or self.conditions or self.treatment_words):
            return None
        return {"topic": self.medical, "conditions": self.conditions, "treating": self.treatment_words}


TREATING_RE = re.compile(
    r"\b(cream|creams|ointment|lotion|gel|aloe|ice|icing|cold compress|vaseline|aquaphor|neosporin|polysporin|"
    r"bacitracin|antibiotic\w*|medicine|medication|meds|pill|pills|tylenol|ibuprofen|advil|benadryl|"
    r"antihistamine|hydrocortisone|abreva|pop|popping|squeeze|drain|pick|peel it|put (on|something)|apply|"
    r"treat (it|this)|wait (it out|and see|for)|next session|probably fine|it'?s fine|afford|urgent care|"
    r"er\b|emergency room|insurance|doctor|home remed\w*|tea tree|honey|coconut oil|makeup over|cover it)\b",
    re.IGNORECASE)

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'", "`": "'"})


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).lower()
    text = re.sub(r"\b(can|won|don|isn|doesn|didn|wasn|aren|couldn|wouldn|shouldn|hasn|haven|ain)t\b", r"\1't", text)
    # "its getting worse" is "it's" typed without the apostrophe
    text = re.sub(r"\bits (?=(getting|been|still|now|so|really|like|starting|gone|spreading|swelling|bleeding|oozing|"
                  r"all|very|super|kinda|kind of|worse|bad|red|hot|hard|not)\b)", "it's ", text)
    return re.sub(r"\s+", " ", text).strip()


class Screen:
    """One per process: the Matcher is built once from TERMS."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.matcher = term_matcher(nlp, TERMS)

    # ---------------------------------------------------------------- parsing
    def _doc(self, text: str) -> Doc:
        return canonical_doc(self.nlp, text)

    @staticmethod
    def _clauses(doc: Doc) -> List[int]:
        """Clause number of every token: commas, semicolons, sentence ends and "but" start a new one."""
        number, out = 0, []
        for token in doc:
            hyphenated = token.text in ("-", "/") and not token.whitespace_ and token.i > 0 and \
                not doc[token.i - 1].whitespace_  # "pus-filled", "on/off" are one word
            if not hyphenated and token.text in {",", ";", ".", "!", "?", ":", "\n", "-", "--", "—", "+", "/"} or \
                    token.lemma_ in ("but", "though", "although", "however", "except"):
                number += 1
            out.append(number)
        return out

    # ---------------------------------------------------------------- judging
    def screen(self, raw_text: str) -> Verdict:
        return self.explain(raw_text)[0]

    def explain(self, raw_text: str) -> Tuple[Verdict, List[str]]:
        """The verdict, and why each sign found was kept or dropped (for `make safety` and debugging)."""
        text = normalise(raw_text)
        verdict, notes = Verdict(), []
        if not text or text.startswith("/"):  # a button payload is not something the visitor typed
            return verdict, notes
        doc = self._doc(text)
        clause_of = self._clauses(doc)
        sentence_of = self._sentence_numbers(doc)
        hits: Dict[str, List[Tuple[int, int]]] = {}
        names = _name_words(raw_text)
        for match_id, start, end in self.matcher(doc):
            if end - start == 1 and doc[start].lower_ in names:
                continue  # "It's Ruby Blister, 770 555 0143": a surname, not a sign
            following = doc[end].lemma_ if end < len(doc) else ""
            if doc[end - 1].lower_ in NOT_BEFORE and following in NOT_BEFORE[doc[end - 1].lower_]:
                continue  # "blood thinners", "blood sugar": not bleeding
            hits.setdefault(self.nlp.vocab.strings[match_id], []).append((start, end))
        for match in [m for m in SCORE_RE.finditer(text) if _score_rises(m)] + list(HIGH_SCORE_RE.finditer(text)):
            span = doc.char_span(*match.span(), alignment_mode="expand")
            if span is not None:  # the score's first word stands for it, so it is near "pain"
                hits.setdefault("worse", []).append((span.start, span.start + 1))
        after_treatment = bool(AFTER_TREATMENT_RE.search(text))
        suitability = any(re.search(p, text) for p in SUITABILITY_Q)
        figurative = [m.span() for m in FIGURATIVE_RE.finditer(text)]
        found: Dict[str, str] = {}
        for name, level, terms, needs_treatment in SIGNS:
            if name in found or any(t not in hits for t in terms):
                continue
            # "sore" inside "cold sore" is not pain
            candidates = [[h for h in hits[t] if t == "cold_sore" or not any(
                a < h[1] and h[0] < b for a, b in hits.get("cold_sore", []))] for t in terms]
            for spans in self._combinations(candidates, sentence_of, anywhere=name in ANYWHERE):
                why = self._dropped(doc, text, spans, clause_of, sentence_of, figurative)
                if not why and needs_treatment and not after_treatment and (
                        needs_treatment == "always" or (suitability and not URGENCY_RE.search(text))):
                    why = "a condition before any treatment"
                span_text = doc[min(s for s, _ in spans):max(e for _, e in spans)].text
                notes.append(f"{name} ({span_text!r}): {'dropped, ' + why if why else 'kept'}")
                if not why:
                    found[name] = level
                    break
        if re.search(r"\bmoles?\b", text):
            found = {n: lv for n, lv in found.items() if n != "darkening patches spreading"}
        if found:
            verdict.level = EMERGENCY if EMERGENCY in found.values() else URGENT
            verdict.signs = [n for n, lv in found.items() if lv == verdict.level] + \
                            [n for n, lv in found.items() if lv != verdict.level]
        self._medical(text, verdict)
        return verdict, notes

    @staticmethod
    def _sentence_numbers(doc: Doc) -> List[int]:
        number, out = 0, []
        for token in doc:
            out.append(number)
            if token.text in {".", "!", "?", "\n", ";"} or re.fullmatch(r"[.!?]+", token.text):
                number += 1
        return out

    @staticmethod
    def _combinations(spans_per_term: List[List[Tuple[int, int]]], sentence_of: List[int], anywhere: bool = False) \
            -> Iterable[List[Tuple[int, int]]]:
        """Every choice of one match per term, in one sentence, within WINDOW tokens (or `anywhere`)."""
        def extend(index, chosen):
            if index == len(spans_per_term):
                start, end = min(s for s, _ in chosen), max(e for _, e in chosen)
                if anywhere or (end - start <= WINDOW + 2 and len({sentence_of[s] for s, _ in chosen}) == 1):
                    yield chosen
                return
            for span in spans_per_term[index]:
                if span not in chosen:
                    yield from extend(index + 1, chosen + [span])
        yield from extend(0, [])

    def _dropped(self, doc, text, spans, clause_of, sentence_of, figurative) -> str:
        """Why this occurrence of a sign is not a report of it ("" when it is)."""
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        inside = {i for s, e in spans for i in range(s, e)}
        clause_span = (min(t.idx for t in doc if clause_of[t.i] == clause_of[start]),
                       max(t.idx + len(t) for t in doc if clause_of[t.i] == clause_of[end - 1]))
        if any(a < clause_span[1] and clause_span[0] < b for a, b in figurative):
            return "figurative, or not about now"
        # negated: a negation word shortly before any of its terms, in the same clause, ends at "and"/"but"
        for term_start, _ in spans:
            for i in range(term_start - 1, max(-1, term_start - 7), -1):
                if clause_of[i] != clause_of[term_start] or doc[i].lower_ in ("and", "but", "then", "now"):
                    break
                if i not in inside and (doc[i].lemma_ in NEGATIONS or doc[i].lower_ in NEGATIONS):
                    return "negated"
        sentence = [t for t in doc if sentence_of[t.i] == sentence_of[start]]
        sentence_text = doc[sentence[0].i:sentence[-1].i + 1].text  # the text as typed: "i'm", not "i 'm"
        lowers = [t.lower_ for t in sentence]
        clause = [t for t in sentence if clause_of[t.i] == clause_of[start]]
        last_clause_tokens = [t for t in sentence if clause_of[t.i] == clause_of[end - 1]]
        last_clause = [t.lower_ for t in last_clause_tokens]
        last_clause_text = doc[last_clause_tokens[0].i:last_clause_tokens[-1].i + 1].text
        clause_lowers = [t.lower_ for t in clause]
        present = any(w in PRESENT for w in clause_lowers) or re.search(r"\b(is|are|'s|'re|am) \w+ing\b",
                                                                        " ".join(clause_lowers)) or any(
            t.lower_ in ("'s", "'re", "is", "are", "am", "has", "have") and (t.i == 0 or doc[t.i - 1].lower_ in
                                                             ("he", "she", "it", "there", "that", "they", "i", "who"))
            for t in clause)
        present = present or bool(BODY_NOW_RE.search(" ".join(clause_lowers)))
        before = [t.lower_ for t in clause if t.i < start]
        # "they" can be the provider: "the serum they used burned my skin" is about the visitor's own skin
        visitor_in_clause = bool(re.search(r"\b(my|mine) (\w+ )?(skin|face|cheeks?|forehead|chin|jaw|neck|nose|lips?|"
                                           r"eyes?|scalp|arms?|body)\b|\b(i have|i've got|ive got|i'm|im) ",
                                           " ".join(t.lower_ for t in clause)))
        # someone else, in the past or in general ("my friend got an infection at a spa")
        past = any(w in PAST_OR_GENERAL or (w.endswith("ed") and len(w) > 4) for w in lowers)
        recent = RECENT_RE.search(text)
        if any(w in OTHERS for w in before) and past and not present and not visitor_in_clause and not recent:
            return "someone else, in the past"
        # a nurse's or doctor's work ("I'm a nurse, I see infections all day")
        if PROFESSION_RE.search(text) and not visitor_in_clause and not REPORT_RE.search(" ".join(clause_lowers)):
            return "someone else: the visitor's patients"
        # the visitor's own history ("i had a seizure once in 2015")
        # in the sign's clause, or elsewhere in its sentence unless that clause is happening now ("getting little
        # blisters on my chin, I have a history of cold sores")
        if not present and (HISTORY_RE.search(" ".join(clause_lowers)) or (
                HISTORY_RE.search(sentence_text.lower()) and not PROGRESSIVE_RE.search(" ".join(clause_lowers)))):
            return "past history"
        if re.search(r"\b(read|heard|seen|saw|stories|reviews|reading)\b", sentence_text) and not present:
            return "something read or heard"
        # a question about risk, not a report
        # what follows "if" is supposed, not reported ("how would I know if I'm having a bad reaction?")
        report = REPORT_RE.search(re.sub(r"\b(?:if|in case|whether|god forbid)\b[^,;.!?]*", "", sentence_text.lower()))
        if CALL_FOR_HELP_RE.search(text):
            return ""  # "can u call me back asap, my lips are swelling": a report with a request, not a question
        # "is it normal to suddenly see double?? started this afternoon": asked about what is happening now
        asked_about_now = bool(re.search(r"\bis (it|this|that) normal\b", sentence_text.lower()) and NOW_RE.search(text))
        report = report or asked_about_now
        words = [w for w in last_clause if re.match(r"\w", w)]
        if not asked_about_now and words and words[0] in QUESTION_START and sentence_text.rstrip().endswith("?") \
                and not REPORT_RE.search(last_clause_text):
            return "a question about risk"
        starts_question = lowers and (lowers[0] in QUESTION_START or sentence_text.startswith(("what if", "how do i")))
        if not report and (starts_question or (sentence_text.rstrip().endswith("?") and
                                               any(w in HYPOTHETICAL for w in lowers))):
            return "a question about risk"
        if re.search(r"\b(what if|in case|if i (get|have|start|notice|see|develop)|if (it|my|there|you)|god forbid|"
                     r"qu[eé] pasa si|y si|puede causar|"
                     r"when should i|how (do|will|would) i know|signs of|watch (out )?for)\b", sentence_text) \
                and not report:
            return "a question about risk"
        return ""

    def _medical(self, text: str, verdict: Verdict) -> None:
        verdict.treatment_words = bool(TREATING_RE.search(text))
        if MEDICINE_RE.search(text) and MEDICATION_ADVICE_RE.search(text):
            verdict.medical = "numbing" if NUMBING_RE.search(text) else "medication"
        elif NUMBING_RE.search(text) and re.search(r"\b(at home|myself|buy|my own|put (it|some) on)\b", text):
            verdict.medical = "numbing"
        elif DIAGNOSIS_RE.search(text):
            verdict.medical = "diagnosis"
        elif PUSHBACK_RE.search(text):
            verdict.medical = "pushback"
        verdict.conditions = [name for name, pattern in _CONDITION_RES.items() if pattern.search(text)][:2]
