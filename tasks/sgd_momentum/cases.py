"""Cases for sgd_momentum: single steps of torch-style SGD (momentum, weight decay) and Adam."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_SGD, _ADAM = "sgd_step", "adam_step"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the worked steps, edge cases, then random cases."""
    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    yield Case("sgd first step (buf None)", args=(w, g, None, 0.1, 0.9, 0.0), call=_SGD, visible=True)
    yield Case("sgd second step", args=(np.array([0.95, -2.05]), g, np.array([0.5, 0.5]), 0.1, 0.9, 0.0), call=_SGD, visible=True)
    yield Case("adam first step", args=(np.array([1.0]), np.array([2.0]), np.zeros(1), np.zeros(1), 1, 0.01, 0.9, 0.999, 1e-8), call=_ADAM, visible=True)
    # Worked numbers: the classic settings lr=0.01, momentum=0.9 and Adam's defaults.
    yield Case("worked sgd, lr=0.01 momentum=0.9", args=(np.array([0.5, -1.5, 2.0]), np.array([0.2, -0.4, 1.0]), np.array([0.1, 0.0, -0.3]), 0.01, 0.9, 0.0), call=_SGD)
    yield Case("worked adam defaults, step 2", args=(np.array([0.5, -1.5, 2.0]), np.array([0.2, -0.4, 1.0]), np.array([0.02, -0.04, 0.1]), np.array([4e-5, 1.6e-4, 1e-3]), 2, 0.001, 0.9, 0.999, 1e-8), call=_ADAM)
    shape = (3, 4)
    yield Case("sgd first step with weight decay", args=(rng.normal(size=shape), rng.normal(size=shape), None, 0.05, 0.9, 0.01), call=_SGD)
    yield Case("sgd weight decay with a buffer", args=(rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape), 0.05, 0.8, 0.1), call=_SGD)
    yield Case("sgd momentum 0, buf None", args=(rng.normal(size=5), rng.normal(size=5), None, 0.1, 0.0, 0.0), call=_SGD)
    yield Case("sgd momentum 0, weight decay", args=(rng.normal(size=5), rng.normal(size=5), None, 0.1, 0.0, 0.05), call=_SGD)
    yield Case("sgd momentum 0 with an old buffer", args=(rng.normal(size=4), rng.normal(size=4), rng.normal(size=4), 0.2, 0.0, 0.0), call=_SGD)
    yield Case("sgd zero gradient keeps moving", args=(rng.normal(size=6), np.zeros(6), rng.normal(size=6), 0.1, 0.9, 0.0), call=_SGD)
    yield Case("sgd single value", args=(np.array([3.0]), np.array([-1.0]), None, 0.5, 0.9, 0.0), call=_SGD)
    yield Case("sgd 0-d arrays", args=(np.array(2.0), np.array(0.5), np.array(0.25), 0.1, 0.9, 0.01), call=_SGD)
    yield Case("adam zero gradient first step", args=(rng.normal(size=4), np.zeros(4), np.zeros(4), np.zeros(4), 1, 0.001, 0.9, 0.999, 1e-8), call=_ADAM)
    yield Case("adam tiny gradients (eps matters)", args=(rng.normal(size=5), rng.normal(size=5) * 1e-6, np.zeros(5), np.zeros(5), 1, 0.001, 0.9, 0.999, 1e-8), call=_ADAM)
    yield Case("adam tiny gradients, later step", args=(rng.normal(size=5), rng.normal(size=5) * 1e-7, rng.normal(size=5) * 1e-7, np.abs(rng.normal(size=5)) * 1e-14, 3, 0.01, 0.9, 0.999, 1e-6), call=_ADAM)
    yield Case("adam late step (bias correction near 1)", args=(rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3)) * 0.1, np.abs(rng.normal(size=(2, 3))) * 0.01, 10000, 0.001, 0.9, 0.999, 1e-8), call=_ADAM)
    yield Case("adam beta1 = 0", args=(rng.normal(size=4), rng.normal(size=4), rng.normal(size=4), np.abs(rng.normal(size=4)), 5, 0.01, 0.0, 0.99, 1e-8), call=_ADAM)
    yield Case("adam 0-d arrays", args=(np.array(1.5), np.array(-0.3), np.array(0.0), np.array(0.0), 1, 0.1, 0.9, 0.999, 1e-8), call=_ADAM)
    for i in range(12):
        shape = tuple(int(s) for s in rng.integers(1, 9, size=int(rng.integers(1, 4))))
        w, g = rng.normal(size=shape), rng.normal(size=shape) * float(rng.uniform(0.01, 3.0))
        if i % 2 == 0:
            lr = float(rng.uniform(1e-4, 0.5))
            momentum = 0.0 if i % 6 == 4 else float(rng.uniform(0.5, 0.99))
            decay = 0.0 if i % 4 == 0 else float(rng.uniform(1e-4, 0.1))
            buf = None if i % 3 == 0 else rng.normal(size=shape)
            yield Case(f"random {i} sgd", args=(w, g, buf, lr, momentum, decay), call=_SGD)
        else:
            t = int(rng.integers(1, 1001))
            m = np.zeros(shape) if t == 1 else rng.normal(size=shape) * 0.1
            v = np.zeros(shape) if t == 1 else np.abs(rng.normal(size=shape)) * 0.01
            lr, b1, b2 = float(rng.uniform(1e-4, 0.1)), float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.99, 0.9999))
            eps = float(rng.choice([1e-8, 1e-6]))
            yield Case(f"random {i} adam", args=(w, g, m, v, t, lr, b1, b2, eps), call=_ADAM)
