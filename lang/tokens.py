"""Token record and the fixed vocabularies of the lexical grammar (spec §2)."""

from __future__ import annotations

KEYWORDS = frozenset(
    """break catch continue deadline defer emit else enum eval_pack exclusive extends false
    finally fn for from guard if impl import in interface let match mutex nil override parallel
    pipeline pub require retry return select skill spawn struct throw to tool true try type var
    while yield""".split()
)

# Keywords that may not be used as member names, bare dict keys or shape fields (§2.5).
NOT_MEMBER_KEYWORDS = frozenset({"finally", "require", "select", "skill", "eval_pack"})

# Tokens that continue the previous line's expression when they start a line (§2.3 rule 1).
LEADING_CONTINUATION = frozenset(
    {"|>", "||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "*", "/", "%", "**", "??", ".",
     "?.", ":"}
)

# Kinds of tokens whose value is not their text.
IDENT = "IDENT"
INT = "INT"
FLOAT = "FLOAT"
DURATION = "DURATION"
STRING = "STRING"  # plain "..." without interpolation
RAWSTRING = "RAWSTRING"  # r"..."
MSTRING = "MSTRING"  # """...""" without interpolation
ISTRING = "ISTRING"  # "..." with ${} parts
IMSTRING = "IMSTRING"  # """...""" with ${} parts
NEWLINE = "NEWLINE"
EOF = "EOF"

STRING_KINDS = frozenset({STRING, RAWSTRING, MSTRING, ISTRING, IMSTRING})


class Interp:
    """The source of one ``${...}`` part: its text and the offset where it starts."""

    __slots__ = ("text", "offset")

    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.offset = offset

    def __repr__(self) -> str:
        return f"Interp({self.text!r}, {self.offset})"


class Token:
    """One token. ``value`` is the identifier text, number, string content,
    or for interpolated strings a list of ``str`` and :class:`Interp` parts."""

    __slots__ = ("kind", "value", "start", "end", "doc")

    def __init__(self, kind: str, value: object, start: int, end: int) -> None:
        self.kind = kind
        self.value = value
        self.start = start
        self.end = end
        self.doc: str | None = None

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.value!r}, {self.start}, {self.end})"

    def describe(self) -> str:
        """How parse errors print this token (spec §15.3)."""
        kind = self.kind
        if kind == IDENT:
            return f"id({self.value})"
        if kind == INT:
            return f"int({self.value})"
        if kind == FLOAT:
            return f"float({_float_text(self.value)})"
        if kind == DURATION:
            return f"duration({self.value}ms)"
        if kind in (STRING, RAWSTRING, MSTRING):
            return f"str({self.value})"
        if kind in (ISTRING, IMSTRING):
            return "interpolated string"
        if kind == NEWLINE:
            return "\\n"
        if kind == EOF:
            return "end of file"
        return kind


def _float_text(v: object) -> str:
    text = repr(v)
    return text
