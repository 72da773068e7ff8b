"""Cases for gaussian_kernel: sampled, normalised Gaussian kernels in 1-D and 2-D."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_1D, _2D = "gaussian_kernel_1d", "gaussian_kernel_2d"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, the classic kernels, edge cases, then random cases."""
    yield Case("1-D sigma 1, radius 1", args=(1.0, 1), call=_1D, visible=True)
    yield Case("2-D sigma 1, radius 1", args=(1.0, 1), call=_2D, visible=True)
    # Worked numbers: the usual 5-tap and 5x5 kernels, the 5x5 kernel with sigma 1.4
    # (Canny's), and a 7x7 kernel with sigma 2.
    yield Case("1-D sigma 1, radius 2", args=(1.0, 2), call=_1D)
    yield Case("2-D sigma 1, radius 2", args=(1.0, 2), call=_2D)
    yield Case("2-D sigma 1.4, radius 2", args=(1.4, 2), call=_2D)
    yield Case("1-D sigma 2, radius 3", args=(2.0, 3), call=_1D)
    yield Case("2-D sigma 2, radius 3", args=(2.0, 3), call=_2D)
    yield Case("1-D sigma 0.5, radius 2", args=(0.5, 2), call=_1D)
    # Edge cases.
    yield Case("1-D radius 0", args=(1.5, 0), call=_1D)
    yield Case("2-D radius 0", args=(0.7, 0), call=_2D)
    yield Case("1-D tiny sigma is a delta", args=(0.01, 3), call=_1D)
    yield Case("2-D tiny sigma is a delta", args=(0.05, 2), call=_2D)
    yield Case("1-D huge sigma is nearly flat", args=(1000.0, 4), call=_1D)
    yield Case("2-D huge sigma is nearly flat", args=(500.0, 3), call=_2D)
    yield Case("1-D integer sigma", args=(3, 9), call=_1D)
    yield Case("2-D integer sigma", args=(2, 5), call=_2D)
    yield Case("1-D radius much smaller than sigma", args=(10.0, 1), call=_1D)
    # Sigmas with no exact binary form, beside round ones.
    yield Case("1-D small inexact sigma", args=(0.3, 3), call=_1D)
    yield Case("2-D inexact sigma", args=(0.7, 3), call=_2D)
    yield Case("2-D tiny inexact sigma is a delta", args=(0.1, 1), call=_2D)
    yield Case("1-D long kernel", args=(4.0, 40), call=_1D)
    yield Case("2-D large kernel", args=(5.0, 20), call=_2D)
    for i in range(14):
        call = _1D if i % 2 == 0 else _2D
        sigma = float(np.round(rng.uniform(0.2, 8.0), 3))
        radius = int(rng.integers(0, 26 if call == _1D else 13))
        yield Case(f"random {i} {call}", args=(sigma, radius), call=call)
