"""Cases for distances_torch: L1 / L2 distances and pairwise L1 on float64 tensors."""

from collections.abc import Iterator

import numpy as np
import torch

from grader.questions.case import Case


def _t(values) -> torch.Tensor:
    """A float64 CPU tensor (the grader moves it to the question's device)."""
    return torch.tensor(np.asarray(values, dtype=float), dtype=torch.float64)


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the question's vectors, edge cases, then random cases."""
    yield Case("manhattan small", args=(_t([0.0, 0.0]), _t([3.0, 4.0])), call="manhattan", visible=True)
    yield Case("euclidean small", args=(_t([0.0, 0.0]), _t([3.0, 4.0])), call="euclidean", visible=True)
    yield Case("pairwise small", args=(_t([[0.0, 0.0], [1.0, 1.0]]), _t([[3.0, 4.0], [1.0, 0.0], [0.0, -1.0]])), call="pairwise_manhattan", visible=True)
    q1, q2 = [6.0, 1.0, 4.0, 5.0], [2.0, 8.0, 3.0, -1.0]
    yield Case("question vectors, manhattan", args=(_t(q1), _t(q2)), call="manhattan")
    yield Case("question vectors, euclidean", args=(_t(q1), _t(q2)), call="euclidean")
    yield Case("question vectors, pairwise", args=(_t([q1]), _t([q2, q1])), call="pairwise_manhattan")
    same = rng.normal(size=6)
    yield Case("identical vectors, manhattan", args=(_t(same), _t(same)), call="manhattan")
    yield Case("identical vectors, euclidean", args=(_t(same), _t(same)), call="euclidean")
    yield Case("length-1 vectors, manhattan", args=(_t([2.5]), _t([-4.0])), call="manhattan")
    yield Case("length-1 vectors, euclidean", args=(_t([2.5]), _t([-4.0])), call="euclidean")
    yield Case("euclidean mixed signs", args=(_t([1.0, -2.0, 0.5]), _t([-1.0, 2.0, 0.5])), call="euclidean")
    # The same edge cases with values that are not exactly representable.
    tenths = [0.1, 0.7, -0.3, 0.7]
    yield Case("identical vectors, inexact values, manhattan", args=(_t(tenths), _t(tenths)), call="manhattan")
    yield Case("identical vectors, inexact values, euclidean", args=(_t(tenths), _t(tenths)), call="euclidean")
    yield Case("length-1 vectors, inexact values, manhattan", args=(_t([0.1]), _t([0.7])), call="manhattan")
    yield Case("length-1 vectors, inexact values, euclidean", args=(_t([0.7]), _t([-0.1])), call="euclidean")
    yield Case("values swapped between the vectors, manhattan", args=(_t([0.1, 0.7, 0.2]), _t([0.7, 0.1, -0.2])), call="manhattan")
    yield Case("values swapped between the vectors, euclidean", args=(_t([0.1, 0.7, 0.2]), _t([0.7, 0.1, -0.2])), call="euclidean")
    yield Case("pairwise, inexact values", args=(_t([[0.1, 0.7], [0.7, 0.1]]), _t([[0.7, 0.1], [0.1, 0.7], [-0.1, -0.7]])), call="pairwise_manhattan")
    yield Case("pairwise one row in A", args=(_t(rng.normal(size=(1, 5))), _t(rng.normal(size=(4, 5)))), call="pairwise_manhattan")
    yield Case("pairwise one row in B", args=(_t(rng.normal(size=(6, 3))), _t(rng.normal(size=(1, 3)))), call="pairwise_manhattan")
    yield Case("pairwise square", args=(_t(rng.normal(size=(5, 4))), _t(rng.normal(size=(5, 4)))), call="pairwise_manhattan")
    yield Case("pairwise d=1", args=(_t(rng.normal(size=(3, 1))), _t(rng.normal(size=(7, 1)))), call="pairwise_manhattan")
    calls = ("manhattan", "euclidean", "pairwise_manhattan")
    for i in range(12):
        call = calls[i % 3]
        d = int(rng.integers(1, 65))
        scale = float(rng.uniform(0.1, 10.0))
        if call == "pairwise_manhattan":
            n, m = int(rng.integers(1, 33)), int(rng.integers(1, 33))
            yield Case(f"random {i} pairwise", args=(_t(rng.normal(size=(n, d)) * scale), _t(rng.normal(size=(m, d)) * scale)), call=call)
        else:
            yield Case(f"random {i} {call}", args=(_t(rng.normal(size=d) * scale), _t(rng.normal(size=d) * scale)), call=call)
