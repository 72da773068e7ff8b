"""Text made into HTML on the server: question prompts (Markdown with maths), highlighted code, diffs.

Prompts come from the question bank; HTML inside them is still escaped (``html: False``).
Maths (``$...$``, ``$$...$$``) becomes ``<span class="math inline">`` / ``<div class="math block">``
holding the TeX as text, typeset by KaTeX in the browser (readable as TeX without it).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(dollarmath_plugin, double_inline=True)


def markdown(text: str) -> Markup:
    return Markup(_markdown().render(text))  # noqa: S704 - markdown-it escapes all text (html disabled)


def python_html(code: str) -> Markup:
    """Python source highlighted with CSS classes (the stylesheet has the colours), line numbers as a table."""
    formatter = HtmlFormatter(linenos="table", cssclass="code", wrapcode=True)
    return Markup(highlight(code, PythonLexer(), formatter))  # noqa: S704 - Pygments escapes the source


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "hunk"
    old: int | None
    new: int | None
    text: str


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """A unified diff of two sources as lines to render (escaped by the template)."""
    out: list[DiffLine] = []
    a, b = old.splitlines(), new.splitlines()
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        out.append(DiffLine("hunk", None, None, f"@@ -{first[1] + 1},{last[2] - first[1]} "
                                                f"+{first[3] + 1},{last[4] - first[3]} @@"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("same", i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2),
                                                                               strict=True)]
                continue
            out += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            out += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
    return out
