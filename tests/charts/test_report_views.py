"""``/reports/``: admins choose a period and a scope and download the PDF; nobody else may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from involvement.levels import current_month
from involvement.months import add_months
from tests import pdfs
from tests.charts import report_world

pytestmark = pytest.mark.django_db

URL = "/reports/"


@pytest.fixture
def world(directorate, other_directorate, ppl, other_ppl, admin_user):
    return report_world.build(directorate, other_directorate, ppl, other_ppl, admin_user)


def test_the_url_is_the_reports_namespace():
    assert reverse("reports:index") == URL


def test_the_page_offers_the_last_twelve_full_months_of_the_whole_trust(client, admin_user):
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    last = add_months(current_month(), -1)
    assert form.initial == {
        "scope": "trust",
        "start": f"{add_months(last, -11):%Y-%m}",
        "end": f"{last:%Y-%m}",
    }
    html = response.content.decode()
    assert "<h1>Reports</h1>" in html
    assert "Download the report (PDF)" in html
    assert 'method="get"' in html


def test_an_admin_downloads_the_trust_report(client, admin_user, world):
    client.force_login(admin_user)
    response = client.get(URL, {"scope": "trust", "start": "2025-01", "end": "2025-06"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="involvement-report-trust-2025-01-to-2025-06.pdf"'
    )
    reader = pdfs.read(response.content)
    pdfs.assert_pdf_ua(reader, title="Involvement report: Whole trust, January 2025 to June 2025")
    assert "All together 4 25% 50% 50% 3 3 £41.25 £24.75" in pdfs.all_text(reader)


def test_an_admin_downloads_one_directorates_report(client, admin_user, world):
    client.force_login(admin_user)
    scope = f"directorate-{world.newham.pk}"
    response = client.get(URL, {"scope": scope, "start": "2025-06", "end": "2025-06"})
    assert response["Content-Disposition"] == (
        'attachment; filename="involvement-report-newham-2025-06.pdf"'
    )
    reader = pdfs.read(response.content)
    assert reader.metadata.title == "Involvement report: Newham, June 2025"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"scope": "trust", "start": "2025-13", "end": "2025-06"}, "Enter the ‘From’ month as"),
        ({"scope": "trust", "start": "2025-07", "end": "2025-06"}, "must not be after"),
        ({"scope": "trust", "start": "", "end": "2025-06"}, "Enter the ‘From’ month, for example"),
        ({"scope": "directorate-99999", "start": "2025-01", "end": "2025-06"}, "valid choice"),
        ({"scope": "trust", "start": "1999-01", "end": "2025-06"}, "Choose at most 20 years"),
    ],
)
def test_bad_options_show_the_form_with_a_message_and_no_pdf(client, admin_user, query, message):
    client.force_login(admin_user)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert message in html
    assert "<title>Error: Reports" in html


@pytest.mark.parametrize("role", ["ppl", "lead", "chair", "su_user"])
def test_only_admins_may_have_the_report(client, request, role, world):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert (
        client.get(URL, {"scope": "trust", "start": "2025-01", "end": "2025-06"}).status_code == 403
    )


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_trust_overview_links_to_reports(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("charts:admin_home")).content.decode()
    assert f'href="{URL}"' in html
