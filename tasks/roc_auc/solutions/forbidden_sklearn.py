# expect: forbidden_api
# Uses sklearn.metrics.roc_auc_score, which the question forbids.
from sklearn.metrics import roc_auc_score


def roc_auc(y_true, scores):
    return float(roc_auc_score(y_true, scores))
