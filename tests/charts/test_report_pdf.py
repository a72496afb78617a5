"""The involvement report as a PDF, read back with pypdf: its pages and headings, the directorate
table against the database, the charts against the series and the web page, and the marks of a
tagged PDF/UA-1 file. The SVG is checked before it goes into the PDF (xml.etree)."""

from __future__ import annotations

import datetime
import logging
import re
import xml.etree.ElementTree as ET

import pytest

from charts.models import ChartAnnotation, ChartPhase
from charts.reports import Period, build_report, report_pdf, trust_scope
from involvement.levels import involvement_series
from tests import pdfs
from tests.charts import report_world
from tests.charts.report_world import PERIOD

pytestmark = pytest.mark.django_db

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"
SECTIONS = [
    "Big I: service users or carers on the project team",
    "Big I or little i: any involvement",
    "Did involvement help projects reach their aim?",
    "Directorates",
    "Things to look at",
    "Stories of co-production",
    "The numbers behind the charts",
    "About this report",
]


@pytest.fixture
def world(directorate, other_directorate, ppl, other_ppl, admin_user):
    world = report_world.build(directorate, other_directorate, ppl, other_ppl, admin_user)
    report_world.add_stories(world)
    # Saved notes every reader of the trust chart sees: the report must show them too.
    ChartPhase.objects.create(month=D(2025, 4, 1))
    ChartAnnotation.objects.create(date=D(2025, 3, 12), text="SU chairs all QI forums")
    return world


@pytest.fixture
def report(world):
    return build_report(scope=trust_scope(), period=PERIOD)


@pytest.fixture
def reader(report, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = report_pdf(report)
    # WeasyPrint logs what it cannot do (a missing alt text, a refused file, bad CSS): nothing.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    return pdfs.read(data)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the app's own markup, parsed to check it


def test_the_pdf_has_a_cover_contents_and_every_section_on_the_page_the_contents_say(reader):
    texts = pdfs.page_texts(reader)
    cover = pdfs.flat(texts[0])
    assert "East London NHS Foundation Trust" in cover
    assert "Involvement report" in cover
    assert "Covers Whole trust" in cover and "Period January 2025 to June 2025" in cover
    assert re.search(r"Made on \d{1,2} \w+ \d{4} at \d\d:\d\d", cover)
    contents = pdfs.flat(texts[1])
    assert contents.startswith("Contents")
    for number, heading in enumerate(SECTIONS, start=1):
        found = re.search(f"{number}. " + re.escape(heading) + r" \.+ (\d+)", contents)
        assert found, f"{heading} is not in the contents"
        page = int(found.group(1))
        assert f"{number}. {heading}" in pdfs.flat(texts[page - 1]), f"{heading}: page {page}"
    assert 8 <= len(reader.pages) <= 14


def test_running_header_and_page_numbers_on_every_page_but_the_cover(reader):
    texts = [pdfs.flat(text) for text in pdfs.page_texts(reader)]
    total = len(texts)
    assert "Page 1 of" not in texts[0] and "Involvement report ·" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert "Involvement report · Whole trust · January 2025 to June 2025" in text
        assert "East London NHS Foundation Trust" in text


def test_the_directorate_table_in_the_pdf_matches_the_database(reader, report):
    text = pdfs.all_text(reader)
    for row in [*report.directorates, report.total]:
        cells = [
            row.name,
            str(row.active),
            row.big_i_percent,
            row.big_i_year_before_percent,
            row.any_percent,
            str(row.ppls) if row.ppls or row.is_total else "None",
            str(row.people),
            f"£{row.approved:,.2f}",
            f"£{row.paid:,.2f}",
        ]
        assert " ".join(cells) in text
    # The hand-worked figures (tests/charts/report_world.py), as they read in the PDF.
    assert "Newham 3 33% 60% 67% 2 2 £24.75 £24.75" in text
    assert "Forensic services 1 0% 0% 0% 2 2 £16.50 £0.00" in text
    assert "CAMHS 0 – – – None 0 £0.00 £0.00" in text
    assert "All together 4 25% 50% 50% 3 3 £41.25 £24.75" in text


def test_flags_aims_signals_and_stories_are_in_words(reader):
    text = pdfs.all_text(reader)
    assert "1 directorate has no PPL working there now: CAMHS." in text
    assert "Secure ward Forensic services 1 Jun 2024" in text
    assert "New clinic Newham 1 Feb 2025" in text
    assert "Calm wards Co-chair Newham 1 Aug 2024" in text
    assert "Newham QI forum 1 10 Mar 2025" in text
    assert "Newham: 27% of project-months with Big I in April to June 2025" in text
    assert "Big I 1 1 100.0%" in text and "No involvement 1 0 0.0%" in text
    assert "No risk ratio for Big I: Too few projects to compare" in text
    assert "Signals in words" in text
    assert "12 March 2025: SU chairs all QI forums (Whole trust)" in text
    assert "Everyone together" in text and "We worked together." in text
    assert "After the period" not in text and "Taken back" not in text
    assert "Alex Example" not in text  # the report names nobody


def test_the_svg_points_are_the_series_and_the_web_page_figure(report, admin_client):
    series = involvement_series(start=PERIOD.start, end=PERIOD.end)
    assert [row.active for row in series] == [5, 6, 6, 5, 5, 4]
    for chart, numerator in zip(report.charts, ("big_i", "any_involvement"), strict=True):
        root = parse(chart.svg)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.find(f"{SVG}title").text == chart.figure.title
        drawn = [el for el in root.iter() if "point" in el.get("class", "").split()]
        assert [el.get("data-month") for el in drawn] == [f"{r.month:%Y-%m}" for r in series]
        assert [float(el.get("data-p")) for el in drawn] == [
            getattr(r, numerator) / r.active for r in series
        ]
        # The web page for the same options draws the same figure: points, limits, signals.
        response = admin_client.get(
            "/charts/pchart/",
            {"scope": "trust", "measure": chart.key, "start": "2025-01", "end": "2025-06"},
        )
        web = response.context["figure"]
        assert [(p.label, p.p, p.cl, p.lcl, p.ucl, p.signal) for p in web.points] == [
            (p.label, p.p, p.cl, p.lcl, p.ucl, p.signal) for p in chart.figure.points
        ]
        assert [el.get("data-signal") for el in drawn] == [p.signal for p in web.points]
        assert web.phase_labels == ("2025-04",)  # the saved phase, on both
        limits = {
            (el.get("data-kind"), el.get("data-phase")): el.get("data-values")
            for el in root.iter(f"{SVG}path")
            if el.get("data-kind")
        }
        for line in web.lines:
            values = " | ".join(" ".join(f"{x!r},{y!r}" for x, y in seg) for seg in line.segments)
            assert limits[(line.kind, str(line.phase))] == values
        assert [a.text for a in web.annotations] == ["SU chairs all QI forums"]
        assert len(root.findall(f".//{SVG}g[@class='annotation']")) == 1


def test_the_charts_are_vectors_with_alternative_text(reader, report):
    assert pdfs.image_xobjects(reader) == []  # drawn, not pasted in as pictures
    alts = [str(figure.get("/Alt")) for figure in pdfs.struct_elements(reader, "/Figure")]
    assert sorted(alts) == sorted(chart.figure.title for chart in report.charts)
    captions = pdfs.struct_elements(reader, "/Caption")
    assert len(captions) >= 2


def test_the_pdf_is_tagged_pdf_ua_with_a_title_and_language(reader, report):
    pdfs.assert_pdf_ua(reader, title=report.title)
    assert report.title == "Involvement report: Whole trust, January 2025 to June 2025"
    assert pdfs.struct_elements(reader, "/H1") and pdfs.struct_elements(reader, "/Table")
    assert pdfs.struct_elements(reader, "/TH")


def test_table_headers_repeat_on_every_page_a_table_runs_onto(world):
    report = build_report(scope=trust_scope(), period=Period(D(2020, 1, 1), D(2025, 6, 1)))
    texts = [pdfs.flat(t) for t in pdfs.page_texts(pdfs.read(report_pdf(report)))]
    first = next(i for i, t in enumerate(texts) if "Figure 1: Percentage of active projects" in t)
    assert "Jan 2020" in texts[first] and "Jun 2025" not in texts[first]
    follow_on = texts[first + 1]
    assert "Figure 1:" not in follow_on
    assert "Month Active projects With Big I % Centre line Lower limit Upper limit Signal" in (
        follow_on
    )
    assert "Jun 2025" in follow_on


def test_a_period_with_no_data_says_so_in_each_section(world):
    report = build_report(scope=trust_scope(), period=Period(D(1995, 1, 1), D(1995, 12, 1)))
    assert not report.any_active and all(chart.svg is None for chart in report.charts)
    reader = pdfs.read(report_pdf(report))
    text = pdfs.all_text(reader)
    assert text.count("so there is no chart for this period") == 2
    assert "No project in Whole trust ended in this period with its outcome recorded" in text
    assert "(all zero in this period)" in text
    assert "No project was active in December 1995." in text
    assert "No story had been published in the library for Whole trust by 31 December 1995" in text
    assert text.count("no project was active in the period, so there are no numbers") == 2
    pdfs.assert_pdf_ua(reader, title=report.title)
