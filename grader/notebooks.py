"""A Jupyter notebook as the Python source it stands for: its code cells, in order.

The one home of notebook parsing: ``grader check``/``submit`` (:mod:`grader.answer_files`),
the API's ``notebook`` field and the web editor's upload all read notebooks here.

What IPython adds to Python is removed, since a sandbox runs plain Python: line
magics (``%matplotlib inline``), shell escapes (``!pip install``, ``files = !ls``), help lines
(``np.convolve?``) and cells run by another interpreter (``%%bash``, ``%%writefile``).
A cell magic that runs its cell as Python (``%%time``, ``%%timeit``, ``%%capture``)
loses its first line only. Each removed line becomes ``pass`` at its indentation, so
line numbers and blocks stay as they were. Markdown and raw cells are dropped.

The notebook is hostile input like any submission: it is parsed as JSON (never
executed) and checked for the nbformat 4 shape; anything else is a
:class:`NotebookError` with a message fit for the person who sent it.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from typing import Any

# Cell magics whose body is Python: the magic line goes, the body stays.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

# IPython's help lines: "np.convolve?", "??torch.nn", "obj.method??".
HELP_LINE = re.compile(r"\?{0,2}[\w.]+\?{0,2}")

# A magic's or shell escape's output assigned to names: "files = !ls", "t = %timeit -o f()".
ASSIGNED_MAGIC = re.compile(r"[A-Za-z_][\w.,\s]*=\s*[%!]")

# Languages a notebook's kernel may declare: only Python is graded.
PYTHON_NAMES = ("python", "python3", "ipython", "ipython3")


class NotebookError(ValueError):
    """The data is not a notebook this module can read; the message says why."""


def is_notebook(filename: str) -> bool:
    """Whether a file is a notebook by its name (``.ipynb``, any case)."""
    return filename.lower().endswith(".ipynb")


def notebook_to_source(data: bytes | str) -> str:
    """The Python source of the notebook ``data`` (an ``.ipynb`` file's bytes or text).

    Raises :class:`NotebookError` when ``data`` is not UTF-8, not JSON, not an
    nbformat 4 notebook, not a Python notebook, or has no code at all.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotebookError(f"a notebook is UTF-8 JSON; byte {exc.start} is not UTF-8") from None
    try:
        notebook = json.loads(data)
    except (ValueError, RecursionError) as exc:  # RecursionError: brackets nested beyond reason
        raise NotebookError(f"not a notebook: not valid JSON ({exc})") from None
    return source_of(notebook)


def source_of(notebook: Any) -> str:
    """The Python source of an already parsed notebook (a JSON object); see :func:`notebook_to_source`."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotebookError("not a notebook: a JSON object with a 'cells' list was expected")
    if notebook.get("nbformat") != 4:
        raise NotebookError(f"nbformat {notebook.get('nbformat')!r} is not supported; save it with a current "
                            "Jupyter (nbformat 4)")
    language = _language(notebook.get("metadata"))
    if language is not None and language.lower() not in PYTHON_NAMES:
        raise NotebookError(f"a {language} notebook: only Python notebooks can be graded")
    parts = []
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number} is not a JSON object")
        if cell.get("cell_type") != "code":
            continue
        code = strip_magics(_text(cell.get("source", ""), number))
        if code.strip():
            parts.append(f"# cell {number}\n{code.rstrip()}\n")
    if not parts:
        raise NotebookError("the notebook has no code cells")
    return "\n".join(parts)


def code_of(filename: str, text: str) -> str:
    """The code a file given as an answer stands for: a notebook's (by its name or its text) as
    :func:`notebook_to_source` reads it, any other file's text as it is."""
    return notebook_to_source(text) if is_notebook(filename) or looks_like_notebook(text) else text


def looks_like_notebook(text: str) -> bool:
    """Whether ``text`` is a notebook's JSON (whatever its file is called)."""
    if not text.lstrip().startswith("{"):
        return False
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "cells" in data and "nbformat" in data


def _language(metadata: Any) -> str | None:
    if not isinstance(metadata, dict):
        return None
    for block, key in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(block)
        if isinstance(value, dict) and isinstance(value.get(key), str):
            return str(value[key])
    return None


def _text(source: Any, number: int) -> str:
    """A cell's source: nbformat writes a string or a list of strings (lines with their newlines)."""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise NotebookError(f"cell {number}: 'source' must be a string or a list of strings")


def strip_magics(code: str) -> str:
    """One code cell without IPython's own syntax (see the module's docstring); line numbers kept."""
    lines = code.splitlines()
    if lines and lines[0].startswith("%%"):
        cell_magic = lines[0][2:].split(maxsplit=1)[0] if lines[0][2:].strip() else ""
        if cell_magic not in PYTHON_CELL_MAGICS:
            return ""  # %%bash, %%writefile, %%html...: not Python
        lines[0] = "pass"
    starts = _statement_starts("\n".join(lines))
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        help_line = "?" in stripped and HELP_LINE.fullmatch(stripped.rstrip()) is not None
        ipython = stripped.startswith(("%", "!")) or help_line or ASSIGNED_MAGIC.match(stripped) is not None
        if index in starts and ipython:
            lines[index] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines)


def _statement_starts(code: str) -> set[int]:
    """Indexes of the lines where a statement begins: not inside a string or brackets.

    A ``%`` or ``!`` at the start of any other line is Python (an operator, text);
    where the code cannot be tokenized, every line counts as a start.
    """
    starts: set[int] = set()
    depth, fresh = 0, True
    try:
        for token in tokenize.generate_tokens(io.StringIO(code + "\n").readline):
            kind, text, (row, _col) = token.type, token.string, token.start
            if kind in (tokenize.NEWLINE, tokenize.NL):
                fresh = depth == 0
                continue
            if kind in (tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER):
                continue
            if fresh:
                starts.add(row - 1)
                fresh = False
            if kind == tokenize.OP and text in "([{":
                depth += 1
            elif kind == tokenize.OP and text in ")]}":
                depth = max(depth - 1, 0)
    except (tokenize.TokenError, SyntaxError):
        return set(range(len(code.splitlines())))
    return starts
