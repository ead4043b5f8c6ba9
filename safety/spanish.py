"""Warning signs written in Spanish: the screen's second language (safety/component.py).

The screen's spaCy patterns read English. A Spanish visitor describing a complication must still be told
to call 911 first (emergency) or to see the provider or a doctor today (urgent), in Spanish. These are
regular expressions over the message with accents and case folded: the signs of the safety issue in the
words people type ("me falta el aire", "se me hinchó la boca", "me salió pus", "tengo calentura").
Negated signs ("no tengo fiebre ni pus") and questions about risk ("¿puede causar infección?") don't
count. Scored by `make safety-spanish` on the blind corpus tests/safety/spanish.yml.
"""
from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Tuple

# (sign, pattern) — patterns run on text without accents, lowercased.
EMERGENCY: List[Tuple[str, str]] = [
    ("trouble breathing", r"no puedo respirar|(?:me )?cuesta(?:\s+\w+)? respirar|dificultad (?:para|al) respirar|"
                          r"me falta(?:\s+\w+)? el aire|(?:me )?(?:estoy )?ahog(?:o|ando)|no me entra (?:el )?aire|"
                          r"respir\w* (?:mal|con dificultad|con (?:un )?silbido|raro|muy rapido)|se me cierra el pecho|"
                          r"(?:jalar|agarrar|tomar) aire|labios morados|se (?:esta )?poniendo morad\w*|sin aire"),
    ("throat tightness", r"(?:se me )?(?:cierra|cerrando|aprieta|apretada|cerrada)(?:\s+\w+)? (?:la )?garganta|"
                         r"garganta (?:cerrada|apretada|hinchada|se me cierra)|no puedo tragar|me cuesta tragar"),
    ("swelling lips or tongue", r"(?:hinch\w*|inflam\w*)(?:\s+\w+){0,3} (?:los |la |el |mis |mi )?(?:labios?|lengua|boca|garganta)|"
                                r"(?:labios?|lengua|boca)(?:\s+\w+){0,2} (?:hinchad\w*|inflamad\w*|se me hinch\w*)|"
                                r"se me (?:hincho|hincharon|esta hinchando|estan hinchando)(?: \w+)? (?:la boca|los labios|la lengua)"),
    ("chest pain", r"dolor(?:\s+\w+){0,3} (?:en el|de|del) pecho|(?:me )?duele(?:\s+\w+){0,2} el pecho|"
                   r"(?:presion|opresion|apreton) en el pecho"),
    ("fainting", r"desmay\w*|perdi\w* el conocimiento|desvaneci\w*|no (?:reacciona|responde|contesta)(?: bien)?|"
                 r"me cai(?: redonda| al piso)?|se cayo (?:al piso|redond\w*)"),
    ("sudden vision change", r"no veo (?:bien|nada|de un ojo)|veo (?:todo )?borroso|vision borrosa|perdi\w* (?:la )?vista|"
                             r"veo doble|no puedo ver|sombra (?:negra|oscura)|(?:veo|viendo) (?:luces|lucecitas|manchas)|"
                             r"se me nublo la vista"),
    ("bleeding that won't stop", r"(?:sangr\w*)(?:\s+\w+){0,4} (?:no (?:para|paro|se detiene|deja)|sin parar)|"
                                 r"no (?:me )?(?:para|deja|paro) de (?:sangrar|salir(?:me)? sangre)|"
                                 r"(?:empape|empapado|llene)(?:\s+\w+){0,3} (?:gasas|toallas|panuelos)"),
    ("high fever with confusion", r"(?:fiebre|calentura)(?:\s+\w+){0,8} (?:confundid\w*|confusion|desorientad\w*|"
                                  r"no (?:nos |me |la |lo )?reconoce|dice cosas sin sentido|como ida|no puedo pensar)|"
                                  r"(?:confundid\w*|confusion|desorientad\w*)(?:\s+\w+){0,6} (?:fiebre|calentura)"),
]
URGENT: List[Tuple[str, str]] = [
    ("pus", r"\bpus\b|supura\w*|sale (?:un )?liquido|me sale agua|(?:soltando|echando|suelta|bota) (?:un )?liquido|"
            r"amarill\w* y pegajos\w*|pegajos\w* y amarill\w*|"
            r"(?:granitos?|bolitas?)(?:\s+\w+){0,2} (?:con|de) pus"),
    ("oozing", r"(?:me )?(?:sale|salen|esta saliendo|brota)(?:\s+\w+){0,2} (?:liquido|agua|pus|algo amarillo)|"
               r"(?:rezuma|exuda|mojad[ao] y amarill\w*)"),
    ("crusts", r"costras?(?: amarill\w*)?|postillas?|cascaritas?"),
    ("fever or chills", r"\bfiebre\b|calentura|escalofrios|temblores de frio|\btemperatura alta\b|"
                        r"(?:tengo|con) \d{2}(?:[.,]\d)? ?(?:grados|°)"),
    ("spreading redness", r"(?:rojez|enrojecimiento|lo rojo|rojo|la roncha)(?:\s+\w+){0,4} "
                          r"(?:se (?:me )?(?:esta )?(?:extiende|extendiendo|regando|riega|agranda|fue para|paso a)|cada (?:vez|dia) "
                          r"(?:mas|peor|agarra mas)|crece|esta creciendo)|ya no es solo la cara|"
                          r"rayas rojas|lineas rojas"),
    ("hot throbbing skin", r"(?:caliente|ardiendo|quema)(?:\s+\w+){0,6} (?:y )?(?:palpita|late|punza|hinchad\w*)|"
                           r"(?:palpita|late|punza)(?:\s+\w+){0,3} (?:caliente|calor)|me punza"),
    ("blisters or cold sores", r"ampollas?|vejigas?|ampollitas|fuegos? (?:en el|en los|labial)|herpes|"
                               r"calenturas? (?:en|del) (?:el )?labio|(?:granitos?|bolitas?) (?:con|de) agua"),
    ("getting worse", r"(?:dolor|duele|hinch\w*|inflam\w*|roj\w*|arde|ardor)(?:\s+\w+){0,6} "
                      r"(?:cada (?:vez|dia) (?:mas|peor)|(?:se (?:esta )?|esta )?(?:poniendo|pone) peor|empeor\w*|va a peor|"
                      r"mas que nunca|en vez de bajar|mas (?:hinchad\w*|roj\w*) que (?:ayer|el primer dia|antes)|subio)|"
                      r"(?:amaneci|estoy|esta) mas hinchad\w* que"),
    ("rash or hives", r"ronchas?|sarpullido|salpullido|urticaria|erupcion|granitos (?:rojos )?que pican|parece alergia|"
                      r"reaccion alergica"),
    # "roja como quemada por el sol" is the usual redness; "como quemada, en carne viva" is not
    ("burn", r"(?<!como )(?<!como una )(?:quemadura|(?:me )?quem(?:e|o|aron|ada|ado)\b|piel quemada)|"
             r"como (?:una )?quemad\w*\b(?! (?:por|del|de) (?:el )?sol)"),
    ("won't heal", r"no (?:se )?(?:cura|sana|cicatriza|cierra)|no (?:ha|han) (?:sanado|cicatrizado|cerrado)"),
    ("infection", r"infeccion|infectad\w*|se me infecto"),
]
# A sign after these within a few words is denied or asked about, not reported.
_NEGATED = re.compile(r"(?:\bno\b|\bni\b|\bsin\b|\bnada de\b|\bnunca\b|\bya no\b|\bse me quito\b)(?:\s+\w+){0,3}\s*$")
_RISK_QUESTION = re.compile(
    r"\b(?:puede|pueden|podria|podrian|es posible|riesgo de|riesgos|hay riesgo|que pasa si|y si|"
    r"causa|causar|provocar|miedo|preocupa|evitar|prevenir|en caso de que|si me da|senales de|sintomas de|"
    r"activar)\b(?:\s+\w+){0,3}\s*$")
_HEARSAY = re.compile(r"\b(?:(?:a )?mi (?:amiga|prima|hermana|mama|tia|vecina|cunada|comadre|suegra)\s+(?:\w+\s+){0,2}"
                      r"(?:le|se hizo|tuvo|dice|dijo)|a una (?:amiga|conocida)|una (?:amiga|conocida) (?:dice|me dijo)|"
                      r"le (?:dio|salio|paso|quedaron|quedo)|les (?:dio|salio)|escuche que|lei que|vi en|dicen que|"
                      r"me cont(?:aron|o)|se le (?:hincho|infecto))\b")
# ...unless the visitor goes on to their own symptoms ("a mi prima le dio herpes y ahora yo tengo ampollas").
_NOW = re.compile(r"\b(?:tengo|estoy|me (?:sale|salio|salieron|duele|arde|pica|hinch\w*|quem\w*|cuesta)|"
                  r"mi (?:cara|piel|frente|mejilla|boca)|mis labios|yo tambien)\b")

_COMPILED = {level: [(sign, re.compile(pattern)) for sign, pattern in signs]
             for level, signs in (("emergency", EMERGENCY), ("urgent", URGENT))}


def fold(text: str) -> str:
    """Lowercase without accents: "Se me hinchó la BOCA" -> "se me hincho la boca"."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("\u2019", "'").lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _reported(folded: str, match: re.Match) -> bool:
    before = folded[max(0, match.start() - 40):match.start()]
    return not (_NEGATED.search(before) or _RISK_QUESTION.search(before))


def screen(text: str) -> Tuple[Optional[str], List[str]]:
    """(level, signs) for a Spanish message: "emergency", "urgent" or None."""
    folded = fold(text)
    if _HEARSAY.search(folded) and not _NOW.search(folded[_HEARSAY.search(folded).end():]):
        return None, []  # "a mi prima le dio una infección": someone else's story
    for level in ("emergency", "urgent"):
        signs = [sign for sign, pattern in _COMPILED[level]
                 if any(_reported(folded, m) for m in pattern.finditer(folded))]
        if signs:
            return level, signs
    return None, []
