"""Runs a question's cases and reference in a process of its own (trusted side).

``python -m grader.grading.reference_process QUESTION_DIR OUT_DIR [VARIANT]`` builds
every case from the question's seed and the variant (0 when not given), calls the
reference (through the probe when there is one) on copies of the inputs, and writes
the bundle to OUT_DIR. Any failure here is the question's fault, never a candidate's:
it exits non-zero with the reason.

Variant 0 draws from the question's seed itself; variant ``k`` from a seed derived
from (seed, k), so each variant has its own random hidden inputs. Visible cases are
shown to candidates and must be the same in every variant: the build fails when
they are not (a visible case drawn from the generator).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from grader.grading.expected import Bundle, CaseRecord, write_bundle
from grader.questions.case import Case
from grader.questions.loader import Question, QuestionError, load_question
from sandbox.runner import decode_value, encode_value


def import_file(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def variant_seed(seed: int, variant: int) -> int:
    """The seed of one variant: the question's own for variant 0, else one derived from both."""
    if variant == 0:
        return seed
    return int(np.random.SeedSequence([seed, variant]).generate_state(1)[0])


def seed_everything(question: Question, variant: int = 0) -> np.random.Generator:
    """The variant's generator; torch seeded and deterministic too where it is used."""
    seed = variant_seed(question.spec.seed, variant)
    if question.spec.uses_torch:
        import torch

        torch.manual_seed(seed)
        torch.use_deterministic_algorithms(True)
    return np.random.default_rng(seed)


def visible_fingerprints(cases: Iterable[Case]) -> list[str]:
    """A digest of each visible case (name, call and inputs), in order: equal lists, equal cases."""
    prints = []
    for case in cases:
        if not case.visible:
            continue
        arrays: dict[str, Any] = {}
        tree = encode_value((case.name, case.call, tuple(case.args), dict(case.kwargs)), arrays)
        h = hashlib.sha256(json.dumps(tree, sort_keys=True).encode())
        for key in sorted(arrays):
            arr = np.ascontiguousarray(arrays[key])
            h.update(f"{key} {arr.dtype.str} {arr.shape}".encode())
            h.update(arr.tobytes())
        prints.append(h.hexdigest())
    return prints


def check_visible_fixed(question: Question, cases_module: types.ModuleType, variant: int, seen: list[Case]) -> None:
    """Raise unless ``seen``, the visible cases of ``variant``, are those of another variant (0; 1 for 0)."""
    other = 1 if variant == 0 else 0
    theirs = visible_fingerprints(cases_module.cases(seed_everything(question, other)))
    if visible_fingerprints(seen) != theirs:
        raise ValueError(
            f"{question.id}: visible cases differ between variants {variant} and {other}; candidates see "
            "them, so they must not be drawn from the generator (see docs/writing-questions.md)"
        )


def reference_callable(question: Question, reference: Any, probe: Any, call: str) -> Any:
    if probe is not None:
        fn = getattr(probe, call, None)
        if fn is None:
            raise ValueError(f"case calls '{call}', which probe.py does not define")
        return lambda *a, **k: fn(reference, *a, **k)
    if call not in question.spec.entry_points:
        raise ValueError(f"case calls '{call}', which is not an entry point")
    return getattr(reference, call)


def build_record(question: Question, case: Case, fn: Any, arrays: dict[str, Any]) -> CaseRecord:
    """Encode the case's inputs, then run the reference on fresh copies of them."""
    call = case.call or question.spec.entry_points[0]
    args_tree = encode_value(tuple(case.args), arrays)
    kwargs_tree = encode_value(dict(case.kwargs), arrays)
    args = decode_value(args_tree, arrays)
    kwargs = decode_value(kwargs_tree, arrays)
    record = CaseRecord(
        name=case.name, call=call, visible=case.visible, points=case.points,
        checker=case.checker, args=args_tree, kwargs=kwargs_tree,
    )
    try:
        value = fn(*args, **kwargs)
    except Exception as exc:
        names = [t.__name__ for t in type(exc).__mro__]
        if case.raises is None or case.raises not in names:
            raise
        return record.model_copy(update={"expected_raises": case.raises})
    if case.raises is not None:
        raise ValueError(f"case '{case.name}': the reference did not raise {case.raises}")
    return record.model_copy(update={"expected": encode_value(value, arrays)})


def build(question: Question, variant: int = 0) -> tuple[Bundle, dict[str, Any]]:
    rng = seed_everything(question, variant)
    folder = question.folder
    cases_module = import_file(folder / "cases.py", f"_cases_{question.id}")
    reference = import_file(folder / "reference.py", f"_reference_{question.id}")
    probe = import_file(folder / "probe.py", f"_probe_{question.id}") if (folder / "probe.py").is_file() else None
    arrays: dict[str, Any] = {}
    records: list[CaseRecord] = []
    visible: list[Case] = []
    for case in cases_module.cases(rng):
        if any(r.name == case.name for r in records):
            raise ValueError(f"two cases are named '{case.name}'")
        question.checker_for(case.name, case.checker)  # an override that does not bind is the question's error
        if case.visible:
            visible.append(case)
        fn = reference_callable(question, reference, probe, case.call or question.spec.entry_points[0])
        records.append(build_record(question, case, fn, arrays))
    if not records:
        raise ValueError("cases.py yields no case")
    check_visible_fixed(question, cases_module, variant, visible)
    bundle = Bundle(question_id=question.id, version=question.spec.version, digest=question.digest,
                    variant=variant, cases=records)
    return bundle, arrays


def main(argv: list[str]) -> int:
    try:
        question = load_question(Path(argv[0]))
        if question.spec.kind != "coding":  # only coding questions have cases and a reference
            raise SystemExit(f"{question.id} is not a coding question")
        bundle, arrays = build(question, int(argv[2]) if len(argv) > 2 else 0)
    except QuestionError as exc:
        raise SystemExit(str(exc)) from exc  # the message names file, case and field: no traceback needed
    write_bundle(Path(argv[1]), bundle, arrays)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
