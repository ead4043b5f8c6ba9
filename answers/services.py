"""Is the visitor asking whether the clinic offers another treatment (or what it costs, or to book it)?

"do y'all do botox?", "how much is lip filler", "can I add a peel to my visit", "gift cards?" ask about a
service, answered from the profile's `services` (answers/policy.py); "I had Botox last week, can I still
get microneedling?", "microneedling or CO2 laser for scars?", "what is PRP?" only mention one, and the
usual answers take them. Keys: the profile's (prp, botox, fillers, laser, chemical_peel, facial,
gift_card) and `other_service` for a treatment the profile has no key for (RF microneedling, Kybella…).

A message asks about a service when an asking cue ("do you offer", "how much is", "can I book", "is …
available") governs the treatment's name in the same clause, and microneedling is not what the cue
asks about. Scored by `make services` on the blind corpus in tests/services/.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

PROFILE_KEYS = ("prp", "botox", "fillers", "laser", "chemical_peel", "facial", "gift_card")
OTHER = "other_service"

TERMS = {
    "prp": r"prp|prf|blood facials?|platelet[- ]rich (?:plasma|fibrin)|vampire facials?|(?:own )?blood plasma",
    "botox": r"botox(?:ed)?|dysport|xeomin|jeuveau|daxxify|(?:neuro)?toxins?|tox|wrinkle relaxers?|"
             r"(?:lip|brow) flip|baby botox|botulinum|\d+\s*units?",
    "fillers": r"(?:lip |cheek |chin |jaw(?:line)? |under[- ]eye |dermal )?fill(?:er|ers)|juvederm|juvéderm|restylane|"
               r"rha|sculptra|radiesse|liquid (?:rhinoplasty|facelift)|lip injections?|lips? (?:done|filled)|lips|\d+(?:\.\d)?\s*ml|syringes?",
    "laser": r"lasers?|ipl|bbl|fraxel|co2|halo|moxi|clear ?\+ ?brilliant|photofacials?|(?:laser )?hair removal|"
             r"resurfacing",
    "chemical_peel": r"(?:chemical |vi |tca |glycolic |lactic |salicylic |jessner(?:'s)? |light |deep |medium )?\w*peels?",
    "facial": r"(?:hydra ?facials?|facials?|dermaplan(?:e|ing)|oxygen facials?|microdermabrasion|extractions)",
    "gift_card": r"gift ?(?:cards?|certificates?|vouchers?)|e-?gift|vouchers?|as a (?:gift|present)|"
                 r"gift (?:a|an|her|him|them|my|someone)|(?:birthday|christmas|holiday|anniversary) (?:present|gift)|prepay",
    OTHER: r"rf microneedling|radio ?frequency|morpheus ?8|vivace|potenza|secret rf|exosomes?|kybella|"
           r"body contouring|coolsculpt(?:ing)?|emsculpt(?: neo)?|sculpsure|fat (?:reduction|freezing)|"
           r"cellulite (?:treatments?)?|butt lifts?|tattoo removal|waxing|sugaring|brazilian wax|microblading|"
           r"permanent makeup|lip blush|brow lamination|brow tint|lash (?:extensions?|lifts?)|lashes|"
           r"semaglutide|tirzepatide|ozempic|weight loss (?:shots?|injections?)|iv (?:therapy|drips?)|"
           r"vitamin (?:drips?|shots?|injections?)|b12(?: shots?)?|sclerotherapy|spider veins?|thread lifts?|pdo threads?|"
           r"ultherapy|hifu|thermage|sofwave|spray tans?|teeth whitening|skin tags?|mole removal|remove a mole|"
           r"hormone (?:replacement )?therapy|hrt|led (?:light )?therapy|red light therapy|cryotherapy|"
           r"ear piercing|piercings?|scalp micropigmentation|hair restoration|massages?",
}
# Longest first, so "rf microneedling" is not read as microneedling, nor "lip filler" as "filler".
_TERM_RE = re.compile("|".join(f"(?P<{key}>\\b(?:{pattern})\\b)" for key, pattern in
                               [(OTHER, TERMS[OTHER])] + [(k, TERMS[k]) for k in PROFILE_KEYS]), re.IGNORECASE)
_MICRONEEDLING = re.compile(r"\bmicro ?needl\w*|\bdermapen|\bcollagen induction", re.IGNORECASE)

_YOU = r"(?:you|u|ya|y'?all|yall|you guys|you all|your (?:clinic|office|place|spa|team|staff)|the clinic|y'?all's)"
_CUES = [
    rf"\b(?:do|does|did|can|could|will|would)\s+{_YOU}\s+(?:also\s+|even\s+|still\s+|now\s+|guys\s+)?"
    r"(?:do|offer|have|carry|sell|provide|perform|administer|host|use|stock|inject|treat|give|take|accept|draw|"
    r"work with)\b",
    rf"\b{_YOU}\s+(?:also\s+)?(?:do|offer|have|carry|sell|provide|perform)\b",
    r"\bhow\s+(?:much|expensive)\b|\bwhat(?:'s| is| are)?\s+(?:the\s+)?(?:price|cost|pricing|rates?)\b|"
    r"\bwhat do you charge\b|\b(?:price|prices|pricing|cost|costs|specials?|deals?|discounts?|promos?|per unit|"
    r"per area|per syringe)\b",
    r"\b(?:can|could|may)\s+i\s+(?:also\s+)?(?:book|get|schedule|buy|purchase|add|do|have|order|combine|pair)\b|"
    r"\b(?:want|like|looking|wanting|hoping|trying)\s+(?:to\s+)?(?:book|get|schedule|buy|purchase|add)\b|"
    r"\blooking for (?:a place for|someone (?:to|who))\b|\bhow (?:do|can) i (?:buy|get|purchase|order)\b|"
    r"\b(?:book|schedule)\s+(?:a|an|my|some)\b|\bswitch to you\b|\btouch up with you\b",
    r"\b(?:available|offered|on (?:your|the) menu|something you (?:do|offer)|on staff|an option (?:there|here|with you))\b|"
    r"\bis there (?:a|an|someone|anyone)\b|\bwho (?:does|do|injects|performs)\b|\bwhich one do you use\b|\bis that true\b|"
    r"\bsomething\s+(?:you|u|y'?all|\S+)\s+(?:do|does|offer|offers)\b|\bsame (?:visit|appointment|appt|day|session)\b|"
    r"\badd[- ]?ons?\b|\bupgrade\b|\bextra\b|\bincluded\b|\bat (?:your|ur|y'?all'?s) (?:office|clinic|place|spa)\b|"
    r"\bat yours\b|\b(?:call|callback|call back|text|email|ring)\b.{0,25}\b(?:about|re|regarding)\b",
]
_CUE_RE = re.compile("|".join(f"(?:{c})" for c in _CUES), re.IGNORECASE)
# Mentions that tell of the visitor's own history or plans elsewhere: "I had Botox", "my filler", "at my derm".
_HISTORY_RE = re.compile(
    r"\b(?:(?<!can )(?<!could )(?<!may )i(?:'ve| have)?\s+(?:had|got|get|did|done|been doing|used to get|"
    r"already (?:get|got|did|had|do))|"
    r"i'?m (?:getting|on|in the middle of|having)|(?:just |recently )?had|my (?:old |last )?(?:\w+ )?"
    r"(?:botox|filler|fillers|peel|laser|facial|hydrafacial|derm|dermatologist|esthetician|injector)|"
    r"at my (?:derm|dermatologist|spa)|somewhere else|another (?:spa|clinic|place)|elsewhere|gave me)\b",
    re.IGNORECASE)
# Comparison and timing questions about microneedling itself.
_RELATION_RE = re.compile(
    r"\b(?:vs\.?|versus|better than|worse than|safer than|gentler than|harsher than|compared? (?:to|with)|or "
    r"microneedl|microneedling or|difference between|same as|same thing|like (?:a |the )?|instead of|replace|"
    r"(?:before|after) (?:my |the |microneedl)|(?:how long|how soon|when) (?:after|before)|wait (?:after|before)|"
    r"than (?:a |an )?|which (?:is )?(?:better|hurts|works)|what is|what'?s a|how does|does .{0,30} (?:help|work)|"
    r"mess up|dissolve|ruin|combo|together)\b", re.IGNORECASE)
_GIFT_OWNED_RE = re.compile(r"\b(?:gave me|got|have|use|received)\s+(?:a|my|the)\s+gift", re.IGNORECASE)
_GOES_ON_RE = re.compile(r"\s*(?:or|and|also|plus|what about|how about)\b", re.IGNORECASE)
_CLAUSES = re.compile(r"[.?!;\n]+|,\s+(?=(?:and|but|also|or|do|does|can|is|are|how|what)\b)|\s+-\s+|\s+/\s+")


def _terms(text: str) -> List[Tuple[str, int, int]]:
    found = []
    for match in _TERM_RE.finditer(text):
        key = next(k for k, v in match.groupdict().items() if v)
        found.append((key, match.start(), match.end()))
    return found


_PRONOUN_ASK_RE = re.compile(rf"{_CUES[0]}\s+(?:it|that|those|them|this|these|one)\b", re.IGNORECASE)


def _asks_in_clause(clause: str, before: str = "") -> List[str]:
    terms = _terms(clause)
    if not terms and before and _PRONOUN_ASK_RE.search(clause):
        return _asks_in_clause(before + " " + clause)  # "daxxify? do you carry it", "chin filler, do you do that?"
    if not terms:
        return []
    cue = _CUE_RE.search(clause)
    gift = [t for t in terms if t[0] == "gift_card"]
    if gift and not _GIFT_OWNED_RE.search(clause):
        return ["gift_card"]  # "mother's day gift certificates?": a gift card is only ever bought
    if not cue:
        return []
    if _HISTORY_RE.search(clause) and not re.search(r"\b(?:you|u|y'?all|yall)\b", clause[cue.start():], re.IGNORECASE):
        return []
    needling = _MICRONEEDLING.search(clause)
    after_cue = [t for t in terms if t[1] >= cue.start()]
    if not after_cue and needling and needling.start() >= cue.start():
        return []  # "I have a botox appointment at my derm, could I do microneedling with you?"
    after_cue = after_cue or terms
    keys = list(dict.fromkeys(t[0] for t in after_cue))  # "do you do botox or fillers?": both
    if needling:
        # "do you do microneedling?": the cue asks about microneedling; "is microneedling better than laser"
        # and "how long after botox can I get microneedling" compare or time it
        if _RELATION_RE.search(clause) and not re.search(r"\b(?:same (?:day|visit)|add|also)\b", clause, re.IGNORECASE):
            return []
        if needling.start() < after_cue[0][1] and needling.start() >= cue.start() and not re.search(
                r"\b(?:and|also|or|plus|with|same (?:day|visit))\b|\+|&", clause[needling.end():after_cue[0][1]], re.IGNORECASE):
            return []
    elif _RELATION_RE.search(clause) and not re.search(r"\b(?:you|u|y'?all|yall|your|yours)\b", clause, re.IGNORECASE):
        return []  # "what is PRP", "does PRP actually work", "how does the vampire facial work"
    return keys


def services_asked(text: str) -> List[str]:
    """The service keys the message asks about, in order (empty: it asks about none)."""
    text = (text or "").replace("\u2019", "'")
    if text.startswith("/"):
        return []
    before, keys = "", []
    for clause in _CLAUSES.split(text):
        found = _asks_in_clause(clause, before)
        if not found and keys and _GOES_ON_RE.match(clause):
            found = [t[0] for t in _terms(clause)]  # "do you do botox? or laser hair removal"
        keys = list(dict.fromkeys(keys + found))
        before = clause
    return keys
