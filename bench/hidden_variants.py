"""What random hidden inputs per submission cost: a variant's first use, and a cached hit.

Run by hand: ``.venv/bin/python bench/hidden_variants.py [--variants 4] [QUESTION_ID ...]``
(default: conv1d_full, maxpool2d, tanh_autograd). With a fresh cache, for each
question: the reference process for each of ``--variants`` variants (what the first
submission drawing that variant waits for, or ``grader tasks warm`` spends), then
reading a cached variant (what every later submission pays), then the size of one
variant's bundle on disk. Prints JSON: median (max) seconds and bytes; for first uses
also the CPU seconds of the reference process (user + system), which a busy machine
inflates far less than wall time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from grader.grading.expected import bundle_dir
from grader.grading.reference import expected_for
from grader.questions.loader import Question, find_question
from grader.settings import Settings

DEFAULT = ("conv1d_full", "maxpool2d", "tanh_autograd")
CACHED_READS = 20


def seconds(runs: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(runs), 4), "max_s": round(max(runs), 4)}


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(question: Question, cache: Path, timeout_s: float, variants: int) -> dict[str, object]:
    first, cpu = [], []
    for variant in range(variants):
        t0, c0 = time.perf_counter(), children_cpu_s()
        expected_for(question, cache, timeout_s, variant)
        first.append(time.perf_counter() - t0)
        cpu.append(children_cpu_s() - c0)
    hits = []
    for i in range(CACHED_READS):
        t0 = time.perf_counter()
        expected_for(question, cache, timeout_s, i % variants)
        hits.append(time.perf_counter() - t0)
    folder = bundle_dir(cache, question.id, question.spec.version, question.digest, 1 % variants)
    size = sum(p.stat().st_size for p in folder.iterdir())
    return {
        "first_use_variant_0": round(first[0], 3),
        "first_use_other_variants": seconds(first[1:] or first),
        "first_use_cpu": seconds(cpu),
        "cached_hit": seconds(hits),
        "bundle_bytes": size,
        "warm_all_variants_s": round(sum(first), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question_ids", nargs="*", default=list(DEFAULT))
    parser.add_argument("--variants", type=int, default=4)
    args = parser.parse_args()
    settings = Settings.load()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for question_id in args.question_ids:
            question = find_question(settings.tasks_dir, question_id)
            assert isinstance(question, Question), f"{question_id} is not a coding question"
            results[question_id] = measure(question, Path(tmp), settings.reference_timeout_s, args.variants)
    print(json.dumps({"variants": args.variants, "questions": results}, indent=2))


if __name__ == "__main__":
    main()
