"""Sentences and clauses of an answer, and which of them make a claim.

Only a unit that makes a claim can earn a rubric point: not a question, not a lone
keyword or a list of them, not a line addressed to the grader. Negation is noted per
unit so that "ReLU does not avoid saturation" is never taken for "ReLU avoids saturation".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "fig.", "eq.", "resp.", "w.r.t.", "al.", "no.")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
BLOCK_START = re.compile(r"^\s*(?:[-*+•]\s+|\d{1,3}[.)]\s+|#{1,6}\s+|\|)")
MARKER = re.compile(r"^\s*(?:[-*+•]\s+|\d{1,3}[.)]\s+|\|\s*)")
HEADING = re.compile(r"^\s*#{1,6}\s+")
CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s+|\s+-{1,2}\s+|\s*(?:->|=>|→|—)\s*|\s*[()]\s*|,?\s+\b(?:but|whereas|while|although|though|however|yet|because|since|"
    r"so that|which means|which|so|and so|thus|hence|therefore|and)\b,?\s+",
    re.I,
)
# Where a negation's reach ends: "the model is not copied and the batch is not split" denies twice, not zero times.
NEGATION_SCOPE = re.compile(CLAUSE_BREAK.pattern + r"|,\s*|\s+\bor\b\s+", re.I)
HEDGE = re.compile(
    r"\b(?:i(?:'m| am) not sure|not (?:entirely |really |completely )?sure|i (?:do not|don't|can't|cannot) "
    r"(?:remember|recall|know)|no idea|i forget|i(?:'m| am) not certain|i (?:would|'d) have to (?:check|look))\b",
    re.I,
)
WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")  # "L1", "1x1", "don't", "non-linear" are one word each

# Negations, and words that deny what follows them ("avoids saturation" = "does not saturate").
NEGATORS = frozenset("""
not no never none nothing neither nobody nowhere cannot without instead unable
avoid avoids avoided avoiding prevent prevents prevented preventing lack lacks lacking
""".split())
NOT_NEGATION = re.compile(r"\b(?:not only|not just|not to mention|no matter|or not|no doubt|nor)\b", re.I)
CONTRACTION = re.compile(
    r"^(?:(ca|wo|do|does|did|is|are|was|were|has|have|had|should|would|could|must|need)n['’]?t)$", re.I
)
FULL_FORMS = {"ca": "can", "wo": "will"}

FUNCTION_WORDS = frozenset("""
a an the this that these those it its they them their there here we you he she one
is are was were be been being am has have had do does did can could will would shall should may might must
of to in on at by for from with into onto over under through about across between without within than as
and or but so if then because since while whereas which who whom whose what when where how why
not no more less most least very also only just each every all any both some such same other
""".split())

ADDRESSED = re.compile(
    r"\b(?:award|give|grant|assign)\w*\b.{0,40}\b(?:full|maximum|max|all|perfect|top|100)\b.{0,20}"
    r"\b(?:marks?|points?|score|credit|grade)\b"
    r"|\bfull (?:marks?|credit|score|points)\b|\b(?:10 ?/ ?10|100 ?/ ?100)\b"
    r"|\bignore\b.{0,60}\b(?:instructions?|rubric|prompt|above|previous|everything)\b"
    r"|\b(?:dear|note to the|attention|hey|hi|hello)\s+(?:grader|marker|examiner|evaluator|assessor|ai|model)\b"
    r"|\b(?:grader|grading (?:system|model|script|tool)|marker|evaluator|assessor|scoring (?:system|model))\b"
    r"|\bsystem prompt\b|\byou are (?:an?|the) (?:grader|assistant|ai|model|evaluator)\b"
    r"|\b(?:this|my) answer (?:is|should be|must be) (?:correct|right|marked|graded|accepted|complete)\b"
    r"|\bmark (?:this|it|me) (?:as )?(?:correct|right|accepted)\b",
    re.I,
)


@dataclass(frozen=True)
class Unit:
    """A sentence or one of its clauses, as graded."""

    text: str
    sentence: int  # which sentence of the answer it comes from
    negated: bool  # an odd number of negations: it denies what its other words say
    core: str  # the text without its negations: what is compared, polarity apart
    skip: str = ""  # why it cannot earn credit ('' when it makes a claim)


def split_sentences(prose: str) -> list[str]:
    """Sentences of prose text: list items, headings and paragraphs start new ones."""
    sentences: list[str] = []
    for segment in _segments(prose):
        heading = bool(HEADING.match(segment))
        for piece in _split_ends(MARKER.sub("", segment)):
            piece = piece.strip()
            if heading:  # a heading names a topic; it never makes a claim
                piece = "# " + piece.lstrip("# ")
            if re.search(r"[A-Za-z0-9]", piece):
                sentences.append(piece)
    return sentences


def _segments(prose: str) -> list[str]:
    """Paragraphs, with each list item, heading or table row on its own."""
    segments: list[str] = []
    for paragraph in re.split(r"\n\s*\n", prose):
        current: list[str] = []
        for line in paragraph.split("\n"):
            if BLOCK_START.match(line) and current:
                segments.append(" ".join(current))
                current = []
            current.append(line.strip())
            if HEADING.match(line):  # a heading is one line
                segments.append(current.pop())
        if current:
            segments.append(" ".join(current))
    return segments


def _split_ends(segment: str) -> list[str]:
    """Split at sentence ends, rejoining after abbreviations such as 'e.g.'."""
    pieces: list[str] = []
    for piece in SENTENCE_END.split(segment):
        if pieces and pieces[-1].lower().endswith(ABBREVIATIONS):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def units(sentences: list[str]) -> list[Unit]:
    """Each sentence, and its clauses when it has several, with negation and claim checks."""
    out: list[Unit] = []
    for index, sentence in enumerate(sentences):
        clauses = [c for c in CLAUSE_BREAK.split(sentence) if c and c.strip()]
        texts = [sentence] + (clauses if len(clauses) > 1 else [])
        addressed = bool(ADDRESSED.search(sentence))
        for text in texts:
            denied, core = polarity(text)
            out.append(Unit(text, index, denied, core, _skip(sentence, text, addressed)))
    return out


def _skip(sentence: str, text: str, addressed: bool) -> str:
    if addressed:
        return "addressed to the grader"
    if HEDGE.search(text):  # "I'm not sure, but it keeps the size": the clause after "but" still counts
        return "says it does not know"
    if HEADING.match(sentence):
        return "a heading"
    if sentence.rstrip().endswith("?"):
        return "a question"
    words = words_of(text)
    if len(words) < 4:
        return "not a sentence"
    if keyword_list(text, words):
        return "a list of keywords"
    return ""


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def keyword_list(text: str, words: list[str]) -> bool:
    """True for text that names things without saying anything about them."""
    function = sum(w.lower() in FUNCTION_WORDS for w in words)
    if function == 0:
        return True
    parts = [p for p in re.split(r"[,/;|·•]+", text) if p.strip()]
    short_parts = len(parts) >= 3 and len(words) / len(parts) <= 3.0
    return short_parts and function / len(words) < 0.25


def polarity(text: str) -> tuple[bool, str]:
    """Whether ``text`` denies something (a clause of it with an odd number of negations), and the
    text with its negations taken out: what is compared with references of the same polarity."""
    denied = any(_negations(piece)[0] % 2 for piece in NEGATION_SCOPE.split(text) if piece)
    return denied, _negations(text)[1]


def _negations(text: str) -> tuple[int, str]:
    """How many negations ``text`` has, and the text without them ("doesn't" keeps its verb)."""
    count = 0
    kept: list[str] = []
    exempt = {m.start() for m in NOT_NEGATION.finditer(text)}
    for match in re.finditer(r"\S+", text):
        word = re.sub(r"^\W+|\W+$", "", match.group()).lower().replace("’", "'")
        contraction = CONTRACTION.match(word)
        if match.start() in exempt or not (word in NEGATORS or contraction):
            kept.append(match.group())
            continue
        count += 1
        if contraction:
            kept.append(FULL_FORMS.get(contraction.group(1).lower(), contraction.group(1)))
        elif word == "cannot":
            kept.append("can")
    return count, " ".join(kept)


def negated(text: str) -> bool:
    """Whether ``text`` carries an odd number of negations ('not', "doesn't", 'never', 'avoids'...)."""
    return polarity(text)[0]


def stem(word: str) -> str:
    """A light suffix-stripping stem, enough to match 'pixels' with 'pixel' and 'padding' with 'padded'."""
    w = word.lower().replace("’", "'").removesuffix("'s")
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + keep
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (function words and negations left out)."""
    return {stem(w) for w in words_of(text) if (lw := w.lower()) not in FUNCTION_WORDS and lw not in NEGATORS
            and not CONTRACTION.match(lw) and (len(w) > 1 or w.isdigit())}
