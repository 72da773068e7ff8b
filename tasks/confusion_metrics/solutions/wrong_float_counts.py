# expect: wrong_answer
# Mistake: counts by summing float products, so tp, tn, fp, fn come back as floats (4.0), not integers.
import numpy as np


def confusion_metrics(y_true, y_pred):
    t = y_true.astype(float)
    p = y_pred.astype(float)
    tp = float(np.sum(t * p))
    tn = float(np.sum((1 - t) * (1 - p)))
    fp = float(np.sum((1 - t) * p))
    fn = float(np.sum(t * (1 - p)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / (tp + tn + fp + fn) if len(t) else 0.0
    return {"tp": tp, "tn": tn, "fp": fp, "fn": fn,
            "accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1}
