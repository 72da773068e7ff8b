"""A torch tensor as the trusted side sees it: its values, and that it was a tensor.

The wire carries a tensor as ``{"$tensor": key, "device": d}``; decoding it to a plain
``ndarray`` would lose what some questions require (a 0-d tensor, not the Python
float that ``.item()`` gives). :class:`TensorValue` is an ``ndarray`` (every checker
and property function reads it as one) that remembers it came from a tensor and on
which device. Host side only: the runner never imports this.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class TensorValue(np.ndarray):
    """The values of a tensor, with the device it was on (``"cpu"``, ``"cuda:0"``)."""

    _torch_device: str

    def __new__(cls, values: np.ndarray, device: str = "cpu") -> TensorValue:
        obj = np.asarray(values).view(cls)
        obj._torch_device = str(device)
        return obj

    def __array_finalize__(self, obj: Any) -> None:
        # Views and results of arithmetic on a TensorValue keep its device.
        self._torch_device = getattr(obj, "_torch_device", "cpu")

    @property  # NumPy's own ``device`` (the array API's) is always "cpu"
    def device(self) -> str:  # type: ignore[override]
        """The torch device the tensor was on in the sandbox."""
        return self._torch_device
