"""One interview in brief, beside the table: the gap in words, the trend, how far it got."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from ictui.kinds.interview import Interview
from ictui.services.interviews import gap_of
from ictui.text import for_display, one_line
from ictui.widgets.record_detail import RecordDetail


def no_interview_yet(plan: str) -> str:
    """Return the hint for a team file without an interview; plan: the key that plans one."""
    return (
        f"No interviews yet. Press {plan} to plan one with a partner: the worksheet's "
        "questions and the checklist come with it."
    )


@dataclass(frozen=True)
class Progress:
    """How far an interview got, as the detail says it."""

    answered: int
    questions: int
    checklist: str
    conclusions: int
    trend: str


class InterviewDetail(RecordDetail[Interview]):
    """Shows the highlighted interview in brief."""

    def __init__(self) -> None:
        super().__init__()
        self.progress: dict[int, Progress] = {}
        """How far each interview got, by id; set by the screen before the record."""
        self.set_reactive(RecordDetail.hint, no_interview_yet("a"))  # until the screen says

    def describe(self, record: Interview) -> Text:
        """Return the interview in brief, as text that is never read as markup."""
        partner = self.names.get(record.partner_id, f"#{record.partner_id}")
        text = Text()
        text.append(one_line(partner), style="bold")
        when = record.planned_on.strftime("%a %d %b %Y")
        if record.planned_time:
            when += f", {record.planned_time}"
        if record.minutes:
            when += f" ({record.minutes} min)"
        text.append(f" · {when} · {record.status.label}")
        if record.interviewers:
            text.append(f"\nInterviewers: {one_line(record.interviewers)}")
        text.append(f"\nRatings: {gap_of(record).words}")
        progress = self.progress.get(record.id)
        if progress is not None:
            text.append(
                f"\nAnswered {progress.answered} of {progress.questions} questions · "
                f"checklist {progress.checklist} · "
                f"{progress.conclusions} conclusion{'' if progress.conclusions == 1 else 's'}"
            )
            if progress.trend:
                text.append(f"\nOver time: {progress.trend}")
        if record.notes:
            text.append("\n")
            text.append(for_display(record.notes))
        return text
