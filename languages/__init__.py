"""The visitor's language, read in the Rasa server: Spanish gets a short reply in Spanish and a call-back
request in Spanish; other languages get that reply in English (languages/policy.py)."""
