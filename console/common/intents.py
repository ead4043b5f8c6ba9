"""The intent names staff may pick from: the assistant's domain (the fixed contract plus
`inform`). Read from domain.yml so the console never offers a name the model doesn't know."""
from functools import lru_cache
from typing import List

import yaml

from actions.settings import ROOT

DOMAIN = ROOT / "domain.yml"


@lru_cache(maxsize=1)
def domain_intents() -> List[str]:
    intents = yaml.safe_load(DOMAIN.read_text()).get("intents") or []
    return [i if isinstance(i, str) else next(iter(i)) for i in intents]


def intent_choices(blank: str = "") -> list:
    choices = [(name, name) for name in domain_intents()]
    return ([("", blank)] if blank else []) + choices
