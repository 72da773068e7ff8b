"""How long ``grader tasks validate`` takes for the whole bank, per question.

Run by hand: ``.venv/bin/python bench/validate_bank.py [--jobs 1] [--warm]``. Grades
every solution of every question through the real sandbox, with a fresh cache of
expected outputs (so each question's reference process runs once) unless ``--warm``
reuses the settings' cache. Prints JSON: seconds per question (the sum over its
solutions), the number of solutions, and the wall time of the whole run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from grader.sandboxes import make_sandbox
from grader.settings import Settings
from grader.validate import validate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--warm", action="store_true", help="Reuse cached expected outputs.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load()
        if not args.warm:
            settings = settings.model_copy(update={"cache_dir": Path(tmp)})
        folders = sorted(p.parent for p in settings.tasks_dir.glob("*/question.yml"))
        t0 = time.perf_counter()
        rows = list(validate(folders, make_sandbox(settings), settings, args.jobs))
        wall = time.perf_counter() - t0
    seconds: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        seconds[row.question_id] += row.seconds
        counts[row.question_id] += 1
    per_question = {q: {"seconds": round(seconds[q], 2), "solutions": counts[q]}
                    for q in sorted(seconds, key=lambda q: -seconds[q])}
    print(json.dumps({"jobs": args.jobs, "warm_cache": args.warm, "wall_s": round(wall, 1),
                      "failed": sum(not r.ok for r in rows), "questions": per_question}, indent=2))


if __name__ == "__main__":
    main()
