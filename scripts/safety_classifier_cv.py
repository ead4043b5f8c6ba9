"""`make safety-classifier`: would a small trained classifier help the screen as a second opinion?

Character 2–5-gram TF-IDF + logistic regression, 5-fold cross-validation on the development part of
the safety corpus (and the training/held-out ask_suitability/ask_downtime examples as none). Prints, per
probability threshold, the classifier's own recall and its false positives on `none`, and the false
positives of "screen OR classifier". The screen uses no classifier: at the thresholds that keep false
positives under the 1% floor the classifier finds too few signs to matter (README, "The warning-sign screen").
"""
import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from safety.screen import normalise
from scripts.safety_score import CORPUS, DEVELOPMENT, load_labelled, load_screen, training_messages

LEVELS = {"none": 0, "urgent": 1, "emergency": 2}


def main() -> None:
    labelled = load_labelled(DEVELOPMENT)
    suitability_downtime, _ = training_messages()
    reports = set(yaml.safe_load((CORPUS / "training_reports.yml").read_text())["urgent"])
    texts = labelled["emergency"] + labelled["urgent"] + labelled["none"] + suitability_downtime
    gold = np.array([2] * len(labelled["emergency"]) + [1] * len(labelled["urgent"]) + [0] * len(labelled["none"])
                    + [1 if t in reports else 0 for t in suitability_downtime])
    normalised = [normalise(t) for t in texts]
    screen = load_screen()
    by_screen = np.array([LEVELS[screen.screen(t).level or "none"] for t in texts])
    sign = gold > 0
    for threshold in (0.5, 0.7, 0.9):
        predicted = np.zeros(len(texts), int)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=1).split(normalised, gold):
            vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
            model = LogisticRegression(max_iter=2000, C=5, class_weight="balanced")
            model.fit(vectors.fit_transform([normalised[i] for i in train]), gold[train])
            proba = model.predict_proba(vectors.transform([normalised[i] for i in test]))
            predicted[test] = np.where(proba.max(1) >= threshold, proba.argmax(1), 0)
        print(f"threshold {threshold}: classifier alone: sign recall {np.mean(predicted[sign] > 0):.3f}, "
              f"emergency recall {np.mean(predicted[gold == 2] == 2):.3f}, false positives {np.mean(predicted[~sign] > 0):.3f}"
              f"; screen OR classifier: false positives {np.mean(np.maximum(predicted, by_screen)[~sign] > 0):.3f}")


if __name__ == "__main__":
    main()
