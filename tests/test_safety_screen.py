"""The warning-sign screen (safety/screen.py) on its own, and its figures on the blind safety corpus."""
from pathlib import Path

import pytest
import spacy

from safety.screen import Screen, normalise
from scripts.safety_score import CORPUS, DEVELOPMENT, load_labelled, score
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def screen():
    return Screen(spacy.load(str(ROOT / "build" / "spacy" / "en_clinic")))


@pytest.mark.parametrize("text, level, sign", [
    ("my lips are puffing up and I have trouble swallowing right after my treatment", "emergency",
     "swelling of the lips, tongue or eyes"),
    ("can’t breathe, throat closing", "emergency", "trouble breathing"),
    ("It’s been 3 days and it’s oozing", "urgent", "oozing"),
    ("can someone call me, my face is blistering and getting worse", "urgent", "blisters"),
    ("pus + fever day 3", "urgent", "pus"),
    ("hi! my cheeks have yellow crusts since my session on monday", "urgent", "crusts"),
])
def test_signs_are_found_whatever_the_wording(screen, text, level, sign):
    verdict = screen.screen(text)
    assert (verdict.level, sign in verdict.signs) == (level, True), verdict


@pytest.mark.parametrize("text, why", [
    ("I have severe acne scarring", "not a sign"),
    ("i have a fever blister on my lip, can i come tomorrow", "a condition before treatment"),
    ("no fever, no pus, just a bit pink on day 2", "negated"),
    ("my friend got an infection at a spa, how common is that?", "someone else, in the past"),
    ("can it cause infection?", "a question about risk"),
    ("I'm dying to try it", "figurative"),
    ("i had a seizure once in 2015 from a fever, never since", "past history"),
    ("/ask_downtime", "a button payload"),
])
def test_look_alikes_are_not_flagged(screen, text, why):
    assert screen.screen(text).level is None, why


def test_curly_quotes_and_case_are_normalised():
    assert normalise("It’s  BEEN “three” days") == "it's been \"three\" days"
    assert normalise("cant breathe") == "can't breathe"


@pytest.mark.parametrize("text, topic, conditions", [
    ("I take Eliquis for afib. Can I just stop it for a few days before the treatment?", "medication",
     ["blood_thinners"]),
    ("can i buy lidocaine cream and put it on at home before i come in?", "numbing", []),
    ("can i send you a pic of my cheek, is this rosacea?", "diagnosis", ["skin_flare"]),
    ("so can i or not??", "pushback", []),
    ("im 20 weeks pregnant, is it ok to get microneedling?", None, ["pregnancy"]),
])
def test_medical_questions(screen, text, topic, conditions):
    verdict = screen.screen(text)
    assert (verdict.medical, verdict.conditions) == (topic, conditions)


def test_floors_on_the_blind_development_corpus(screen):
    result = score(screen=screen)
    assert result.below_floor() == [], result.misses[:20]
    assert result.figures["messages"] > 800


def test_the_corpus_is_big_enough():
    import yaml
    dev = load_labelled(DEVELOPMENT)
    held = yaml.safe_load(Path(CORPUS / "held_back.yml").read_text())
    counts = {k: len(dev[k]) + len(held[k]) for k in ("emergency", "urgent", "none")}
    assert counts["emergency"] >= 150 and counts["urgent"] >= 250 and counts["none"] >= 400, counts
    # each held-back part was a quarter of the corpus when it was written; seven were then built on (README)
    assert len(held["emergency"]) >= 40 and len(held["urgent"]) >= 65 and len(held["none"]) >= 105
