"""Jupyter notebooks as Python source: the code cells in order, IPython syntax removed.

A candidate may hand in a notebook (``.ipynb``) instead of a ``.py`` file. What is graded
is its code cells, joined in order; IPython's own syntax is not Python and is removed:
line magics (``%matplotlib inline``), shell escapes (``!pip install x``, ``files = !ls``),
help lines (``np.sum?``) and cell magics (``%%time`` keeps its body, which is Python;
``%%bash`` and the other cell magics drop their whole cell, which is not). A removed line
inside an indented block becomes ``pass`` so the block stays valid; text inside a string
that merely looks like a magic is kept.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from typing import Any

# Cell magics whose body is plain Python: the body is kept, the magic line dropped.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_LINE_MAGIC = re.compile(r"^\s*(%|!(?!=)|\?)")
_ASSIGNED_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.,\s]*=\s*(%|!)")
_HELP = re.compile(r"^\s*[\w.]+\?{1,2}\s*$")


class NotebookError(ValueError):
    """The file is not a notebook this module can read; the message says why, for the candidate."""


def is_notebook(filename: str) -> bool:
    return filename.lower().endswith(".ipynb")


def notebook_to_source(text: str) -> str:
    """The Python source of notebook ``text`` (its JSON): code cells in order, magics removed.

    Raises :class:`NotebookError` for anything that is not an nbformat 4 notebook.
    """
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise NotebookError(f"not a notebook: the file is not valid JSON ({exc})") from exc
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: no list of 'cells' (nbformat 4 is expected)")
    chunks = [strip_magics(_cell_source(cell, i)).strip("\n") for i, cell in enumerate(cells) if _is_code(cell)]
    code = "\n\n".join(chunk for chunk in chunks if chunk.strip())
    return code + "\n" if code else ""


def _is_code(cell: Any) -> bool:
    return isinstance(cell, dict) and cell.get("cell_type") == "code"


def _cell_source(cell: dict[str, Any], index: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError(f"not a notebook: cell {index} has a 'source' that is neither text nor a list of lines")


def strip_magics(cell: str) -> str:
    """One code cell without IPython syntax (see the module's docstring)."""
    lines = cell.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return ""
        lines = lines[1:]
    candidates = {i for i, line in enumerate(lines) if _looks_like_magic(line)}
    if not candidates:
        return "\n".join(lines)
    replaced = [_placeholder(line) if i in candidates else line for i, line in enumerate(lines)]
    inside = _lines_inside_strings("\n".join(replaced))
    return "\n".join(
        line if i not in candidates or i in inside else _placeholder(line)
        for i, line in enumerate(lines)
        if not (i in candidates and i not in inside and not _indent(line))
    )


def _looks_like_magic(line: str) -> bool:
    return bool(_LINE_MAGIC.match(line) or _ASSIGNED_MAGIC.match(line) or _HELP.match(line))


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _placeholder(line: str) -> str:
    return f"{_indent(line)}pass  # removed: {line.strip()[:60]}" if _indent(line) else ""


def _lines_inside_strings(source: str) -> set[int]:
    """Line indexes (0-based) that lie inside a multi-line string, past its first line."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))  # 1-based rows after the first, as 0-based
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # code that does not tokenize is graded as it is and gets its syntax_error there
    return inside
