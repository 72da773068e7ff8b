"""Notebooks become Python: code cells in order, IPython syntax removed, strings untouched."""

from __future__ import annotations

import ast
import json

import pytest

from grader.notebooks import NotebookError, is_notebook, notebook_to_source, strip_magics


def notebook(*cells: tuple[str, str | list[str]]) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                       "cells": [{"cell_type": kind, "metadata": {}, "source": src} for kind, src in cells]})


def test_code_cells_in_order_markdown_dropped() -> None:
    text = notebook(("markdown", "# Title\n%not code"), ("code", ["import numpy as np\n", "x = 1"]),
                    ("raw", "!raw"), ("code", "def f(a):\n    return a + x"))
    source = notebook_to_source(text)
    assert source == "import numpy as np\nx = 1\n\ndef f(a):\n    return a + x\n"
    ast.parse(source)


def test_line_magics_shell_escapes_and_help_removed() -> None:
    cell = "%matplotlib inline\n!pip install torch\nfiles = !ls\nt = %timeit -o f()\nnp.sum?\n?np\nx = 2"
    assert strip_magics(cell) == "x = 2"


def test_indented_magic_becomes_pass() -> None:
    cell = "for i in range(3):\n    %time f(i)\n    !echo hi\ny = 1"
    out = strip_magics(cell)
    ast.parse(out)
    assert out.splitlines()[1].startswith("    pass") and "y = 1" in out


def test_python_cell_magic_keeps_body_other_cell_magics_drop_cell() -> None:
    assert strip_magics("%%time\nz = 3\n") == "z = 3\n"
    assert strip_magics("%%bash\nrm -rf /\necho done") == ""
    assert notebook_to_source(notebook(("code", "%%writefile a.py\nprint(1)"), ("code", "a = 1"))) == "a = 1\n"


def test_text_inside_strings_is_kept() -> None:
    cell = 'doc = """\n% of the total\n!important\n"""\n%who'
    assert strip_magics(cell) == 'doc = """\n% of the total\n!important\n"""'


def test_not_equal_at_line_start_is_python() -> None:
    cell = "ok = (a\n!= b)"
    assert strip_magics(cell) == cell


def test_empty_notebook_is_empty_source() -> None:
    assert notebook_to_source(notebook()) == ""
    assert notebook_to_source(notebook(("code", "   \n"))) == ""


@pytest.mark.parametrize("text, needle", [
    ("not json", "not valid JSON"),
    ("[1, 2]", "cells"),
    ('{"cells": {}}', "cells"),
    ('{"cells": [{"cell_type": "code", "source": 3}]}', "cell 0"),
    ("[" * 100000, "not valid JSON"),
])
def test_bad_notebooks_are_refused_with_a_reason(text: str, needle: str) -> None:
    with pytest.raises(NotebookError, match=needle):
        notebook_to_source(text)


def test_is_notebook_by_extension() -> None:
    assert is_notebook("answer.IPYNB") and not is_notebook("answer.py")
