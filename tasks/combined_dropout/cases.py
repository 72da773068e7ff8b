"""Cases for combined_dropout: keep and drop probabilities of two dropout layers in a row."""

from collections.abc import Iterator

import numpy as np

from grader.questions.case import Case

_KEEP, _DROP = "combined_keep_prob", "combined_drop_prob"


def cases(rng: np.random.Generator) -> Iterator[Case]:
    """Visible examples, worked numbers, the corners of [0, 1]^2, then random cases."""
    yield Case("keep, p = q = 0.5", args=(0.5, 0.5), call=_KEEP, visible=True)
    yield Case("drop, p = q = 0.5", args=(0.5, 0.5), call=_DROP, visible=True)
    yield Case("drop, second layer off", args=(0.2, 0.0), call=_DROP, visible=True)
    # Worked numbers: dropout(0.2) then dropout(0.5): keep 0.8 * 0.5 = 0.4, drop 0.6.
    yield Case("worked example keep, p = 0.2, q = 0.5", args=(0.2, 0.5), call=_KEEP)
    yield Case("worked example drop, p = 0.2, q = 0.5", args=(0.2, 0.5), call=_DROP)
    yield Case("worked example drop, p = 0.1, q = 0.3", args=(0.1, 0.3), call=_DROP)
    for p, q in ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)):
        yield Case(f"keep, corner p = {p}, q = {q}", args=(p, q), call=_KEEP)
        yield Case(f"drop, corner p = {p}, q = {q}", args=(p, q), call=_DROP)
    yield Case("keep, first layer off", args=(0.0, 0.35), call=_KEEP)
    yield Case("drop, first layer off", args=(0.0, 0.35), call=_DROP)
    yield Case("drop, asymmetric rates", args=(0.9, 0.05), call=_DROP)
    # A layer that drops everything, beside a rate with no exact binary form.
    yield Case("keep, first layer drops everything", args=(1.0, 0.3), call=_KEEP)
    yield Case("drop, second layer drops everything", args=(0.7, 1.0), call=_DROP)
    yield Case("keep, inexact rates", args=(0.1, 0.7), call=_KEEP)
    yield Case("keep, tiny rates", args=(1e-4, 2e-4), call=_KEEP)
    yield Case("drop, tiny rates", args=(1e-4, 2e-4), call=_DROP)
    for i in range(12):
        p, q = (float(v) for v in rng.uniform(0.0, 1.0, size=2))
        call = _KEEP if i % 2 == 0 else _DROP
        yield Case(f"random {i} {call.split('_')[1]}", args=(p, q), call=call)
