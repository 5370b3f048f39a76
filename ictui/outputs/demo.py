"""A ready-made demo team: an operations team, its internal customers and its providers.

The same date and seed always give the same team, so screenshots and tests can
rely on it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from ictui.errors import IctuiError
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.debrief import Debrief, DebriefPoint, DebriefResolution
from ictui.kinds.interview import ChecklistTick, Conclusion, Interview, InterviewAnswer
from ictui.kinds.partner import Partner
from ictui.kinds.period import Period, last_completed, period_of
from ictui.kinds.record import Author
from ictui.kinds.schema import Checked, schema_of
from ictui.kinds.standard import CheckIn, Standard
from ictui.kinds.target import Target, read_target
from ictui.kinds.vocab import (
    Cadence,
    CheckInResult,
    DebriefSection,
    Direction,
    InterviewStatus,
    Need,
    PartnerKind,
    Priority,
    Relationship,
    Side,
    StandardStatus,
    Verdict,
)
from ictui.teamfile.store import Store
from ictui.teamfile.transaction import Transaction

DEFAULT_CONTACTS = 60
"""How many contact points `ictui demo` writes unless told otherwise."""
MAX_CONTACTS = 100_000
"""The most contact points a demo team may have (enough for benchmarks)."""

TEAM = (
    Author(account="amara", name="Amara Okafor"),
    Author(account="bwalsh", name="Ben Walsh"),
    Author(account="chen", name="Li Chen"),
    Author(account="dpatel", name="Dev Patel"),
)
"""The demo team's members, who logged the contact points."""


@dataclass(frozen=True)
class DemoPartner:
    """A partner of the demo team with reasons for each verdict."""

    fields: Checked[Partner]
    successes: tuple[str, ...]
    improvements: tuple[str, ...]

    @property
    def relationship(self) -> Relationship:
        """Which way the partner's relationship with the team runs."""
        return Relationship(self.fields.values["relationship"])


def _partner(
    name: str,
    relationship: Relationship,
    kind: PartnerKind,
    segment: str,
    priority: Priority,
    needs: tuple[Need, ...],
    notes: str,
    successes: tuple[str, ...],
    improvements: tuple[str, ...],
) -> DemoPartner:
    values = {
        "name": name,
        "relationship": relationship,
        "kind": kind,
        "segment": segment,
        "priority": priority,
        "needs": needs,
        "notes": notes,
    }
    return DemoPartner(schema_of(Partner).check(values), successes, improvements)


C, P, B = Relationship.CUSTOMER, Relationship.PROVIDER, Relationship.BOTH
N = Need

PARTNERS = (
    _partner(
        "Payroll",
        C,
        PartnerKind.DEPARTMENT,
        "Finance",
        Priority.HIGH,
        (N.RELIABILITY, N.SPEED, N.INFORMATION),
        "Needs the monthly overtime export by the 25th to pay people on time.",
        (
            "Overtime export arrived on the 24th, a day early, and reconciled first time.",
            "Answered their question about the new shift codes within the hour.",
            "Walked Jo through the corrected export so she could check it herself.",
        ),
        (
            "Export was two days late; they had to chase us twice and pay by hand.",
            "Shift codes changed without telling them; three payslips came out wrong.",
            "We sent the file to an old address and nobody noticed for a day.",
        ),
    ),
    _partner(
        "Sales Operations",
        C,
        PartnerKind.TEAM,
        "Revenue teams",
        Priority.HIGH,
        (N.SPEED, N.QUALITY, N.AVAILABILITY),
        "Quarter-end is their crunch: agree freeze dates with them early.",
        (
            "Fixed the pipeline report before their Monday forecast call.",
            "Agreed the quarter-end freeze dates together, weeks ahead.",
            "Turned round the territory change the same afternoon.",
        ),
        (
            "Dashboard was down during quarter-end; nobody told them when it would be back.",
            "Their request sat in our queue for a week without a reply.",
            "We pushed back on a data fix without asking what it was for.",
        ),
    ),
    _partner(
        "Customer Support (tier 2)",
        C,
        PartnerKind.TEAM,
        "Front line",
        Priority.HIGH,
        (N.ADVICE, N.SPEED, N.INFORMATION),
        "They hear from customers first; our answers reach customers through them.",
        (
            "Gave them a clear workaround they could paste straight to the customer.",
            "Joined their stand-up to explain the outage in plain words.",
        ),
        (
            "Our release notes were too technical to pass on to customers.",
            "Escalation came in on Friday at 16:00 and waited until Monday.",
            "Two of us gave them different answers to the same question.",
        ),
    ),
    _partner(
        "New hires (onboarding)",
        C,
        PartnerKind.PERSON,
        "Onboarding",
        Priority.MEDIUM,
        (N.INFORMATION, N.AVAILABILITY),
        "Everyone who joined in the last three months.",
        (
            "Laptop, accounts and badge were all ready on day one.",
            "Buddy session got their first report running in a morning.",
        ),
        (
            "Access request took five days; they sat in meetings with nothing to do.",
            "Onboarding checklist pointed to pages that no longer exist.",
        ),
    ),
    _partner(
        "Marketing web team",
        C,
        PartnerKind.TEAM,
        "Marketing",
        Priority.LOW,
        (N.QUALITY, N.ADVICE),
        "",
        (
            "Reviewed their tracking plan and caught a double-counting bug early.",
            "Answered their data question with a one-page summary they could share.",
        ),
        ("Campaign numbers were off by a day because of our time-zone change.",),
    ),
    _partner(
        "IT Service Desk",
        P,
        PartnerKind.TEAM,
        "Internal IT",
        Priority.HIGH,
        (N.SPEED, N.AVAILABILITY, N.RELIABILITY),
        "We depend on them for accounts, laptops and VPN.",
        (
            "Reset the shared account within ten minutes during the month-end run.",
            "Told us in advance about the VPN maintenance window.",
            "Set up the new starter's access before we even asked.",
        ),
        (
            "Ticket was closed as fixed without checking with us; the problem came back.",
            "Laptop swap was booked during our busiest morning of the month.",
        ),
    ),
    _partner(
        "Facilities",
        P,
        PartnerKind.DEPARTMENT,
        "Workplace",
        Priority.LOW,
        (N.AVAILABILITY,),
        "",
        ("Meeting room screens fixed the same day we reported them.",),
        (
            "Air conditioning in the data room failed over a weekend; no one was on call.",
            "Desk move happened with one day's notice.",
        ),
    ),
    _partner(
        "Legal",
        P,
        PartnerKind.DEPARTMENT,
        "Corporate functions",
        Priority.MEDIUM,
        (N.ADVICE, N.SPEED),
        "Contract reviews for every new data supplier go through them.",
        ("Turned round the supplier contract review in two days with clear notes.",),
        (
            "Contract review took three weeks and the supplier nearly walked away.",
            "Feedback arrived as tracked changes with no explanation of the concern.",
        ),
    ),
    _partner(
        "Procurement",
        P,
        PartnerKind.TEAM,
        "Corporate functions",
        Priority.MEDIUM,
        (N.INFORMATION, N.SPEED),
        "",
        ("Explained the new purchase approval steps before they went live.",),
        ("Purchase order was stuck waiting for an approver who was on leave.",),
    ),
    _partner(
        "Data Platform",
        B,
        PartnerKind.TEAM,
        "Engineering",
        Priority.HIGH,
        (N.RELIABILITY, N.QUALITY, N.ADVICE),
        "They run the warehouse we build on, and they use our curated tables.",
        (
            "Warned us a week ahead about the schema change and helped us test it.",
            "We documented our tables well enough that they answered their own question.",
            "Paired on the slow query and halved the nightly load time.",
        ),
        (
            "Nightly load failed and we only found out from a customer complaint.",
            "We renamed a column they depend on without telling them.",
        ),
    ),
)
"""The demo team's partners, with the reasons its contact points give."""


def span_days(count: int) -> int:
    """Return over how many days count contact points are spread: eight weeks, more if many."""
    return max(56, min(count // 4, 5 * 365))


def demo_contacts(today: dt.date, count: int, seed: int) -> list[tuple[int, Checked[ContactPoint]]]:
    """Return (partner index, fields) for count contact points before today, newest last."""
    rng = random.Random(seed)
    span = span_days(count)
    check = schema_of(ContactPoint).check
    contacts = []
    for _ in range(count):
        index = rng.randrange(len(PARTNERS))
        partner = PARTNERS[index]
        # Most partners go well more often than not; a few are where work is needed.
        verdict = Verdict.SUCCESS if rng.random() < 0.6 else Verdict.NEEDS_IMPROVEMENT
        reasons = partner.successes if verdict is Verdict.SUCCESS else partner.improvements
        relationship = partner.relationship
        if relationship is Relationship.BOTH:
            direction = rng.choice(list(Direction))
        else:
            direction = Direction.PROVIDED if relationship is C else Direction.RECEIVED
        day = today - dt.timedelta(days=rng.randrange(span))
        why = rng.choice(reasons)
        contacts.append(
            (
                index,
                check(
                    {
                        "partner_id": 1,  # any id: the partner's is known once it is written
                        "date": day,
                        "direction": direction,
                        "verdict": verdict,
                        "why": why,
                    }
                ),
            )
        )
    contacts.sort(key=lambda item: item[1].values["date"])
    return contacts


DEMO_COUNTS = ("interviews", "standards", "debriefs")
"""The counts of write_demo that `ictui demo` takes as flags (--interviews N, ...): each
kind's commands add their flag to the demo command, and it passes them on by these names."""


def write_demo(
    store: Store,
    today: dt.date,
    contacts: int = DEFAULT_CONTACTS,
    seed: int = 2026,
    interviews: int | None = None,
    standards: int | None = None,
    debriefs: int | None = None,
) -> int:
    """Write a demo team to a new team file and return how many records it holds.

    interviews: how many interviews (None: DEFAULT_INTERVIEWS); standards: how
    many standards and partnering rules, each with its check-ins (None:
    DEFAULT_STANDARDS); debriefs: how many of the interviews held get a
    debrief, the demo's own held one first (None: DEFAULT_DEBRIEFS; never more
    than were held). `ictui demo` sets them by the flags named in DEMO_COUNTS.
    Refuses (and writes nothing) if a team file already exists at the path.
    """
    if not 0 <= contacts <= MAX_CONTACTS:
        raise IctuiError(f"--contacts must be between 0 and {MAX_CONTACTS}, not {contacts}")
    if interviews is None:
        interviews = DEFAULT_INTERVIEWS
    if not 0 <= interviews <= MAX_INTERVIEWS:
        raise IctuiError(f"--interviews must be between 0 and {MAX_INTERVIEWS}, not {interviews}")
    if standards is None:
        standards = DEFAULT_STANDARDS
    if not 0 <= standards <= MAX_STANDARDS:
        raise IctuiError(f"--standards must be between 0 and {MAX_STANDARDS}, not {standards}")
    if debriefs is None:
        debriefs = DEFAULT_DEBRIEFS
    if not 0 <= debriefs <= MAX_DEBRIEFS:
        raise IctuiError(f"--debriefs must be between 0 and {MAX_DEBRIEFS}, not {debriefs}")
    with store.transaction(create=True) as tx:
        if not tx.created:
            raise IctuiError(f"{store.path} already exists; a demo never overwrites a team file")
        # Partners predate their first contact point.
        first_day = today - dt.timedelta(days=span_days(contacts) + 14)
        start = dt.datetime.combine(first_day, dt.time(9), dt.UTC)
        ids = [
            tx.add(p.fields, author=TEAM[i % len(TEAM)], at=start).id
            for i, p in enumerate(PARTNERS)
        ]
        rng = random.Random(seed + 1)
        now = store.clock()
        # Standards before contact points: a contact point may be evidence for one.
        kept = _DemoStandards(tx, ids, today, now, random.Random(seed + 3))
        kept.write(standards)
        ties = random.Random(seed + 4)  # its own: the contact points stay as they were
        for index, fields in demo_contacts(today, contacts, seed):
            at = dt.datetime.combine(
                fields.values["date"], dt.time(rng.randrange(8, 18), rng.randrange(60)), dt.UTC
            )
            at = min(at, now)  # today's contact points were not logged later than now
            point = fields.with_reference("partner_id", ids[index])
            evidence = kept.evidence_for(index, fields.values["direction"], ties)
            if evidence is not None:
                point = point.with_reference("standard_id", evidence)
            tx.add(point, author=rng.choice(TEAM), at=at)
        held = _DemoInterviews(tx, ids, today, now, random.Random(seed + 2))
        made = held.write(interviews)
        debriefed = _DemoDebriefs(tx, now, random.Random(seed + 5))
        debriefed.write(held.held[:debriefs])
    return len(PARTNERS) + contacts + made + kept.made + debriefed.made


# -- interviews ---------------------------------------------------------------------------------

DEFAULT_INTERVIEWS = 2
"""How many interviews `ictui demo` writes unless told otherwise: one held, one planned."""
MAX_INTERVIEWS = 10_000
"""The most interviews a demo team may have (enough for benchmarks)."""

HELD_ANSWERS = {
    "needs": "Pipeline and forecast reports we can trust by Monday 09:00, and quick fixes "
    "when a territory changes.",
    "why_us": "You own the warehouse tables and the reports built on them; nobody else can "
    "change them.",
    "improve": "Tell us when something breaks before we find out ourselves.\n"
    "Answer a request within two days, even if only to say when you will get to it.",
    "effect": "When the forecast report is late or wrong, our Monday call runs on guesses "
    "and the regional leads lose a morning reconciling numbers.",
    "focus": "Quarter-end: agree the freeze dates early and keep someone on call in the last week.",
    "no_longer": "The weekly PDF pack: everyone uses the dashboard now.",
    "else": "The territory change in March was handled really well. More of that, please.",
}
"""What Sales Operations answered in the demo's held interview, by question id."""

HELD_TICKED = frozenset(
    {
        "prepare_time",
        "prepare_quiet",
        "prepare_told",
        "purpose_again",
        "safe_calm",
        "safe_listen",
        "safe_invite",
        "safe_reflect",
        "behaviors_ask",
    }
)
"""The checklist points ticked in the demo's held interview: 9 of 14."""

HELD_CONCLUSIONS = (
    (
        "You're slow to answer our requests.",
        "Three requests in May waited over a week for a first reply.\n"
        "The territory fix was only picked up once we went to your lead.",
    ),
    (
        "We hear about outages from our own reps first.",
        "The dashboard was down at quarter-end and nobody said when it would be back.\n"
        "The nightly load failed twice without a word to us.",
    ),
)
"""The conclusions Sales Operations came to, each with the behaviors behind it."""


class _DemoInterviews:
    """Writes the demo's interviews: a held one and a planned one, then generated ones."""

    def __init__(
        self,
        tx: Transaction,
        partner_ids: list[int],
        today: dt.date,
        now: dt.datetime,
        rng: random.Random,
    ) -> None:
        from ictui.services import interview_template as template

        self.tx, self.partner_ids, self.today, self.now, self.rng = tx, partner_ids, today, now, rng
        # Checked once each, then pointed at each interview: thousands stay quick to write.
        self.answers = [schema_of(InterviewAnswer).check(v) for v in template.answer_values(1)]
        self.ticks = [schema_of(ChecklistTick).check(v) for v in template.tick_values(1)]
        self._checked: dict[tuple[type[Any], tuple[tuple[str, Any], ...]], Checked[Any]] = {}
        self.made = 0
        self.held: list[tuple[Interview, list[Any]]] = []
        """Each interview held (or debriefed) with its parts, in the order written."""

    def _check(self, kind: type[Any], **values: Any) -> Checked[Any]:
        key = (kind, tuple(sorted(values.items())))
        if key not in self._checked:
            self._checked[key] = schema_of(kind).check({"interview_id": 1, **values})
        return self._checked[key]

    def _at(self, day: dt.date, hour: int) -> dt.datetime:
        return min(dt.datetime.combine(day, dt.time(hour), dt.UTC), self.now)

    def _add(self, checked: Checked[Any], at: dt.datetime, author: Author) -> Any:
        self.made += 1
        return self.tx.add(checked, author=author, at=at)

    def interview(
        self,
        partner: int,
        day: dt.date,
        author: Author,
        answers: dict[str, str],
        ticked: frozenset[str] | set[str],
        conclusions: tuple[tuple[str, str], ...],
        **values: Any,
    ) -> Interview:
        """Write one interview with its parts: planned a fortnight before, filled in on the day."""
        planned_at = self._at(day - dt.timedelta(days=14), 9)
        fields = schema_of(Interview).check(
            {"partner_id": self.partner_ids[partner], "planned_on": day, **values}
        )
        interview: Interview = self._add(fields, planned_at, author)
        held_at = self._at(day, 15)
        filled_at = held_at if interview.status is not InterviewStatus.PLANNED else planned_at
        parts: list[tuple[Checked[Any], dt.datetime]] = []
        for asked in self.answers:
            answer = answers.get(asked.values["question_id"], "")
            if answer:
                asked = self._check(InterviewAnswer, **{**asked.values, "answer": answer})
            parts.append((asked, filled_at))
        for point in self.ticks:
            if point.values["point_id"] in ticked:
                point = self._check(ChecklistTick, **{**point.values, "ticked": True})
            parts.append((point, filled_at))
        for position, (conclusion, behaviors) in enumerate(conclusions, start=1):
            said = self._check(
                Conclusion, position=position, conclusion=conclusion, behaviors=behaviors
            )
            parts.append((said, held_at))
        added = [self._add(part.with_reference("interview_id", interview.id), at, author)
                 for part, at in parts]  # fmt: skip
        if interview.status is not InterviewStatus.PLANNED:
            self.held.append((interview, added))
        return interview

    @staticmethod
    def _weekday(day: dt.date, step: int) -> dt.date:
        """Return day, or the nearest working day from it in the direction of step (1 or -1)."""
        while day.weekday() >= 5:
            day += dt.timedelta(days=step)
        return day

    def write(self, count: int) -> int:
        """Write count interviews (the held and the planned one first); return the records made."""
        sales, payroll = 1, 0  # Sales Operations and Payroll, two high-priority customers
        if count >= 1:
            self.interview(
                sales,
                self._weekday(self.today - dt.timedelta(days=9), -1),
                TEAM[0],
                HELD_ANSWERS,
                HELD_TICKED,
                HELD_CONCLUSIONS,
                planned_time="14:00",
                minutes=45,
                interviewers=f"{TEAM[0].name}, {TEAM[1].name}",
                status=InterviewStatus.HELD,
                self_rating=8,
                customer_rating=5,
                notes="They asked for a named contact for quarter-end.",
            )
        if count >= 2:
            self.interview(
                payroll,
                self._weekday(self.today + dt.timedelta(days=6), 1),
                TEAM[2],
                {},
                {"prepare_time"},
                (),
                planned_time="10:00",
                minutes=30,
                interviewers=TEAM[2].name or "",
                self_rating=7,
            )
        for _ in range(count - 2):
            self._generated()
        return self.made

    def _generated(self) -> None:
        """Write an interview with one of the customers, held over the last years or planned."""
        rng = self.rng
        customers = [i for i, p in enumerate(PARTNERS) if p.relationship is not P]
        partner = rng.choice(customers)
        planned = rng.random() < 0.15
        if planned:
            day = self.today + dt.timedelta(days=rng.randrange(1, 90))
            status = InterviewStatus.PLANNED
        else:
            day = self.today - dt.timedelta(days=rng.randrange(1, 3 * 365))
            status = rng.choice([InterviewStatus.HELD, InterviewStatus.DEBRIEFED])
        ours = rng.randrange(5, 10)
        values: dict[str, Any] = {
            "planned_time": f"{rng.randrange(9, 17):02d}:{rng.choice(['00', '30'])}",
            "minutes": rng.choice([30, 45, 60]),
            "interviewers": rng.choice(TEAM).name,
            "status": status,
            "self_rating": ours,
        }
        answers: dict[str, str] = {}
        ticked: set[str] = set()
        conclusions: tuple[tuple[str, str], ...] = ()
        if not planned:
            values["customer_rating"] = max(1, min(10, ours + rng.randrange(-4, 3)))
            answers = {q: a for q, a in HELD_ANSWERS.items() if rng.random() < 0.8}
            ticked = {p.values["point_id"] for p in self.ticks if rng.random() < 0.7}
            conclusions = tuple(c for c in HELD_CONCLUSIONS if rng.random() < 0.5)
        self.interview(partner, day, rng.choice(TEAM), answers, ticked, conclusions, **values)


# -- standards and partnering rules ---------------------------------------------------------------

MAX_STANDARDS = 10_000
"""The most standards a demo team may have (enough for benchmarks)."""
CHECKED_DAYS = 400
"""How far back a demo standard's check-ins go: a year and a bit."""
EVIDENCE_SHARE = 0.2
"""The share of contact points with a partner's agreed standard that are tied to it as evidence."""


@dataclass(frozen=True)
class DemoStandard:
    """A standard or partnering rule of the demo team, and how well it has been kept."""

    partner: int
    """Its partner, by its place in PARTNERS."""
    side: Side
    standard: str
    target: str
    cadence: Cadence
    status: StandardStatus = StandardStatus.AGREED
    measure: str = ""
    measured_how: str = ""
    owner: int = 0
    """Who looks after it, by place in TEAM."""
    agreed_with: str = ""
    kept: float = 0.8
    """How often it was met, of the periods measured."""
    due: bool = False
    """Whether the last completed period is left without a check-in."""
    retired_reason: str = ""


OURS, THEIRS = Side.OURS, Side.THEIRS
WEEKLY, MONTHLY, QUARTERLY = Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY
RETIRED, PROPOSED = StandardStatus.RETIRED, StandardStatus.PROPOSED

STANDARDS = (
    DemoStandard(
        partner=0,
        side=OURS,
        standard="Overtime export delivered to Payroll by the 25th of each month",
        measure="Whether the export reached Payroll's inbox by the 25th",
        target="yes: export received by the 25th",
        measured_how="Payroll's receipt email, checked at the month-end review",
        cadence=MONTHLY,
        owner=0,
        agreed_with="Jo Martin (Payroll lead)",
        kept=0.85,
    ),
    DemoStandard(
        partner=0,
        side=THEIRS,
        standard="Payroll sends shift-code and rate changes by the 20th",
        target="yes: changes received by the 20th",
        measured_how="Date of Payroll's change email",
        cadence=MONTHLY,
        owner=0,
        agreed_with="Jo Martin (Payroll lead)",
        kept=0.7,
    ),
    DemoStandard(
        partner=1,
        side=OURS,
        standard="Pipeline report refreshed before the Monday forecast call",
        measure="When Monday's refresh finished",
        target="by 09:00",
        measured_how="Refresh log of the pipeline report",
        cadence=WEEKLY,
        owner=1,
        agreed_with="Priya Shah, Tom Berg",
        kept=0.9,
    ),
    DemoStandard(
        partner=1,
        side=OURS,
        standard="Data requests from Sales Operations get a first reply within 2 working days",
        measure="Working days to first reply, slowest request of the month",
        target="≤ 2 working days",
        measured_how="Request queue report, filtered on Sales Operations",
        cadence=MONTHLY,
        owner=1,
        agreed_with="Priya Shah",
        kept=0.6,
    ),
    DemoStandard(
        partner=1,
        side=THEIRS,
        standard="Sales Operations agree quarter-end freeze dates at least 4 weeks ahead",
        target="≥ 4 weeks",
        cadence=QUARTERLY,
        owner=1,
        agreed_with="Priya Shah",
        kept=0.75,
    ),
    DemoStandard(
        partner=2,
        side=OURS,
        standard="Escalations from tier 2 answered the same working day",
        measure="Share of escalations answered the same working day",
        target="≥ 95 %",
        measured_how="Escalation board, monthly export",
        cadence=MONTHLY,
        owner=2,
        agreed_with="Sam Reyes (tier 2 lead)",
        kept=0.65,
        due=True,
    ),
    DemoStandard(
        partner=2,
        side=THEIRS,
        standard="Tier 2 include the customer's steps to reproduce in every escalation",
        measure="Share of escalations with steps to reproduce",
        target="≥ 90 %",
        cadence=MONTHLY,
        owner=2,
        status=PROPOSED,
    ),
    DemoStandard(
        partner=3,
        side=OURS,
        standard="Laptop, accounts and badge ready on a new starter's first day",
        target="yes: everything ready on day one",
        measured_how="Asked at each starter's first-week check-in",
        cadence=MONTHLY,
        owner=3,
        agreed_with="HR onboarding team",
        kept=0.8,
        due=True,
    ),
    DemoStandard(
        partner=4,
        side=OURS,
        standard="Weekly campaign numbers pack sent to Marketing every Monday",
        target="yes: pack sent on Monday",
        cadence=WEEKLY,
        owner=3,
        agreed_with="Marketing web team",
        status=RETIRED,
        retired_reason="Marketing reads the live dashboard now; the weekly pack is no longer used.",
        kept=0.9,
    ),
    DemoStandard(
        partner=5,
        side=THEIRS,
        standard="IT Service Desk completes access requests within 3 working days",
        measure="Working days from request to access, slowest request of the month",
        target="≤ 3 working days",
        measured_how="Service desk ticket history",
        cadence=MONTHLY,
        owner=0,
        agreed_with="Service desk manager",
        kept=0.7,
    ),
    DemoStandard(
        partner=7,
        side=THEIRS,
        standard="Legal returns supplier contract reviews within 10 working days",
        target="≤ 10 working days",
        cadence=QUARTERLY,
        owner=2,
        agreed_with="Legal operations",
        kept=0.5,
        due=True,
    ),
    DemoStandard(
        partner=9,
        side=OURS,
        standard="Column renames announced to Data Platform at least 10 working days ahead",
        target="≥ 10 working days",
        cadence=QUARTERLY,
        owner=1,
        status=PROPOSED,
    ),
)
"""The demo team's standards and partnering rules: most agreed, two proposed, one retired,
three with a check-in due."""

DEFAULT_STANDARDS = len(STANDARDS)
"""How many standards `ictui demo` writes unless told otherwise: the demo's own."""

MADE_UP = (
    (OURS, "Reports for {partner} published by the first working day of the period", "by 09:00"),
    (OURS, "Questions from {partner} answered within 2 working days", "≤ 2 working days"),
    (OURS, "Data fixes for {partner} tested before release", "≥ 95 %"),
    (OURS, "Changes that affect {partner} announced a week ahead", "yes: announced a week ahead"),
    (THEIRS, "{partner} send their requests with a clear deadline", "≥ 90 %"),
    (THEIRS, "{partner} confirm receipt of each delivery within a day", "≤ 1 working day"),
    (THEIRS, "{partner} review the monthly figures before the 5th", "yes: reviewed by the 5th"),
)
"""Made-up standards for demos of benchmark size: whose, the standard, its target."""

NOT_MEASURED = (
    "Nobody measured it: the owner was on leave.",
    "The report we measure it from was down.",
    "Holiday month: too few requests to count.",
)


def _measured(target: Target, met: bool, rng: random.Random) -> str:
    """Return a value that meets a target, or misses it: what a check-in measured."""
    if target.shape == "yes/no":
        return "yes" if met else "no"
    if target.shape == "time":
        hours, minutes = (int(part) for part in target.value.split(":"))
        early = target.sign != "after"
        shift = rng.randrange(5, 50) if met == early else -rng.randrange(5, 90)
        at = max(0, min(23 * 60 + 59, hours * 60 + minutes - shift))
        return f"{at // 60:02d}:{at % 60:02d}"
    if target.shape == "date":
        day = dt.date.fromisoformat(target.value)
        late = dt.timedelta(days=rng.randrange(1, 10))
        return (day - late if met else day + late).isoformat()
    goal = float(target.value)
    low = target.sign in ("≤", "<")
    size = abs(goal) or 1.0
    if target.sign == "=":
        number = goal if met else goal + 1
    elif met == low:  # below the target: well below for a met limit, a little for a missed goal
        number = goal - size * (rng.uniform(0.0, 0.6) if met else rng.uniform(0.02, 0.25))
    else:  # above it: a little for a missed limit, a little more for a met goal
        number = goal + size * (rng.uniform(0.1, 1.0) if not met else rng.uniform(0.0, 0.3))
    if target.unit == "%":
        number = max(0.0, min(number, 100.0))
    shown = f"{number:.1f}".removesuffix(".0")
    # A value rounded onto a strict target's own number would judge the other way: step off it.
    if target.judge(shown) is not met:
        shown = f"{goal + (0.5 if met != low else -0.5):.1f}".removesuffix(".0")
    return f"{shown} {target.unit}".rstrip()


class _DemoStandards:
    """Writes the demo's standards and partnering rules, each with its check-ins."""

    def __init__(
        self,
        tx: Transaction,
        partner_ids: list[int],
        today: dt.date,
        now: dt.datetime,
        rng: random.Random,
    ) -> None:
        self.tx, self.partner_ids, self.today, self.now, self.rng = tx, partner_ids, today, now, rng
        self.made = 0
        self.agreed: dict[tuple[int, Side], list[int]] = {}
        """The agreed standards' ids, by partner (place in PARTNERS) and side."""

    def _at(self, day: dt.date, hour: int) -> dt.datetime:
        return min(dt.datetime.combine(day, dt.time(hour), dt.UTC), self.now)

    def write(self, count: int) -> None:
        """Write count standards: the demo's own first, then made-up ones."""
        for index, demo in enumerate(STANDARDS[:count]):
            # Agreed a year and a bit ago, a few weeks apart; proposed ones lately.
            self.standard(demo, self.today - dt.timedelta(days=CHECKED_DAYS - 9 * index))
        for _ in range(count - len(STANDARDS)):
            self.standard(*self._made_up())

    def _made_up(self) -> tuple[DemoStandard, dt.date]:
        rng = self.rng
        partner = rng.randrange(len(PARTNERS))
        side, sentence, target = rng.choice(MADE_UP)
        roll = rng.random()
        status = PROPOSED if roll < 0.1 else RETIRED if roll < 0.15 else StandardStatus.AGREED
        demo = DemoStandard(
            partner=partner,
            side=side,
            standard=sentence.format(partner=PARTNERS[partner].fields.values["name"]),
            target=target,
            cadence=rng.choices((MONTHLY, WEEKLY, QUARTERLY), (70, 15, 15))[0],
            status=status,
            owner=rng.randrange(len(TEAM)),
            agreed_with="their team lead",
            kept=rng.uniform(0.5, 0.95),
            due=rng.random() < 0.1,
            retired_reason="No longer needed: the work moved to another team."
            if status is RETIRED
            else "",
        )
        return demo, self.today - dt.timedelta(days=rng.randrange(60, 2 * 365))

    def standard(self, demo: DemoStandard, agreed_on: dt.date) -> None:
        """Write one standard and its check-ins, from the day it was agreed to the last period."""
        proposed = demo.status is PROPOSED
        made_on = self.today - dt.timedelta(days=12) if proposed else agreed_on
        values = {
            "partner_id": self.partner_ids[demo.partner],
            "side": demo.side,
            "standard": demo.standard,
            "measure": demo.measure,
            "target": demo.target,
            "measured_how": demo.measured_how,
            "cadence": demo.cadence,
            "owner": TEAM[demo.owner].display,
            "agreed_with": "" if proposed else demo.agreed_with,
            "agreed_on": None if proposed else agreed_on,
            "status": demo.status,
            "retired_reason": demo.retired_reason,
        }
        author = TEAM[demo.owner]
        at = self._at(made_on - dt.timedelta(days=14 if not proposed else 0), 11)
        standard = self.tx.add(schema_of(Standard).check(values), author=author, at=at)
        self.made += 1
        if proposed:
            return
        if demo.status is StandardStatus.AGREED:
            self.agreed.setdefault((demo.partner, demo.side), []).append(standard.id)
        last = last_completed(self.today, demo.cadence)
        if demo.status is RETIRED:  # retired some months ago: checked until then
            last = period_of(self.today - dt.timedelta(days=120), demo.cadence)
        if demo.due:
            last = last.preceding()
        earliest = max(agreed_on, self.today - dt.timedelta(days=CHECKED_DAYS))
        period = period_of(earliest, demo.cadence)
        while period <= last:
            self.check_in(standard, demo, period)
            period = period.following()

    def check_in(self, standard: Standard, demo: DemoStandard, period: Period) -> None:
        """Write one check-in: met or not as the standard is kept, now and then not measured."""
        rng = self.rng
        who = TEAM[demo.owner] if rng.random() < 0.8 else rng.choice(TEAM)
        values: dict[str, Any] = {
            "standard_id": standard.id,
            "period": str(period),
            "checked_by": who.display,
        }
        target = read_target(standard.target)
        if target is None or rng.random() < 0.08:
            values.update(result=CheckInResult.NOT_MEASURED, note=rng.choice(NOT_MEASURED))
        else:
            met = rng.random() < demo.kept
            values["result"] = CheckInResult.MET if met else CheckInResult.NOT_MET
            values["value"] = _measured(target, met, rng)
        at = self._at(period.last_day + dt.timedelta(days=rng.randrange(1, 5)), 10)
        self.tx.add(schema_of(CheckIn).check(values), author=who, at=at)
        self.made += 1

    def evidence_for(self, partner: int, direction: Direction, rng: random.Random) -> int | None:
        """Return an agreed standard a contact point with a partner is evidence for, now and then.

        Our standards for what we provided, their partnering rules for what we received.
        """
        side = OURS if direction is Direction.PROVIDED else THEIRS
        candidates = self.agreed.get((partner, side))
        if not candidates or rng.random() >= EVIDENCE_SHARE:
            return None
        return rng.choice(candidates)


# -- debriefs ----------------------------------------------------------------------------------

DEFAULT_DEBRIEFS = 1
"""How many debriefs `ictui demo` writes unless told otherwise: one, of its held interview."""
MAX_DEBRIEFS = 10_000
"""The most debriefs a demo team may have (enough for benchmarks)."""

HELD_RESULTS = (
    (
        "They trust the Monday pipeline report: it was on time almost every week this quarter.",
        "Priya said the forecast call starts from our numbers now, not from their own sheets.",
    ),
    ("The territory change in March was handled really well; they asked for more of that.", ""),
)
"""What went well, by the demo's held interview: the debrief's good news, first."""

HELD_RESOLUTION = (
    "A named person answers Sales Operations' requests each week, and replies within two "
    "working days even if only to say when we will get to it."
)
"""What the team will do about the first issue of the demo's held interview."""

REQUESTS_STANDARD = 3
"""The demo's standard that answers the first issue (first reply within 2 working days)."""


class _DemoDebriefs:
    """Writes the demo's debriefs: its held interview's (a draft, filled in), then plain ones."""

    def __init__(self, tx: Transaction, now: dt.datetime, rng: random.Random) -> None:
        self.tx, self.now, self.rng = tx, now, rng
        self.made = 0
        self.names = {p.id: p.name for p in tx.all(Partner)}

    def _add(self, checked: Checked[Any], at: dt.datetime, author: Author) -> Any:
        self.made += 1
        return self.tx.add(checked, author=author, at=at)

    def write(self, held: list[tuple[Interview, list[Any]]]) -> None:
        """Write a debrief of each interview, pre-filled; the first one filled in further."""
        for index, (interview, parts) in enumerate(held):
            self.debrief(interview, parts, filled_in=index == 0)

    def debrief(self, interview: Interview, parts: list[Any], *, filled_in: bool) -> None:
        """Write one debrief, pre-filled as `ictui debrief start` does, a day after the talk."""
        from ictui.services.debriefs import prefill
        from ictui.services.interviews import Worksheet

        def of(kind: type[Any]) -> tuple[Any, ...]:
            return tuple(sorted((p for p in parts if isinstance(p, kind)), key=_in_order))

        sheet = Worksheet(
            interview,
            self.names.get(interview.partner_id, ""),
            of(InterviewAnswer),
            of(ChecklistTick),
            of(Conclusion),
        )
        filled = prefill(sheet)
        author = next((m for m in TEAM if m.name and m.name in interview.interviewers), TEAM[0])
        at = min(dt.datetime.combine(interview.planned_on, dt.time(17), dt.UTC), self.now)
        values = {"interview_id": interview.id, **filled.values}
        if interview.status is InterviewStatus.DEBRIEFED:  # held some days after the talk
            held_on = interview.planned_on + dt.timedelta(days=self.rng.randrange(2, 8))
            values["held_on"] = min(held_on, self.now.date())
        debrief = self._add(schema_of(Debrief).check(values), at, author)
        standard = self._requests_standard() if filled_in else None
        points = [dict(p) for p in filled.points]
        first = next((p for p in points if p["section"] is DebriefSection.ISSUE), None)
        if first is not None and standard is not None:  # the standard agreed for it
            first["standard_id"] = standard
        added = [
            self._add(schema_of(DebriefPoint).check({**p, "debrief_id": debrief.id}), at, author)
            for p in points
        ]
        if not filled_in:
            return
        for position, (text, detail) in enumerate(HELD_RESULTS, start=1):
            values = {
                "debrief_id": debrief.id,
                "section": DebriefSection.RESULT,
                "position": position,
                "text": text,
                "detail": detail,
            }
            self._add(schema_of(DebriefPoint).check(values), at, author)
        issue = next((p for p in added if p.section is DebriefSection.ISSUE), None)
        if issue is not None:
            values = {
                "debrief_id": debrief.id,
                "position": 1,
                "text": HELD_RESOLUTION,
                "resolves": issue.id,
            }
            self._add(schema_of(DebriefResolution).check(values), at, author)

    def _requests_standard(self) -> int | None:
        """Return the id of the standard that answers the held interview's first issue, if made."""
        wanted = STANDARDS[REQUESTS_STANDARD].standard
        return next((s.id for s in self.tx.all(Standard) if s.standard == wanted), None)


def _in_order(part: Any) -> tuple[int, int]:
    return (part.position, part.id)
