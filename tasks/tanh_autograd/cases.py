"""Cases for tanh_autograd: forward/backward through autograd, and the Jacobian backward gives."""

from collections.abc import Iterator

import numpy as np
import torch

from grader.questions.case import Case

_FB, _JAC = "forward_backward", "jacobian"


def _t(values, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """A CPU tensor of `values` with `dtype`."""
    return torch.tensor(np.asarray(values, dtype=float), dtype=dtype)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's input, edge cases, then random cases."""
    yield Case("small vector, unit gradient", args=(_t([-1.0, 0.0, 0.5, 2.0]), _t([1.0, 1.0, 1.0, 1.0])), call=_FB, visible=True)
    yield Case("jacobian small vector", args=(_t([0.3, -0.7, 1.2]),), call=_JAC, visible=True)
    question = [[0.37, 0.192, 0.571]]
    yield Case("question input, unit gradient", args=(_t(question, torch.float32), torch.ones(1, 3, dtype=torch.float32)), call=_FB)
    yield Case("question input, weighted gradient", args=(_t(question), _t([[0.5, -2.0, 3.0]])), call=_FB)
    yield Case("jacobian question input", args=(_t(question),), call=_JAC)
    yield Case("large magnitudes", args=(_t([-1000.0, -50.0, -20.0, -1e-8, 0.0, 1e-8, 20.0, 50.0, 1000.0]), _t(rng.normal(size=9))), call=_FB)
    yield Case("large magnitudes float32", args=(_t([-1000.0, -90.0, -10.0, 0.0, 10.0, 90.0, 1000.0], torch.float32), _t(rng.normal(size=7), torch.float32)), call=_FB)
    # Large inputs that are not round (no exactly representable 1000.0 to land on).
    fractional = [-1000.7, -710.1, -88.7, -20.1, -0.7, -0.1, 0.1, 0.7, 20.1, 88.7, 710.1, 999.9]
    yield Case("large magnitudes, fractional", args=(_t(fractional), _t(rng.normal(size=12))), call=_FB)
    yield Case("large magnitudes, fractional, float32", args=(_t(fractional, torch.float32), _t(rng.normal(size=12), torch.float32)), call=_FB)
    yield Case("all zeros", args=(torch.zeros(2, 3, dtype=torch.float64), _t(rng.normal(size=(2, 3)))), call=_FB)
    yield Case("0-d tensor", args=(_t(0.8), _t(-1.5)), call=_FB)
    yield Case("0-d tensor, negative", args=(_t(-0.7), _t(0.1)), call=_FB)
    yield Case("0-d tensor, float32", args=(_t(0.1, torch.float32), _t(0.7, torch.float32)), call=_FB)
    yield Case("3-D tensor", args=(_t(rng.normal(size=(2, 3, 4)) * 2.0), _t(rng.normal(size=(2, 3, 4)))), call=_FB)
    yield Case("jacobian wide range", args=(_t(np.linspace(-4.0, 4.0, 9)),), call=_JAC)
    yield Case("jacobian large magnitudes", args=(_t([-1000.7, -30.1, -0.7, 0.1, 30.1, 1000.7]),), call=_JAC)
    yield Case("jacobian of a 0-d tensor", args=(_t(-0.7),), call=_JAC)
    for i in range(12):
        shape = tuple(int(s) for s in rng.integers(1, 7, size=int(rng.integers(1, 4))))
        dtype = torch.float32 if i % 3 == 2 else torch.float64
        x = _t(rng.normal(size=shape) * float(rng.uniform(0.5, 4.0)), dtype)
        yield Case(f"random {i}", args=(x, _t(rng.normal(size=shape), dtype)), call=_FB)
    for i in range(3):
        shape = tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 3))))
        yield Case(f"random {i + 12} jacobian", args=(_t(rng.normal(size=shape) * 2.0),), call=_JAC)
