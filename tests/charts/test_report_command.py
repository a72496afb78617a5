"""``manage.py involvement_report``: the report for scheduled runs, its interface and its bad
input (one line on stderr, exit code 2, no file)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand

from charts.management.commands.involvement_report import Command
from tests import pdfs
from tests.charts import report_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(directorate, other_directorate, ppl, other_ppl, admin_user):
    return report_world.build(directorate, other_directorate, ppl, other_ppl, admin_user)


def run(*args, capsys) -> tuple[int, str, str]:
    """Run the command as the shell does (``run_from_argv``): exit code, stdout, stderr."""
    code = 0
    try:
        Command().run_from_argv(["manage.py", "involvement_report", *args])
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_writes_the_trust_report_for_the_period(world, tmp_path, capsys):
    target = tmp_path / "report.pdf"
    code, out, err = run("--from", "2025-01", "--to", "2025-06", "-o", str(target), capsys=capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"Wrote {target}: Involvement report: Whole trust, January 2025")
    reader = pdfs.read(target.read_bytes())
    pdfs.assert_pdf_ua(reader, title="Involvement report: Whole trust, January 2025 to June 2025")
    assert "Newham 3 33% 60% 67% 2 2 £24.75 £24.75" in pdfs.all_text(reader)


def test_one_directorate_by_name_or_slug_in_any_case(world, tmp_path):
    target = tmp_path / "forensic.pdf"
    call_command(
        "involvement_report",
        "--from=2025-01",
        "--to=2025-06",
        "--directorate",
        "FORENSIC-services",
        "--output",
        str(target),
        stdout=open(tmp_path / "out.txt", "w"),  # noqa: SIM115 - closed with the test's tmp_path
    )
    reader = pdfs.read(target.read_bytes())
    assert (
        reader.metadata.title == "Involvement report: Forensic services, January 2025 to June 2025"
    )
    text = pdfs.all_text(reader)
    assert "Forensic services 1 0% 0% 0% 2 2 £16.50 £0.00" in text
    assert "Newham 3" not in text


def test_a_period_with_no_data_is_a_report_not_an_error(world, tmp_path, capsys):
    target = tmp_path / "empty.pdf"
    code, out, err = run("--from", "1995-01", "--to", "1995-03", "-o", str(target), capsys=capsys)
    assert (code, err) == (0, "")
    text = pdfs.all_text(pdfs.read(target.read_bytes()))
    assert "no chart for this period" in text and "(all zero in this period)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13", "--to", "2025-06"], "'2025-13' is not a month"),
        (["--from", "2025/01", "--to", "2025-06"], "'2025/01' is not a month"),
        (["--from", "2025-01", "--to", "June"], "'June' is not a month"),
        (["--from", "2025-07", "--to", "2025-06"], "--from 2025-07 is after --to 2025-06."),
        (
            ["--from", "2000-01", "--to", "2025-06"],
            "The period is longer than 20 years: choose a shorter one.",
        ),
        (
            ["--from", "2025-01", "--to", "2025-06", "--directorate", "Atlantis"],
            "No directorate is called “Atlantis”.",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2_and_no_file(world, tmp_path, capsys, args, message):
    target = tmp_path / "report.pdf"
    code, out, err = run(*args, "-o", str(target), capsys=capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err
    assert out == ""
    assert not target.exists()


def test_a_folder_that_does_not_exist_is_bad_input(world, tmp_path, capsys):
    code, _, err = run(
        "--from", "2025-01", "--to", "2025-06", "-o", str(tmp_path / "no" / "r.pdf"), capsys=capsys
    )
    assert code == 2 and err.count("\n") == 1 and "does not exist" in err


def test_the_interface_is_the_one_the_issue_gives():
    parser = Command().create_parser("manage.py", "involvement_report")
    options = {action.dest: action for action in parser._actions}
    assert options["start"].option_strings == ["--from"] and options["start"].required
    assert options["end"].option_strings == ["--to"] and options["end"].required
    assert options["directorate"].option_strings == ["--directorate"]
    assert not options["directorate"].required
    assert "-o" in options["output"].option_strings and options["output"].required
    assert isinstance(Command(), BaseCommand)
