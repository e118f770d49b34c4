"""Hostile text: user text is data, never markup, and never terminal control.

taskdesk runs inside shared terminals (often over SSH), and every title, tag, note and
comment can come from someone else: an import file, a colleague, a pasted e-mail. A
title such as ``"\\x1b]0;pwned\\x07"`` would rename the viewer's terminal window,
``"\\x1b[2J"`` would wipe the screen, and a right-to-left override (U+202E) can make
``"exe.txt"`` read as ``"txt.exe"`` (the "Trojan Source" trick). These functions are
the one place where such text is neutralised, so every layer that stores or shows user
text calls them instead of rolling its own.

What is removed:

- escape sequences, whole: CSI (``ESC [ … final``), the string sequences OSC, DCS,
  SOS, PM and APC (``ESC ] …`` up to BEL or ST, as a terminal would swallow them;
  an unterminated one ends at the next ESC, line break or the end of the text), any
  other ``ESC X``, and their 8-bit C1 forms (U+009B CSI, U+009D OSC, …);
- C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F), after
  tabs and line breaks have been turned into spaces (or kept, for notes);
- bidirectional controls: embeddings and overrides U+202A–U+202E, isolates
  U+2066–U+2069, and the marks U+200E, U+200F, U+061C;
- the invisible U+200B (zero width space) and U+FEFF (byte order mark). Zero width
  joiners (U+200C, U+200D) stay: emoji sequences and several scripts need them;
- lone surrogates (U+D800–U+DFFF), which cannot be encoded for a terminal at all.

All functions are idempotent: ``f(f(x)) == f(x)``.
"""

from __future__ import annotations

import re

#: The longest title taskdesk stores; longer titles are cut (no ellipsis: it is data).
MAX_TITLE = 500

#: The spaces a tab becomes in notes and comments.
TAB_WIDTH = 4

_ESC = "\x1b"

# One escape sequence, 7-bit or 8-bit form.
#  - string sequences (OSC, DCS, SOS, PM, APC): introducer, then anything up to BEL or
#    ST (ESC \ or U+009C); an unterminated one ends before the next ESC or line break
#    (so one stray introducer cannot eat a whole note) or at the end of the text;
#  - CSI: introducer, parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one
#    final byte 0x40-0x7E (a CSI cut short just loses its introducer below);
#  - any other ESC: intermediate bytes then one final byte 0x30-0x7E.
_ESCAPE_RE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c|(?=[\x1b\n])|\Z)"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_INVISIBLE = "\u200b\ufeff"

#: Every character that never survives cleaning (``\\n`` survives in :func:`clean_text`).
FORBIDDEN = frozenset(
    [chr(c) for c in range(0x00, 0x20)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + list(_BIDI)
    + list(_INVISIBLE)
)

# Removed after escape sequences and line breaks are dealt with. Surrogates are
# matched by range (they cannot be listed in FORBIDDEN's source text portably).
_FORBIDDEN_RE = re.compile(
    "[" + re.escape("".join(sorted(FORBIDDEN))) + "\ud800-\udfff" + "]",
)

# Line breaks besides \n: vertical tab, form feed, NEL, line and paragraph separators.
_LINE_BREAKS_RE = re.compile("[\x0b\x0c\x85\u2028\u2029]")


def _strip_escapes(text: str) -> str:
    """Remove whole escape sequences, so their parameters don't leak in as text."""
    return _ESCAPE_RE.sub("", text)


def clean_line(text: str) -> str:
    """Make one line of user text safe to store and show (titles, names, tags).

    Why a line: titles, project names and tags are laid out on one row of a card or a
    table, so a line break would break the layout; tabs and line breaks become single
    spaces, any run of whitespace collapses to one space, and the ends are trimmed.
    """
    text = _strip_escapes(text)
    text = _FORBIDDEN_RE.sub(lambda m: " " if m.group().isspace() else "", text)
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Make multi-line user text safe to store and show (notes, comments).

    Why it differs from :func:`clean_line`: notes keep their shape. Line breaks stay
    (``\\r\\n`` and ``\\r`` become ``\\n``; form feed, vertical tab, U+2028 and U+2029
    too), a tab becomes four spaces so indentation survives without the terminal
    deciding how wide a tab is, trailing spaces on each line and blank lines at the
    start and end are removed. Spaces inside a line are left alone (code, tables).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _strip_escapes(text)
    text = _LINE_BREAKS_RE.sub("\n", text).replace("\t", " " * TAB_WIDTH)
    text = _FORBIDDEN_RE.sub(lambda m: "\n" if m.group() == "\n" else "", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def clean_title(text: str) -> str:
    """Clean a title and cut it to :data:`MAX_TITLE` characters.

    Why a limit: a pasted document as a title would make every list and card that
    shows it slow and unreadable; 500 characters is far beyond any real title.
    """
    return clean_line(text)[:MAX_TITLE].rstrip()
