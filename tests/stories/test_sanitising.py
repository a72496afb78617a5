"""Script or HTML in a story body, title or comment is shown as text or stripped, never run."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from stories.rendering import render_markdown, sanitise_html
from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(2)">link</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(3))">styled</p>',
    "[sneaky](JaVaScRiPt:alert(4))",
    "<svg onload=alert(5)>",
]

ACTIVE_TAGS = {"script", "img", "iframe", "svg", "object", "embed", "form", "input", "style"}


class _Tags(HTMLParser):
    """The real tags and attributes of a piece of HTML (text that merely looks like a tag, such
    as ``&lt;script&gt;``, is not one)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_inert(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        names = {name for name, _ in attrs}
        assert tag not in ACTIVE_TAGS, f"<{tag}> in {html!r}"
        assert not any(name.startswith("on") for name in names), f"event handler on <{tag}>"
        assert "style" not in names, f"style attribute on <{tag}>"
        for name, value in attrs:
            if name in {"href", "src", "action"} and value:
                assert not value.strip().lower().startswith(("javascript:", "data:")), value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_body_has_no_active_markup(payload):
    assert_inert(render_markdown(payload))


def test_raw_html_in_a_body_is_shown_as_text():
    assert render_markdown("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_javascript_links_lose_their_address_but_keep_their_words():
    assert render_markdown("[click me](javascript:alert(1))") == (
        '<p><a rel="noopener noreferrer nofollow">click me</a></p>'
    )


def test_markdown_still_works():
    html = render_markdown(
        "# Heading\n\n**bold** and *italic*, [a link](https://example.org) and "
        "[mail](mailto:qi@example.org)\n\n- one\n- two"
    )
    assert "<h2>Heading</h2>" in html  # the page's own h1 is the title
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert 'href="https://example.org"' in html
    assert 'href="mailto:qi@example.org"' in html
    assert "<li>one</li>" in html


def test_relative_and_other_scheme_links_are_dropped():
    for link in ("/admin/", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "ftp://x.org"):
        assert "href" not in render_markdown(f"[x]({link})"), link


def test_sanitiser_alone_strips_everything_outside_the_allow_list():
    """The second wall: even HTML that bypassed Markdown comes out clean."""
    dirty = (
        '<p style="color:red" onclick="x()">hi</p><a href="javascript:x" title="t">a</a>'
        '<img src=x onerror=alert(1)><iframe src="https://e.org"></iframe>'
        "<script>alert(1)</script><b>ok</b><form><input></form>"
    )
    clean = sanitise_html(dirty)
    assert_inert(clean)
    assert "<form" not in clean and "<input" not in clean
    assert clean == '<p>hi</p><a title="t" rel="noopener noreferrer nofollow">a</a><b>ok</b>'


def test_payloads_in_a_story_never_reach_its_page_live(client, su_user, chair, make_story):
    body = "\n\n".join(PAYLOADS)
    story = make_story(su_user, title="<script>alert('title')</script>", body=body)
    client.force_login(chair)
    for url in (story.get_absolute_url(), reverse("stories:print", args=[story.slug])):
        content = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in content
        assert "<script>alert" not in content
        assert "&lt;img src=x onerror=alert(1)&gt;" in content  # shown as text
        # Everything the story puts on the page is inside <main> (the header's logo is an svg).
        main = content[content.index("<main") : content.index("</main>")]
        assert_inert(main)
    library = client.get(reverse("stories:library")).content.decode()
    assert "<script>alert('title')" not in library
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in library


def test_payloads_in_a_review_comment_are_shown_as_text(client, su_user, ppl, make_story):
    story = make_story(su_user, status="submitted", directorate=ppl.directorates.get())
    client.force_login(ppl)
    client.post(
        reverse("stories:request_changes", args=[story.pk]),
        {"comment": '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">x</a>'},
    )
    client.force_login(su_user)
    content = client.get(story.get_absolute_url()).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assert "<img src=x" not in content
    assert 'href="javascript:' not in content


def test_payloads_in_a_feed_arrive_as_text(client, su_user, chair, make_story):
    make_story(
        su_user,
        title="<script>alert(1)</script>",
        summary="<img src=x onerror=alert(1)>",
        easy_read_summary="<iframe></iframe>",
    )
    client.force_login(chair)
    feed = client.get(reverse("stories:feed")).content.decode()
    # The XML carries the text escaped; a reader unescaping once gets the escaped HTML text.
    assert "<script>" not in feed and "<img" not in feed and "<iframe" not in feed
    assert "&lt;p&gt;&amp;lt;img src=x onerror=alert(1)&amp;gt;&lt;/p&gt;" in feed


def test_payloads_in_a_reflection_comment_are_shown_as_text(client, su_user, directorate):
    project = ProjectFactory(directorate=directorate)
    MembershipFactory(project=project, person=PersonFactory(user=su_user))
    client.force_login(su_user)
    client.post(
        reverse("stories:reflection_new", args=[project.pk]),
        {
            "meeting_date": str(project.start_date),
            "answer_collaborate": "not_kept",
            "comment_collaborate": "<script>alert(1)</script>",
            "comment": '<a href="javascript:alert(2)" style="x">meeting</a>',
        },
    )
    content = client.get(reverse("stories:project_reflections", args=[project.pk])).content
    content = content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content
    assert 'href="javascript:' not in content
