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


def _stored_zip(count: int) -> bytes:
    """A stored zip of ``count`` empty members, written by hand (fast for large counts)."""
    import struct

    local, central = bytearray(), bytearray()
    for i in range(count):
        name = b"a%d.npy" % i
        central += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0,
                               len(name), 0, 0, 0, 0, 0, len(local)) + name
        local += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0) + name
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), len(local), 0)
    return bytes(local + central + end)


def test_member_flood_is_refused_before_the_archive_is_parsed() -> None:
    from sandbox.wire import MAX_MEMBERS, TooComplex

    with pytest.raises(TooComplex, match="more than"):
        load_arrays(_stored_zip(270_000 % 65536 + MAX_MEMBERS), 64 << 20)


def test_an_end_record_that_lies_about_the_count_is_refused_by_the_directory_size() -> None:
    from sandbox.wire import TooComplex

    data = bytearray(_stored_zip(20_000))
    data[-12:-10] = (1).to_bytes(2, "little")  # "one entry", with a directory of twenty thousand
    with pytest.raises(TooComplex):
        load_arrays(bytes(data), 64 << 20)


def test_a_value_nested_past_the_bound_is_too_complex() -> None:
    from sandbox.wire import TooComplex

    tree: object = 1
    for _ in range(100):
        tree = [tree]
    with pytest.raises(TooComplex):
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
