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
from spacy.matcher import Matcher
from spacy.tokens import Doc

EMERGENCY, URGENT = "emergency", "urgent"

# ------------------------------------------------------------------------------------------ vocabulary
# Each term: phrases; a word matches its lemma ("swelling" matches swell, swells, swollen), "=word" the exact
# word only, "x*" any word starting so, "re:..." a regular expression.
TERMS: Dict[str, Sequence[str]] = {
    "breath": ["breathe", "breath", "breathing", "breathless*", "breathin", "breth*", "airway", "air", "respir*"],
    "wheeze": ["wheez*", "gasp*", "choke", "choking"],
    "difficulty": ["trouble", "hard", "harder", "difficult", "difficulty", "struggle", "struggling", "short",
                   "shortness", "can not", "cannot", "cant", "unable", "problem", "labor*", "labour*", "barely",
                   "heavy", "tight", "tighten", "weird", "catch", "stop", "no puedo", "cuesta", "dificultad",
                   "get air in", "wheez*"],
    "swallow": ["swallow*", "swollow*", "trag*"],
    "throat": ["throat", "airway", "windpipe", "tonsil*", "garganta"],
    "closing": ["close", "closing", "closed", "tight", "tighten*", "narrow*", "constrict*", "block*", "shut",
                "swell", "swelling", "swollen", "swolen", "thick", "lump", "cerrad*", "hinch*", "scratchy"],
    "mouth_part": ["lip", "lips", "tongue", "mouth", "uvula", "labio*", "lengua", "boca"],
    "swell": ["swell", "swelling", "swollen", "swolen", "swoll*", "puff", "puffy", "puffing", "balloon*",
              "blow up", "blowing up", "blew up", "huge", "double", "fat", "enlarg*", "bigger", "hinch*",
              "inflamad*", "tingl*"],
    "fast": ["fast", "quick", "quickly", "rapid*", "sudden*", "spread*", "minute", "minutes", "shut"],
    "face": ["face", "facial", "cheek*", "forehead", "chin", "jaw*", "neck", "skin", "nose", "head", "eye", "eyes"],
    "chest": ["chest", "heart", "pecho"],
    "chest_pain": ["pain", "painful", "hurt", "hurting", "tight", "tightness", "pressure", "ache", "heavy", "race",
                   "racing", "pound*", "flutter*", "crush*", "elephant", "weight", "squeez*", "duele", "dolor",
                   "sitting on", "sit on"],
    "faint": ["=fainted", "=fainting", "=faintin", "feel faint", "about to faint", "=faints",
              "going to faint", "gonna faint", "pass out", "passed out", "passing out", "black out", "blacked out",
              "blackout", "collapse*", "unconscious", "lose consciousness", "lost consciousness", "keel over",
              "keeled over", "wake up on the floor", "not waking", "desmay*", "and i =fell", "=fell over", "=fell down", "woozy", "room is spinning",
              "grey and sweaty", "gray and sweaty"],
    "vision": ["vision", "eyesight", "sight"],
    "vision_change": ["blur*", "lose", "lost", "loss", "dark", "change*", "double", "go", "went", "gone",
                      "weird", "spot*", "black"],
    "blind": ["blind", "can not see out", "cannot see out", "cant see out", "swollen shut", "swell shut",
              "can not open my eye*", "cannot open my eye*"],
    "eye_word": ["eye", "eyes", "ojo*"],
    "eye_change": ["blur*", "blind*", "went dark", "go dark", "gone dark", "went black", "double", "lost vision",
                   "can not see", "cannot see", "cant see", "borros*"],
    "bleed": ["bleed", "bleeding", "bled", "blood", "sangr*"],
    "wont_stop": ["will not stop", "wont stop", "not stop", "not stopping", "keep", "keeps", "still", "nonstop",
                  "non stop", "pour*", "gush*", "soak*", "drip*", "everywhere", "heavy", "heavily", "lot",
                  "can not stop", "cannot stop", "cant stop", "wo not stop", "hour", "hours", "through the gauze",
                  "keep coming", "keeps coming", "will not quit", "not quit", "wont quit", "keep dripping",
                  "keeps dripping"],
    "fever": ["fever", "feverish", "febrile", "fiebre", "high temperature", "high temp", "running a temp",
              "run a temp", "have a temp", "got a temp", "a temp and", "running hot"],
    "temperature": ["temp", "temperature", "fever", "thermometer", "it was", "now"],
    "fever_number": [r"re:^(1\d\d(\.\d+)?|3[89](\.\d+)?|4[0-2](\.\d+)?)(f|c|°f|°c|°)?$"],
    "confused": ["confuse", "confused", "confusion", "disorient*", "delirious", "delirium", "out of it",
                 "not make sense", "can not think", "incoherent", "nonsense", "confundid*", "can not stay awake",
                 "cant stay awake", "not know where", "not know what day", "no sé dónde", "drowsy"],
    "seizure": ["seizure", "convuls*", "seizing"],
    "anaphylaxis": ["anaphyla*", "epipen", "epi pen", "epinephrine", "severe allergic reaction",
                    "serious allergic reaction", "severe reaction"],
    # urgent
    "pus": ["pus", "puss", "pustule*", "discharge", "yellow stuff", "white stuff", "gunk", "goo", "yellow head*",
            "whitehead*", "pus-filled"],
    "ooze": ["ooze", "oozing", "oozy", "weep", "weeping", "weepy", "leak", "leaking", "seep*", "drain*",
             "supura*"],
    "crust": ["crust", "crusty", "crusting", "crusted", "honey", "yellow* scab*", "costra*"],
    "worse_alone": ["getting worse", "way worse", "much worse", "worse and worse", "worse not better",
                    "is worse", "'s worse", "keeps getting worse", "and hard", "and firm", "hard and"],
    "chills": ["chill", "chills", "shiver*", "rigor*", "escalofr*"],
    "redness": ["red", "redness", "redder", "reddish", "streak", "streaks", "line", "lines", "rash", "pink",
                "roj*"],
    "spreading": ["spread", "spreading", "spreads", "streak*", "expand*", "grow", "growing", "bigger", "creep*",
                  "travel*", "larger", "wider", "coming out", "come out", "running", "going up", "going down",
                  "toward*", "towards", "reaching", "up my", "down my"],
    "hot": ["throb", "throbbing", "pulsing", "burning hot", "hot to the touch", "radiating heat", "caliente",
            "on fire", "like fire"],
    "hot_word": ["hot", "caliente", "warm to the touch"],
    "swollen_or_sore": ["swell", "swelling", "swollen", "swoll*", "hurt", "hurts", "pain*", "sore", "throb*",
                        "tender", "bigger", "worse", "puffy"],
    "blister": ["blister", "blisters", "blistering", "blistered", "vesicle*", "bubble*", "ampolla*"],
    "cold_sore": ["cold sore", "cold sores", "coldsore*", "fever blister*", "herpes", "hsv", "outbreak"],
    "painful": ["pain", "painful", "hurt", "hurting", "hurts", "sore", "soreness", "swell", "swelling",
                "swollen", "swolen", "tender", "ache", "aching", "redness", "red", "inflam*", "burn", "burning",
                "sting", "stinging", "itch", "itchy"],
    "worse": ["worse", "worsen*", "increas*", "bad", "badly", "terrible", "severe", "unbearable", "excruciat*",
              "awful", "=more", "bigger", "spread*", "come back", "came back", "coming back", "returned", "not go down", "not going down", "not better", "not improve",
              "not improving"],
    "hives": ["hive", "hives", "welt*", "rash", "rashes", "allergic reaction", "reaction", "roncha*", "urticaria"],
    "burn": ["=burned", "=burnt", "a burn", "burn mark", "burn marks", "chemical burn", "scorch*", "quemad*"],
    "not_heal": ["not heal", "not healing", "not healed", "will not heal", "never heal*", "open wound",
                 "open sore", "open area", "ulcer*", "not closing", "not dry out", "will not dry"],
    "infection": ["infect", "infection", "infected", "infectin", "cellulitis", "abscess*", "impetigo", "sepsis",
                  "staph", "mrsa"],
    "open_word": ["open", "=cracking", "=cracked", "split"],
    "wound_word": ["sore", "sores", "wound*", "scab*", "ulcer*"],
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
    ("chest pain", EMERGENCY, ("chest", "chest_pain"), False),
    ("fainting", EMERGENCY, ("faint",), False),
    ("sudden vision change", EMERGENCY, ("vision", "vision_change"), False),
    ("sudden vision change", EMERGENCY, ("blind",), False),
    ("sudden vision change", EMERGENCY, ("eye_word", "eye_change"), False),
    ("bleeding that won't stop", EMERGENCY, ("bleed", "wont_stop"), False),
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
    ("pain or swelling getting worse", URGENT, ("painful", "worse"), True),
    ("pain or swelling getting worse", URGENT, ("worse_alone",), True),
    ("rash or hives", URGENT, ("hives",), True),
    ("a burn", URGENT, ("burn",), True),
    ("skin that won't heal", URGENT, ("not_heal",), True),
    ("skin that won't heal", URGENT, ("open_word", "wound_word"), True),
    ("infection", URGENT, ("infection",), True),
    ("lumps appearing later", URGENT, ("lump",), True),
    ("lumps appearing later", URGENT, ("bump", "late"), True),
    ("darkening patches spreading", URGENT, ("dark_patch", "spreading"), True),
    ("darkening patches spreading", URGENT, ("dark_patch", "worse"), True),
]

# A word that is not the sign when this word follows it.
NOT_BEFORE = {"blood": {"thinner", "thinners", "thin", "thinning", "sugar", "pressure", "test", "work", "draw", "drawn",
                        "type", "donation", "cell", "vessel", "orange"}}

# Context words (lemmas after normalisation).
NEGATIONS = {"no", "not", "never", "without", "none", "nor", "neither", "zero", "nothing", "nope", "nah", "sin",
             "ni", "nada", "nothing's"}
OTHERS = {"friend", "friends", "sister", "brother", "mom", "mum", "mother", "dad", "father", "daughter", "son",
          "husband", "wife", "partner", "boyfriend", "girlfriend", "cousin", "aunt", "uncle", "coworker",
          "colleague", "people", "person", "patient", "client", "customer", "she", "he",
          "they", "her", "his", "their", "neighbor", "neighbour", "niece", "nephew", "grandma", "bestie", "bff",
          "roommate", "girl", "guy", "lady", "twin", "review", "reviews", "article", "video",
          "tiktok", "youtube", "reddit", "instagram"}
PAST_OR_GENERAL = {"got", "had", "gets", "has", "was", "were", "did", "once", "ago", "last", "year", "years",
                   "heard", "read", "saw", "happened", "told", "said", "posted", "ever", "before", "bled", "went",
                   "came", "felt", "fell", "always", "often", "usually", "lot", "sometimes", "faints", "swelled"}
HYPOTHETICAL = {"if", "risk", "risks", "risky", "chance", "chances", "likely", "likelihood", "common", "commonly",
                "possible", "possibility", "ever", "cause", "causes", "caused", "prevent", "avoid", "rare", "often",
                "usually", "happen", "happens", "might", "may", "would", "could", "dangerous", "safe", "side",
                "complication", "complications", "sign", "signs", "look", "recognize", "recognise", "know",
                "worry", "typical", "expected", "expect", "percent", "odds", "anyone", "people", "normally"}
RECENT_RE = re.compile(r"\b(just|right now|now|today|tonight|this (morning|afternoon|evening)|on the way|help|"
                       r"came round|came to|minutes? ago|mins? ago|an hour ago|hours? ago)\b")
PRESENT = {"now", "currently", "just", "today", "tonight", "here", "still", "keeps", "keep", "isn't", "aren't",
           "right", "suddenly", "started", "starting", "since", "im", "i'm"}
HISTORY_RE = re.compile(r"\b(once|(years?|months?) ago|last (year|summer|spring|fall|winter|time)|in (college|high school|20\d\d|"
                        r"19\d\d)|as a (kid|child|teen|teenager)|when i was|used to|years|cleared( up)?|went away|"
                        r"healed|back then|previously|in the past|history of)\b")
REPORT_RE = re.compile(r"\b((?<!could )(?<!would )(?<!can )(?<!will )(?<!might )(?<!if )(?<!do )i have|i've got|i got|ive got|i'm getting|im getting|i am getting|my (\w+ ){0,2}"
                       r"(is|are|has|have|was|were|keeps?|started|looks?|feels?)|it's (been|getting|still|now|"
                       r"really|very|so|all|kind of|kinda|like)|there's|there is|there are|i'm (having|seeing|"
                       r"noticing|starting)|i noticed|noticed|now|since|still|started|starting|day \d+|this morning|"
                       r"tonight|today|right now|yesterday|hours? ago|days? ago|is (it|this|that) normal (for|that|when))\b")
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
    r"(almost|nearly) (fainted|passed out|died|had a heart attack)|want(s)? to (faint|pass out|die)|hot mess|"
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
    r"\bso (that'?s|is that) a (yes|no)\b|\bso i can\b|\bso it'?s (fine|ok|okay|safe)\b|\byou('?re| are) not "
    r"answering\b|\bbut (can|could) i\b.*\?|\bam i (fine|ok|okay|good|safe|cleared) (to|for)\b|"
    r"\bi('?m| am) sure (it'?s|i'?m) fine\b|\bi just want (a|to know)\b|\bis that a yes\b|"
    r"\b(it'?s|its|that'?s|thats) probably (nothing|fine|ok|okay|normal)\b|\bnothing to worry about\b", re.IGNORECASE)
CONDITIONS: Dict[str, str] = {
    "pregnancy": r"\bpregnan\w*|\bexpecting (a baby)?\b|\btrying to (conceive|get pregnant)\b|\bivf\b|\btrimester\b",
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
                r"\bteen(ager)?s?\b|\bminor\b|\bunder 18\b|\bhigh school\b|\bmy (son|daughter|kid|child)\b",
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
    return re.sub(r"\s+", " ", text).strip()


def _token_pattern(word: str, lemma_of) -> dict:
    if word.startswith("re:"):
        return {"LOWER": {"REGEX": word[3:]}}
    if word.startswith("="):
        return {"LOWER": word[1:]}
    if word.endswith("*"):
        return {"LOWER": {"REGEX": "^" + re.escape(word[:-1])}}
    return {"LEMMA": {"IN": sorted({word, lemma_of(word)})}}


class Screen:
    """One per process: the Matcher is built once from TERMS."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab)
        lemma_of = lambda word: self._doc(word)[0].lemma_  # noqa: E731 - the same canonical lemma as the text's
        for term, phrases in TERMS.items():
            patterns = []
            for phrase in phrases:
                words = phrase.split() if phrase.startswith("re:") is False else [phrase]
                patterns.append([_token_pattern(w, lemma_of) for w in words])
            self.matcher.add(term, patterns)

    # ---------------------------------------------------------------- parsing
    def _doc(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        for token in doc:  # one canonical lemma: "n't" -> not, "ca" -> can, "wo" -> will
            norm = token.norm_
            if norm in ("not", "can", "will") or not token.lemma_:
                token.lemma_ = norm
            else:
                token.lemma_ = token.lemma_.lower()
        return doc

    @staticmethod
    def _clauses(doc: Doc) -> List[int]:
        """Clause number of every token: commas, semicolons, sentence ends and "but" start a new one."""
        number, out = 0, []
        for token in doc:
            if token.text in {",", ";", ".", "!", "?", ":", "\n", "-", "--", "—", "+", "/"} or token.lemma_ in (
                    "but", "though", "although", "however", "except"):
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
        for match_id, start, end in self.matcher(doc):
            following = doc[end].lemma_ if end < len(doc) else ""
            if doc[end - 1].lower_ in NOT_BEFORE and following in NOT_BEFORE[doc[end - 1].lower_]:
                continue  # "blood thinners", "blood sugar": not bleeding
            hits.setdefault(self.nlp.vocab.strings[match_id], []).append((start, end))
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
        sentence_text = " ".join(t.lower_ for t in sentence)
        lowers = [t.lower_ for t in sentence]
        clause = [t for t in sentence if clause_of[t.i] == clause_of[start]]
        last_clause = [t.lower_ for t in sentence if clause_of[t.i] == clause_of[end - 1]]
        clause_lowers = [t.lower_ for t in clause]
        present = any(w in PRESENT for w in clause_lowers) or re.search(r"\b(is|are|'s|'re|am) \w+ing\b",
                                                                        " ".join(clause_lowers)) or any(
            t.lower_ in ("'s", "'re", "is", "are", "am") and (t.i == 0 or doc[t.i - 1].lower_ in
                                                             ("he", "she", "it", "there", "that", "they", "i", "who"))
            for t in clause)
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
        # the visitor's own history ("i had a seizure once in 2015")
        if HISTORY_RE.search(sentence_text) and not present:
            return "past history"
        if re.search(r"\b(read|heard|seen|saw|stories|reviews|reading)\b", sentence_text) and not present:
            return "something read or heard"
        # a question about risk, not a report
        report = REPORT_RE.search(sentence_text)
        words = [w for w in last_clause if re.match(r"\w", w)]
        if words and words[0] in QUESTION_START and sentence_text.rstrip().endswith("?") \
                and not REPORT_RE.search(" ".join(last_clause)):
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
