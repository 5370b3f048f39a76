"""A ready-made demo team: an operations team, its internal customers and its providers.

The same date and seed always give the same team, so screenshots and tests can
rely on it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ictui.errors import IctuiError
from ictui.kinds.contact_point import ContactPoint
from ictui.kinds.partner import Partner
from ictui.kinds.record import Author
from ictui.kinds.schema import Checked, schema_of
from ictui.kinds.vocab import Direction, Need, PartnerKind, Priority, Relationship, Verdict
from ictui.teamfile.store import Store

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


def write_demo(
    store: Store, today: dt.date, contacts: int = DEFAULT_CONTACTS, seed: int = 2026
) -> int:
    """Write a demo team to a new team file and return how many records it holds.

    Refuses (and writes nothing) if a team file already exists at the path.
    """
    if not 0 <= contacts <= MAX_CONTACTS:
        raise IctuiError(f"--contacts must be between 0 and {MAX_CONTACTS}, not {contacts}")
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
        for index, fields in demo_contacts(today, contacts, seed):
            at = dt.datetime.combine(
                fields.values["date"], dt.time(rng.randrange(8, 18), rng.randrange(60)), dt.UTC
            )
            at = min(at, now)  # today's contact points were not logged later than now
            point = fields.with_reference("partner_id", ids[index])
            tx.add(point, author=rng.choice(TEAM), at=at)
    return len(PARTNERS) + contacts
