"""Formulas in short answers: read by an explicit grammar, compared as mathematics.

Candidate text is never evaluated as Python (no ``eval``, ``exec``, ``sympify`` or
``parse_expr``): it is normalised (NFKC; every dash is a minus, ``×``/``·`` a product,
``^`` and ``**`` a power, superscript digits an exponent), tokenized, and read by a
recursive-descent parser that builds SymPy objects directly, unevaluated::

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

Two formulas are equivalent when their trees are equal, or when exact evaluation at
random positive integer points agrees everywhere (a disagreement is a proof of
difference); see :func:`equivalent`.
"""

from __future__ import annotations

import cmath
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
MAX_EXPONENT = 100  # a constant exponent of a formula: K^100 is still exact at K = 200
MAX_NUMBER_BITS = 4096  # of any exact number built or evaluated: about 1,200 digits
MAX_DIMENSIONS = 8
POINTS = 8  # defined points that must agree
MAX_TRIES = 24  # points drawn at most (a root of K - θ is undefined at about half of them)
MIN_DEFINED_POINTS = 5
POINT_RANGES = ((2, 200), (2, 12))  # wide enough to tell polynomials apart; then small, for 2^(K^K)

FUNCTIONS = {"sqrt": "sqrt", "floor": "floor", "ceil": "ceiling", "ceiling": "ceiling", "abs": "abs",
             "min": "min", "max": "max"}
# SymPy objects are built unevaluated: its automatic simplification asks its assumption
# system questions whose cost grows fast with nesting (seconds for 100 characters).
# min and max are plain applications: SymPy's Min and Max sort their arguments on construction,
# and sorting numbers evaluates them.
FUNCTION_CLASSES = {"floor": sympy.floor, "ceiling": sympy.ceiling, "abs": sympy.Abs, "min": sympy.Function("min"),
                    "max": sympy.Function("max")}
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


TOO_LARGE = "a number in the formula is too large"


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
            _check_name(alias, reserved, "alias", taken=names)
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


def _check_name(name: str, reserved: set[str], what: str, taken: Iterable[str] = ()) -> None:
    if not NAME.fullmatch(name) or unicodedata.normalize("NFKC", name) != name:
        raise FormulaError(f"{what} {name!r} is not a name (letters, optionally _ and a subscript: K, θ, d_1)")
    if name in reserved or name.casefold() in reserved:
        raise FormulaError(f"{what} {name!r} is reserved here (a function, or a sign between dimensions)")
    if name.casefold() in {t.casefold() for t in taken}:
        raise FormulaError(f"{what} {name!r} is already a symbol (case does not tell names apart for aliases)")


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
    if len(text) > 2 * MAX_CHARS:  # NFKC expands some characters eighteenfold
        raise FormulaError(f"the answer is too long once normalised ({len(text)} characters)")
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
    """A run of letters as known names: the whole run, else known pieces, longest first (``Kθ`` is K·θ)."""
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
            value = sympy.Add(value, right if sign == "+" else _negative(right), evaluate=False)
        return value

    def term(self) -> sympy.Expr:
        value = self.unary()
        while True:
            kind = self.peek()
            if kind in ("*", "sep"):  # a separator inside brackets is a product: (2×K) x (2×K)
                self.i += 1
                value = sympy.Mul(value, self.unary(), evaluate=False)
            elif kind == "/":
                self.i += 1
                value = sympy.Mul(value, _power(self.unary(), sympy.Integer(-1)), evaluate=False)
            elif kind in ("num", "sym", "func", "(", "⌊", "⌈", "√"):
                value = sympy.Mul(value, self.power(), evaluate=False)
            else:
                return value

    def unary(self) -> sympy.Expr:
        self.enter()
        try:
            if self.peek() in ("-", "+"):
                sign = self.take(self.peek()).kind
                value = self.unary()
                return _negative(value) if sign == "-" else value
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
            return inner if kind == "(" else _apply("floor" if kind == "⌊" else "ceiling", [inner])
        raise self.unexpected()

    def call(self, function: str) -> sympy.Expr:
        self.take("(")
        args = [self.expr()]
        while self.peek() == ",":
            self.i += 1
            args.append(self.expr())
        self.take(")")
        if function not in ("min", "max") and len(args) != 1:
            raise FormulaError(f"{function} takes one argument, got {len(args)}")
        if function == "sqrt":
            return _power(args[0], sympy.Rational(1, 2))
        return _apply(function, args)


def _negative(value: sympy.Expr) -> sympy.Expr:
    return -value if value.is_Number else sympy.Mul(sympy.Integer(-1), value, evaluate=False)


def _apply(function: str, args: list[sympy.Expr]) -> sympy.Expr:
    return FUNCTION_CLASSES[function](*args, evaluate=False)


def _power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    """``base ** exponent``; a constant exponent of a formula is at most MAX_EXPONENT, and a constant
    power must have a real value of bounded size (``9^9^9^9``, ``1/0`` and ``(-1)^(1/2)`` are refused)."""
    power = sympy.Pow(base, exponent, evaluate=False)
    if not exponent.free_symbols:
        if base.free_symbols and not -MAX_EXPONENT <= _constant(exponent) <= MAX_EXPONENT:
            raise FormulaError(f"an exponent larger than {MAX_EXPONENT}")
        if not base.free_symbols:
            _constant(power)
    return power


def _constant(value: sympy.Expr) -> Fraction | float:
    try:
        number = evaluate(value, {})
    except Undefined as exc:
        raise FormulaError(str(exc)) from exc
    assert not isinstance(number, complex)  # real evaluation never returns one
    return number


def _symbols(vocab: Vocabulary) -> dict[str, sympy.Symbol]:
    return {name: sympy.Symbol(name) for name in vocab.symbols}


def parse_expression(text: str, vocab: Vocabulary) -> sympy.Expr:
    """One formula; :class:`FormulaError` says why it cannot be read."""
    return _read(tokenize(text, vocab), _symbols(vocab))


def _read(tokens: list[Token], symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
    try:
        return _Parser(tokens, symbols).parse()
    except FormulaError:
        raise
    except (ValueError, TypeError, ArithmeticError) as exc:  # SymPy refusing what it builds
        raise FormulaError("the formula has no value") from exc


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
        dims.append(_read(chunk, symbols))
    return tuple(dims)


def scaled(expr: sympy.Expr, factor: float) -> sympy.Expr:
    """``expr`` times a unit's factor, exactly (``1.048576`` is 16384/15625)."""
    if factor == 1:
        return expr
    return sympy.Mul(sympy.Rational(repr(factor)), expr, evaluate=False)


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
    """The formula has no finite value at this point (a division by zero, a root of a negative, too large)."""


Value = Fraction | float | complex


def has_value(expr: sympy.Expr) -> bool:
    """Whether ``expr`` has a value at enough of the points :func:`equivalent` draws (a key with none
    could only ever match its own text)."""
    return equivalent(expr, expr, trust_equal_trees=False)


def equivalent(answer: sympy.Expr, key: sympy.Expr, salt: str = "", trust_equal_trees: bool = True) -> bool:
    """Whether two formulas are equal for every value of their symbols.

    Equal trees are equal. Otherwise both are evaluated exactly at random
    positive integer points (drawn from a seed of both formulas and ``salt``, so a verdict
    is reproducible): one disagreement refutes, enough agreements accept. Where too few
    points have a real value (roots of negatives), principal complex values decide;
    a formula with a value at too few points even then is not shown equal.

    ``sympy.simplify`` is not used: it has no time bound (measured: 3 s on an
    8-operation difference, 26 s on a 16-operation one, minutes on 60 characters).
    """
    if trust_equal_trees and answer == key:
        return True
    names = sorted(answer.free_symbols | key.free_symbols, key=lambda s: s.name)
    seed = hashlib.sha256(f"{salt}|{fingerprint(key)}|{fingerprint(answer)}".encode()).digest()
    needed = MIN_DEFINED_POINTS if names else 1  # numbers only: one evaluation says it all
    for complex_ok in (False, True):
        rng = random.Random(seed)
        agreed: set[tuple[int, ...]] = set()
        for attempt in range(MAX_TRIES):
            low, high = POINT_RANGES[attempt * len(POINT_RANGES) // MAX_TRIES]
            values = tuple(rng.randint(low, high) for _ in names)
            if values in agreed:
                continue
            point = dict(zip(names, values, strict=True))
            try:
                a, b = evaluate(answer, point, complex_ok), evaluate(key, point, complex_ok)
            except Undefined:
                continue
            if not _close(a, b):
                return False
            agreed.add(values)
            if len(agreed) == POINTS or len(agreed) == needed == 1:
                return True
        if len(agreed) >= needed:
            return True
    return False


def fingerprint(expr: sympy.Expr) -> str:
    """The tree as text, in the order it was built (SymPy's printers sort terms, which evaluates numbers)."""
    if expr.is_Symbol:
        return str(expr.name)
    if expr.is_Rational:
        return f"{expr.p}/{expr.q}"
    return f"{expr.func.__name__}({','.join(fingerprint(a) for a in expr.args)})"


def _close(a: Value, b: Value) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    try:
        return cmath.isclose(complex(a), complex(b), rel_tol=1e-9, abs_tol=1e-12)
    except OverflowError:  # an exact value beyond any float is not close to a float
        return False


def evaluate(expr: sympy.Expr, point: Mapping[sympy.Symbol, int], complex_ok: bool = False) -> Value:
    """The value of ``expr`` at ``point``: exact (fractions), floats only for irrational powers,
    and principal complex values of roots of negatives when ``complex_ok``; else :class:`Undefined`."""
    if expr.is_Symbol:
        return Fraction(point[expr])
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.is_Float:
        return _finite(float(expr))
    args = [evaluate(a, point, complex_ok) for a in expr.args]
    try:
        return _combine(expr, args, complex_ok)
    except ZeroDivisionError as exc:
        raise Undefined("the formula divides by zero") from exc
    except OverflowError as exc:
        raise Undefined(TOO_LARGE) from exc
    except (ValueError, TypeError) as exc:
        raise Undefined("the formula has no value") from exc


def _combine(expr: sympy.Expr, args: list[Value], complex_ok: bool) -> Value:
    if expr.is_Add:
        return _finite(sum(args, Fraction(0)))
    if expr.is_Mul:
        return _finite(math.prod(args, start=Fraction(1)))
    if expr.is_Pow:
        return _pow(args[0], args[1], complex_ok)
    real = [a for a in args if not isinstance(a, complex)]
    if len(real) < len(args):
        raise Undefined("the formula has no value")
    if isinstance(expr, sympy.floor | sympy.ceiling):
        return Fraction(math.floor(real[0]) if isinstance(expr, sympy.floor) else math.ceil(real[0]))
    if isinstance(expr, sympy.Abs):
        return -real[0] if real[0] < 0 else real[0]
    if expr.func in (FUNCTION_CLASSES["min"], FUNCTION_CLASSES["max"]):
        pick = min if expr.func == FUNCTION_CLASSES["min"] else max
        return pick(real, key=float)
    raise Undefined(f"cannot evaluate {type(expr).__name__}")


def _pow(base: Value, exponent: Value, complex_ok: bool) -> Value:
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        if not isinstance(base, Fraction):
            return _finite(base**exponent.numerator)
        size = base.numerator.bit_length() + base.denominator.bit_length()
        if size * abs(exponent.numerator) > MAX_NUMBER_BITS:
            raise Undefined(TOO_LARGE)
        return base**exponent.numerator
    if isinstance(base, complex) or isinstance(exponent, complex) or base < 0:
        if not complex_ok:
            raise Undefined("the formula takes a root of a negative number")
        return _finite(complex(base) ** complex(exponent))
    return _finite(float(base) ** float(exponent))


def _finite(value: Value) -> Value:
    if isinstance(value, float | complex) and not cmath.isfinite(value):
        raise Undefined(TOO_LARGE)
    if isinstance(value, Fraction) and value.numerator.bit_length() + value.denominator.bit_length() > MAX_NUMBER_BITS:
        raise Undefined(TOO_LARGE)
    return value
