# expect: forbidden_api
# Uses sklearn.metrics, which the question forbids.
from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score


def confusion_metrics(y_true, y_pred):
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return {"tp": int(tp), "tn": int(tn), "fp": int(fp), "fn": int(fn),
            "accuracy": (tp + tn) / max(len(y_true), 1),
            "precision": precision_score(y_true, y_pred, zero_division=0),
            "recall": recall_score(y_true, y_pred, zero_division=0),
            "f1": f1_score(y_true, y_pred, zero_division=0)}
