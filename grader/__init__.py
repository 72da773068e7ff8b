"""The grader service: question bank, grading pipeline, checkers, reports, CLI."""
