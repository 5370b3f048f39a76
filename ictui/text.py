"""Cleaning of text that people type, and making it safe to show in a terminal.

Text is data, never markup or terminal commands. Cleaning happens when a value
enters a model (so the team file holds no control characters); display-safety
happens again when a value is shown, because a hand-edited file can hold anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# ECMA-48 sequences, whole, so that "\x1b[2J" disappears instead of leaving "[2J".
# A string body (OSC, DCS, ...) stops at its terminator or at the end of the line,
# so an unterminated sequence cannot swallow the rest of a multi-line note.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]                       # CSI: cursor, colour, erase
    | \x9b   [0-?]* [ -/]* [@-~]                       # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])          # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?         # ... up to BEL or ST
    | \x1b [ -/]* [0-~]                                # any other escape
    """,
    re.VERBOSE,
)

# C0 and C1 control characters and DEL. Tab and newline are handled per field kind.
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_SURROGATES = range(0xD800, 0xE000)
_LINE_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"}

_MULTILINE: dict[int, str | None] = {c: None for c in _CONTROLS}
_MULTILINE.update({c: "\ufffd" for c in _SURROGATES})
_MULTILINE.update(_LINE_BREAKS)
_MULTILINE.update({0x09: "\t", 0x0A: "\n"})

_SINGLE_LINE: dict[int, str | None] = dict(_MULTILINE)
_SINGLE_LINE.update({0x09: " ", 0x0A: " "} | {c: " " for c in _LINE_BREAKS})

# Bidi embeddings, overrides and isolates can make a terminal draw text in an
# order other than the stored one (the "Trojan Source" trick). They are kept in
# the data and left out when showing it.
_BIDI_CONTROLS = {c: None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

_SPACES = re.compile(r"[ \t]+")

# Text read back from the team file is nearly always clean already; these find
# anything the cleaners would change, so clean text skips the slow path.
_UNCLEAN_CHARACTER = "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]"
_UNCLEAN_MULTILINE = re.compile(_UNCLEAN_CHARACTER + r"|\s\n")
_UNCLEAN_SINGLE_LINE = re.compile(_UNCLEAN_CHARACTER + r"|[\t\n]|  ")


def _already_clean(value: str, unclean: re.Pattern[str]) -> bool:
    if value.isascii() and value.isprintable():
        # Printable ASCII has no controls, line breaks or tabs, and is NFC: the common case.
        return value == value.strip() and "  " not in value
    return (
        value == value.strip()
        and unclean.search(value) is None
        and unicodedata.is_normalized("NFC", value)
    )


def clean_multiline(value: str) -> str:
    """Return free text (a reason, a note) with control sequences removed and ends trimmed."""
    return value if _already_clean(value, _UNCLEAN_MULTILINE) else _clean_multiline(value)


def _clean_multiline(value: str) -> str:
    value = _ESCAPE_SEQUENCE.sub("", value.replace("\r\n", "\n"))
    value = unicodedata.normalize("NFC", value.translate(_MULTILINE))
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


def clean_single_line(value: str) -> str:
    """Return a one-line value (a name) with control sequences removed and spaces collapsed."""
    return value if _already_clean(value, _UNCLEAN_SINGLE_LINE) else _clean_single_line(value)


def _clean_single_line(value: str) -> str:
    value = _ESCAPE_SEQUENCE.sub("", value.replace("\r\n", " "))
    value = unicodedata.normalize("NFC", value.translate(_SINGLE_LINE))
    return _SPACES.sub(" ", value).strip()


def for_display(value: str) -> str:
    """Return text that is safe to write to a terminal: no controls, no bidi overrides."""
    value = _ESCAPE_SEQUENCE.sub("", value)
    return value.translate(_MULTILINE).translate(_BIDI_CONTROLS)


def one_line(value: str) -> str:
    """Return display-safe text on one line, line breaks shown as a visible mark."""
    return _SPACES.sub(" ", for_display(value).replace("\n", " ⏎ ")).strip()


WEB_MARK = " (web)"
"""Added to the display name of someone at the browser door (`ictui serve`), whose OS
account is the serving one: the record then says `Name (web)` beside that account."""


def person_words(account: str, name: str | None) -> str:
    """Return how a person is named on screen: "Bob (ann)", "ann", or "Ana (svc, web)".

    The display name is whatever someone typed; the OS account beside it is who
    it really was, so a name never hides or borrows an account. At the browser
    door the account is the serving one, and the door is said beside it.
    """
    shown, account = one_line(name or ""), one_line(account)
    if shown.endswith(WEB_MARK) and shown != WEB_MARK.strip():
        return f"{shown.removesuffix(WEB_MARK)} ({account}, web)"
    return account if shown in ("", account) else f"{shown} ({account})"


def fold_case(value: str) -> str:
    """Return the key used to compare names: names that print alike get the same key.

    Compatibility forms are folded (full-width ＩＴ is IT, a no-break, em or
    ideographic space is a space), invisible characters (zero-width spaces and
    joiners, bidi marks) are dropped, spaces collapse, and case is folded. Only
    the comparison changes: a name is kept as it was first typed.
    """
    normal = unicodedata.normalize("NFKC", clean_single_line(value))
    visible = "".join(c for c in normal if unicodedata.category(c) != "Cf")
    return " ".join(visible.split()).casefold()


def breaking(count: int) -> str:
    """Say how many records break the team file's rules: "1 record breaks", "2 records break".

    Not "could not be read": a record pointing at one that is gone was read.
    """
    return "1 record breaks" if count == 1 else f"{count} records break"


def counted(count: int, noun: str) -> str:
    """Return a count with its noun, as a title says it: "1 debrief", "100,000 contact points"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def listed(items: Sequence[str]) -> str:
    """Join words as a sentence lists them: "a", "a and b", "a, b and c"; "" for none."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
