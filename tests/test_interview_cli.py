"""`ictui interview ...` and the interviews in `ictui demo`, `export` and `check`, as run."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ictui.kinds.interview import Interview, InterviewAnswer
from ictui.outputs.demo import write_demo
from ictui.outputs.template_file import read_template, template_toml, toml_string
from ictui.services import interview_template as template
from ictui.services.interview_template import Template
from ictui.services.interviews import interviews_listing, worksheet
from ictui.teamfile.store import Store

from .conftest import TODAY, fixed_clock, ictui
from .test_cli import probe
from .test_interview_template import cleaned, templates


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A demo team: Sales Operations interviewed (8 and 5), Payroll's interview planned."""
    path = tmp_path / "demo.json"
    write_demo(Store(path, clock=fixed_clock), TODAY, 30)
    return path


def plan(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> tuple[int, str, str]:
    base = ["interview", "plan", "--db", str(db), "--partner", "Payroll", "--date", "2026-12-03"]
    return ictui(capsys, *base, *extra)


# -- plan ------------------------------------------------------------------------------------------


def test_plan_prints_the_id_and_adds_a_new_partner_once(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    code, out, err = plan(capsys, team_path, "--time", "9:30", "--self-rating", "7")
    assert (code, out) == (0, "1\n")
    assert "new partner 'Payroll'" in err
    code, out, err = ictui(
        capsys,
        "interview", "plan", "--db", str(team_path), "--partner", " payroll ",
        "--date", "2026-12-10", "--interviewers", "Amara, Ben", "--minutes", "45",
    )  # fmt: skip
    assert (code, out, err) == (0, "2\n", "")
    snapshot = Store(team_path).read()
    first, second = snapshot.all(Interview)
    assert (first.planned_time, first.self_rating, first.partner_id) == ("09:30", 7, 1)
    assert (second.interviewers, second.minutes, second.partner_id) == ("Amara, Ben", 45, 1)
    assert len(snapshot.all(InterviewAnswer)) == 14


def test_plan_names_you_as_the_interviewer_unless_told(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    code, _, _ = plan(capsys, team_path, "--user", "Dev Patel")
    assert code == 0
    (interview,) = Store(team_path).read().all(Interview)
    assert interview.interviewers == "Dev Patel"


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--self-rating", "11"], "--self-rating must be less than or equal to 10"),
        (["--self-rating", "0"], "--self-rating must be greater than or equal to 1"),
        (["--time", "25:00"], "--time must be a time of day written HH:MM"),
        (["--minutes", "1"], "--minutes must be greater than or equal to 5"),
        (["--partner", " "], "--partner is required"),
    ],
)
def test_plan_refuses_a_value_by_its_flag_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], team_path: Path, extra: list[str], said: str
) -> None:
    code, out, err = plan(capsys, team_path, *extra)
    assert (code, out) == (1, "")
    assert said in err and "nothing was written" in err
    assert not team_path.exists()


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--date", "soon"], "'soon' is not a date; write it YYYY-MM-DD (or today, tomorrow)"),
        (["--date", "2026-02-30"], "'2026-02-30' is not a real day"),
        (["--self-rating", "high"], "'high' is not a whole number"),
    ],
)
def test_plan_with_a_malformed_argument_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], team_path: Path, extra: list[str], said: str
) -> None:
    code, _, err = plan(capsys, team_path, *extra)
    assert code == 2 and said in err and "usage: ictui interview plan" in err


def test_plan_takes_tomorrow(capsys: pytest.CaptureFixture[str], team_path: Path) -> None:
    import datetime as dt

    code, _, err = plan(capsys, team_path, "--date", "tomorrow")
    assert code == 0 and "has passed" not in err
    (interview,) = Store(team_path).read().all(Interview)
    assert interview.planned_on == dt.date.today() + dt.timedelta(days=1)
    # Found by trying: a day gone by was planned without a word, where the app says so.
    code, _, err = plan(capsys, team_path, "--date", "2026-01-05")
    assert code == 0
    said = "Monday 5 January 2026 has passed: planned all the same; if it was held, mark it held"
    assert said in err


# -- list ------------------------------------------------------------------------------------------


def test_list_piped_is_the_csv_columns_planned_first(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, out, _ = ictui(capsys, "interview", "list", "--db", str(demo))
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    _, csv_out, _ = ictui(
        capsys, "export", "--db", str(demo), "--format", "csv", "--kind", "interview"
    )
    assert rows[0] == next(csv.reader(io.StringIO(csv_out)))
    by_name = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(r["partner"], r["status"], r["gap"]) for r in by_name] == [
        ("Payroll", "planned", ""),
        ("Sales Operations", "held", "-3"),
    ]


def test_list_on_a_terminal_is_a_table_with_the_gap_and_the_trend(
    capsys: pytest.CaptureFixture[str], team_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    for day, ours in (("2026-01-10", "7"), ("2026-06-10", "8")):
        plan(capsys, team_path, "--date", day, "--self-rating", ours)
    store = Store(team_path)
    for interview, theirs in zip(store.read().all(Interview), (4, 6), strict=True):
        store.update(Interview, interview.id, interview.rev, status="held", customer_rating=theirs)
    code, out, _ = ictui(capsys, "interview", "list", "--db", str(team_path), "--format", "table")
    assert code == 0
    header, newest, oldest, total = out.splitlines()
    assert header.split() == ["ID", "Date", "Partner", "Status", "Ours", "They", "Gap", "Trend"]
    assert newest.split()[:7] == ["2", "2026-06-10", "Payroll", "held", "8", "6", "−2"]
    assert "their rating 4 → 6; gap −3 → −2" in newest
    assert oldest.split()[:7] == ["1", "2026-01-10", "Payroll", "held", "7", "4", "−3"]
    assert total == "2 interviews: 2 held"


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_table_fits_the_terminal_and_cuts_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
) -> None:
    from rich.cells import cell_len

    path = tmp_path / "many.json"
    write_demo(Store(path, clock=fixed_clock), TODAY, 5, interviews=40)
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = ictui(capsys, "interview", "list", "--db", str(path), "--format", "table")
    assert code == 0
    assert max(cell_len(line) for line in out.splitlines()) <= columns
    assert out.count("their rating") == sum(
        bool(row.trend) for row in interviews_listing(Store(path).read())
    )
    flat = " ".join(out.split())
    for row in interviews_listing(Store(path).read()):
        assert row.partner.split()[0] in flat


def test_list_by_partner_and_of_an_empty_team(
    capsys: pytest.CaptureFixture[str], demo: Path, store: Store
) -> None:
    code, out, _ = ictui(
        capsys, "interview", "list", "--db", str(demo), "--partner", "sales operations"
    )
    assert code == 0 and len(out.splitlines()) == 2 and "Payroll" not in out
    code, out, err = ictui(capsys, "interview", "list", "--db", str(store.path))
    assert code == 0 and len(out.splitlines()) == 1
    assert "no interviews in" in err and "ictui interview plan" in err
    code, _, err = ictui(capsys, "interview", "list", "--db", str(demo), "--partner", "Nobody")
    assert code == 1 and "no partner is named 'Nobody'" in err


# -- show ------------------------------------------------------------------------------------------


def test_show_prints_the_worksheet_as_markdown(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    held = next(i for i in Store(demo).read().all(Interview) if i.status == "held")
    code, out, _ = ictui(capsys, "interview", "show", str(held.id), "--db", str(demo))
    assert code == 0
    assert out.startswith("# Interview with Sales Operations, ")
    assert "- **Ratings:** you rated 8, they rated 5: 3 below" in out
    assert "## Checklist: 9/14 ticked" in out
    assert out.count("\n- [x] ") == 9 and out.count("\n- [ ] ") == 5
    assert "1. **What do you need from us to do your job well?**" in out
    assert "1. You're slow to answer our requests." in out
    assert "   Three requests in May waited over a week for a first reply.  \n" in out
    assert "## Notes" in out


def test_show_of_no_such_interview_is_a_data_error(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, out, err = ictui(capsys, "interview", "show", "99", "--db", str(demo))
    assert (code, out) == (1, "") and "there is no interview with id 99" in err
    code, _, err = ictui(capsys, "interview", "show", "x", "--db", str(demo))
    assert code == 2 and "'x' is not an id" in err


# -- invite ----------------------------------------------------------------------------------------


def planned_id(db: Path) -> int:
    return next(i.id for i in Store(db).read().all(Interview) if i.status == "planned")


def test_invite_writes_the_invitation(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, out, err = ictui(capsys, "interview", "invite", str(planned_id(demo)), "--db", str(demo))
    assert (code, err) == (0, "")
    assert out.startswith("# Interview with Payroll: what to expect\n")
    assert "## The questions\n\n1. What do you need from us to do your job well?\n" in out
    assert "- **Time:** 10:00\n- **Length:** about 30 minutes\n" in out


def test_invite_to_a_file_replaces_it_whole(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "invitation.md"
    target.write_text("an older invitation, much longer than the new one " * 200)
    target.chmod(0o640)
    code, out, err = ictui(
        capsys, "interview", "invite", str(planned_id(demo)), "--db", str(demo),
        "--output", str(target),
    )  # fmt: skip
    assert (code, out) == (0, "")
    assert f"wrote the invitation to interview {planned_id(demo)} ('Payroll') to {target}" in err
    sheet = worksheet(Store(demo).read(), planned_id(demo))
    from ictui.outputs.export import invitation_markdown

    assert target.read_text() == invitation_markdown(sheet)
    assert target.stat().st_mode & 0o777 == 0o640


def test_invite_never_writes_over_the_team_file_or_its_lock(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    before = demo.read_bytes()
    for target in (demo, demo.with_name(demo.name + ".lock")):
        code, out, err = ictui(
            capsys, "interview", "invite", "2", "--db", str(demo), "--output", str(target)
        )
        assert (code, out) == (2, "") and "write the invitation elsewhere" in err
    assert demo.read_bytes() == before


def test_invite_to_a_held_interview_says_so(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    held = next(i for i in Store(demo).read().all(Interview) if i.status == "held")
    code, out, err = ictui(capsys, "interview", "invite", str(held.id), "--db", str(demo))
    assert code == 0 and out.startswith("# Interview with Sales Operations")
    assert f"interview {held.id} is held already" in err


# -- the grammar -----------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["list", "show", "plan", "invite", "template"])
def test_every_interview_command_explains_itself(
    capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    code, out, _ = ictui(capsys, "interview", verb, "--help")
    assert code == 0
    usage, description, *_ = out.split("\n\n")
    assert usage.startswith(f"usage: ictui interview {verb}")
    assert len(description.split()) > 12  # a sentence or more, not just a name


def test_interview_alone_says_what_it_can_do(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = ictui(capsys, "interview")
    assert code == 2 and "say what to do: list, show, plan, invite or template" in err
    code, out, _ = ictui(capsys, "--help")
    assert "interview" in out


@pytest.mark.parametrize(
    "command",
    [
        ["interview", "list"],
        ["interview", "show", "1"],
        ["interview", "invite", "1"],
        ["interview", "template"],
    ],
)
def test_interview_commands_never_import_textual(demo: Path, command: list[str]) -> None:
    assert probe(*command, "--db", str(demo))["textual"] == "[]"


# -- demo, export, check ---------------------------------------------------------------------------


def test_demo_takes_a_number_of_interviews(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bench.json"
    code, out, err = ictui(capsys, "demo", str(path), "--contacts", "5", "--interviews", "12")
    assert code == 0 and out.strip() == str(path)
    raw = json.loads(path.read_text())
    assert len(raw["interviews"]) == 12 and len(raw["interview_checklist"]) == 12 * 14
    assert "wrote a demo team" in err
    code, _, err = ictui(capsys, "demo", str(tmp_path / "no.json"), "--interviews", "-1")
    assert code == 1 and "--interviews must be between 0 and" in err
    code, _, err = ictui(capsys, "demo", str(tmp_path / "no.json"), "--interviews", "many")
    assert code == 2 and "'many' is not a whole number" in err
    code, out, _ = ictui(capsys, "demo", "--help")
    assert "--interviews N" in out


def test_check_counts_interviews_and_names_a_broken_one(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, out, _ = ictui(capsys, "check", "--db", str(demo))
    assert code == 0
    assert "2 interviews, 14 interview answers, 28 checklist points, 2 conclusions" in out
    raw = json.loads(demo.read_text())
    raw["interviews"]["1"]["customer_rating"] = 12
    raw["interview_answers"]["3"]["interview_id"] = 77
    demo.write_text(json.dumps(raw))
    code, _, err = ictui(capsys, "check", "--db", str(demo))
    assert code == 1
    assert "interviews 1: customer_rating must be less than or equal to 10" in err
    assert "interview_answers 3: interview_id names interview 77, which does not exist" in err


def test_export_csv_gives_one_row_per_interview_with_the_gap(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, out, _ = ictui(
        capsys, "export", "--db", str(demo), "--format", "csv", "--kind", "interview"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["partner"], r["self_rating"], r["customer_rating"], r["gap"]) for r in rows] == [
        ("Payroll", "7", "", ""),
        ("Sales Operations", "8", "5", "-3"),
    ]


def test_an_export_by_partner_keeps_only_that_partners_interviews_and_their_parts(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, out, _ = ictui(
        capsys, "export", "--db", str(demo), "--format", "json", "--partner", "payroll"
    )
    assert code == 0
    document = json.loads(out)
    (interview,) = document["interviews"]
    for table in ("interview_answers", "interview_checklist"):
        assert {part["interview_id"] for part in document[table]} == {interview["id"]}
    assert document["interview_conclusions"] == []  # Sales Operations' stay out
    code, out, _ = ictui(
        capsys, "export", "--db", str(demo), "--format", "csv", "--kind", "checklist-point",
        "--since", "2026-11-21",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 14 and {row["interview"] for row in rows} == {f"#{interview['id']}"}


# -- the template ----------------------------------------------------------------------------------


def template_cmd(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> tuple[int, str, str]:
    return ictui(capsys, "interview", "template", "--db", str(db), *extra)


def set_text(
    capsys: pytest.CaptureFixture[str], db: Path, text: str, tmp_path: Path
) -> tuple[int, str, str]:
    edited = tmp_path / "template.toml"
    edited.write_text(text, encoding="utf-8")
    return template_cmd(capsys, db, "--set", str(edited))


def questions_of(db: Path, interview_id: int) -> list[tuple[str, str]]:
    return [(a.question_id, a.question) for a in worksheet(Store(db).read(), interview_id).answers]


def test_template_prints_the_defaults_as_toml_and_says_so(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, out, err = template_cmd(capsys, demo)
    assert (code, err) == (0, "")
    document = tomllib.loads(out)
    assert [(q["id"], q["wording"]) for q in document["question"]] == [
        (q.id, q.wording) for q in template.QUESTIONS
    ]
    assert [(s["id"], s["title"], [p["id"] for p in s["point"]]) for s in document["step"]] == [
        (s.id, s.title, [p.id for p in s.points]) for s in template.CHECKLIST
    ]
    comments = [line for line in out.splitlines() if line.startswith("#")]
    said = " ".join(comments)
    assert "the defaults that ship with ictui" in said
    assert f"ictui interview template --set FILE --db {demo}" in said
    assert out.startswith("# The interview template in force in ")


def test_template_without_a_team_file_prints_the_defaults_and_makes_none(
    capsys: pytest.CaptureFixture[str], team_path: Path
) -> None:
    code, out, err = template_cmd(capsys, team_path)
    assert code == 0 and len(tomllib.loads(out)["question"]) == 7
    assert f"no team file at {team_path} yet: these are the defaults" in err
    assert not team_path.exists()


def test_set_stores_the_edited_template_and_only_later_interviews_copy_it(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    plan(capsys, team_path)
    _, printed, _ = template_cmd(capsys, team_path)
    edited = printed.replace(
        "What do you need from us to do your job well?", "What do you need from us each week?"
    ).replace('id = "else"', 'id = "trust"')
    code, out, err = set_text(capsys, team_path, edited, tmp_path)
    assert (code, out) == (0, "")
    assert err == (
        f"ictui: stored the team's interview template in {team_path}: 7 questions, "
        "14 checklist points in 7 steps; in force instead of the defaults\n"
        "ictui: interviews planned before keep the wording they were planned with\n"
    )
    _, printed, _ = template_cmd(capsys, team_path)
    assert "the team's own, last changed by Alice Adams" not in printed  # not us: the OS account
    assert "# the team's own, last changed by " in printed
    assert "ictui interview template --reset --db" in printed
    plan(capsys, team_path)
    before, after = questions_of(team_path, 1), questions_of(team_path, 2)
    assert before == [(q.id, q.wording) for q in template.QUESTIONS]
    assert after[0] == ("needs", "What do you need from us each week?")
    assert after[-1] == ("trust", before[-1][1])
    code, out, _ = ictui(capsys, "interview", "show", "1", "--db", str(team_path))
    assert "What do you need from us to do your job well?" in out


def test_set_says_what_changed_by_id(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    first = (
        '[[question]]\nid = "a"\nwording = "A?"\n\n[[question]]\nid = "b"\nwording = "B?"\n'
        '\n[[step]]\nid = "s"\ntitle = "S"\n\n[[step.point]]\nid = "p"\nwording = "P"\n'
    )
    set_text(capsys, team_path, first, tmp_path)
    second = (
        '[[question]]\nid = "b"\nwording = "B?"\n\n[[question]]\nid = "c"\nwording = "C?"\n'
        '\n[[step]]\nid = "s"\ntitle = "S"\n\n[[step.point]]\nid = "p"\nwording = "P, now"\n'
    )
    code, _, err = set_text(capsys, team_path, second, tmp_path)
    assert code == 0
    assert (
        ": 2 questions, 1 checklist point in 1 step; added question c; moved question b; "
        "removed question a; reworded point p\n"
    ) in err
    before = team_path.read_bytes()
    code, _, err = set_text(capsys, team_path, second, tmp_path)
    assert code == 0 and "says that already; nothing was written" in err
    assert team_path.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '[[question]]\nid = "Why Us"\nwording = "Why?"\n',
            ["line 2: question 1: id must be lower-case letters, digits and _, starting with "
             "a letter, such as why_us"],
        ),
        (
            '# a comment\n\n[[question]]\nid = "a"\nwording = " "\n\n[[question]]\nid = "a"\n'
            'wording = "Again?"\n',
            [
                "line 5: question 1: wording is required",
                "line 8: question 2: id 'a' is taken already by question 1: each question, "
                "step and point needs an id of its own",
            ],
        ),
        (
            '[[question]]\nid = "a"\n\n[[question]]\nwording = "B?"\n',
            [
                "line 1: question 1: wording is required",  # where the question starts
                "line 4: question 2: id is required",
            ],
        ),
        (
            '[[question]]\nid = "a"\nwording = "A?"\n\n[[step]]\nid = "s"\ntitle = "S"\n',
            ["line 5: step 1: has no point: a step needs at least one"],
        ),
        (
            '[[step]]\nid = "needs"\ntitle = "S"\n[[step.point]]\nid = "p"\nwording = "P"\n',
            [
                ": the template: has no question: it needs at least one",
                "line 2: step 1: id 'needs' named a question before, and an id keeps its "
                "meaning: give this step an id of its own",
            ],
        ),
        (
            '[[question]]\nid = 7\nwordng = "A?"\n[[step]]\nid = "s"\npoint = "P"\n',
            [
                "line 2: question 1: id must be text in quotes, not a number",
                "line 3: question 1: wordng is not part of a question: it holds id and wording",
                "line 6: step 1: point must be written as [[step.point]] tables, not text",
            ],
        ),
        (
            'title = "Ours"\n[[question]]\nid = "a"\nwording = "A?"\n',
            ["line 1: title is not part of a template: it holds [[question]] and [[step]] tables"],
        ),
        (
            '[[question]]\nid = "a"\nwording = "unfinished\n',
            ["line 3: is not TOML: Illegal character '\\n' (column 22)"],
        ),
        (  # laid out otherwise: no line rather than a wrong one
            'question = [{id = "A", wording = "A?"}]\n',
            [": question 1: id must be lower-case letters, digits and _, starting with a "
             "letter, such as why_us"],
        ),
    ],
)  # fmt: skip
def test_set_refuses_a_wrong_template_naming_each_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path, text: str, said: list[str]
) -> None:
    before = demo.read_bytes()
    code, out, err = set_text(capsys, demo, text, tmp_path)
    assert (code, out) == (1, "")
    name = tmp_path / "template.toml"
    assert err.splitlines() == [
        f"ictui: the template in {name} was refused; nothing was written:",
        *(f"  {name}{line}" if line.startswith(":") else f"  {name} {line}" for line in said),
    ]
    assert demo.read_bytes() == before


def test_set_reads_stdin_and_starts_a_team_file(
    capsys: pytest.CaptureFixture[str], team_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('[[question]]\nid = "only"\nwording = "Well?"\n'))
    code, _, err = template_cmd(capsys, team_path, "--set", "-")
    assert code == 0 and f"started a new team file at {team_path}" in err
    plan(capsys, team_path)
    assert questions_of(team_path, 1) == [("only", "Well?")]
    monkeypatch.setattr("sys.stdin", io.StringIO("[[question]]\nid = 1\n"))
    code, _, err = template_cmd(capsys, team_path, "--set", "-")
    assert code == 1 and "  stdin line 2: question 1: id must be text in quotes" in err


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--set", "no-such.toml"], "argument --set: cannot read no-such.toml: No such file"),
        (["--set", "x.toml", "--reset"], "argument --reset: not allowed with argument --set"),
    ],
)
def test_set_with_a_wrong_argument_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], demo: Path, extra: list[str], said: str
) -> None:
    code, _, err = template_cmd(capsys, demo, *extra)
    assert code == 2 and said in err and "usage: ictui interview template" in err


def test_set_of_a_file_that_is_not_utf8_is_refused(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[[question]]\nid = "a"\nwording = "Caf\xe9?"\n'.encode("latin-1"))
    code, _, err = template_cmd(capsys, demo, "--set", str(latin))
    assert code == 1 and "is not UTF-8 text (byte 0xe9 at offset" in err


def test_reset_goes_back_to_the_defaults_and_planned_interviews_keep_their_wording(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    set_text(capsys, team_path, '[[question]]\nid = "only"\nwording = "Well?"\n', tmp_path)
    plan(capsys, team_path)
    code, out, err = template_cmd(capsys, team_path, "--reset")
    assert (code, out) == (0, "")
    assert f"the defaults are in force again in {team_path}" in err
    _, printed, _ = template_cmd(capsys, team_path)
    assert "the defaults that ship with ictui" in printed
    plan(capsys, team_path)
    assert questions_of(team_path, 1) == [("only", "Well?")]
    assert questions_of(team_path, 2) == [(q.id, q.wording) for q in template.QUESTIONS]
    before = team_path.read_bytes()
    code, _, err = template_cmd(capsys, team_path, "--reset")
    assert code == 0 and "the defaults are in force already; nothing was written" in err
    assert team_path.read_bytes() == before


def test_the_teams_template_is_checked_counted_and_exported_like_any_kind(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path
) -> None:
    _, printed, _ = template_cmd(capsys, demo)
    set_text(capsys, demo, printed, tmp_path)
    code, out, _ = ictui(capsys, "check", "--db", str(demo))
    assert code == 0 and "7 template questions, 14 template points" in out
    code, out, _ = ictui(
        capsys, "export", "--db", str(demo), "--format", "csv", "--kind", "template-question"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["question_id"] for row in rows] == [q.id for q in template.QUESTIONS]
    _, out, _ = ictui(capsys, "export", "--db", str(demo), "--format", "json")
    assert len(json.loads(out)["template_checklist"]) == 14


def test_wording_a_terminal_could_misread_is_printed_escaped_and_read_back(
    capsys: pytest.CaptureFixture[str], team_path: Path, tmp_path: Path
) -> None:
    hostile = 'Say "why" \\ \u202eevil \u200f שלום 🎉 [bold]?'
    text = f'[[question]]\nid = "a"\nwording = {toml_string(hostile)}\n'
    set_text(capsys, team_path, text, tmp_path)
    _, printed, _ = template_cmd(capsys, team_path)
    assert "\u202e" not in printed and "\\u202e" in printed and "שלום 🎉 [bold]?" in printed
    assert tomllib.loads(printed)["question"][0]["wording"] == hostile


@settings(max_examples=60, deadline=None)
@given(forms=templates(count=1))
def test_any_template_reads_back_as_written(forms: list[Template]) -> None:
    (form,) = forms
    text = template_toml(form, ["any comment", "", "  # and more [[question]]"])
    assert read_template(text)[0] == form


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(forms=templates(count=1))
def test_any_template_printed_and_stored_again_is_the_same(
    capsys: pytest.CaptureFixture[str], forms: list[Template]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db, edited = Path(folder) / "team.json", Path(folder) / "t.toml"
        edited.write_text(template_toml(forms[0]), encoding="utf-8")
        code, _, _ = template_cmd(capsys, db, "--set", str(edited))
        assert code == 0
        _, printed, _ = template_cmd(capsys, db)
        assert read_template(printed)[0] == cleaned(forms[0])
        edited.write_text(printed, encoding="utf-8")  # as printed, with its comments
        before = db.read_bytes()
        code, _, err = template_cmd(capsys, db, "--set", str(edited))
        assert code == 0 and "nothing was written" in err
        assert db.read_bytes() == before


# -- restore -----------------------------------------------------------------------------------


@pytest.mark.parametrize("noun", ["interview", "debrief", "standard"])
def test_a_deleted_record_is_brought_back_by_anyone_later(
    capsys: pytest.CaptureFixture[str], demo: Path, noun: str
) -> None:
    # The app's undo lasts as long as the session that deleted it.
    from ictui.kinds import registry

    kind = registry.kind_for(f"{noun}s")
    store = Store(demo, clock=fixed_clock)
    record = store.read().all(kind)[0]
    store.delete(kind, record.id, record.rev)
    code, _, err = ictui(capsys, noun, "restore", str(record.id), "--db", str(demo))
    assert code == 0 and f"brought back {noun} {record.id}" in err
    restored = store.read().get(kind, record.id)
    assert restored is not None and not restored.deleted
    before = demo.read_bytes()
    code, _, err = ictui(capsys, noun, "restore", str(record.id), "--db", str(demo))
    assert code == 0 and "is not deleted: there is nothing to restore" in err
    assert demo.read_bytes() == before
    code, _, err = ictui(capsys, noun, "restore", "999", "--db", str(demo))
    assert code == 1 and f"no {noun} with id 999" in err


def test_a_debrief_of_a_deleted_interview_names_the_command_that_restores_it(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    store = Store(demo, clock=fixed_clock)
    held = next(i for i in store.read().all(Interview) if i.status.value == "held")
    store.delete(Interview, held.id, held.rev)
    code, _, err = ictui(capsys, "debrief", "start", str(held.id), "--db", str(demo))
    assert code == 1 and f"`ictui interview restore {held.id}`" in err
