"""Hidden test names are shown to candidates: a random case's name must not describe its inputs."""

from __future__ import annotations

import re

import pytest

from grader.grading.reference import expected_for
from grader.questions.loader import Question, scan_bank
from grader.settings import REPO_ROOT, Settings

RANDOM_NAME = re.compile(r"random \d+( [A-Za-z_][\w-]*)*")
CODING = sorted(q.id for q in scan_bank(REPO_ROOT / "tasks")[0].values() if isinstance(q, Question))


@pytest.mark.parametrize("question_id", CODING)
def test_random_case_names_say_nothing_of_their_inputs(question_id: str, settings: Settings) -> None:
    question = scan_bank(REPO_ROOT / "tasks")[0][question_id]
    assert isinstance(question, Question)
    cases = expected_for(question, settings.cache_dir, settings.reference_timeout_s).cases
    telling = [c.name for c in cases if not c.visible and c.name.startswith("random")
               and not RANDOM_NAME.fullmatch(c.name)]
    assert not telling, f"rename these hidden cases (their names describe hidden inputs): {telling}"
