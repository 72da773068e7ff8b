"""Formulas in short answers: read by an explicit grammar, compared as mathematics.

Candidate text is never evaluated as Python (no ``eval``, ``exec``, ``sympify`` or
``parse_expr``): it is normalised (NFKC; every dash is a minus, ``×``/``·`` a product,
``^`` and ``**`` a power, superscript digits an exponent), tokenized, and read by a
recursive-descent parser that builds SymPy objects directly::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary | power)*       # a bare juxtaposition is a product
    unary := ("-" | "+") unary | power
    power := atom ("^" unary)?                        # right-associative: 2^3^2 = 2^9
    atom  := number | symbol | function "(" expr ("," expr)* ")" | "(" expr ")"
           | "[" expr "]" | "⌊" expr "⌋" | "⌈" expr "⌉" | "√" power

Only the symbols a question declares (with their aliases, spelled Greek names, and
any case when that is unambiguous) and a few functions are names; a word made of
known names is their product (``Kθ``, ``Ktheta``). Length, nesting, exponents and the
size of numbers are bounded, so a hostile answer is a plain wrong answer with a message.

Two formulas are equivalent when exact evaluation at random positive integer points
agrees everywhere (a disagreement is a proof of difference); when too few points are
defined, a size-guarded ``sympy.simplify`` of the difference decides.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import sympy

MAX_CHARS = 500
MAX_NESTING = 60  # parser frames (unary and atom levels); about 30 parentheses deep
MAX_NUMBER_DIGITS = 40
MAX_EXPONENT = 100  # of a symbol or a sum: K^100 expands; K^10000 would not
MAX_NUMBER_BITS = 4096  # of any exact number built or evaluated: about 1,200 digits
MAX_DIMENSIONS = 8
POINTS = 8  # defined points that must agree
MAX_TRIES = 24  # points drawn at most (a root of K - θ is undefined at about half of them)
MIN_DEFINED_POINTS = 5
MAX_SIMPLIFY_OPS = 8  # with MAX_SIMPLIFY_EXPONENT, simplify takes at most about 2 s (fuzzed)
MAX_SIMPLIFY_EXPONENT = 3
POINT_RANGES = ((2, 200), (2, 12))  # wide enough to tell polynomials apart; then small, for 2^(K^K)

FUNCTIONS = {"sqrt": "sqrt", "floor": "floor", "ceil": "ceiling", "ceiling": "ceiling", "abs": "abs",
             "min": "min", "max": "max"}
SEPARATOR_WORDS = ("x", "by")  # between dimensions, in a dimensions answer only
GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
    "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "omicron": "ο", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω",
}
NAME = re.compile(r"[^\W\d_]+(?:_[^\W_]+)?")
NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2796\ufe58\ufe63"
TIMES = "×✕✖⨯"  # a product sign, or between dimensions
DOTS = "·⋅∙•"
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
SINGLE = {"+": "+", "-": "-", "*": "*", "/": "/", "÷": "/", "∕": "/", "^": "^", "(": "(", ")": ")",
          "[": "(", "]": ")", ",": ",", "⌊": "⌊", "⌋": "⌋", "⌈": "⌈", "⌉": "⌉", "√": "√"}
CLOSERS = {"(": ")", "⌊": "⌋", "⌈": "⌉"}


class FormulaError(ValueError):
    """The text is not a formula this grammar reads; the message says why and never shows a key."""


class Token(NamedTuple):
    kind: str  # num, sym, func, sep ("x", "×", "by"), or the operator or bracket itself
    value: str
    pos: int


@dataclass(frozen=True)
class Vocabulary:
    """The names a formula may use, each mapped to its canonical form.

    ``words`` holds every exact spelling (declared symbols, aliases, the spelled name
    of a declared Greek letter and the letter of a declared spelled name, functions,
    and ``x``/``by`` between dimensions); ``folded`` the case-folded spellings that
    denote exactly one name.
    """

    symbols: tuple[str, ...]
    words: Mapping[str, tuple[str, str]]  # spelling -> (kind, canonical)
    folded: Mapping[str, tuple[str, str]]

    @classmethod
    def build(cls, symbols: Iterable[str], aliases: Mapping[str, str] | None = None,
              dimensions: bool = False) -> Vocabulary:
        """Check the declared names and build the vocabulary; :class:`FormulaError` names a bad one."""
        names = tuple(symbols)
        reserved = set(FUNCTIONS) | (set(SEPARATOR_WORDS) if dimensions else set())
        words: dict[str, tuple[str, str]] = {w: ("sep", w) for w in SEPARATOR_WORDS if dimensions}
        words.update({f: ("func", canonical) for f, canonical in FUNCTIONS.items()})
        for name in names:
            _check_name(name, reserved, "symbol")
            words[name] = ("sym", name)
            for spelling in _greek_spellings(name):
                words.setdefault(spelling, ("sym", name))
        for alias, target in (aliases or {}).items():
            _check_name(alias, reserved | set(names), "alias")
            if target not in names:
                raise FormulaError(f"alias {alias!r} stands for {target!r}, which is not a declared symbol")
            words[alias] = ("sym", target)
        by_fold: dict[str, set[tuple[str, str]]] = {}
        for spelling, meaning in words.items():
            by_fold.setdefault(spelling.casefold(), set()).add(meaning)
        folded = {fold: next(iter(m)) for fold, m in by_fold.items() if len(m) == 1}
        return cls(symbols=names, words=words, folded=folded)

    def lookup(self, word: str) -> tuple[str, str] | None:
        """What ``word`` denotes: an exact spelling first, then an unambiguous case-folded one."""
        return self.words.get(word) or self.folded.get(word.casefold())

    def is_word(self, word: str) -> bool:
        return self.lookup(word) is not None


def _check_name(name: str, reserved: set[str], what: str) -> None:
    if not NAME.fullmatch(name) or unicodedata.normalize("NFKC", name) != name:
        raise FormulaError(f"{what} {name!r} is not a name (letters, optionally _ and a subscript: K, θ, d_1)")
    if name in reserved or name.casefold() in reserved:
        raise FormulaError(f"{what} {name!r} is reserved here (a function, or a sign between dimensions)")


def _greek_spellings(name: str) -> list[str]:
    """The other spelling of a Greek letter: ``θ`` ↔ ``theta``, ``Θ`` ↔ ``Theta``."""
    letters = {letter: spelled for spelled, letter in GREEK.items()}
    if name in GREEK:
        return [GREEK[name]]
    if name.lower() in GREEK and name == name.capitalize():
        return [GREEK[name.lower()].upper()]
    if name in letters:
        return [letters[name]]
    if name.lower() in letters:
        return [letters[name.lower()].capitalize()]
    return []


# --- reading ----------------------------------------------------------------------


def normalise(text: str) -> str:
    """Superscripts become powers and subscripts ``_n``, then NFKC; dashes stay signs (a minus)."""
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+", lambda m: "^(" + m.group().translate(SUPERSCRIPTS) + ")", text)
    text = re.sub(r"[₀₁₂₃₄₅₆₇₈₉]+", lambda m: "_" + m.group().translate(SUBSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text)
    return "".join("-" if c in DASHES else c for c in text)


def tokenize(text: str, vocab: Vocabulary, dimensions: bool = False) -> list[Token]:
    """Tokens of ``text``; in a dimensions answer ``x``, ``×`` and ``by`` are separators."""
    if len(text) > MAX_CHARS:
        raise FormulaError(f"the answer is too long ({len(text)} characters; at most {MAX_CHARS})")
    text = normalise(text)
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif number := NUMBER.match(text, i):
            if len(number.group()) > MAX_NUMBER_DIGITS:
                raise FormulaError(f"a number with more than {MAX_NUMBER_DIGITS} digits")
            tokens.append(Token("num", number.group(), i))
            i = number.end()
        elif name := NAME.match(text, i):
            tokens += _words(name.group(), i, vocab)
            i = name.end()
        elif text.startswith("**", i):
            tokens.append(Token("^", "**", i))
            i += 2
        elif c in TIMES:
            tokens.append(Token("sep" if dimensions else "*", c, i))
            i += 1
        elif c in DOTS or c in SINGLE:
            tokens.append(Token(SINGLE.get(c, "*"), c, i))
            i += 1
        else:
            raise FormulaError(f"unexpected character {c!r} at position {i + 1}")
    return tokens


def _words(run: str, pos: int, vocab: Vocabulary) -> list[Token]:
    """A run of letters as known names: the whole run, else the fewest known pieces (``Kθ`` is K·θ)."""
    if (meaning := vocab.lookup(run)) is not None:
        return [Token(meaning[0], meaning[1], pos)]
    pieces = _split(run, vocab) if "_" not in run else None
    if pieces is None:
        allowed = ", ".join(vocab.symbols) if vocab.symbols else "no symbols, numbers only"
        raise FormulaError(f"unknown symbol {run!r} (this answer may use {allowed})")
    tokens, at = [], pos
    for piece in pieces:
        kind, canonical = vocab.lookup(piece)  # type: ignore[misc]  # _split returned known pieces only
        tokens.append(Token(kind, canonical, at))
        at += len(piece)
    return tokens


def _split(run: str, vocab: Vocabulary) -> list[str] | None:
    """``run`` cut into known names, longest first piece preferred; None when it cannot be."""
    longest = max((len(w) for w in vocab.words), default=0)
    rest: list[list[str] | None] = [None] * len(run) + [[]]
    for i in range(len(run) - 1, -1, -1):
        for end in range(min(len(run), i + longest), i, -1):
            tail = rest[end]
            if tail is not None and vocab.is_word(run[i:end]):
                rest[i] = [run[i:end], *tail]
                break
    return rest[0]


class _Parser:
    """Recursive descent over one formula's tokens; builds SymPy objects as it reads."""

    def __init__(self, tokens: Sequence[Token], symbols: Mapping[str, sympy.Symbol]) -> None:
        self.tokens = list(tokens)
        self.symbols = symbols
        self.i = 0
        self.depth = 0

    def parse(self) -> sympy.Expr:
        if not self.tokens:
            raise FormulaError("an empty formula")
        value = self.expr()
        if self.i < len(self.tokens):
            raise self.unexpected()
        if value.has(sympy.zoo, sympy.oo, sympy.nan, -sympy.oo):
            raise FormulaError("the formula divides by zero")
        if value.has(sympy.I):
            raise FormulaError("the formula is not a real number")
        return value

    def peek(self) -> str:
        return self.tokens[self.i].kind if self.i < len(self.tokens) else "end"

    def take(self, kind: str) -> Token:
        if self.peek() != kind:
            raise self.unexpected(f"expected {kind!r}")
        self.i += 1
        return self.tokens[self.i - 1]

    def unexpected(self, hint: str = "") -> FormulaError:
        if self.i >= len(self.tokens):
            return FormulaError(f"the formula ends too early{'; ' + hint if hint else ''}")
        token = self.tokens[self.i]
        return FormulaError(f"unexpected {token.value!r} at position {token.pos + 1}{'; ' + hint if hint else ''}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise FormulaError("the formula is nested too deeply")

    def expr(self) -> sympy.Expr:
        value = self.term()
        while self.peek() in ("+", "-"):
            sign = self.take(self.peek()).kind
            right = self.term()
            value = value + right if sign == "+" else value - right
        return value

    def term(self) -> sympy.Expr:
        value = self.unary()
        while True:
            kind = self.peek()
            if kind in ("*", "sep"):  # a separator inside brackets is a product: (2×K) x (2×K)
                self.i += 1
                value = _product(value, self.unary())
            elif kind == "/":
                self.i += 1
                value = _product(value, _power(self.unary(), sympy.Integer(-1)))
            elif kind in ("num", "sym", "func", "(", "⌊", "⌈", "√"):
                value = _product(value, self.power())
            else:
                return value

    def unary(self) -> sympy.Expr:
        self.enter()
        try:
            if self.peek() in ("-", "+"):
                sign = self.take(self.peek()).kind
                value = self.unary()
                return -value if sign == "-" else value
            return self.power()
        finally:
            self.depth -= 1

    def power(self) -> sympy.Expr:
        base = self.atom()
        if self.peek() != "^":
            return base
        self.i += 1
        return _power(base, self.unary())

    def atom(self) -> sympy.Expr:
        self.enter()
        try:
            return self._atom()
        finally:
            self.depth -= 1

    def _atom(self) -> sympy.Expr:
        kind = self.peek()
        if kind == "num":
            return sympy.Rational(self.take("num").value)
        if kind == "sym":
            return self.symbols[self.take("sym").value]
        if kind == "func":
            return self.call(self.take("func").value)
        if kind == "√":
            self.i += 1
            return _power(self.power(), sympy.Rational(1, 2))
        if kind in CLOSERS:
            self.i += 1
            inner = self.expr()
            self.take(CLOSERS[kind])
            return {"(": inner, "⌊": sympy.floor(inner), "⌈": sympy.ceiling(inner)}[kind]
        raise self.unexpected()

    def call(self, function: str) -> sympy.Expr:
        self.take("(")
        args = [self.expr()]
        while self.peek() == ",":
            self.i += 1
            args.append(self.expr())
        self.take(")")
        if function in ("min", "max"):
            return (sympy.Min if function == "min" else sympy.Max)(*args)
        if len(args) != 1:
            raise FormulaError(f"{function} takes one argument, got {len(args)}")
        if function == "sqrt":
            return _power(args[0], sympy.Rational(1, 2))
        return {"floor": sympy.floor, "ceiling": sympy.ceiling, "abs": sympy.Abs}[function](args[0])


def _bits(number: sympy.Rational) -> int:
    return int(number.p).bit_length() + int(number.q).bit_length()


def _power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    """``base ** exponent``, refused before SymPy computes a number too large to be an answer."""
    if exponent.is_Rational:
        if base.is_Rational and _bits(base) * abs(exponent) > MAX_NUMBER_BITS:
            raise FormulaError("a number in the formula is too large")
        if not base.is_number and abs(exponent) > MAX_EXPONENT:
            raise FormulaError(f"an exponent larger than {MAX_EXPONENT}")
    if base == 0 and exponent.is_negative:
        raise FormulaError("the formula divides by zero")
    return _bounded(base**exponent)


def _product(left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
    if left.is_Rational and right.is_Rational and _bits(left) + _bits(right) > MAX_NUMBER_BITS:
        raise FormulaError("a number in the formula is too large")
    return _bounded(left * right)


def _bounded(value: sympy.Expr) -> sympy.Expr:
    """SymPy merges powers (``(K^60)^60``, ``K^90·K^90``): the merged exponent obeys the bound too."""
    for power in value.atoms(sympy.Pow):
        if power.exp.is_Rational and not power.base.is_number and abs(power.exp) > MAX_EXPONENT:
            raise FormulaError(f"an exponent larger than {MAX_EXPONENT}")
    return value


def _symbols(vocab: Vocabulary) -> dict[str, sympy.Symbol]:
    # Sizes, counts and strides: positive integers, which lets simplify use floor/ceiling rules.
    return {name: sympy.Symbol(name, positive=True, integer=True) for name in vocab.symbols}


def parse_expression(text: str, vocab: Vocabulary) -> sympy.Expr:
    """One formula; :class:`FormulaError` says why it cannot be read."""
    return _Parser(tokenize(text, vocab), _symbols(vocab)).parse()


def parse_dimensions(text: str, vocab: Vocabulary) -> tuple[sympy.Expr, ...]:
    """Dimensions written ``a x b``, ``a × b``, ``a by b``, ``(a, b)`` or, with none of those, ``a * b``.

    Outside brackets, ``x``, ``×``, ``by`` and commas separate dimensions; when none
    appears, ``*`` and ``·`` do. Inside brackets they are all products.
    """
    chunks = split_dimensions(tokenize(text, vocab, dimensions=True))
    if len(chunks) > MAX_DIMENSIONS:
        raise FormulaError(f"more than {MAX_DIMENSIONS} dimensions")
    symbols = _symbols(vocab)
    dims = []
    for chunk in chunks:
        if not chunk:
            raise FormulaError("a dimension is missing between two separators")
        dims.append(_Parser(chunk, symbols).parse())
    return tuple(dims)


def split_dimensions(tokens: list[Token]) -> list[list[Token]]:
    """The token runs of each dimension: outer brackets around a comma list go, then top-level cuts."""
    if tokens and tokens[0].kind == "(" and _closing(tokens) == len(tokens) - 1:
        inner = tokens[1:-1]
        if any(inner[i].kind == "," for i in _top_level(inner)):
            tokens = inner
    top = _top_level(tokens)
    cuts = {i for i in top if tokens[i].kind in ("sep", ",")} or {i for i in top if tokens[i].kind == "*"}
    chunks: list[list[Token]] = [[]]
    for i, token in enumerate(tokens):
        if i in cuts:
            chunks.append([])
        else:
            chunks[-1].append(token)
    return chunks


def _closing(tokens: list[Token]) -> int | None:
    """Where the bracket opened by the first token closes."""
    depth = 0
    for i, token in enumerate(tokens):
        depth += token.kind in CLOSERS
        depth -= token.kind in CLOSERS.values()
        if depth == 0:
            return i
    return None


def _top_level(tokens: list[Token]) -> list[int]:
    """Indices of the tokens outside every bracket (opening brackets at depth 0 included)."""
    depth, top = 0, []
    for i, token in enumerate(tokens):
        depth -= token.kind in CLOSERS.values()
        if depth == 0 and token.kind not in CLOSERS.values():
            top.append(i)
        depth += token.kind in CLOSERS
    return top


# --- comparing ----------------------------------------------------------------------


class Undefined(ArithmeticError):
    """The formula has no finite real value at this point (a division by zero, a root of a negative)."""


Value = Fraction | float


def equivalent(answer: sympy.Expr, key: sympy.Expr, salt: str = "") -> bool:
    """Whether two formulas are equal for every value of their symbols.

    Exact evaluation at random positive integer points (drawn from a seed of both formulas
    and ``salt``, so a verdict is reproducible): one disagreement refutes; enough
    agreements accept. When too few points are defined, a size-guarded simplify decides.
    """
    if answer == key:
        return True
    names = sorted(answer.free_symbols | key.free_symbols, key=lambda s: s.name)
    seed = hashlib.sha256(f"{salt}|{sympy.srepr(key)}|{sympy.srepr(answer)}".encode()).digest()
    rng = random.Random(seed)
    defined = 0
    for attempt in range(MAX_TRIES):
        if defined == POINTS:
            break
        low, high = POINT_RANGES[attempt * len(POINT_RANGES) // MAX_TRIES]
        point = {s: rng.randint(low, high) for s in names}
        try:
            a, b = evaluate(answer, point), evaluate(key, point)
        except Undefined:
            continue
        if not _close(a, b):
            return False
        defined += 1
    return defined >= MIN_DEFINED_POINTS or _simplifies_to_zero(answer - key)


def _close(a: Value, b: Value) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _simplifies_to_zero(difference: sympy.Expr) -> bool:
    """``simplify(difference) == 0`` on small differences only: SymPy's simplify has no time bound,
    and 60-character products of powers already take it minutes, so larger ones stay unproven."""
    if sympy.count_ops(difference) > MAX_SIMPLIFY_OPS or any(
        p.exp.free_symbols or (p.exp.is_Rational and abs(p.exp) > MAX_SIMPLIFY_EXPONENT)
        for p in difference.atoms(sympy.Pow)
    ):
        return False
    try:
        return bool(sympy.simplify(difference) == 0)
    except Exception:  # noqa: BLE001  # SymPy may fail in many ways on odd input; unproven is not equal
        return False


def evaluate(expr: sympy.Expr, point: Mapping[sympy.Symbol, int]) -> Value:
    """The exact value of ``expr`` at ``point`` (floats only for irrational powers); raises :class:`Undefined`."""
    if expr.is_Symbol:
        return Fraction(point[expr])
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.is_Float:
        return _finite(float(expr))
    args = [evaluate(a, point) for a in expr.args]
    try:
        return _combine(expr, args)
    except (ZeroDivisionError, OverflowError, ValueError) as exc:
        raise Undefined(str(exc)) from exc


def _combine(expr: sympy.Expr, args: list[Value]) -> Value:
    if expr.is_Add:
        return _finite(sum(args, Fraction(0)))
    if expr.is_Mul:
        return _finite(math.prod(args, start=Fraction(1)))
    if expr.is_Pow:
        return _pow(args[0], args[1])
    if isinstance(expr, sympy.floor | sympy.ceiling):
        rounded = math.floor(args[0]) if isinstance(expr, sympy.floor) else math.ceil(args[0])
        return Fraction(rounded)
    if isinstance(expr, sympy.Abs):
        return -args[0] if args[0] < 0 else args[0]
    if isinstance(expr, sympy.Min | sympy.Max):
        pick = min if isinstance(expr, sympy.Min) else max
        return pick(args, key=float)
    raise Undefined(f"cannot evaluate {type(expr).__name__}")


def _pow(base: Value, exponent: Value) -> Value:
    if isinstance(base, Fraction) and isinstance(exponent, Fraction) and exponent.denominator == 1:
        size = base.numerator.bit_length() + base.denominator.bit_length()
        if size * abs(exponent.numerator) > MAX_NUMBER_BITS:
            raise Undefined("too large")
        return base**exponent.numerator
    if base < 0:
        raise Undefined("a root of a negative number")
    return _finite(float(base) ** float(exponent))


def _finite(value: Value) -> Value:
    if isinstance(value, float) and not math.isfinite(value):
        raise Undefined("not finite")
    if isinstance(value, Fraction) and value.numerator.bit_length() + value.denominator.bit_length() > MAX_NUMBER_BITS:
        raise Undefined("too large")
    return value
