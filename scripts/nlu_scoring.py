"""Scoring an NLU model on a labelled YAML file, in process: predictions,
per-intent report, macro-F1 and parse latency. Used by the pipeline comparison
and the fallback-threshold sweep."""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

from sklearn.metrics import f1_score


@dataclass
class Prediction:
    text: str
    gold: str
    intent: str        # top intent, ignoring the fallback classifier
    confidence: float
    fell_back: bool    # FallbackClassifier replaced it with nlu_fallback
    runner_up: float = 0.0  # confidence of the second intent


def load_examples(path: Path) -> List[Tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data
    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def predict(model: Path, examples: List[Tuple[str, str]]) -> Tuple[List[Prediction], List[float]]:
    from rasa.core.agent import Agent
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    predictions, latencies = [], []
    loop.run_until_complete(agent.parse_message("warm up"))
    for text, gold in examples:
        started = time.perf_counter()
        parsed = loop.run_until_complete(agent.parse_message(text))
        latencies.append((time.perf_counter() - started) * 1000)
        ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
        top = ranking[0] if ranking else parsed["intent"]
        predictions.append(Prediction(text, gold, top["name"], top["confidence"],
                                      parsed["intent"]["name"] == "nlu_fallback",
                                      ranking[1]["confidence"] if len(ranking) > 1 else 0.0))
    loop.close()
    return predictions, latencies


def macro_f1(predictions: List[Prediction], with_fallback: bool = False) -> float:
    gold = [p.gold for p in predictions]
    pred = [("nlu_fallback" if with_fallback and p.fell_back else p.intent) for p in predictions]
    return f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0)


def latency_summary(latencies: List[float]) -> Dict[str, float]:
    ordered = sorted(latencies)
    return {"p50_ms": statistics.median(ordered), "p95_ms": ordered[int(0.95 * (len(ordered) - 1))]}
