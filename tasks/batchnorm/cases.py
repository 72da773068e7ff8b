"""Cases for batchnorm: training-mode forward and backward on N x C x H x W arrays."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_FWD, _BWD = "batchnorm_forward", "batchnorm_backward"


def _params(rng: np.random.Generator, c: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0.5, 2.0, size=c) * rng.choice([-1.0, 1.0], size=c), rng.normal(size=c)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, worked numbers, edge cases, then random cases."""
    x = np.arange(1.0, 9.0).reshape(2, 1, 2, 2)
    yield Case("example forward, one channel 1..8", args=(x, np.array([1.0]), np.array([0.0]), 1e-5), call=_FWD, visible=True)
    yield Case("example backward, gradient on one element", args=(np.eye(1, 8).reshape(2, 1, 2, 2), x, np.array([2.0]), 1e-5), call=_BWD, visible=True)
    # Worked numbers: a 2 x 2 x 2 x 2 batch with two channels, gamma = [1, 2], beta = [0, -1], eps = 1e-5.
    xw = np.array([[[[1.0, 2.0], [3.0, 4.0]], [[0.5, -0.5], [1.5, 2.5]]],
                   [[[5.0, 6.0], [7.0, 8.0]], [[-1.0, 0.0], [2.0, 3.0]]]])
    gw, bw = np.array([1.0, 2.0]), np.array([0.0, -1.0])
    dw = np.array([[[[0.1, -0.2], [0.3, 0.0]], [[1.0, 0.5], [-0.5, 0.2]]],
                   [[[0.0, 0.4], [-0.1, 0.2]], [[0.3, -1.0], [0.0, 0.7]]]])
    yield Case("worked example forward, two channels", args=(xw, gw, bw, 1e-5), call=_FWD)
    yield Case("worked example backward, two channels", args=(dw, xw, gw, 1e-5), call=_BWD)
    x1 = rng.normal(size=(1, 3, 4, 5))
    yield Case("forward N=1, statistics over H and W", args=(x1, *_params(rng, 3), 1e-5), call=_FWD)
    yield Case("backward N=1", args=(rng.normal(size=(1, 3, 4, 5)), x1, _params(rng, 3)[0], 1e-5), call=_BWD)
    x2 = rng.normal(size=(6, 4, 1, 1)) * 3.0 + 1.0
    yield Case("forward H=W=1, statistics over N", args=(x2, *_params(rng, 4), 1e-5), call=_FWD)
    yield Case("backward H=W=1", args=(rng.normal(size=(6, 4, 1, 1)), x2, _params(rng, 4)[0], 1e-5), call=_BWD)
    xc = rng.normal(size=(3, 2, 2, 3))
    xc[:, 1] = 2.5
    yield Case("forward constant channel gives beta", args=(xc, np.array([1.5, 0.7]), np.array([0.2, -0.3]), 1e-5), call=_FWD)
    yield Case("backward constant channel", args=(rng.normal(size=(3, 2, 2, 3)), xc, np.array([1.5, 0.7]), 1e-5), call=_BWD)
    # A constant channel of a value with no exact binary form: its float variance is tiny, not 0.
    xi = rng.normal(size=(3, 3, 2, 2))
    xi[:, 0], xi[:, 2] = 0.1, 0.7
    yield Case("forward constant channels of inexact values give beta", args=(xi, np.array([1.5, 0.7, -0.3]), np.array([0.1, -0.3, 0.7]), 1e-5), call=_FWD)
    yield Case("backward constant channels of inexact values", args=(rng.normal(size=(3, 3, 2, 2)), xi, np.array([1.5, 0.7, -0.3]), 1e-5), call=_BWD)
    xe = rng.normal(size=(2, 3, 3, 3)) * 0.1
    yield Case("forward large eps", args=(xe, *_params(rng, 3), 1.0), call=_FWD)
    yield Case("backward large eps", args=(rng.normal(size=(2, 3, 3, 3)), xe, _params(rng, 3)[0], 1.0), call=_BWD)
    xs = rng.normal(size=(4, 1, 3, 3)) * 5.0 - 7.0
    yield Case("forward one channel, tiny eps", args=(xs, np.array([0.5]), np.array([2.0]), 1e-12), call=_FWD)
    yield Case("backward one channel, tiny eps", args=(rng.normal(size=(4, 1, 3, 3)), xs, np.array([0.5]), 1e-12), call=_BWD)
    yield Case("backward gamma = 0 gives dx = 0", args=(rng.normal(size=(2, 2, 2, 2)), rng.normal(size=(2, 2, 2, 2)), np.zeros(2), 1e-5), call=_BWD)
    for i in range(12):
        n, c, h, w = (int(s) for s in rng.integers(1, 7, size=4))
        if n * h * w == 1:
            n = 2
        eps = float(rng.choice([1e-5, 1e-3, 0.1]))
        x = rng.normal(size=(n, c, h, w)) * float(rng.uniform(0.5, 4.0)) + rng.normal(size=(1, c, 1, 1)) * 2.0
        gamma, beta = _params(rng, c)
        if i % 2 == 0:
            yield Case(f"random {i} forward", args=(x, gamma, beta, eps), call=_FWD)
        else:
            yield Case(f"random {i} backward", args=(rng.normal(size=(n, c, h, w)), x, gamma, eps), call=_BWD)
