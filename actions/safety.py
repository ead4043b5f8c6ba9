"""Red-flag screening: a visitor describing a problem after a treatment.

The intent classifier files such messages under ask_downtime (their topic), but
they must never get the "mild redness for a day or two" answer.  Words, not a
model, decide this, so it cannot be talked out of it by a low confidence score.
"""
import re
from typing import List

_SIGNS = {
    "pus": r"\bpus\b|\boozing\b|\bdischarge\b|\byellow crust",
    "fever": r"\bfever\b|\bfeverish\b|\bchills\b|\btemperature of\b",
    "spreading redness": r"\bspreading\b|\bred streaks?\b|\bstreaking\b",
    "blisters": r"\bblisters?\b|\bblistering\b",
    "signs of infection": r"\binfect(?:ed|ion)\b",
    "worsening swelling or pain": r"\b(?:getting|got|gotten|is|it's|its|more|much|way)\s+(?:worse|more swollen|bigger|more painful)\b|\bworsening\b|\bswelling (?:up|is getting)\b",
    "severe pain": r"\bsevere(?:ly)?\b|\bunbearable\b|\bexcruciating\b",
    "hives or rash": r"\bhives\b|\brash\b",
    "trouble breathing": r"\b(?:can'?t|cannot|hard to|trouble|difficulty) breath(?:e|ing)\b|\bthroat (?:is )?(?:closing|swelling)\b",
    "eye swelling": r"\beyes? (?:are |is )?swollen shut\b|\bswollen shut\b",
}
# The sign must be the visitor's own, now: "will I get blisters?" is a question
# about risk (answered normally); "I have blisters since yesterday" is not.
_PERSONAL = re.compile(
    r"\b(?:my|i have|i've|ive|i got|i've got|i am|i'm|im|i feel|i'm getting|getting|since|still|"
    r"days? (?:after|since|ago|later)|after my|it's been|its been|now|yesterday|today|this morning)\b",
    re.IGNORECASE,
)


def red_flags(text: str) -> List[str]:
    """Names of the warning signs a visitor reports having, [] when none."""
    text = text or ""
    if not _PERSONAL.search(text):
        return []
    return [name for name, pattern in _SIGNS.items() if re.search(pattern, text, re.IGNORECASE)]
