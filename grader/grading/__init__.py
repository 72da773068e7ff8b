"""The grading pipeline: reference side, static checks, sandbox run, checkers, report."""
