"""Cases for mlp_forward: a one-hidden-layer MLP with softmax output and cross-entropy loss."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case


def _one_hot(k: int, label: int) -> np.ndarray:
    y = np.zeros(k)
    y[label] = 1.0
    return y


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's worked numbers, edge cases, then random cases."""
    yield Case(
        "small example",
        args=(np.array([1.0, 2.0]), np.array([[1.0, 0.0], [-1.0, 1.0]]), np.array([0.0, -2.0]),
              np.array([[1.0, 1.0], [0.0, -1.0], [2.0, 0.0]]), np.array([0.0, 0.0, -1.0]), _one_hot(3, 0)),
        visible=True,
    )
    yield Case(
        "two classes, label 1",
        args=(np.array([0.5, -1.0, 2.0]), np.array([[1.0, 0.0, 0.5], [0.0, -1.0, 1.0]]), np.array([0.1, 0.2]),
              np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([0.0, 0.3]), _one_hot(2, 1)),
        visible=True,
    )
    # The question's network: x = [0.9, 0.7], every bias 0.002, a 3 x 2 and a 2 x 3 weight matrix.
    x37 = np.array([0.9, 0.7])
    W37 = np.array([[0.1, 0.4], [-0.3, 0.2], [0.5, -0.6]])
    W137 = np.array([[0.2, -0.5, 0.7], [-0.4, 0.3, 0.1]])
    for label in (0, 1):
        yield Case(f"question network, label {label}", args=(x37, W37, np.full(3, 0.002), W137, np.full(2, 0.002), _one_hot(2, label)))
    # Large logits (about +800 and -800 with small gaps): exp overflows or underflows unless shifted.
    x = np.array([10.0, 20.0])
    eye = np.eye(2)
    W1_big = np.array([[40.0, 20.0], [40.5, 20.0], [39.5, 20.0]])
    yield Case("logits near +800", args=(x, eye, np.zeros(2), W1_big, np.zeros(3), _one_hot(3, 2)))
    yield Case("logits near -800", args=(x, eye, np.zeros(2), -W1_big, np.zeros(3), _one_hot(3, 0)))
    yield Case("every hidden unit dead", args=(rng.normal(size=4), rng.normal(size=(5, 4)), np.full(5, -50.0), rng.normal(size=(3, 5)), rng.normal(size=3), _one_hot(3, 1)))
    yield Case("equal logits", args=(np.array([1.0, -1.0]), np.array([[1.0, 1.0]]), np.array([0.5]), np.zeros((4, 1)), np.full(4, 0.7), _one_hot(4, 3)))
    yield Case("one class", args=(rng.normal(size=3), rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=(1, 4)), rng.normal(size=1), _one_hot(1, 0)))
    yield Case("one input, one hidden unit", args=(np.array([2.0]), np.array([[1.5]]), np.array([-1.0]), np.array([[1.0], [-2.0], [0.5]]), np.array([0.0, 1.0, 0.0]), _one_hot(3, 1)))
    for i in range(12):
        d, h, k = int(rng.integers(1, 9)), int(rng.integers(1, 17)), int(rng.integers(2, 11))
        scale = float(rng.uniform(0.5, 4.0))
        args = (rng.normal(size=d) * scale, rng.normal(size=(h, d)), rng.normal(size=h), rng.normal(size=(k, h)), rng.normal(size=k), _one_hot(k, int(rng.integers(k))))
        yield Case(f"random {i}", args=args)
