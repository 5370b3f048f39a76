"""A debrief's recap as Markdown: what the lead hands the team, and what the preview shows.

The sections come in the order the workshop asks for, so that co-workers
hear how the interview went before they hear what went wrong: how it was set
up, the opening question, the partner's first reactions, what probing
revealed, then the specifics, good news first (results, issues discussed,
resolutions, the standards and measures agreed), then the co-workers' own
reactions. Every piece of people's text goes through the escaping of
``ictui.outputs.export`` (``md_text`` on one line, ``md_lines`` over
several), so that nothing typed can add a heading, a list item, a table
cell, a link or HTML. The one exception is the caution, which the pre-fill
writes as a list of the guideline's unticked points, one "- " line each: there
a line that starts with "- " is an item of a list, as the text shows it, and
only its text is escaped, like any other (``**`` or ``[x](y)`` in it stays
literal, and a second "- " or a "#" starts nothing). Nothing here imports Textual.
"""

from __future__ import annotations

from itertools import groupby

from ictui.kinds.debrief import DebriefPoint, DebriefResolution
from ictui.outputs.export import md_lines, md_table, md_text, numbered, time_frame
from ictui.services.debriefs import CAUTION_ITEM, Recap, RecapStandard
from ictui.services.standards import STRIP_PERIODS
from ictui.text import for_display

NOTHING_YET = "*None yet.*"
"""What an empty section says, so that the recap's shape never changes."""

TITLES = (
    "How the interview was set up",
    "The opening question",
    "Their first reactions",
    "What probing revealed",
    "Results",
    "Issues discussed",
    "Resolutions",
    "Standards and measures",
    "Co-workers' reactions",
)
"""The recap's sections, in order (then Notes, when there are some)."""


def _paragraph(text: str) -> list[str]:
    return md_lines(text, "") if text.strip() else [NOTHING_YET]


def _item(number: int, text: str, notes: list[list[str]]) -> list[str]:
    """A numbered item: its text, then each note (already Markdown) as a paragraph under it."""
    pad = " " * len(f"{number}. ")
    lines = numbered(number, text)
    for note in notes:
        lines += ["", *(f"{pad}{line}" if line else "" for line in note)]
    return [*lines, ""]


def _labelled(label: str, text: str) -> list[str]:
    """A note under an item: "*Label:*" and the text's lines under it."""
    return [f"*{label}:*", "", *md_lines(text, "")]


def _item_text(line: str) -> str | None:
    """The text of a caution's line that is a list item ("- " and some text), else None."""
    text = line.strip().removeprefix(CAUTION_ITEM)
    return text if line.strip().startswith(CAUTION_ITEM) and text.strip() else None


def _with_items(text: str) -> list[str]:
    """Multi-line text as Markdown whose "- " lines are list items, every line's text escaped.

    The other lines keep their paragraphs and breaks (see md_lines); a blank
    line parts a list from the text around it.
    """
    blocks: list[list[str]] = []
    for items, group in groupby(for_display(text).split("\n"), key=lambda x: bool(_item_text(x))):
        lines = list(group)
        if items:
            # One line each: md_lines escapes its text as any line's, "#" or "- " and all.
            blocks.append([CAUTION_ITEM + md_lines(_item_text(x) or "", "")[0] for x in lines])
            continue
        block = md_lines("\n".join(lines), "")
        while block and not block[-1]:
            block.pop()
        while block and not block[0]:
            block.pop(0)
        if block:
            blocks.append(block)
    return [line for n, block in enumerate(blocks) for line in ([""] if n else []) + block]


def _finding(number: int, point: DebriefPoint) -> list[str]:
    if not point.question:
        return _item(number, point.text, [])
    pad = " " * len(f"{number}. ")
    asked = f"{number}. **{md_text(point.question)}**"
    return [asked, "", *md_lines(point.text, pad), ""]


def _list(items: list[list[str]]) -> list[str]:
    lines = [line for item in items for line in item]
    return lines or [NOTHING_YET, ""]


def _issue_notes(recap: Recap, issue: DebriefPoint) -> list[list[str]]:
    notes = []
    if issue.detail.strip():
        notes.append(_labelled("Behind it", issue.detail))
    standard = recap.standard_of(issue)
    if standard is not None:
        said = md_text(standard.standard.standard)
        notes.append([f"*Standard agreed:* {said} (standard {standard.standard.id})"])
    resolved = [recap.resolutions.index(r) + 1 for r in recap.resolutions_of(issue)]
    if resolved:
        which = " and ".join(str(n) for n in resolved)
        notes.append([f"*Resolved by resolution{'s' if len(resolved) > 1 else ''} {which}.*"])
    return notes


def _resolution_notes(recap: Recap, resolution: DebriefResolution) -> list[list[str]]:
    number = recap.issue_number(resolution.resolves)
    return [[f"*Resolves issue {number}.*"]] if number is not None else []


def _standards(recap: Recap) -> list[str]:
    if not recap.standards:
        return [NOTHING_YET, ""]

    def row(item: RecapStandard) -> list[str]:
        standard, standing = item.standard, item.standing
        return [
            str(standard.id),
            standard.side.short,
            md_text(standard.standard),
            md_text(standard.measure),
            md_text(standard.target),
            standard.cadence.value,
            standard.status.value,
            standing.strip(),
            standing.compliance_text,
        ]

    headers = ["ID", "Whose", "Standard", "Measure", "Target", "Checked", "Status"]
    table = md_table(
        [*headers, f"Last {STRIP_PERIODS}", "Compliance"], [row(s) for s in recap.standards]
    )
    return [
        f"As of {recap.today.isoformat()}: *we* keep a standard, *they* a partnering rule; the "
        f"last {STRIP_PERIODS} completed periods, oldest first (✓ met, ✗ not met, – not "
        "measured, · no check-in).",
        "",
        *table,
        "",
    ]


def _reaction(text: str, said_by: str) -> list[str]:
    who = f"*{md_text(said_by)}*" if said_by.strip() else "*anonymous*"
    first, *rest = md_lines(text, "  ")
    return [f"- {first.removeprefix('  ')}", *rest, "", f"  — {who}", ""]


def recap_lines(recap: Recap, level: int = 1) -> list[str]:
    """Return a debrief's recap as Markdown lines; level: its title's heading level."""
    debrief, interview = recap.debrief, recap.interview
    title, part = "#" * level, "#" * (level + 1)
    status = f"held on {debrief.held_on.isoformat()}" if debrief.held_on else "draft"
    if debrief.deleted:
        status += " (deleted)"
    lines = [
        f"{title} Debrief: interview with {md_text(recap.partner)}, "
        f"{interview.planned_on.isoformat()}",
        "",
        f"- **Debrief:** {status}",
        f"- **Interview:** {time_frame(interview)} (interview {interview.id})",
        "",
    ]
    setup, opening, first, probing, results, issues, resolutions, standards, reactions = TITLES
    lines += [f"{part} {setup}", "", *_paragraph(debrief.set_up), ""]
    if debrief.caution.strip():
        lines += ["*Caution:*", "", *_with_items(debrief.caution), ""]
    lines += [f"{part} {opening}", "", *_paragraph(debrief.opening_question), ""]
    lines += [f"{part} {first}", "", *_paragraph(debrief.first_reactions), ""]
    lines += [f"{part} {probing}", ""]
    if debrief.probing.strip() or not recap.findings:
        lines += [*_paragraph(debrief.probing), ""]
    lines += [line for n, p in enumerate(recap.findings, start=1) for line in _finding(n, p)]
    lines += [f"{part} {results}", ""]
    lines += _list(
        [_item(n, p.text, [md_lines(p.detail, "")] if p.detail.strip() else [])
         for n, p in enumerate(recap.results, start=1)]
    )  # fmt: skip
    lines += [f"{part} {issues}", ""]
    lines += _list(
        [_item(n, p.text, _issue_notes(recap, p)) for n, p in enumerate(recap.issues, start=1)]
    )
    lines += [f"{part} {resolutions}", ""]
    lines += _list(
        [_item(n, r.text, _resolution_notes(recap, r))
         for n, r in enumerate(recap.resolutions, start=1)]
    )  # fmt: skip
    lines += [f"{part} {standards}", "", *_standards(recap)]
    lines += [f"{part} {reactions}", ""]
    lines += _list([_reaction(r.text, r.said_by) for r in recap.reactions])
    if debrief.notes.strip():
        lines += [f"{part} Notes", "", *md_lines(debrief.notes, ""), ""]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def recap_markdown(recap: Recap) -> str:
    """Return a debrief's recap as a Markdown document."""
    return "\n".join(recap_lines(recap)) + "\n"
