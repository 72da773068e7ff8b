"""Reference for feature_map_shapes (trusted side)."""

from typing import Any


def feature_map_shapes(input_shape: tuple[int, int, int], layers: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
    """Apply each layer's shape rule in turn; integer arithmetic only."""
    c, h, w = (int(v) for v in input_shape)
    shapes = []
    for layer in layers:
        kind = layer["type"]
        if kind == "conv":
            k, s, p = layer["k"], layer["s"], layer["p"]
            c, h, w = layer["out"], (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif kind == "pool":
            k, s = layer["k"], layer["s"]
            h, w = (h - k) // s + 1, (w - k) // s + 1
        elif kind != "relu":
            raise ValueError(f"unknown layer type {kind!r}")
        shapes.append((int(c), int(h), int(w)))
    return shapes
