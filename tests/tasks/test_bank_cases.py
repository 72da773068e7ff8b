"""Checks every coding question under tasks/ gets alike: question.yml, cases and solutions.

For each question: question.yml is complete and the grader's loader accepts it; the
cases are deterministic and well formed; and each solution in `solutions/` behaves
as its `# expect:` header says when run in this process (accepted ones match the
reference everywhere, wrong_answer ones differ on a hidden case without crashing,
runtime_error ones raise on a hidden case, forbidden_api ones use a forbidden name
and the others do not). Cases are judged with the grader's own checkers on values
as the sandbox's wire carries them. CI grades the same solutions through the real
sandbox as well. What each group of questions checks beyond this (the reference
against the library function the catalogue names, the catalogue's declarations,
special cases) is in test_references.py and test_reference_*.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from grader.grading.forbidden import find_forbidden
from grader.questions.loader import load_question
from tests.tasks.bank_support import (
    CODING,
    TASKS,
    agrees,
    entry,
    expected_verdict,
    load_module,
    make_cases,
    one_torch_thread,  # noqa: F401 - autouse: one torch thread, as in the sandbox
    optional,
    outcome,
    probe,
    question,
    reference,
    same_inputs,
    solutions,
)

FIELDS = {
    "id", "version", "title", "topic", "difficulty", "source", "device", "uses_torch",
    "entry_points", "forbidden", "keep_device", "seed", "limits", "checker", "prompt", "starter",
}
TOPICS = {
    "convolution", "perceptrons", "activations", "layers", "metrics", "optimisation", "style-transfer",
    "fine-tuning", "feature-extraction", "normalisation", "probability",
}
NUMPY_LIMITS = {"time_s": 5, "memory_mib": 512, "output_kib": 64}
TORCH_LIMITS = {"time_s": 10, "memory_mib": 1536, "output_kib": 64}
# Twice the usual time: a loop solution over MaxPool001's 32 x 222 x 222 map, a fine-tuning run,
# a solution that imports scipy.stats; each was near its limit on a loaded 2-core machine.
LONGER_TIME_S = {"maxpool2d": 20, "finetune_head": 20, "gaussian_kernel": 10, "gaussian_blur_separable": 10}
# No arguments, one answer checked by a property: one visible case and no random ones.
FEW_CASES = {"and_gate", "xor_network"}
# Their cases call functions of probe.py that are not entry points (and cover them, not the entry points).
PROBE_CALLS = {"feature_extractor", "finetune_head", "maxpool2d", "tanh_autograd"}
# Their cases all name the function they call.
NAMED_CALLS = {"gram_matrix", "style_transfer_losses", "finetune_head", "feature_extractor", "softmax_cross_entropy",
               "sgd_momentum"}
MAY_USE_GPU = {"distances_torch"}
# The verdicts a solution here may expect: those this file can check in process.
CHECKED_VERDICTS = {"accepted", "wrong_answer", "runtime_error", "time_limit_exceeded", "forbidden_api"}


def named_in_prompt(name: str, prompt: str) -> bool:
    """The prompt names `name`; a class's method (torch.Tensor.tanh) may be named as `.tanh`."""
    parts = name.split(".")
    is_method = len(parts) >= 3 and parts[-2][:1].isupper()
    return name in prompt or (is_method and f".{parts[-1]}" in prompt)


@pytest.mark.parametrize("qid", CODING)
def test_question_yml(qid: str) -> None:
    q = question(qid)
    assert set(q) == FIELDS
    assert q["id"] == qid and isinstance(q["version"], int) and q["version"] >= 1
    assert load_question(TASKS / qid).id == qid  # the grader's own loader accepts it
    assert q["topic"] in TOPICS
    assert q["difficulty"] in {"easy", "medium", "hard"}
    assert q["device"] in ({"cpu", "gpu"} if qid in MAY_USE_GPU else {"cpu"})
    usual = TORCH_LIMITS if q["uses_torch"] else NUMPY_LIMITS
    assert q["limits"] == {**usual, "time_s": LONGER_TIME_S.get(qid, usual["time_s"])}
    assert isinstance(q["prompt"], str) and isinstance(q["starter"], str) and isinstance(q["source"], str)
    compile(q["starter"], f"{qid}/starter", "exec")
    ref = reference(qid)
    for name in q["entry_points"]:
        assert hasattr(ref, name)
        assert re.search(rf"\b{'class' if name[:1].isupper() else 'def'} {name}\b", q["starter"])
        assert name in q["prompt"]
    for name in q["forbidden"]:
        assert named_in_prompt(name, q["prompt"]), f"the prompt must name the forbidden {name}"
    if q["checker"]["name"] == "property":
        assert hasattr(optional(qid, "checks.py"), q["checker"]["function"])


def test_seeds_distinct() -> None:
    """Every coding question has a seed, and no two questions in the bank share one."""
    seeds = {path.parent.name: yaml.safe_load(path.read_text()).get("seed") for path in TASKS.glob("*/question.yml")}
    assert all(isinstance(seeds[qid], int) for qid in CODING)
    given = [seed for seed in seeds.values() if seed is not None]
    clashes = {qid: seed for qid, seed in seeds.items() if seed is not None and given.count(seed) > 1}
    assert not clashes, f"seeds shared between questions: {clashes}"


@pytest.mark.parametrize("qid", CODING)
def test_cases_well_formed(qid: str) -> None:
    first, second = make_cases(qid), make_cases(qid)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert (a.name, a.call, a.visible, a.points, a.raises, a.checker) == (
            b.name, b.call, b.visible, b.points, b.raises, b.checker)
        assert same_inputs(a.args, b.args) and same_inputs(a.kwargs, b.kwargs), a.name
    names = [c.name for c in first]
    assert len(set(names)) == len(names)
    visible = [c.visible for c in first]
    assert visible == sorted(visible, reverse=True), "visible cases come first"
    assert sum(visible) >= (1 if qid in FEW_CASES else 2)
    hidden_random = [c for c in first if not c.visible and c.name.startswith("random")]
    assert len(hidden_random) >= (0 if qid in FEW_CASES else 10)
    pr, entry_points = probe(qid), question(qid)["entry_points"]
    for case in first:
        call = entry(qid, case)
        if pr is not None:
            assert hasattr(pr, call), f"probe.py must define {call}: the sandbox calls every case through it"
        if qid not in PROBE_CALLS:
            assert call in entry_points, case.name
        if qid in NAMED_CALLS:
            assert case.call is not None, case.name
    if qid not in PROBE_CALLS:
        hidden_calls = {entry(qid, c) for c in first if not c.visible}
        assert hidden_calls == set(entry_points), "every entry point has hidden cases"


@pytest.mark.parametrize("qid", [qid for qid in CODING if qid not in FEW_CASES])
def test_different_seed_gives_different_random_cases(qid: str) -> None:
    cases = load_module(TASKS / qid / "cases.py").cases
    a = [c for c in cases(np.random.default_rng(1)) if c.name.startswith("random")]
    b = [c for c in cases(np.random.default_rng(2)) if c.name.startswith("random")]
    assert not all(same_inputs(x.args, y.args) for x, y in zip(a, b, strict=False))


@pytest.mark.parametrize("qid", CODING)
def test_solutions_cover_the_question(qid: str) -> None:
    verdicts = [expected_verdict(p) for p in sorted((TASKS / qid / "solutions").glob("*.py"))]
    assert "accepted" in verdicts
    assert verdicts.count("wrong_answer") >= 2
    assert ("forbidden_api" in verdicts) == bool(question(qid)["forbidden"])


@pytest.mark.parametrize(("qid", "path"), solutions(CODING), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_solution(qid: str, path: Path) -> None:
    verdict = expected_verdict(path)
    assert verdict in CHECKED_VERDICTS
    source = path.read_text()
    q = question(qid)
    hits = find_forbidden(source, q["forbidden"])
    if verdict == "forbidden_api":
        assert hits, "a forbidden_api solution must use a forbidden name"
        return
    assert not hits, f"uses forbidden names {[h.describe() for h in hits]}"
    imported = {n.split(".")[0] for n in re.findall(r"^\s*(?:import|from)\s+([\w.]+)", source, re.M)}
    assert imported <= {"numpy", "math", "scipy"} | ({"torch"} if q["uses_torch"] else set())
    if verdict == "time_limit_exceeded":
        compile(source, str(path), "exec")
        return
    ref, candidate = reference(qid), load_module(path)
    differs, raised = [], []
    for case in make_cases(qid):
        kind_e, expected = outcome(qid, ref, case)
        if case.raises is not None:
            assert kind_e == "raised" and case.raises in expected, f"{case.name}: the reference must raise {case.raises}"
        else:
            assert kind_e == "value", f"{case.name}: the reference raised {expected}"
        kind_a, actual = outcome(qid, candidate, case)
        if case.raises is not None:
            ok = kind_a == "raised" and case.raises in actual
        elif kind_a == "raised":
            raised.append(case)
            continue
        else:
            ok = agrees(qid, case, actual, expected)
        if not ok:
            differs.append(case)
    if verdict == "accepted":
        assert not differs and not raised, [c.name for c in differs + raised]
    elif verdict == "wrong_answer":
        assert not raised, f"an unexpected exception is a runtime_error, not a wrong answer: {[c.name for c in raised]}"
        assert any(not c.visible for c in differs), "no hidden case catches this mistake"
    else:
        assert verdict == "runtime_error"
        assert any(not c.visible for c in raised), "no hidden case makes this solution raise"
