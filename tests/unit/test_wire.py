"""The host reads sandbox output as hostile data: frames, arrays and value trees."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from typing import Any

import numpy as np
import pytest

from sandbox.runner import encode_value, save_npz
from sandbox.tensor_value import TensorValue
from sandbox.wire import FrameReader, WireError, decode_value, load_arrays


def frame(kind: str, payload: dict[str, Any], npz: bytes = b"") -> bytes:
    body = json.dumps(payload).encode()
    return b"\0GRADER1 %s %d %d\n" % (kind.encode(), len(body), len(npz)) + body + npz


def test_frames_split_across_chunks() -> None:
    data = frame("ready", {"a": 1}) + frame("case", {"id": "c0"}, b"xyz")
    reader = FrameReader(1024, 1024)
    frames = [f for i in range(len(data)) for f in reader.feed(data[i : i + 1])]
    assert [(f.kind, f.payload, f.npz) for f in frames] == [("ready", {"a": 1}, b""), ("case", {"id": "c0"}, b"xyz")]


@pytest.mark.parametrize(
    "data",
    [
        b'{"verdict": "accepted"}\n',
        b"\0GRADER1 verdict 2 0\n{}",
        b"\0GRADER1 case 2 0 extra\n{}",
        b"\0GRADER1 case 2 0\n[]",
        b"\0GRADER1 case 4 0\nnope",
        b"\0" * 100,
    ],
)
def test_garbage_on_the_channel_is_refused(data: bytes) -> None:
    with pytest.raises(WireError):
        FrameReader(1024, 1024).feed(data)


def test_oversize_frames_are_refused_before_reading() -> None:
    with pytest.raises(WireError, match="larger than allowed"):
        FrameReader(1024, 1024).feed(b"\0GRADER1 case 2 999999999\n")


def test_values_round_trip() -> None:
    value = {"y": np.arange(6.0).reshape(2, 3), "t": (1, 2.5, True, None, "s"), "l": [float("nan"), float("-inf")]}
    arrays: dict[str, Any] = {}
    tree = json.loads(json.dumps(encode_value(value, arrays)))
    decoded = decode_value(tree, load_arrays(save_npz(arrays), 1 << 20))
    assert np.array_equal(decoded["y"], value["y"])
    assert decoded["t"] == (1, 2.5, True, None, "s")
    assert np.isnan(decoded["l"][0]) and decoded["l"][1] == float("-inf")


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data,words",
    [
        (_zip({"a0.npy": _npy(np.array([1, "x"], dtype=object))}), "could not be read"),
        (_zip({"a0.npy": pickle.dumps([1.0, 2.0])}), "refused dtype"),
        (_zip({"a0.npy": _npy(np.zeros(10))}, zipfile.ZIP_DEFLATED), "unexpected member"),
        (_zip({"../a0.npy": _npy(np.zeros(1))}), "unexpected member"),
        (_zip({"a0.npy": _npy(np.array(["text"]))}), "refused dtype"),
        (_zip({"a0.npy": _npy(np.zeros(1000))}), "too large"),
        (b"PK\x03\x04 not a zip", "could not be read"),
    ],
)
def test_hostile_arrays_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(WireError, match=words):
        load_arrays(data, max_bytes=4096)


@pytest.mark.parametrize(
    "tree",
    [
        {"$array": "a9"},
        {"$array": "a0", "extra": 1},
        {"$pickle": "gASV"},
        {"$float": "1e999"},
        {"$tuple": "not a list"},
        {"__class__": "os.system"},
    ],
)
def test_unknown_or_dangling_nodes_are_refused(tree: Any) -> None:
    with pytest.raises(WireError):
        decode_value(tree, {"a0": np.zeros(1)})


def test_deep_values_are_refused() -> None:
    tree: Any = 1.0
    for _ in range(100):
        tree = [tree]
    with pytest.raises(WireError, match="too deep"):
        decode_value(tree, {})


def test_a_tensor_stays_a_tensor_with_its_device() -> None:
    """The host knows a value was a tensor (a 0-d tensor is not a float) and where it was."""
    arrays = {"a0": np.array(2.5), "a1": np.arange(3.0)}
    tree = {"$tuple": [{"$tensor": "a0", "device": "cpu"}, {"$tensor": "a1", "device": "cuda:0"}, {"$array": "a1"}]}
    scalar, vector, plain = decode_value(tree, arrays)
    assert isinstance(scalar, TensorValue) and scalar.shape == () and scalar.device == "cpu"
    assert isinstance(vector, TensorValue) and vector.device == "cuda:0"
    assert isinstance(vector[1:], TensorValue) and vector[1:].device == "cuda:0"
    assert type(plain) is np.ndarray and type(np.asarray(vector)) is np.ndarray
    assert np.array_equal(vector, arrays["a1"])


@pytest.mark.parametrize("device", [7, None, ["cpu"], "x" * 65])
def test_a_tensor_device_must_be_a_short_name(device: Any) -> None:
    with pytest.raises(WireError, match="device"):
        decode_value({"$tensor": "a0", "device": device}, {"a0": np.zeros(1)})
