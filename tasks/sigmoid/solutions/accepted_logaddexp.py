# expect: accepted
# A correct solution through log-space: sigma(x) = exp(-log(1 + e^-x)) with np.logaddexp,
# and the approximation as a sigmoid with slope 1.44 ln 2, since 2^(-1.44x) = e^(-1.44 ln2 x).
import numpy as np

K = 1.44 * np.log(2.0)


def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def sigmoid_grad(x):
    return np.exp(-np.logaddexp(0.0, -x) - np.logaddexp(0.0, x))


def sigmoid_approx(x):
    return sigmoid(K * x)


def sigmoid_approx_grad(x):
    return K * sigmoid_grad(K * x)
