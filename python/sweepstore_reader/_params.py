"""config.ini values: PymoNNto's typing (parse_param, load_params) and sweepstore's (read_param)."""

import configparser
import os
import re


def parse_param(text):
    """PymoNNto's ``load_param`` typing of a ``config.ini`` value text.

    ``True``/``False`` → bool; text with a ``.`` → ``float()``; else ``int()``; where that fails, the text.
    So ``1.0e-07`` and ``-0.0`` are floats, ``42`` an int, and ``nan``, ``inf``, ``None`` and ``[1, 2]`` stay
    strings (``ast.literal_eval`` reads the lists and dicts sweepstore writes).
    """
    if text == "True":
        return True
    if text == "False":
        return False
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def load_params(run_folder, section="Parameters"):
    """Reads one section of a run folder's ``config.ini`` as PymoNNto's ``load_param`` does.

    Uses ``configparser.ConfigParser()`` (``[DEFAULT]`` and ``%(name)s`` interpolation included) and
    :func:`parse_param` on each value; keys are lowercase, as configparser gives them. Returns ``{}``
    when the section is missing.
    """
    parser = configparser.ConfigParser()
    with open(os.path.join(run_folder, "config.ini"), encoding="utf-8") as f:
        parser.read_file(f)
    if not parser.has_section(section):
        return {}
    return {key: parse_param(parser.get(section, key)) for key in parser.options(section)}


_NUMBER_START = frozenset("0123456789-+.nNiI")
_LITERAL_START = frozenset("[({'\"")
_LITERAL_NUMBER_RE = re.compile(
    r"[-+]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|"
    r"(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?)(?![\w.])",
    re.ASCII,
)
_WORD_RE = re.compile(r"[-+]?[A-Za-z_]\w*", re.ASCII)
_INT_RE = re.compile(r"[-+]?\d(?:_?\d)*\Z", re.ASCII)
_SPECIAL_RE = re.compile(r"[-+]?(?:nan|inf|infinity)\Z", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s*")
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\x07", "b": "\b",
    "f": "\f", "v": "\v", "\n": "",
}


class _LiteralError(ValueError):
    """A text that is no complete literal: it stays text."""


def _js_key(value):
    """A dict key as JavaScript's ``String()`` writes it (sweepstore's dict keys are strings)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    exponent = int(exponent)
    if -7 < exponent < 21:
        import decimal

        return format(decimal.Decimal(text), "f")
    return f"{mantissa}e{'+' if exponent > 0 else '-'}{abs(exponent)}"


class _LiteralReader:
    """Python literals as sweepstore reads them (``_py_literal_reader.ts``): lists and tuples → lists,
    dicts (keys → strings), strings, numbers, True/False/None, nan/inf, numpy's ``[1.5 2.5]``. Never eval."""

    def __init__(self, text):
        self.text, self.pos = text, 0

    def fail(self, what):
        raise _LiteralError(f"{what} at position {self.pos}")

    def skip(self):
        self.pos = _SPACE_RE.match(self.text, self.pos).end()

    def value(self, depth):
        if depth > 1000:
            self.fail("nesting too deep")
        self.skip()
        ch = self.text[self.pos:self.pos + 1]
        if ch in ("[", "("):
            return self.sequence("]" if ch == "[" else ")", depth)
        if ch == "{":
            return self.dict(depth)
        if ch in ("'", '"'):
            return self.string()
        m = _LITERAL_NUMBER_RE.match(self.text, self.pos)
        if m:
            self.pos = m.end()
            return self.number(m.group())
        m = _WORD_RE.match(self.text, self.pos)
        if not m:
            self.fail("expected a value")
        self.pos = m.end()
        word = m.group()
        if word in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[word]
        if _SPECIAL_RE.match(word):
            return float(word)
        self.fail(f"unexpected {word!r}")

    @staticmethod
    def number(text):
        clean = text.replace("_", "")
        body = clean.lstrip("+-")
        if body[:2].lower() in ("0x", "0o", "0b"):
            return -int(body, 0) if clean.startswith("-") else int(body, 0)
        return int(clean) if _INT_RE.match(clean) else float(clean)

    def sequence(self, close, depth):
        self.pos += 1
        items, comma = [], False
        self.skip()
        while self.text[self.pos:self.pos + 1] != close:
            if self.pos >= len(self.text):
                self.fail(f"missing {close!r}")
            items.append(self.value(depth + 1))
            self.skip()
            if self.text[self.pos:self.pos + 1] == ",":  # numpy separates items by white space only
                comma = True
                self.pos += 1
                self.skip()
        self.pos += 1
        return items[0] if close == ")" and len(items) == 1 and not comma else items

    def dict(self, depth):
        self.pos += 1
        out = {}
        self.skip()
        while self.text[self.pos:self.pos + 1] != "}":
            if self.pos >= len(self.text):
                self.fail("missing '}'")
            key = self.value(depth + 1)
            if isinstance(key, (list, dict)):
                self.fail("a dict key must be a string or number")
            self.skip()
            if self.text[self.pos:self.pos + 1] != ":":
                self.fail("expected ':'")
            self.pos += 1
            out[key if isinstance(key, str) else _js_key(key)] = self.value(depth + 1)
            self.skip()
            if self.text[self.pos:self.pos + 1] == ",":
                self.pos += 1
                self.skip()
            elif self.text[self.pos:self.pos + 1] != "}":
                self.fail("expected ',' or '}'")
        self.pos += 1
        return out

    def hex(self, length):
        digits = self.text[self.pos:self.pos + length]
        if len(digits) != length or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            self.fail("a bad \\x, \\u or \\U escape")
        self.pos += length
        return int(digits, 16)

    def string(self):
        quote = self.text[self.pos]
        self.pos += 1
        out = []
        while True:
            start = self.pos
            while self.pos < len(self.text) and self.text[self.pos] not in (quote, "\\", "\n"):
                self.pos += 1
            out.append(self.text[start:self.pos])
            if self.pos >= len(self.text):
                self.fail("unterminated string")
            ch = self.text[self.pos]
            self.pos += 1
            if ch == quote:
                return "".join(out)
            if ch == "\n":
                self.fail("a line break in a string")
            out.append(self.escape())

    def escape(self):
        e = self.text[self.pos:self.pos + 1]
        self.pos += 1
        if e in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[e]
        if e in ("x", "u", "U"):
            cp = self.hex({"x": 2, "u": 4, "U": 8}[e])
            if cp > 0x10FFFF:
                self.fail("a \\U escape beyond U+10FFFF")
            return chr(cp)
        if e in ("N", ""):
            self.fail("a \\N{name} escape (not supported)" if e else "unterminated string")
        if "0" <= e <= "7":
            m = re.match(r"[0-7]{1,3}", self.text[self.pos - 1:self.pos + 2])
            self.pos += len(m.group()) - 1
            return chr(int(m.group(), 8))
        return "\\" + e  # Python keeps unknown escapes as they are


def _number(text):
    """Python's ``int()``, else ``float()`` of the text (sweepstore mirrors both); None where both refuse."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return None


def read_param(text):
    """A ``config.ini`` value text typed exactly as sweepstore's TypeScript side reads it (``parseParam``).

    ``True``/``False`` → bool, ``None`` → None; what ``int()`` reads → int, else what ``float()`` reads
    (``2.5``, ``1e-07``, ``nan``, ``inf``) → float; a complete Python literal starting with ``[ ( { ' "`` →
    lists (tuples too), dicts (keys as strings), strings, numbers, with ``nan``/``inf`` inside and numpy's
    ``[1.5 2.5]`` read as well; anything else → the text. Never evaluates code. (PymoNNto's own, lossier rule
    is :func:`parse_param`.)
    """
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    if not text:
        return text
    first = text[0]
    if first in _NUMBER_START or first <= " " or ord(first) >= 0x80:
        number = _number(text)
        if number is not None:
            return number
    if first in _LITERAL_START:
        reader = _LiteralReader(text)
        try:
            value = reader.value(0)
            reader.skip()
            if reader.pos == len(text):
                return value
        except (_LiteralError, RecursionError):
            pass
    return text
