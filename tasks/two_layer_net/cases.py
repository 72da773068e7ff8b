"""Cases for two_layer_net: forward scores and backward gradients of a two-layer ReLU net."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_FWD, _BWD = "two_layer_forward", "two_layer_backward"


def _example() -> tuple[np.ndarray, ...]:
    """The small network of the prompt's example: N=2, D=2, H=3, C=2."""
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    W1 = np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]])
    b1 = np.array([0.0, 0.5, 1.0])
    W2 = np.array([[1.0, -1.0], [2.0, 0.0], [-1.0, 1.0]])
    b2 = np.array([0.1, -0.2])
    return X, W1, b1, W2, b2


def _net(rng: np.random.Generator, n: int, d: int, h: int, c: int, scale: float = 1.0) -> tuple[np.ndarray, ...]:
    """Random X (n x d), W1 (d x h), b1 (h), W2 (h x c), b2 (c)."""
    return (
        rng.normal(size=(n, d)) * scale,
        rng.normal(size=(d, h)),
        rng.normal(size=h),
        rng.normal(size=(h, c)),
        rng.normal(size=c),
    )


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, edge cases (ReLU input exactly 0, dead units, sizes of 1), then random cases."""
    net = _example()
    yield Case("forward example", args=net, call=_FWD, visible=True)
    yield Case("backward example", args=(*net, np.array([[1.0, 0.0], [0.0, 1.0]])), call=_BWD, visible=True)
    yield Case("backward example, other upstream gradient", args=(*net, np.array([[0.5, -1.0], [2.0, 1.5]])), call=_BWD)
    # X @ W1 + b1 is exactly 0 in several places: the ReLU gradient there must be 0.
    X0 = np.array([[1.0, 2.0], [2.0, -1.0], [0.0, 0.0]])
    W10 = np.array([[1.0, -2.0, 1.0], [1.0, 1.0, 2.0]])
    b10 = np.array([-3.0, 0.0, 0.0])
    W20 = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]])
    b20 = np.array([0.0, 1.0])
    yield Case("forward, ReLU input exactly 0", args=(X0, W10, b10, W20, b20), call=_FWD)
    yield Case("backward, ReLU input exactly 0 gives 0 gradient", args=(X0, W10, b10, W20, b20, np.array([[1.0, -1.0], [2.0, 0.5], [-1.5, 1.0]])), call=_BWD)
    # The same, from values with no exact binary form: 0.1 * 1 + 0.7 * 0 - 0.1 is exactly 0 too.
    Xi = np.array([[0.1, 0.7], [0.3, 0.0]])
    W1i = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    b1i = np.array([-0.1, -0.7, -0.3])
    W2i = np.array([[0.3, -0.7], [0.1, 0.7], [-0.3, 0.1]])
    yield Case("backward, ReLU input exactly 0 from inexact values", args=(Xi, W1i, b1i, W2i, np.array([0.1, 0.0]), np.array([[0.7, -0.1], [0.3, 0.1]])), call=_BWD)
    dead = list(_net(rng, 4, 3, 5, 2))
    dead[2] = np.full(5, -100.0)
    yield Case("forward, every hidden unit dead", args=tuple(dead), call=_FWD)
    yield Case("backward, every hidden unit dead", args=(*dead, rng.normal(size=(4, 2))), call=_BWD)
    alive = list(_net(rng, 3, 4, 3, 3))
    alive[2] = np.full(3, 100.0)
    yield Case("backward, every hidden unit active", args=(*alive, rng.normal(size=(3, 3))), call=_BWD)
    yield Case("backward, one sample", args=(*_net(rng, 1, 5, 4, 3), rng.normal(size=(1, 3))), call=_BWD)
    yield Case("backward, one hidden unit", args=(*_net(rng, 6, 3, 1, 2), rng.normal(size=(6, 2))), call=_BWD)
    yield Case("backward, one class", args=(*_net(rng, 5, 4, 6, 1), rng.normal(size=(5, 1))), call=_BWD)
    yield Case("forward, one input feature", args=_net(rng, 7, 1, 4, 3), call=_FWD)
    for i in range(14):
        n, d, h, c = (int(v) for v in rng.integers(1, [17, 9, 17, 7]))
        net = _net(rng, n, d, h, c, scale=float(rng.uniform(0.5, 3.0)))
        if i % 2 == 0:
            yield Case(f"random {i} forward", args=net, call=_FWD)
        else:
            yield Case(f"random {i} backward", args=(*net, rng.normal(size=(n, c))), call=_BWD)
