"""The prose of a Markdown answer: what a reader sees as the candidate's own sentences.

Code (fenced, indented or inline), HTML comments and elements, images and quoted
blocks are taken out: they earn no credit, so claims hidden there count for nothing.
Invisible characters are dropped so that they cannot split or disguise words. The
prose is capped: past ``max_chars`` the rest is ignored, and the result says so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Beyond ``RAW_FACTOR * max_chars`` raw characters nothing is even looked at; with the bounded
# repetitions below this keeps every pattern's work small whatever the input.
RAW_FACTOR = 6

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
INDENTED = re.compile(r"^(?: {4}|\t)")
QUOTE = re.compile(r"^ {0,3}>")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?:\s[^<>]{0,500})?(/?)>")
KEPT = "\x00"  # marks inline code kept as a word, so that it is not counted as hidden
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
INLINE_CODE = re.compile(r"(`+)(?:.{1,500}?)\1", re.S)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S.*$", re.M)
EMPHASIS = re.compile(r"(\*\*|\*|~~|(?<!\w)__|(?<!\w)_)(?=\S)(.{1,300}?)(?<=\S)\1")
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Prose:
    """The text that is graded, and what was left out of it."""

    text: str
    hidden: int = 0  # code blocks, inline code, comments, HTML elements and quotes taken out
    truncated: bool = False  # the prose went past the cap; the rest was ignored


def extract_prose(answer: str, max_chars: int) -> Prose:
    """The candidate's visible prose, Markdown syntax removed, capped at ``max_chars``."""
    raw = unicodedata.normalize("NFKC", answer[: max_chars * RAW_FACTOR])
    raw = CONTROL.sub(" ", INVISIBLE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")))
    text, hidden = _drop_blocks(raw)
    text = _tables(text)
    text, more = _drop_inline(text)
    text = EMPHASIS.sub(r"\2", LINK.sub(r"\1", text))
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    truncated = len(answer) > max_chars * RAW_FACTOR or len(text) > max_chars
    if len(text) > max_chars:
        text = _cut(text, max_chars)
    return Prose(text=text, hidden=hidden + more, truncated=truncated)


def _drop_blocks(text: str) -> tuple[str, int]:
    """Remove fenced and indented code blocks and quoted lines; count them."""
    out: list[str] = []
    hidden = 0
    fence: str | None = None
    previous_blank = True
    in_indented = False
    for line in text.split("\n"):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = FENCE.match(line)
        if opening:
            fence, hidden = opening.group(1)[0] * 3, hidden + 1
            continue
        blank = not line.strip()
        if not blank and INDENTED.match(line) and (previous_blank or in_indented) and not _list_item(line):
            hidden += 0 if in_indented else 1
            in_indented = True
            continue
        in_indented = in_indented and blank
        if QUOTE.match(line):
            hidden += 1
            out.append("")  # a quote ends the paragraph it interrupts
            continue
        out.append(line)
        previous_blank = blank
    return "\n".join(out), hidden


def _tables(text: str) -> str:
    """Markdown tables as sentences, one per cell: "<column header> <row label> <cell>."."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and "|" in lines[i] and TABLE_RULE.match(lines[i + 1]):
            header = _cells(lines[i])
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                row = _cells(lines[i])
                out += [f"{h} {row[0]} {c}." for h, c in zip(header[1:], row[1:], strict=False) if c]
                i += 1
            out.append("")
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _list_item(line: str) -> bool:
    return bool(re.match(r"^\s*(?:[-*+]|\d{1,3}[.)])\s", line))


def _drop_inline(text: str) -> tuple[str, int]:
    """Remove HTML comments, HTML elements with their content, images, inline code."""
    hidden = 0
    for pattern in (COMMENT, IMAGE):
        text, n = pattern.subn(" ", text)
        hidden += n
    text, n = INLINE_CODE.subn(_inline_code, text)
    hidden += n - text.count(KEPT)
    text = text.replace(KEPT, "")
    text, n = _drop_elements(text)
    text, m = LINK_DEF.subn("", text)
    return text, hidden + n + m


def _inline_code(match: re.Match[str]) -> str:
    """A name in backticks (`same`, `nn.Conv2d`) reads as a word; a longer span is hidden code."""
    body = match.group(0).strip("`").strip()
    return f"{body}{KEPT}" if len(body) <= 24 and len(body.split()) <= 2 else " "


def _drop_elements(text: str) -> tuple[str, int]:
    """Keep only text outside HTML elements (an element left open hides the rest), in one pass."""
    kept: list[str] = []
    depth = position = elements = 0
    for tag in TAG.finditer(text):
        if depth == 0:
            kept.append(text[position : tag.start()])
        position = tag.end()
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name not in VOID:
            elements += depth == 0
            depth += 1
        kept.append(" ")
    if depth == 0:
        kept.append(text[position:])
    return "".join(kept), elements


def _cut(text: str, max_chars: int) -> str:
    """The first ``max_chars`` characters, ending at a sentence end when one is near."""
    head = text[:max_chars]
    end = max(head.rfind(". "), head.rfind("\n"), head.rfind("! "))
    return head[: end + 1] if end > max_chars * 0.8 else head
