"""Cases for style_transfer_losses: content loss and the weighted multi-layer style loss."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_C, _S = "content_loss", "style_loss"


def _layers(rng: np.random.Generator, count: int, max_c: int = 12, max_hw: int = 10) -> tuple[list, list, list]:
    """`count` random layers: style features, x's features and weights."""
    fs, fx, w = [], [], []
    for _ in range(count):
        shape = (int(rng.integers(1, max_c + 1)), int(rng.integers(1, max_hw + 1)), int(rng.integers(1, max_hw + 1)))
        fs.append(np.maximum(rng.normal(size=shape), 0.0) * float(rng.uniform(0.5, 3.0)))
        fx.append(np.maximum(rng.normal(size=shape), 0.0) * float(rng.uniform(0.5, 3.0)))
        w.append(float(rng.uniform(0.1, 2.0)))
    return fs, fx, w


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the worked example, edge cases, then random cases."""
    yield Case("content example", args=(np.array([[[1.0, 2.0], [3.0, 4.0]]]), np.array([[[1.0, 0.0], [3.0, 5.0]]])), call=_C, visible=True)
    yield Case("style example", args=([np.array([[[1.0, 0.0]], [[0.0, 1.0]]])], [np.array([[[1.0, 1.0]], [[0.0, 1.0]]])], [1.0]), call=_S, visible=True)
    # Worked numbers in the question's setting: conv1_1 .. conv5_1 style layers with equal
    # weights 1/5, on small feature maps.
    fs, fx, _ = _layers(rng, 5, max_c=6, max_hw=5)
    yield Case("style five layers equal weights 1/5", args=(fs, fx, [0.2] * 5), call=_S)
    worked_c = np.array([[[0.5, 1.5, 0.0], [2.0, 0.0, 1.0]], [[1.0, 1.0, 1.0], [0.0, 3.0, 0.5]]])
    worked_x = np.array([[[0.0, 1.0, 0.5], [2.5, 0.5, 1.0]], [[1.5, 0.0, 1.0], [0.0, 2.0, 0.0]]])
    yield Case("content worked 2x2x3", args=(worked_c, worked_x), call=_C)
    yield Case("style worked 2x2x3", args=([worked_c], [worked_x], [1.0]), call=_S)
    same = rng.normal(size=(4, 3, 3))
    yield Case("content identical features", args=(same, same.copy()), call=_C)
    yield Case("style identical features", args=([same], [same.copy()], [1.5]), call=_S)
    yield Case("content 1-D features", args=(rng.normal(size=7), rng.normal(size=7)), call=_C)
    yield Case("content 4-D batch of features", args=(rng.normal(size=(2, 3, 4, 4)), rng.normal(size=(2, 3, 4, 4))), call=_C)
    yield Case("content single value", args=(np.array([[[2.0]]]), np.array([[[-1.0]]])), call=_C)
    fs, fx, _ = _layers(rng, 3)
    yield Case("style zero weight on a layer", args=(fs, fx, [1.0, 0.0, 2.5]), call=_S)
    fs, fx, _ = _layers(rng, 2)
    yield Case("style weights as an array", args=(fs, fx, np.array([0.3, 1.7])), call=_S)
    yield Case("style one channel", args=([rng.normal(size=(1, 5, 4))], [rng.normal(size=(1, 5, 4))], [2.0]), call=_S)
    yield Case("style 1x1 spatial", args=([rng.normal(size=(6, 1, 1))], [rng.normal(size=(6, 1, 1))], [1.0]), call=_S)
    yield Case("style layers of very different sizes", args=([rng.normal(size=(2, 12, 12)), rng.normal(size=(16, 2, 2))], [rng.normal(size=(2, 12, 12)), rng.normal(size=(16, 2, 2))], [1.0, 1.0]), call=_S)
    for i in range(12):
        if i % 3 == 0:
            ndim = int(rng.integers(1, 5))
            shape = tuple(int(s) for s in rng.integers(1, 9, size=ndim))
            scale = float(rng.uniform(0.1, 5.0))
            yield Case(f"random {i} content", args=(rng.normal(size=shape) * scale, rng.normal(size=shape) * scale), call=_C)
        else:
            count = int(rng.integers(1, 6))
            fs, fx, w = _layers(rng, count)
            yield Case(f"random {i} style", args=(fs, fx, w), call=_S)
