"""Text -> the specific points a visitor asks about, in the order asked ("is it painful, and how long am I
red after?" -> ask_pain, ask_downtime/redness), so the reply can lead with each point.

Each point belongs to one contract intent. Its words are matched by spaCy's Matcher on lemmas
(safety/terms.py), so wording and inflection vary freely; where two matches of one topic overlap, the
longer wins. A message is cut into segments (at "?", ";", ", and …", " also ", "and when …"); `choose`
answers each segment in order: the classified topic's point if the segment names one (two when joined by
"and"/"or"), else, in a segment that asks something, the first point of another topic. Weak words (WEAK)
give way to another topic's point; generic points (GENERIC) to a specific one of their topic. Topic words
(TOPIC_WORDS) only say which topic a segment is about ("how much", "where are you") when it names no point.
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional, Sequence, Tuple

from spacy.language import Language

from safety.terms import canonical_doc, term_matcher

# intent -> point -> phrases (safety/terms.py notation)
POINTS: Dict[str, Dict[str, Sequence[str]]] = {
    "ask_downtime": {
        "redness": ["red", "redness", "redder", "pink", "pinkness", "sunburn*", "flush*", "look normal",
                    "normal again", "back to normal", "how long will i be red", "lobster", "tomato", "rosy", "normal color", "normal colour", "slapped", "3 day thing", "look like i had something", "obvious", "blotchy", "how red", "stop looking", "look human"],
        "work": ["back to =work", "go to =work", "at =work", "to =work", "for =work", "miss =work", "=work tomorrow",
                 "=work the next", "=work next", "=work on monday", "=work monday", "my =work", "=work shift",
                 "can i =work", "i =work", "workplace", "job", "office", "school", "class", "meeting", "in public", "be seen", "go out",
                 "going out", "event", "wedding", "party", "date", "presentation", "interview", "zoom", "time off",
                 "day off", "days off", "photo*", "picture*", "shift", "clients", "customers", "boss",
                 "coworker*", "brunch", "dinner", "vacation", "trip", "flight", "holiday", "reunion",
                 "bridesmaid", "socially", "hide", "presentable", "around people", "around ppl", "graduation", "ceremony", "bridesmaid", "game", "concert", "see people", "leave the house", "out in public", "noticeable", "notice*", "tell i had", "recital", "church"],
        "makeup": ["makeup", "make up", "make-up", "foundation", "concealer", "mascara", "cosmetic*", "cover up",
                   "tinted", "bb cream", "cc cream", "powder", "blush", "bronzer", "primer", "maquillaje",
                   "full face", "glam", "eyeliner", "lipstick", "mineral powder", "makeup lady", "makeup artist", "mua", "put stuff on my face", "glam"],
        "exercise": ["gym", "workout*", "work out", "working out", "exercis*", "run", "running", "jog*", "sweat*",
                     "yoga", "sauna", "steam room", "swim*", "pool", "spin", "crossfit", "lift", "lifting",
                     "weights", "hike", "hiking", "pilates", "sport*", "cardio", "training", "hiit", "tennis",
                     "soccer", "bike", "cycling", "peloton", "marathon", "hot tub", "jacuzzi", "active"],
        "sun": ["sun", "sunny", "sunscreen", "spf", "sunblock", "beach", "tan", "tanning", "outside", "outdoors",
                "uv", "lay out", "sunbath*", "rays", "hat", "mineral", "zinc", "florida", "spring break", "tropical", "cruise", "mexico", "hawaii", "cancun", "lake", "sunshine"],
        "washing": ["wash*", "cleanse", "cleanser", "shower*", "get wet", "water", "soap", "face wash", "bath",
                    "rinse", "splash"],
        "flaking": ["flake", "flaking", "flaky", "flakes", "peel", "peeling", "dry", "dryness", "tight",
                    "tightness", "scrub*", "exfoliat*", "dead skin", "scaly", "itch*", "shedding", "rough patches",
                    "crusty"],
    },
    "ask_product_absorption": {
        "routine": ["moisturi*", "what should i put", "what can i put", "what to put", "what do i put",
                    "what do i use", "what should i use", "what can i use", "what to use", "safe to use",
                    "products after", "post care", "post-care", "aftercare product*", "night cream", "skincare after",
                    "skin care after", "ok to use", "okay to use", "put on my face", "put on my skin", "apply after",
                    "slather", "balm", "ointment", "aquaphor", "vaseline", "cerave", "oil", "oils", "skincare look like", "skincare", "skin care", "safest thing", "put on after", "need after", "hydrating", "hydrate", "something soothing", "soothe", "calm it", "what products"],
        "vitamin_c": ["vitamin c", "vit c", "vitc", "vitamin-c", "ascorbic", "l-ascorbic", "c serum", "c e ferulic",
                      "ferulic", "ascorbic acid"],
        "retinoids": ["retinol", "retinoid*", "tretinoin", "retin-a", "retin a", "retina", "adapalene", "differin",
                      "tret", "tazarotene", "tazorac", "vitamin a", "retinal", "retinaldehyde"],
        "acids": ["glycolic", "salicylic", "lactic", "aha", "ahas", "bha", "bhas", "benzoyl", "bpo", "toner*",
                  "exfoliant*", "mandelic", "azelaic", "peel pad*", "acid pad*", "acids", "acid toner",
                  "the ordinary peel", "aha/bha", "peeling solution", "red peeling", "2% bha", "liquid exfoliant", "paula's choice", "ordinary peeling", "exfoliating"],
        "hyaluronic": ["hyaluronic", "hyaluron*", "ha serum", "sodium hyaluronate", "hydrating serum", "ha", "hyaluronic serum", "hyaluronic acid"],
        "restart": ["restart", "start again", "go back to my", "back to my", "resume", "normal routine",
                    "usual routine", "regular routine", "usual products", "regular products", "normal products",
                    "my routine", "how soon can i use", "how long before i can use", "when can i use",
                    "when can i go back", "full routine", "start using", "reintroduce", "get back to", "actives again", "my actives", "usual stuff", "go back to everything", "back to everything", "bring back", "start them back", "start back", "again", "10 step", "korean routine", "back up", "add back"],
    },
    "ask_texture_scars": {
        "scar_types": ["acne scar*", "rolling", "boxcar", "box car", "box-car", "pitted", "pitting", "pock*",
                       "scarring", "acne marks and scars", "scars from acne", "indent*", "divot*", "crater*",
                       "atrophic", "how much will my scars", "dented", "dents", "old breakouts", "from breakouts", "from acne"],
        "icepick": ["ice pick", "ice-pick", "icepick", "deep narrow", "narrow deep", "deep holes", "tiny holes",
                    "pinpoint", "deep little holes", "deep pitted", "really deep", "deep scars", "narrow scars", "deep pits", "ice picks"],
        "stretch_marks": ["stretch mark*", "striae", "stretchmark*", "tiger stripe*", "stretchies", "stripes", "my belly", "stomach", "hips", "thighs", "postpartum", "after kids", "pregnancy marks"],
        "pores": ["pore", "pores", "poros"],
        "surgical_scars": ["surgery", "surgical", "c-section", "c section", "csection", "cesarean", "caesarean",
                           "injury", "burn scar*", "accident", "stitches", "old scar*", "chicken pox", "chickenpox",
                           "tummy tuck", "incision", "bite", "cut scar", "scar from", "operation", "appendix",
                           "knee", "self harm", "self-harm", "trauma*", "how old can a scar", "mole removed", "removal scar", "removed", "old scar", "years old scar", "year old scar", "keloid"],
    },
    "ask_hyperpigmentation": {
        "melasma": ["melasma", "pregnancy mask", "mask of pregnancy", "hormonal patch*", "hormonal pigment*",
                    "chloasma", "hormonal", "birth control", "when i was pregnant", "while pregnant", "during pregnancy", "dark patches", "upper lip", "mustache", "moustache", "patches on my cheeks"],
        "sun_spots": ["sun spot*", "sunspot*", "age spot*", "liver spot*", "sun damage", "freckle*", "lentig*",
                      "sun-damage", "brown spots", "spots from the sun"],
        "acne_marks": ["acne marks", "acne mark", "dark marks", "marks from acne", "marks left", "pih",
                       "post-inflammatory", "post inflammatory", "leftover marks", "left over marks", "red marks",
                       "brown marks", "marks from pimples", "pimple marks", "spots from pimples", "after acne",
                       "old pimples", "zit marks", "breakout marks", "marks from breakouts", "acne spots", "left after breakouts", "spots left", "acne leaves", "zit leaves", "every zit", "popping pimples", "from acne", "after breakouts", "left behind", "pimple leaves", "leaves a mark", "leaves a dark", "post acne", "post-acne"],
        "darker_skin": ["dark skin", "darker skin", "brown skin", "black skin", "skin of color", "skin of colour",
                        "melanin", "fitzpatrick", "deep skin", "olive skin", "darker complexion", "dark complexion",
                        "deeper skin", "skin tone is dark", "i'm black", "i am black", "i'm indian", "i'm latina",
                        "south asian", "african american", "tan skin", "brown girl", "darker tone", "deep tone",
                        "type 4", "type 5", "type 6", "type iv", "type v", "type vi", "i'm indian", "darkens from everything", "darkens easily", "deep brown", "brown skinned", "darker skinned", "dark skinned", "black woman", "black man", "skin darkens", "i'm brown", "risky for me", "safer for me", "keloid"],
    },
    "ask_sessions_results": {
        "how_many": ["how many", "number of sessions", "one session", "just one", "only one", "single session",
                     "one treatment", "one and done", "a few sessions", "package of", "sessions do i need",
                     "how much sessions", "usual number", "number of rounds", "how many rounds", "rounds", "3 or more", "like 10", "overkill", "6 of them", "enough"],
        "spacing": ["how far apart", "how often", "between sessions", "between treatments", "weeks apart",
                    "space", "spaced", "spacing", "interval*", "how soon can i do another", "every week",
                    "every two weeks", "every month", "back to back", "frequency", "wait between", "next one",
                    "monthly", "weekly", "come back in", "too soon", "in between", "once a month", "every 6 weeks", "every few weeks", "gap", "closer together", "speed things up", "before the next", "wait before", "how many weeks"],
        "first_results": ["when will i see", "when do i see", "when would i see", "when can i see", "first results",
                          "see results", "see a difference", "notice a difference", "notice", "right away",
                          "immediately", "instant*", "how soon", "how quickly", "how fast", "after one", "after the first",
                          "first session", "glow", "see anything", "see change*", "see improvement", "any improvement", "by then", "see any", "after 1", "one session now", "first one", "difference after", "start seeing", "start to see", "see it working"],
        "full_results": ["full result*", "final result*", "full effect", "peak", "best results", "full benefit",
                         "end result*", "complete result*", "maximum", "max results", "final outcome", "keep improving",
                         "fully", "at its best", "my best", "judge", "whether it worked", "keep getting better", "getting better for months", "collagen finish", "finish doing", "after i finish", "all the sessions", "done building"],
        "lasting": ["last", "lasts", "permanent*", "wear off", "forever", "long-lasting", "long lasting",
                    "go back to how", "come back", "fade away", "temporary", "for good", "stay", "stick", "keep the results", "permanant", "permenant", "years does it last", "fade over time", "fade", "how long do the results", "how long will the results", "how long does it last", "lifetime"],
        "maintenance": ["maintenance", "maintain", "touch up", "touch-up", "touchup*", "top up", "top-up", "keep up",
                        "once a year", "yearly", "annual*", "upkeep", "booster", "keep coming", "ongoing", "lifelong", "after my package", "done with my package", "to keep everything", "keep it looking", "keep looking", "for upkeep", "keep them", "keep results", "after the series", "after the first round"],
    },
    "ask_pain": {
        "numbing": ["=numb", "numbing", "numbed", "anesthetic", "anaesthetic", "anesthesia", "lidocaine", "emla",
                    "topical", "numb cream", "numbing cream", "numbing gel", "put me under", "sedat*", "anestesia"],
        "feeling": ["feel like", "what does it feel", "how bad", "pain level", "scale",
                    "how much does it hurt", "sensation", "wimp", "low pain tolerance", "pain tolerance", "scratch*",
                    "feel it", "bearable", "tolerable", "uncomfortable", "discomfort", "duele",
                    "baby", "scared of pain", "hate pain", "wax*", "tattoo*", "threading", "pinch", "stinging", "like needles", "prick*", "what will i feel", "what it feels", "how does it feel", "experience", "sandpaper", "vibrat*"],
        "sensitive_areas": ["upper lip", "lip", "lips", "forehead", "nose", "under eye*", "under-eye", "eye area",
                            "bony", "neck", "area", "areas", "where does it hurt", "which part", "which parts",
                            "hairline", "jaw*", "cheekbone*", "temple*", "chin", "around the eyes", "part of the face",
                            "spots hurt", "bone", "thin skin", "near the eyes", "worst spot", "worst part", "spot on the face", "under my eyes", "that area", "more painful", "hurt more", "sensitive spot*", "sensitive area*", "where does it", "which area*"],
    },
    "ask_what_is_microneedling": {
        "how_it_works": ["how does it work", "how does it even work", "how does it actually work", "how does this work",
                         "how does this even work", "how would it work", "how does microneedling work", "how it works", "what does it do",
                         "collagen induction", "science", "mechanism", "why does it work", "how does that work",
                         "tiny wounds", "tiny holes", "punctures", "how do the needles", "what happens to my skin",
                         "what happens to the skin", "actually do", "work exactly", "how is it supposed to",
                         "explain", "poking holes", "make collagen", "build collagen", "builds collagen", "tiny needles", "controlled damage", "controlled injury", "how deep", "needles go", "seems backwards", "how does poking", "why would", "make skin better", "how can needles"],
        "vs_lasers_peels": ["laser*", "peel", "peels", "chemical peel", "fraxel", "ipl", "dermabrasion",
                            "microdermabrasion", "hydrafacial", "compared", "compare", "vs", "versus", "better than",
                            "difference between", "or a peel", "morpheus", "rf microneedling", "co2",
                            "bbl", "facial", "over other treatments", "other treatments", "why choose", "alternatives", "botox"],
        "home_rollers": ["at home", "at-home", "home roller*", "dermaroller*", "derma roller*", "roller", "rollers",
                         "derma pen*", "dermapen*", "diy", "amazon", "kit", "myself", "do it at home",
                         "home device*", "own roller", "home version", "stamp", "tiktok", "home pen"],
        "prp": ["prp", "vampire", "platelet*", "plasma", "own blood", "blood", "prf"],
        "risks": ["risk", "risks", "risky", "side effect*", "dangerous", "danger", "infection", "infections",
                  "complication*", "go wrong", "adverse", "how safe", "is it safe", "safety", "scar me", "cause scarring",
                  "cause infection", "harmful", "downsides", "downside"],
        "appointment_length": ["how long does the appointment", "how long is the appointment", "how long does it take",
                               "how long will i be there", "how long is a session", "how long does a session",
                               "session take", "minutes", "hour", "hours", "take long", "lunch break",
                               "how long will it take", "how much time", "time do i need", "block out",
                               "how long is the visit", "in and out", "parking meter", "lunch hour", "appointment length", "numbing part", "take all day", "all day", "quick procedure", "quick", "2 hrs", "2 hours", "sitter", "how long with", "length of"],
    },
}
# Words that say which topic a segment is about when it names no point ("and how much is it?").
TOPIC_WORDS: Dict[str, Sequence[str]] = {
    "ask_price": ["price", "prices", "cost", "costs", "how much is", "how much does", "how much are", "$", "pricing",
                  "expensive", "afford*", "package deal*", "financing", "payment plan*", "insurance", "cuánto",
                  "cuanto", "precio"],
    "ask_location_hours": ["where are you", "address", "located", "location", "directions", "parking", "park",
                           "hours", "open", "close", "closed", "saturday", "sunday", "weekend*", "what time"],
    "ask_collagen": ["collagen", "wrinkle*", "fine lines", "firm*", "sagging", "saggy", "loose skin", "crepey",
                     "elastin", "anti-aging", "anti aging", "tighten*", "crow's feet", "smile lines", "laugh lines"],
    "ask_pain": ["pain", "painful", "hurt*"],
    "ask_downtime": ["downtime", "down time", "recovery", "recover", "heal*", "aftercare", "after care"],
    "ask_sessions_results": ["results", "sessions", "treatments needed"],
    "ask_what_is_microneedling": ["what is microneedling", "what's microneedling", "what is it", "collagen induction"],
    "ask_texture_scars": ["scar", "scars", "texture", "bumpy", "rough", "smooth*"],
    "ask_hyperpigmentation": ["pigment*", "dark spot*", "discoloration", "uneven tone", "uneven skin tone",
                              "hyperpigment*", "blotch*", "even out"],
    "ask_product_absorption": ["serum*", "product*", "skincare", "skin care", "absorb*", "penetrat*"],
}
# "what can you do?", "how does this work?" as a first message: what the assistant can do.
CAPABILITIES_RE = re.compile(
    r"\bwhat (can|do|could) (you|u|this (bot|chat|thing)) (do|help( me)? with|answer|tell me)\b|\bwhat (are|r) (you|u) "
    r"(for|able to do)\b|\bhow does this (chat |bot |thing )?work\b|\bhow do i use (this|you)\b|\bwhat can i ask\b|"
    r"\bwhat should i ask\b|\bwhat is this (chat|bot|thing)\b|\bwhat do you know( about)?\b|\bwhat are my options\b|"
    r"^\W*(help|menu|options)\W*$", re.IGNORECASE)
COMMON_WORD = -14.5  # spaCy's English word log-probability above which a word is one people type


@lru_cache(maxsize=1)
def common_words() -> frozenset:
    """English words people commonly type (spacy-lookups-data's `en_lexeme_prob`), read once per process."""
    table = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(table) as handle:
        return frozenset(w for w, p in json.load(handle).items() if p > COMMON_WORD)


def unreadable(text: str) -> bool:
    """Keyboard mashing ("asdfgh jkl;; qwpeoriu zzz"): two or more words and not one of them a common word."""
    words = re.findall(r"[^\W\d_]+", (text or "").lower())
    return len(words) >= 2 and not any(w in common_words() for w in words)


SEGMENT_RE = re.compile(r"\?+|;|,\s*(?:and|also|plus|but)\b|,\s*(?=(?:how|when|what|will|can|do|does|is|are)\b)|\s(?:and also|also|plus)\s|\.\s+(?=\w)|"
                        r"\s(?:and|or|&)\s+(?=(?:when|how|what|will|can|could|do|does|is|are|should|would|where|which|"
                        r"why|any|i|my)\b)|\s(?:and|&)\s+(?=\w+\s+(?:marks?|scars?|spots?|pores?)\b)")
ALSO_RE = re.compile(r"^\W*(and )?(also|plus|another thing|one more thing)\b")
# A segment that asks something: only such a segment adds the answer of another topic.
QUESTION_RE = re.compile(r"\?|^\W*(?:and |also |plus |but |or |&)?\s*(?:when|how|what|will|can|could|do|does|did|is|are|"
                         r"should|would|where|which|why|any|ok|okay)\b")


@dataclass(frozen=True)
class Point:
    intent: str
    point: Optional[str]     # None: the topic as a whole
    segment: int
    start: int = 0           # token where it was found
    asks: bool = True        # its segment asks something
    joined: bool = False     # "and"/"or" stands between it and an earlier point of its topic in the segment
    weak: bool = False       # named only by a weak word (WEAK)


# Points named only in questions about microneedling: they stand even where the classifier said out_of_scope
# ("can i just buy a dermaroller on amazon?").
DISTINCTIVE = {("ask_what_is_microneedling", "home_rollers"), ("ask_what_is_microneedling", "prp"),
               ("ask_product_absorption", "vitamin_c"), ("ask_product_absorption", "retinoids"),
               ("ask_product_absorption", "hyaluronic"), ("ask_texture_scars", "icepick"),
               ("ask_texture_scars", "stretch_marks"), ("ask_hyperpigmentation", "melasma"),
               ("ask_pain", "numbing")}
# Points that give way to a more specific one of their topic in the same segment: "when can i go back to my
# vitamin c serum?" is answered by the vitamin C point, which says when.
GENERIC = {"routine", "restart"}
# Words that name a point only weakly: where another topic's point is named in the same segment, that one is
# asked ("how long does the redness last?" is about redness, whatever the classifier said).
WEAK = {"ask_sessions_results": {"lasting": ["last", "lasts", "stay", "stick", "fade"]},
        "ask_downtime": {"work": ["date", "trip", "dinner", "shift"], "flaking": ["dry", "tight"]},
        "ask_pain": {"sensitive_areas": ["area", "areas", "bone"]}}
# Intents whose answers read the clinic profile: action_answer sends them (the action server reads the profile).
PROFILE_INTENTS = ("ask_price", "ask_location_hours")


def response_for(intent: str, point: Optional[str]) -> Optional[str]:
    """The domain response for an intent's point (or its whole answer); None for what the profile answers."""
    if intent in PROFILE_INTENTS or not intent.startswith("ask_"):
        return None
    return f"utter_faq_{intent[len('ask_'):]}" + (f"_{point}" if point else "")


def choose(points: List[Point], intent: str) -> List[Tuple[str, Optional[str]]]:
    """What to answer, in order: in each segment, a point of the classified intent if it names one, else the
    first point named (a topic word only when no point is). The classified intent comes first as a whole
    when no segment names one of its points."""
    chosen: List[Tuple[str, Optional[str]]] = []
    stood_in = False  # the classified intent's only words were weak ones, and another topic's point stood in
    for segment in sorted({p.segment for p in points}):
        here = [p for p in points if p.segment == segment]
        mine = [p for p in here if p.intent == intent]
        strong_elsewhere = [p for p in here if p.intent != intent and p.point and not p.weak]
        if mine and all(p.weak for p in mine) and strong_elsewhere:
            mine, stood_in = strong_elsewhere[:1], True  # "how long does the redness last?": redness
        if any(p.point and p.point not in GENERIC for p in mine):
            mine = [p for p in mine if p.point not in GENERIC]
        picks = mine[:1] + [p for p in mine[1:] if p.joined][:1]  # "the sun and the pool": both points of the topic
        if not picks and any(p.asks for p in here):
            picks = [next((p for p in here if p.point), None) or here[0]]
        for pick in picks:
            pair = (pick.intent, pick.point)
            if pair not in chosen and (pick.intent, None) not in chosen:
                chosen.append(pair)
    if intent and not stood_in and not any(i == intent for i, _ in chosen):
        chosen.insert(0, (intent, None))
    return chosen[:3]


class PointFinder:
    """One per process: the Matcher is built once from POINTS and TOPIC_WORDS."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        terms = {f"{intent}/{point}": [w for w in phrases if w not in WEAK.get(intent, {}).get(point, ())]
                 for intent, points in POINTS.items() for point, phrases in points.items()}
        terms.update({f"{intent}/{point}/weak": words for intent, points in WEAK.items() for point, words in points.items()})
        terms.update({f"{intent}/": phrases for intent, phrases in TOPIC_WORDS.items()})
        self.matcher = term_matcher(nlp, terms)

    def find(self, text: str) -> List[Point]:
        """Every point named, in the order asked: per segment, the most specific point of each intent."""
        text = (text or "").replace("\u2019", "'").lower()
        if not text or text.startswith("/"):
            return []
        doc = canonical_doc(self.nlp, text)
        cuts = [m.start() for m in SEGMENT_RE.finditer(text)]
        segment_of = lambda char: sum(1 for c in cuts if c < char)  # noqa: E731
        bounds = [0] + [c for c in cuts] + [len(text)]
        pieces = [text[bounds[i]:bounds[i + 1] + 1] for i in range(len(bounds) - 1)]
        # a segment asks when it is a question, or when the next one adds "also …" ("severe acne scarring here
        # lol. also is it normal to feel tight?": both are topics raised)
        asks = [bool(QUESTION_RE.search(piece)) or (i + 1 < len(pieces) and bool(ALSO_RE.match(pieces[i + 1])))
                for i, piece in enumerate(pieces)]
        matches = []
        for match_id, start, end in self.matcher(doc):
            intent, point, *weak = self.nlp.vocab.strings[match_id].split("/")
            matches.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), start, intent, point or None,
                            bool(weak)))
        # the longest match wins where two of one intent overlap ("vitamin c serum": vitamin_c, not "serum")
        kept: List[Tuple[int, int, int, str, Optional[str], bool]] = []
        for match in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0])):
            if not any(k[3] == match[3] and k[0] < match[1] and match[0] < k[1] for k in kept):
                kept.append(match)
        found: Dict[Tuple[int, str, Optional[str]], int] = {}    # (segment, intent, point) -> first token
        weak_only: Dict[Tuple[int, str, Optional[str]], bool] = {}
        for begin, _, start, intent, point, weak in kept:
            key = (segment_of(begin), intent, point)
            found[key] = min(found.get(key, start), start)
            weak_only[key] = weak_only.get(key, True) and weak
        # a topic word says nothing more where the same segment names one of that topic's points
        named = {(segment, intent) for segment, intent, point in found if point}
        points = [Point(intent, point, segment, start, asks[segment] if segment < len(asks) else True,
                        weak=weak_only[(segment, intent, point)])
                  for (segment, intent, point), start in found.items() if point or (segment, intent) not in named]
        points.sort(key=lambda p: (p.segment, p.start))
        conjunctions = [t.i for t in doc if t.lower_ in ("and", "or", "&", "+", "plus", ",", "/")]
        return [Point(p.intent, p.point, p.segment, p.start, p.asks, weak=p.weak, joined=any(
            q.segment == p.segment and q.intent == p.intent and q.start < p.start and
            any(q.start < c < p.start for c in conjunctions) for q in points)) for p in points]
