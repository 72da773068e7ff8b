# expect: wrong_answer
# Mistake: divides with NumPy without guarding zero denominators, so 0/0 gives NaN instead of 0.0.
import numpy as np


def confusion_metrics(y_true, y_pred):
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    tn = int(np.sum((y_true == 0) & (y_pred == 0)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    with np.errstate(all="ignore"):
        precision = np.float64(tp) / (tp + fp)
        recall = np.float64(tp) / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
        accuracy = np.float64(tp + tn) / (tp + tn + fp + fn)
    return {"tp": tp, "tn": tn, "fp": fp, "fn": fn,
            "accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1}
