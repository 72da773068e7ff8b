# expect: forbidden_api
# Uses sklearn.preprocessing, which the question forbids.
from sklearn.preprocessing import MinMaxScaler, StandardScaler, normalize


def min_max_scale(X):
    return MinMaxScaler().fit_transform(X)


def standardize(X):
    return StandardScaler().fit_transform(X)


def unit_length(X):
    return normalize(X, norm="l2")
