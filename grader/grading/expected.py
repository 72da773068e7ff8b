"""Cases with their inputs and expected outputs, as the trusted reference process made them.

The cache holds one bundle per (question, version, digest of its files, variant of
the random hidden inputs): a JSON file describing every case (inputs and expected
outputs as encoded trees) and one ``.npz`` holding their arrays. Written atomically,
read with the same hostile-data reader as sandbox output, and kept in memory once read
(keyed by the files' identity, so a rewritten bundle is read again): a submission's
grading no longer parses the same files every time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from sandbox.runner import save_npz
from sandbox.wire import decode_value, load_arrays

MAX_BUNDLE_BYTES = 1024 * 1024 * 1024
BUNDLES_IN_MEMORY = 32


class CaseRecord(BaseModel):
    """One case: how to call, inputs, and what the reference gave."""

    model_config = ConfigDict(extra="forbid")

    name: str
    call: str
    visible: bool
    points: int
    checker: dict[str, Any] | None = None
    args: Any
    kwargs: Any
    expected: Any = None
    expected_raises: str | None = None


class Bundle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    version: int
    digest: str
    variant: int = 0
    cases: list[CaseRecord]


@dataclass(frozen=True)
class ExpectedSet:
    """A bundle with its arrays: what the trusted side knows about every case."""

    bundle: Bundle
    arrays: dict[str, Any]

    @property
    def cases(self) -> list[CaseRecord]:
        return self.bundle.cases

    def expected(self, case: CaseRecord) -> Any:
        return decode_value(case.expected, self.arrays)

    def inputs(self, case: CaseRecord) -> tuple[tuple[Any, ...], dict[str, Any]]:
        args = decode_value(case.args, self.arrays)
        kwargs = decode_value(case.kwargs, self.arrays)
        return tuple(args), dict(kwargs)

    def arrays_for(self, trees: list[Any]) -> bytes:
        """An ``.npz`` with only the arrays that ``trees`` refer to (never anything else)."""
        keys: set[str] = set()
        for tree in trees:
            _collect_keys(tree, keys)
        return save_npz({k: self.arrays[k] for k in sorted(keys)})


def _collect_keys(tree: Any, keys: set[str]) -> None:
    if isinstance(tree, list):
        for item in tree:
            _collect_keys(item, keys)
    elif isinstance(tree, dict):
        for tag in ("$array", "$tensor"):
            if tag in tree:
                keys.add(tree[tag])
        for value in tree.values():
            if isinstance(value, (list, dict)):
                _collect_keys(value, keys)


def bundle_dir(cache_dir: Path, question_id: str, version: int, digest: str, variant: int = 0) -> Path:
    return cache_dir / question_id / f"v{version}-{digest}" / f"variant-{variant}"


def read_bundle(folder: Path) -> ExpectedSet | None:
    """The cached bundle in ``folder``, or ``None`` when there is none.

    Its arrays are read-only: the same set serves every submission that asks for it, so a
    checker that changed an expected value in place would fail loudly, not corrupt the next.
    """
    meta, data = folder / "bundle.json", folder / "arrays.npz"
    try:
        return _read(meta, data, _identity(meta), _identity(data))
    except FileNotFoundError:  # replaced between the look and the read: read what is there now
        return _read(meta, data, _identity(meta), _identity(data))


def _identity(path: Path) -> tuple[int, int, int] | None:
    """Inode, size and change time: a bundle is only ever replaced whole (``write_bundle``)."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


@lru_cache(maxsize=BUNDLES_IN_MEMORY)
def _read(meta: Path, data: Path, meta_id: tuple[int, int, int] | None,
          data_id: tuple[int, int, int] | None) -> ExpectedSet | None:
    if meta_id is None:
        return None
    bundle = Bundle.model_validate_json(meta.read_bytes())
    arrays = load_arrays(data.read_bytes(), MAX_BUNDLE_BYTES) if data_id is not None else {}
    for array in arrays.values():
        array.flags.writeable = False
    return ExpectedSet(bundle, arrays)


def write_bundle(folder: Path, bundle: Bundle, arrays: dict[str, Any]) -> None:
    """Write atomically: arrays first, then the JSON that marks the bundle complete."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "arrays.npz.tmp"
    tmp.write_bytes(save_npz(arrays))
    tmp.replace(folder / "arrays.npz")
    tmp = folder / "bundle.json.tmp"
    tmp.write_text(bundle.model_dump_json(), encoding="utf-8")
    tmp.replace(folder / "bundle.json")
