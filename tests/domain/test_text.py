"""Hostile text: control sequences and spoofing characters never survive cleaning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.text import (
    FORBIDDEN,
    MAX_TITLE,
    clean_line,
    clean_text,
    clean_title,
)

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

LINE_CASES = [
    # (input, expected)
    ("Plain title", "Plain title"),
    ("\x1b]0;pwned\x07", ""),
    ("\x1b]0;pwned\x07Fix login", "Fix login"),
    ("Fix\x1b]0;pwned\x1b\\ login", "Fix login"),
    ("\x1b[2J", ""),
    ("\x1b[2JClear", "Clear"),
    ("red \x1b[31mtext\x1b[0m here", "red text here"),
    ("\x1b[38;5;196mcolour\x1b[m", "colour"),
    ("\x1b[?1049hhidden", "hidden"),
    ("\x1b[1;31;42mbold", "bold"),
    ("link \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ end", "link click end"),
    ("title \x1b]52;c;aGVsbG8=\x07copy", "title copy"),  # clipboard write (OSC 52)
    ("dcs \x1bPq#0;2;0;0;0\x1b\\ end", "dcs end"),  # DCS (sixel)
    ("apc \x1b_Gf=100;payload\x1b\\ end", "apc end"),  # APC (kitty graphics)
    ("unterminated \x1b]0;eats the rest", "unterminated"),
    ("osc then csi \x1b]0;x\x1b[2Jrest", "osc then csi rest"),
    ("reset \x1bc now", "reset now"),  # RIS
    ("charset \x1b(0box", "charset box"),
    ("save \x1b7 restore \x1b8 ok", "save restore ok"),
    ("lone escape \x1b", "lone escape"),
    ("\x1b\x1b[31mdouble", "double"),
    ("c1 csi \x9b2J gone", "c1 csi gone"),
    ("c1 osc \x9d0;t\x07 gone", "c1 osc gone"),
    ("c1 \x85 nel", "c1 nel"),
    ("nul\x00byte", "nulbyte"),
    ("bell\x07", "bell"),
    ("back\x08space", "backspace"),
    ("del\x7fete", "delete"),
    ("tab\tseparated", "tab separated"),
    ("new\nline", "new line"),
    ("crlf\r\nline", "crlf line"),
    ("carriage\rreturn", "carriage return"),
    ("vt\x0bff\x0cend", "vt ff end"),
    ("  many   spaces  ", "many spaces"),
    ("\t\n  \r\n", ""),
    ("\u202eexe.txt", "exe.txt"),
    ("abc\u202dRLO\u202c", "abcRLO"),
    ("iso\u2066late\u2069d", "isolated"),
    ("\u2067rli\u2068fsi\u2069", "rlifsi"),
    ("marks\u200e\u200f\u061c", "marks"),
    ("zero\u200bwidth", "zerowidth"),
    ("\ufeffbom", "bom"),
    ("para\u2028graph\u2029end", "para graph end"),
    ("lone \ud800 surrogate", "lone surrogate"),
    ("emoji 👩\u200d💻 stays", "emoji 👩\u200d💻 stays"),
    ("zwnj می\u200cخواهم", "zwnj می\u200cخواهم"),
    ("naïve café 日本語 — ok", "naïve café 日本語 — ok"),
    ("[bold]not markup[/bold]", "[bold]not markup[/bold]"),
    ("50% off & <b>", "50% off & <b>"),
]


@pytest.mark.parametrize(("text", "expected"), LINE_CASES)
def test_clean_line(text: str, expected: str) -> None:
    assert clean_line(text) == expected


TEXT_CASES = [
    ("first\nsecond", "first\nsecond"),
    ("windows\r\nline\r\nends", "windows\nline\nends"),
    ("old mac\rends", "old mac\nends"),
    ("\tindented", "    indented"),
    ("a\tb", "a    b"),
    ("keep  inner   spaces", "keep  inner   spaces"),
    ("trailing   \nspaces\t", "trailing\nspaces"),
    ("\n\n  \nbody\n\n\n", "body"),
    ("para\n\n\npara", "para\n\n\npara"),
    ("ff\x0cpage", "ff\npage"),
    ("u2028\u2028u2029\u2029end", "u2028\nu2029\nend"),
    ("\x1b]0;pwned\x07note", "note"),
    ("one\x1b]0;stray\nnext line kept", "one\nnext line kept"),
    ("a\x1b[2Jb\nc\x1b[31md", "ab\ncd"),
    ("\u202eevil\u202c\nline", "evil\nline"),
    ("nul\x00\nbell\x07", "nul\nbell"),
    ("  code:\n\tif x:\n\t\treturn", "  code:\n    if x:\n        return"),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


# Defined here, independently of the module, so a gap in its sets fails a test.
MUST_GO = (
    [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0) if c != 0x85]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c", "\u200b", "\ufeff"]
)
INTRODUCERS = "\x1b\x90\x98\x9b\x9d\x9e\x9f"
BECOME_SPACE = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"


@pytest.mark.parametrize("char", MUST_GO, ids=lambda c: f"U+{ord(c):04X}")
def test_each_forbidden_character_is_removed(char: str) -> None:
    assert char in FORBIDDEN
    assert clean_line(f"a {char}") == "a"
    assert clean_text(f"a\n{char}") == "a"
    assert clean_title(f"{char}") == ""
    if char not in INTRODUCERS:  # these start a sequence and take what follows
        assert clean_line(f"a{char}b") == "ab"
        assert clean_text(f"a{char}b") == "ab"


@pytest.mark.parametrize("char", BECOME_SPACE, ids=lambda c: f"U+{ord(c):04X}")
def test_whitespace_controls_become_one_space_in_a_line(char: str) -> None:
    assert clean_line(f"a{char}b") == "a b"


def test_clean_title_truncates_to_max_title() -> None:
    assert MAX_TITLE == 500
    assert clean_title("x" * 800) == "x" * 500
    assert clean_title("y" * 500) == "y" * 500


def test_clean_title_does_not_end_in_a_space_after_cutting() -> None:
    text = "a" * 499 + " b"
    assert clean_title(text) == "a" * 499


def test_clean_title_counts_after_cleaning() -> None:
    assert clean_title("\x1b[31m" * 100 + "t" * 500) == "t" * 500


def test_clean_title_cleans() -> None:
    assert clean_title("\x1b]0;pwned\x07  Ship\tit  ") == "Ship it"


# A wide alphabet: ordinary text, controls, escapes, bidi and invisible characters.
HOSTILE = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(sorted(FORBIDDEN)),
        st.sampled_from(["\x1b[", "\x1b]", "\x9b", "\x1bP", "\x1b\\", "\r\n", "\u2028"]),
        st.sampled_from(["\ud800", "\udfff", "\t", " ", "[", "0", ";", "m"]),
    ),
    max_size=80,
).map("".join)


def _assert_safe(out: str, *, newlines: bool) -> None:
    allowed = {"\n"} if newlines else set()
    assert not (set(out) & (FORBIDDEN - allowed))
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in out)


@given(HOSTILE)
def test_clean_line_output_is_safe_and_stable(text: str) -> None:
    out = clean_line(text)
    _assert_safe(out, newlines=False)
    assert out == out.strip()
    assert "  " not in out
    assert clean_line(out) == out


@given(HOSTILE)
def test_clean_text_output_is_safe_and_stable(text: str) -> None:
    out = clean_text(text)
    _assert_safe(out, newlines=True)
    assert "\t" not in out
    assert clean_text(out) == out


@given(st.text(max_size=700))
def test_clean_title_is_short_safe_and_stable(text: str) -> None:
    out = clean_title(text)
    assert len(out) <= MAX_TITLE
    _assert_safe(out, newlines=False)
    assert clean_title(out) == out


PRINTABLE_WORD = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"),
        exclude_characters="".join(FORBIDDEN),
    ),
    min_size=1,
    max_size=12,
)


@given(st.lists(PRINTABLE_WORD, max_size=8))
def test_printable_line_is_unchanged(words: list[str]) -> None:
    text = " ".join(words)
    assert clean_line(text) == text
    assert clean_title(text) == text


@given(st.lists(st.lists(PRINTABLE_WORD, max_size=5).map(" ".join), min_size=1, max_size=5))
def test_printable_text_is_unchanged(lines: list[str]) -> None:
    text = "\n".join(lines).strip("\n")
    assert clean_text(text) == text
