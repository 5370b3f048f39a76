"""Cleaning typed text, and making stored text safe to show in a terminal."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.teamfile.store import Store
from ictui.text import (
    clean_multiline,
    clean_single_line,
    counted,
    fold_case,
    for_display,
    listed,
    one_line,
    person_words,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\x1b]0;PWNED\x07title", "title"),  # OSC: set the terminal title
        ("a\x1b[2Jb", "ab"),  # CSI: clear the screen
        ("a\x1b[31;1mred\x1b[0m", "ared"),
        ("x\x9b31my", "xy"),  # 8-bit CSI
        ("bell\x07", "bell"),
        ("link \x1b]8;;http://x\x1b\\text\x1b]8;;\x1b\\", "link text"),
        ("  padded  ", "padded"),
        ("line one\r\nline two", "line one\nline two"),
        ("a\tb", "a\tb"),
        ("unterminated \x1b]0;title\nnext line", "unterminated\nnext line"),
        ("lone \udcff surrogate", "lone \ufffd surrogate"),
        ("[/] [bold]", "[/] [bold]"),  # markup is just text
    ],
)
def test_clean_multiline_strips_control_sequences_and_keeps_text(typed: str, stored: str) -> None:
    assert clean_multiline(typed) == stored


def test_clean_single_line_folds_breaks_and_spaces() -> None:
    assert clean_single_line("  Pay\troll \n team\u2028 x ") == "Pay roll team x"


def test_for_display_hides_bidi_overrides_but_keeps_marks() -> None:
    assert for_display("a\u202eb\u2066c") == "abc"
    assert for_display("mark\u200f") == "mark\u200f"


def test_one_line_shows_line_breaks_visibly() -> None:
    assert one_line("first\nsecond") == "first ⏎ second"


def test_fold_case_matches_names_regardless_of_case_and_spacing() -> None:
    assert fold_case("  PAYROLL  team") == fold_case("payroll team")


def _is_unsafe(ch: str) -> bool:
    category = unicodedata.category(ch)
    return (category == "Cc" and ch not in "\n\t") or category == "Cs"


@given(st.text())
def test_cleaned_text_never_holds_control_characters(text: str) -> None:
    for cleaned in (clean_multiline(text), clean_single_line(text), for_display(text)):
        assert not any(_is_unsafe(ch) for ch in cleaned)
    assert "\n" not in clean_single_line(text)
    assert "\t" not in clean_single_line(text)


@given(st.text())
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean_multiline(text)
    assert clean_multiline(once) == once
    single = clean_single_line(text)
    assert clean_single_line(single) == single


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"])))
def test_ordinary_text_survives_cleaning(text: str) -> None:
    # Letters, digits, punctuation and spaces are people's words: only trimmed.
    assert clean_multiline(text) == unicodedata.normalize("NFC", text).strip()


@given(st.text() | st.text(alphabet=" \t\n\r\x1b[]\u00a0\u2028e\u0301é"))
def test_the_shortcut_for_clean_text_never_disagrees_with_full_cleaning(text: str) -> None:
    from ictui import text as module

    if module._already_clean(text, module._UNCLEAN_MULTILINE):
        assert module._clean_multiline(text) == text
    if module._already_clean(text, module._UNCLEAN_SINGLE_LINE):
        assert module._clean_single_line(text) == text


@pytest.mark.parametrize(
    "look_alike",
    [
        "IT\u00a0Service Desk",  # a no-break space
        "IT\u2003Service Desk",  # an em space
        "IT\u3000Service Desk",  # an ideographic space
        "ＩＴ Service Desk",  # full-width letters
        "IT Ser\u200bvice Desk",  # a zero-width space
        "IT Service\u200d Desk",  # a zero-width joiner
        "it  service   DESK",
    ],
)
def test_names_that_print_alike_fold_alike(look_alike: str) -> None:
    assert fold_case(look_alike) == fold_case("IT Service Desk")


def test_a_look_alike_name_finds_the_partner_and_keeps_its_first_spelling(store: Store) -> None:
    from ictui.kinds.partner import Partner
    from ictui.kinds.vocab import Direction, Verdict
    from ictui.services.contacts import ContactDraft, log_contact_point

    before = {p.name for p in store.read().all(Partner)}
    day = dt.date(2026, 11, 2)
    made = []
    for name in ("IT Service Desk", "ＩＴ\u00a0Service\u200b Desk"):
        draft = ContactDraft(name, day, Direction.RECEIVED, Verdict.SUCCESS, "Asked")
        with store.transaction() as tx:
            made.append(log_contact_point(tx, draft).point.partner_id)
    assert made[0] == made[1]
    after = {p.name for p in store.read().all(Partner)} - before
    assert after == {"IT Service Desk"}


@given(st.text(max_size=30))
def test_folding_is_stable(name: str) -> None:
    assert fold_case(fold_case(name)) == fold_case(name)


@pytest.mark.parametrize(
    ("account", "name", "said"),
    [
        ("ann", None, "ann"),
        ("ann", "ann", "ann"),
        ("ann", "Bob", "Bob (ann)"),
        ("svc", "Ana (web)", "Ana (svc, web)"),  # at the browser door
        ("svc", "(web)", "(web) (svc)"),  # at the door before giving a name
        ("ann", "Eve\x1b]0;x\x07\nLine", "Eve ⏎ Line (ann)"),
    ],
)
def test_a_person_is_named_with_the_account_that_really_acted(
    account: str, name: str | None, said: str
) -> None:
    assert person_words(account, name) == said


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (0, "debrief", "0 debriefs"),
        (1, "contact point", "1 contact point"),
        (2, "standard", "2 standards"),
        (100_000, "contact point", "100,000 contact points"),
    ],
)
def test_a_count_is_said_with_its_noun_and_thousands_marked(
    count: int, noun: str, said: str
) -> None:
    assert counted(count, noun) == said


@pytest.mark.parametrize(
    ("items", "said"),
    [([], ""), (["notes"], "notes"), (["1 answer", "notes"], "1 answer and notes"),
     (["a", "b", "c"], "a, b and c")],
)  # fmt: skip
def test_words_are_listed_as_a_sentence_lists_them(items: list[str], said: str) -> None:
    assert listed(items) == said
