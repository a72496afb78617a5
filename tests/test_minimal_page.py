"""The minimal page: the base layout with an empty content block, the benchmark's baseline."""

from __future__ import annotations

import re

from django.urls import reverse


def test_minimal_page_is_the_layout_with_nothing_in_main(client, ppl):
    client.force_login(ppl)
    response = client.get(reverse("minimal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="nhsuk-header' in html and 'class="nhsuk-footer' in html
    assert "Log out" in html  # the signed-in navigation is rendered, as on every page
    main = re.search(r'<main[^>]*id="maincontent"[^>]*>(.*?)</main>', html, re.S).group(1)
    assert main.strip() == ""


def test_minimal_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("minimal"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
