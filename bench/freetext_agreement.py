"""How well the free-text grader agrees with a careful interviewer, on labelled answers.

Run by hand: ``.venv/bin/python bench/freetext_agreement.py [TASKS_DIR] [--split dev|heldout|both]``.
Grades every labelled answer of every free-text question (``solutions/`` is the
development set the grader is tuned on, ``heldout/`` is never used for tuning), with
the model loaded and reference embeddings cached first, and prints JSON per split:
mean absolute error of the score fraction against ``label``, pass/fail agreement
(pass = fraction >= the question's pass_fraction) and Cohen's kappa on it, the
needs-review rate, the most credit given to answers that deserve none (stuffed,
evasive, off-topic, grader-addressed, keywords, restated, hidden, empty), the p50/p90
grading time per answer (wall clock, and the CPU time of this process, which a busy
machine inflates less), the error per kind of answer, and whether each goal of the
issue is met. ``--details`` lists the development answers furthest from their label
(never the held-out ones).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from grader.freetext import FreeTextModel, FreeTextQuestion, SentenceModel, Tuning, grade_free_text, load_free_text
from grader.settings import REPO_ROOT, Settings

UNEARNED = ("stuffed", "evasive", "off_topic", "grader_addressed", "keywords", "restated", "hidden", "empty")
SPLITS = {"dev": "solutions", "heldout": "heldout"}


@dataclass(frozen=True)
class Graded:
    path: Path
    kind: str
    label: float
    fraction: float
    pass_fraction: float
    needs_review: bool
    seconds: float
    cpu_seconds: float


def free_text_questions(tasks_dir: Path) -> list[FreeTextQuestion]:
    """Every free-text question folder under ``tasks_dir``."""
    questions = []
    for path in sorted(tasks_dir.glob("*/question.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(raw, dict) and raw.get("kind") == "free_text":
            questions.append(load_free_text(path.parent))
    return questions


def grade_split(questions: list[FreeTextQuestion], folder: str, model: FreeTextModel) -> list[Graded]:
    rows = []
    for question in questions:
        for path in sorted((question.folder / folder).glob("*.json")):
            labelled = json.loads(path.read_text(encoding="utf-8"))
            t0, c0 = time.perf_counter(), time.process_time()
            report = grade_free_text(question, labelled["answers"].get("answer", ""), model)
            seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
            rows.append(Graded(
                path=path, kind=labelled.get("kind", ""), label=float(labelled["label"]),
                fraction=report.score / report.max_score, pass_fraction=question.spec.pass_fraction,
                needs_review=report.needs_review, seconds=seconds, cpu_seconds=cpu_seconds,
            ))
    return rows


def kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa of two raters' pass/fail calls; None when chance agreement is total."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    p_a, p_b = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    expected = p_a * p_b + (1 - p_a) * (1 - p_b)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def summary(rows: list[Graded]) -> dict[str, Any]:
    if not rows:
        return {"answers": 0}
    pairs = [(r.fraction >= r.pass_fraction, r.label >= r.pass_fraction) for r in rows]
    unearned = [r.fraction for r in rows if r.kind in UNEARNED]
    ms = sorted(r.seconds * 1000 for r in rows)
    cpu_ms = sorted(r.cpu_seconds * 1000 for r in rows)
    kinds = sorted({r.kind for r in rows})
    out: dict[str, Any] = {
        "answers": len(rows),
        "mae": round(statistics.fmean(abs(r.fraction - r.label) for r in rows), 3),
        "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 3),
        "kappa": None if (k := kappa(pairs)) is None else round(k, 3),
        "needs_review_rate": round(sum(r.needs_review for r in rows) / len(rows), 3),
        "unearned_answers": len(unearned),
        "unearned_max_credit": round(max(unearned, default=0.0), 3),
        "unearned_with_credit_ge_half": sum(f >= 0.5 for f in unearned),
        "p50_ms": round(ms[len(ms) // 2], 1),
        "p90_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.9))], 1),
        "p50_cpu_ms": round(cpu_ms[len(cpu_ms) // 2], 1),
        "mae_by_kind": {k: round(statistics.fmean(abs(r.fraction - r.label) for r in rows if r.kind == k), 3)
                        for k in kinds},
    }
    out["goals_met"] = {
        "mae <= 0.15": out["mae"] <= 0.15,
        "agreement >= 0.90": out["agreement"] >= 0.9,
        "no unearned credit >= 0.5": out["unearned_with_credit_ge_half"] == 0,
        "needs_review <= 0.15": out["needs_review_rate"] <= 0.15,
        "p50 < 100 ms": out["p50_ms"] < 100,
    }
    return out


def details(rows: list[Graded], limit: int = 25) -> list[dict[str, Any]]:
    worst = sorted(rows, key=lambda r: -abs(r.fraction - r.label))[:limit]
    return [{"answer": str(r.path.relative_to(r.path.parents[2])), "kind": r.kind, "label": r.label,
             "got": round(r.fraction, 3)} for r in worst if abs(r.fraction - r.label) > 0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks_dir", nargs="?", type=Path, default=REPO_ROOT / "tasks")
    parser.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--details", action="store_true", help="List the development answers furthest off.")
    args = parser.parse_args()
    settings = Settings.load()
    questions = free_text_questions(args.tasks_dir)
    if not questions:
        sys.exit(f"no free-text questions under {args.tasks_dir}")
    with tempfile.TemporaryDirectory() as tmp:
        encoder = SentenceModel(settings.freetext_model, settings.freetext_threads)
        model = FreeTextModel(encoder, Path(tmp), Tuning.from_settings(settings))
        t0 = time.perf_counter()
        model.load()
        load_s = time.perf_counter() - t0
        for question in questions:
            model.references(question)  # embedded once per question version, as a worker would
        splits = ("dev", "heldout") if args.split == "both" else (args.split,)
        graded = {name: grade_split(questions, SPLITS[name], model) for name in splits}
    result: dict[str, Any] = {"model": settings.freetext_model, "model_load_s": round(load_s, 1),
                              "questions": len(questions), **{name: summary(rows) for name, rows in graded.items()}}
    if args.details and "dev" in graded:
        result["dev_furthest"] = details(graded["dev"])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
