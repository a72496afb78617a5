"""``manage.py pchart FILE.csv``, run as an analyst runs it: in a subprocess, checking exit codes.

No test here touches the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from charts.spc import p_chart

REPO_ROOT = Path(__file__).resolve().parents[2]

# 24 months of 40 active projects: about a quarter with Big I in 2021, then about half in 2022.
FIRST_YEAR = [10, 12, 9, 11, 10, 13, 9, 10, 11, 12, 10, 11]
SECOND_YEAR = [20, 21, 19, 22, 20, 21, 23, 20, 22, 21, 20, 22]
ROWS = [
    *((f"2021-{m:02d}", x, 40) for m, x in enumerate(FIRST_YEAR, start=1)),
    *((f"2022-{m:02d}", x, 40) for m, x in enumerate(SECOND_YEAR, start=1)),
]


def csv_text(rows=ROWS) -> str:
    return "month,numerator,denominator\n" + "".join(f"{m},{x},{n}\n" for m, x, n in rows)


def run_pchart(path: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, no shell
        [sys.executable, "manage.py", "pchart", str(path), *options],
        cwd=REPO_ROOT,
        env={**os.environ, "SECRET_KEY": "x", "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.fixture
def good_csv(tmp_path) -> Path:
    path = tmp_path / "involvement.csv"
    path.write_text(csv_text(), encoding="utf-8")
    return path


def test_a_good_csv_prints_the_table_and_the_signals(good_csv):
    result = run_pchart(good_csv)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["month", "n", "x", "p", "CL", "LCL", "UCL", "outside", "variation"]
    # CL = (128 + 251) / 960 = 0.394792; 2021-01: p = 10/40 = 0.250,
    # limits 0.394792 ± 3√(0.394792 × 0.605208 / 40) = 0.394792 ± 0.231861 → 0.163 to 0.627.
    assert lines[1].split() == [
        "2021-01",
        "40",
        "10",
        "0.250",
        "0.395",
        "0.163",
        "0.627",
        "no",
        "special",
        "cause",
        "concern",
    ]
    assert "12 months in a row above the centre line from 2022-01 to 2022-12: a shift" in (
        result.stdout
    )
    assert "(Anhøj runs rule)" in result.stdout
    assert result.stderr == ""


def test_json_output_parses_back_to_the_points_and_signals(good_csv):
    result = run_pchart(good_csv, "--json", "--target", "0.3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = p_chart(ROWS, target=0.3)
    assert [p["label"] for p in data["points"]] == [label for label, _, _ in ROWS]
    first = data["points"][0]
    assert {k: first[k] for k in ("label", "numerator", "denominator", "outside")} == {
        "label": "2021-01",
        "numerator": 10,
        "denominator": 40,
        "outside": False,
    }
    assert first["p"] == 0.25
    assert first["cl"] == pytest.approx(379 / 960)
    assert (first["lcl"], first["ucl"]) == (expected.points[0].lcl, expected.points[0].ucl)
    signals = data["signals"]
    (phase,) = signals["phases"]
    # 24 useful points: longest run 12 > round(log2 24) + 3 = 8; 1 crossing < qbinom(0.05, 23) = 8.
    assert (phase["longest_run"], phase["longest_run_max"], phase["runs_signal"]) == (12, 8, True)
    assert (phase["crossings"], phase["crossings_min"], phase["crossings_signal"]) == (1, 8, True)
    assert signals["shift"] == [label for label, _, _ in ROWS]
    assert signals["outside"] == expected.outside
    assert signals["trend"] == []
    # 2022-07 (23/40) and 2022-09 (22/40) are beyond CL + 2σ = 0.5494 with 2022-08 above CL.
    assert signals["two_of_three"] == ["2022-07", "2022-09"]
    assert signals["assurance"] == "either"


def test_freeze_and_parts_reach_the_chart(good_csv):
    frozen = json.loads(run_pchart(good_csv, "--json", "--freeze", "12").stdout)
    # CL from 2021 only: 128 / 480 = 0.266667, UCL 0.266667 + 3√(0.266667 × 0.733333 / 40)
    # = 0.476428 at every month: each 2022 month is above it except 2022-03 (19/40 = 0.475).
    assert [p["cl"] for p in frozen["points"]] == pytest.approx([128 / 480] * 24)
    assert frozen["signals"]["outside"] == [f"2022-{m:02d}" for m in (1, 2, *range(4, 13))]
    parted = json.loads(run_pchart(good_csv, "--json", "--part", "2022-01").stdout)
    assert [ph["cl"] for ph in parted["signals"]["phases"]] == pytest.approx([128 / 480, 251 / 480])


def test_a_csv_with_a_byte_order_mark_and_windows_line_ends_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(csv_text().replace("\n", "\r\n").encode("utf-8-sig"))
    result = run_pchart(path, "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["points"]) == 24


@pytest.mark.parametrize(
    ("content", "options", "named"),
    [
        ("Month,Numerator,Denominator\n2021-01,1,2\n", (), "line 1"),
        ("month,numerator,denominator\n2021-01,1,2\n2021-02,one,2\n", (), "line 3 (2021-02)"),
        ("month,numerator,denominator\n2021-01,1.5,2\n", (), "line 2 (2021-01)"),
        ("month,numerator,denominator\n2021-01,3,2\n", (), "line 2 (2021-01)"),
        ("month,numerator,denominator\n2021-01,1,-2\n", (), "line 2 (2021-01)"),
        ("month,numerator,denominator\n2021-01,1,2\n2021-01,1,2\n", (), "line 3 (2021-01)"),
        ("month,numerator,denominator\n2021-01,1\n", (), "line 2"),
        ("", (), "is empty"),
        ("month,numerator,denominator\n", (), "no rows"),
        ("month,numerator,denominator\n2021-01,1,2\n", ("--freeze", "2"), "--freeze 2"),
        ("month,numerator,denominator\n2021-01,1,2\n", ("--part", "2030-01"), "--part 2030-01"),
        ("month,numerator,denominator\n2021-01,1,2\n", ("--target", "30"), "--target"),
    ],
    ids=[
        "wrong header",
        "not a number",
        "not whole",
        "numerator above denominator",
        "negative",
        "duplicate month",
        "too few values",
        "empty file",
        "header only",
        "freeze beyond the rows",
        "unknown part",
        "target not a proportion",
    ],
)
def test_a_bad_csv_is_one_line_on_stderr_with_exit_code_2(tmp_path, content, options, named):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = run_pchart(path, *options)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_utf8_is_refused_with_exit_code_2(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("month,numerator,denominator\nMärz 2021,1,2\n".encode("latin-1"))
    result = run_pchart(path)
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_is_refused_with_exit_code_2(tmp_path):
    result = run_pchart(tmp_path / "nowhere.csv")
    assert result.returncode == 2
    assert "no such file" in result.stderr
