"""Host side of the runner's protocol: frames and values, read as hostile data.

Everything here assumes the bytes were written by an attacker: sizes are capped,
the ``.npz`` members must be stored (no compression bombs), named as the runner
names them, plain numeric arrays (``allow_pickle=False``, no object dtypes), and the
JSON parts are validated by pydantic before anyone looks at them.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from sandbox.tensor_value import TensorValue

FRAME_HEADER = re.compile(rb"\0GRADER1 (ready|load|case|phase|done) (\d{1,9}) (\d{1,10})\n")
HEADER_MAX = 64
MEMBER_NAME = re.compile(r"a\d{1,6}\.npy")
ARRAY_KINDS = "biufc"
MAX_DEPTH = 34
MAX_NODES = 200_000
MAX_DEVICE = 64


MAX_MEMBERS = 10_000  # arrays in one returned value; checked before anything is decoded
ZIP_END = b"PK\x05\x06"  # end of central directory record
ZIP_END_SIZE = 22
CENTRAL_ENTRY_MAX = 46 + 12  # a central directory entry with the longest name the runner writes (a999999.npy)


class WireError(ValueError):
    """The sandbox's output does not follow the protocol."""


class TooComplex(WireError):
    """A returned value is too large or too complex to read within a bounded amount of work."""


@dataclass(frozen=True)
class Frame:
    kind: str
    payload: dict[str, Any]
    npz: bytes


class FrameReader:
    """Cuts a byte stream into frames; refuses anything that is not a frame."""

    def __init__(self, max_json: int, max_npz: int) -> None:
        self.buffer = bytearray()
        self.max_json = max_json
        self.max_npz = max_npz

    def feed(self, data: bytes) -> list[Frame]:
        """Add ``data``; return the frames now complete. Raises :class:`WireError`."""
        self.buffer += data
        frames: list[Frame] = []
        while True:
            frame = self._next()
            if frame is None:
                return frames
            frames.append(frame)

    def _next(self) -> Frame | None:
        end = self.buffer.find(b"\n", 0, HEADER_MAX)
        if end < 0:
            if len(self.buffer) >= HEADER_MAX or (self.buffer and not self.buffer.startswith(b"\0")):
                raise WireError("unexpected bytes on the result channel")
            return None
        match = FRAME_HEADER.fullmatch(bytes(self.buffer[: end + 1]))
        if match is None:
            raise WireError("malformed frame header on the result channel")
        kind, n_json, n_npz = match.group(1).decode(), int(match.group(2)), int(match.group(3))
        if n_json > self.max_json or n_npz > self.max_npz:
            raise WireError(f"a {kind} frame is larger than allowed")
        total = end + 1 + n_json + n_npz
        if len(self.buffer) < total:
            return None
        body = bytes(self.buffer[end + 1 : end + 1 + n_json])
        npz = bytes(self.buffer[end + 1 + n_json : total])
        del self.buffer[:total]
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise WireError(f"a {kind} frame is not valid JSON") from exc
        if not isinstance(payload, dict):
            raise WireError(f"a {kind} frame is not a JSON object")
        return Frame(kind, payload, npz)


def load_arrays(data: bytes, max_bytes: int) -> dict[str, np.ndarray]:
    """Read an ``.npz`` written by the runner, refusing anything unusual."""
    if not data:
        return {}
    _check_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = 0
            for info in infos:
                if info.compress_type != zipfile.ZIP_STORED or not MEMBER_NAME.fullmatch(info.filename):
                    raise WireError(f"unexpected member {info.filename!r} in the arrays")
                total += info.file_size
            if total > max_bytes or len({i.filename for i in infos}) != len(infos):
                raise WireError("the arrays are too large or repeated")
        arrays = {}
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            for key in npz.files:
                arr = npz[key]
                if type(arr) is not np.ndarray or arr.dtype.kind not in ARRAY_KINDS or arr.dtype.hasobject:
                    raise WireError(f"array {key} has a refused dtype")
                arrays[key] = arr
        return arrays
    except WireError:
        raise
    except Exception as exc:  # zipfile and numpy raise many types on garbage
        raise WireError(f"the arrays could not be read: {type(exc).__name__}") from exc


def _check_directory(data: bytes) -> None:
    """Refuse an archive with too many members from its end record alone, before any parsing.

    ``zipfile`` reads the whole central directory at open: a forged archive with hundreds
    of thousands of members would cost seconds and hundreds of MiB on this side.
    """
    end = data.rfind(ZIP_END, max(len(data) - ZIP_END_SIZE - 65535, 0))
    if end < 0 or len(data) - end < ZIP_END_SIZE:
        raise WireError("the arrays could not be read: no end-of-archive record")
    entries = int.from_bytes(data[end + 10 : end + 12], "little")
    directory_size = int.from_bytes(data[end + 12 : end + 16], "little")
    if entries > MAX_MEMBERS or directory_size > MAX_MEMBERS * CENTRAL_ENTRY_MAX:
        raise TooComplex(f"more than {MAX_MEMBERS} arrays")


def decode_value(tree: Any, arrays: dict[str, np.ndarray]) -> Any:
    """Decode an encoded value into NumPy arrays and plain Python values.

    Tensors become :class:`TensorValue` arrays, which remember they were tensors and
    their device. Raises :class:`WireError` on any node the runner does not write.
    """
    count = [0]

    def dec(node: Any, depth: int) -> Any:
        count[0] += 1
        if depth > MAX_DEPTH or count[0] > MAX_NODES:
            raise TooComplex("the value is nested too deeply or has too many parts")
        if node is None or isinstance(node, (bool, str)):
            return node
        if isinstance(node, int):
            return node
        if isinstance(node, float):
            return node
        if isinstance(node, list):
            return [dec(x, depth + 1) for x in node]
        if not isinstance(node, dict):
            raise WireError(f"unexpected node of type {type(node).__name__}")
        return dec_tagged(node, depth)

    def dec_tagged(node: dict[str, Any], depth: int) -> Any:
        keys = set(node)
        if keys == {"$array"} or keys == {"$tensor", "device"}:
            key = node.get("$array", node.get("$tensor"))
            if not isinstance(key, str) or key not in arrays:
                raise WireError("a value refers to a missing array")
            if "$tensor" in node:
                device = node["device"]
                if not isinstance(device, str) or len(device) > MAX_DEVICE:
                    raise WireError("a tensor's device is not a short name")
                return TensorValue(arrays[key], device)
            return arrays[key]
        if keys == {"$tuple"} and isinstance(node["$tuple"], list):
            return tuple(dec(x, depth + 1) for x in node["$tuple"])
        if keys == {"$dict"} and isinstance(node["$dict"], dict):
            return {str(k): dec(v, depth + 1) for k, v in node["$dict"].items()}
        if keys == {"$float"} and node["$float"] in ("nan", "inf", "-inf"):
            return float(node["$float"])
        raise WireError(f"unexpected node with keys {sorted(keys)[:4]}")

    value = dec(tree, 0)
    if isinstance(value, float) and not math.isfinite(value) and not isinstance(tree, dict):
        raise WireError("non-finite floats must be tagged")
    return value
