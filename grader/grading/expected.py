"""Cases with their inputs and expected outputs, as the trusted reference process made them.

The cache holds one bundle per (question, version, digest of its files, variant of
the random hidden inputs): a JSON file describing every case (inputs and expected
outputs as encoded trees) and one ``.npz`` holding their arrays. Written atomically,
read with the same hostile-data reader as sandbox output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from sandbox.runner import save_npz
from sandbox.wire import decode_value, load_arrays

MAX_BUNDLE_BYTES = 1024 * 1024 * 1024


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
    """The cached bundle in ``folder``, or ``None`` when there is none."""
    meta, data = folder / "bundle.json", folder / "arrays.npz"
    if not meta.is_file():
        return None
    bundle = Bundle.model_validate_json(meta.read_bytes())
    raw = data.read_bytes() if data.is_file() else b""
    return ExpectedSet(bundle, load_arrays(raw, MAX_BUNDLE_BYTES))


def write_bundle(folder: Path, bundle: Bundle, arrays: dict[str, Any]) -> None:
    """Write atomically: arrays first, then the JSON that marks the bundle complete."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "arrays.npz.tmp"
    tmp.write_bytes(save_npz(arrays))
    tmp.replace(folder / "arrays.npz")
    tmp = folder / "bundle.json.tmp"
    tmp.write_text(bundle.model_dump_json(), encoding="utf-8")
    tmp.replace(folder / "bundle.json")
