"""Notebooks read as the Python they stand for, and every file a user may give `grader check`."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from grader.answer_files import AnswerFileError, read_answer_file
from grader.notebooks import (
    NotebookError,
    is_notebook,
    looks_like_notebook,
    notebook_to_source,
    source_of,
    strip_magics,
)
from grader.settings import REPO_ROOT


def notebook(*sources: Any, cell_type: str = "code", **top: Any) -> dict[str, Any]:
    cells = [{"cell_type": cell_type, "metadata": {}, "source": s, "outputs": [], "execution_count": None}
             for s in sources]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **top}


def test_code_cells_in_order_as_one_module() -> None:
    nb = notebook("import numpy as np", ["def f(x):\n", "    return x + 1\n"], "y = f(1)")
    nb["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": "# not code"})
    source = notebook_to_source(json.dumps(nb))
    assert source == "# cell 1\nimport numpy as np\n\n# cell 3\ndef f(x):\n    return x + 1\n\n# cell 4\ny = f(1)\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "nb", "exec"), namespace)  # noqa: S102 - our own test text
    assert namespace["y"] == 2


IPYTHON = [
    # (cell, what must remain, what must be gone)
    ("%matplotlib inline\nx = 1", "pass\nx = 1", "%matplotlib"),
    ("!pip install numpy\nx = 1", "pass\nx = 1", "pip"),
    ("if True:\n    %time y = 2", "if True:\n    pass", "%time"),
    ("np.convolve?\nx = 1", "pass\nx = 1", "convolve?"),
    ("??np.convolve", "pass", "??"),
    ("for i in range(2):\n    !echo hi\nx = 1", "for i in range(2):\n    pass\nx = 1", "echo"),
    ("%%time\nx = 1\ny = 2", "pass\nx = 1\ny = 2", "%%time"),
    ("%%debug\nx = 1", "pass\nx = 1", "%%debug"),
    ("files = !ls\nx = 1", "pass\nx = 1", "!ls"),
    ("t = %timeit -o f()\nx = 1", "pass\nx = 1", "timeit"),
    ("?np\nx = 1", "pass\nx = 1", "?np"),
]


@pytest.mark.parametrize("cell,kept,gone", IPYTHON, ids=[c[0].split("\n")[0] for c in IPYTHON])
def test_magics_shell_escapes_and_help_become_pass(cell: str, kept: str, gone: str) -> None:
    source = source_of(notebook(cell))
    assert source == f"# cell 1\n{kept}\n" and gone not in source
    ast.parse(source)  # plain Python, blocks intact


@pytest.mark.parametrize("magic", ["%%bash\nls -l", "%%writefile x.py\nprint(1)", "%%html\n<b>x</b>"])
def test_cells_of_other_languages_are_dropped(magic: str) -> None:
    assert source_of(notebook(magic, "x = 1")) == "# cell 2\nx = 1\n"


def test_percent_and_bang_inside_python_are_kept() -> None:
    cell = 's = """\n%d items\n!important\n"""\nr = (10\n     % 3)\nok = not!False if False else 1'
    source = source_of(notebook(cell))
    assert '%d items\n!important' in source and "% 3)" in source


def test_not_equal_and_comparisons_at_a_line_start_are_python() -> None:
    cell = "ok = (a\n!= b)\nsame = x == !y if False else 1"
    assert strip_magics("ok = (a\n!= b)") == "ok = (a\n!= b)"
    assert "!= b" in strip_magics(cell)


def test_a_removed_line_leaves_the_line_numbers_as_they_were() -> None:
    cell = "%matplotlib inline\nimport numpy as np\n!pip install torch\nx = np.zeros(3)"
    assert strip_magics(cell).splitlines()[3] == "x = np.zeros(3)"


def test_a_bom_and_a_byte_string_are_read() -> None:
    data = b"\xef\xbb\xbf" + json.dumps(notebook("x = 1")).encode()
    assert notebook_to_source(data) == "# cell 1\nx = 1\n"


BROKEN = [
    (b"\xff\xfe{}", "not UTF-8"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "a JSON object with a 'cells' list"),
    (json.dumps({"cells": {}, "nbformat": 4}), "'cells' list"),
    (json.dumps(notebook("x = 1", nbformat=3)), "nbformat 3 is not supported"),
    (json.dumps(notebook("x <- 1", metadata={"kernelspec": {"language": "R"}})), "a R notebook"),
    (json.dumps(notebook("# just a comment", "# text", cell_type="markdown")), "no code cells"),
    (json.dumps(notebook(["x = 1", 5])), "cell 1: 'source' must be"),
    (json.dumps({"cells": ["x"], "nbformat": 4}), "cell 1 is not a JSON object"),
    ("[" * 100000, "not valid JSON"),
]


@pytest.mark.parametrize("data,words", BROKEN, ids=[b[1] for b in BROKEN])
def test_broken_notebooks_say_why(data: bytes | str, words: str) -> None:
    with pytest.raises(NotebookError, match=words):
        notebook_to_source(data)


def test_looks_like_notebook() -> None:
    assert looks_like_notebook(json.dumps(notebook("x = 1")))
    assert not looks_like_notebook("x = {'cells': 1, 'nbformat': 4}")
    assert not looks_like_notebook('{"answers": {}}')
    assert not looks_like_notebook("{" + "[" * 100000)


def test_is_notebook_by_extension() -> None:
    assert is_notebook("answer.IPYNB") and not is_notebook("answer.py")


def test_the_shipped_example_notebook_is_the_shipped_answer() -> None:
    source = notebook_to_source((REPO_ROOT / "examples" / "answer.ipynb").read_bytes())
    assert "def conv1d(a, v):" in source and "%" not in source and "!pip" not in source and "ls -l" not in source
    ast.parse(source)


# --- read_answer_file ------------------------------------------------------------


def test_read_source_notebook_and_answers(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "a.ipynb").write_text(json.dumps(notebook("x = 1")))
    (tmp_path / "nb.py").write_text(json.dumps(notebook("x = 2")))  # a notebook saved under another name
    (tmp_path / "a.json").write_text('{"answers": {"size": "5 MB"}, "expect": "accepted"}')
    assert read_answer_file(tmp_path / "a.py") == {"code": "x = 1\n"}
    assert read_answer_file(tmp_path / "a.ipynb") == {"code": "# cell 1\nx = 1\n"}
    assert read_answer_file(tmp_path / "nb.py") == {"code": "# cell 1\nx = 2\n"}
    assert read_answer_file(tmp_path / "a.json") == {"answers": {"size": "5 MB"}}
    assert read_answer_file(tmp_path / "a.py", answers=False) == {"code": "x = 1\n"}


@pytest.mark.parametrize("name,data,answers,words", [
    ("model.pt", b"PK\x03\x04\x00\x00binary", None, "binary file (a NUL byte at 4)"),
    ("latin1.py", "caf\xe9 = 1".encode("latin-1"), None, "not UTF-8 text (byte 3)"),
    ("broken.ipynb", b'{"cells": 3, "nbformat": 4}', None, "'cells' list"),
    ("a.json", b"[1]", None, "JSON object of part id"),
    ("a.txt", b"not json", True, "answers must be a JSON object"),
    ("missing.py", None, None, "cannot read"),
])
def test_unfit_files_say_what_was_expected(tmp_path: Path, name: str, data: bytes | None, answers: bool | None,
                                           words: str) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(AnswerFileError, match=re.escape(words)) as raised:
        read_answer_file(path, answers=answers)
    assert str(path) in str(raised.value)
