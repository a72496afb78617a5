"""Story page, print view, navigation and the shared-template hooks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from involvement import access
from stories import selectors

pytestmark = pytest.mark.django_db


def test_story_page_shows_principles_as_tags_and_the_easy_read_summary(client, chair, su_user,
                                                                        make_story):  # fmt: skip
    story = make_story(
        su_user,
        title="Jade Ward",
        easy_read_summary="Carers get a call every week.",
        principles=("solve", "collaborate"),
    )
    client.force_login(chair)
    content = client.get(story.get_absolute_url()).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--aqua-green">Collaborate</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--aqua-green">Solve</strong>' in content
    assert content.index(">Collaborate<") < content.index(">Solve<")  # charter order
    assert "Carers get a call every week." in content
    assert reverse("stories:print", args=[story.slug]) in content
    # Readers see the story, not its review.
    assert "History" not in content
    assert "People named in the story" not in content


def test_related_stories_share_a_principle_or_the_directorate(
    su_user, directorate, other_directorate, make_story
):
    story = make_story(su_user, title="Main", directorate=directorate, principles=("courage",))
    two = make_story(
        su_user, title="Two shared", directorate=other_directorate,
        principles=("courage", "respect"),
    )  # fmt: skip
    same_place = make_story(
        su_user, title="Same place", directorate=directorate, principles=("solve",)
    )
    make_story(su_user, title="Unrelated", directorate=other_directorate, principles=("solve",))
    make_story(
        su_user, status="submitted", title="Not published", directorate=directorate,
        principles=("courage",),
    )  # fmt: skip
    assert selectors.related_stories(story) == [two, same_place]


def test_print_view_has_the_story_and_no_navigation(client, chair, su_user, make_story):
    story = make_story(su_user, title="To print", body="## Part one\n\nText.")
    client.force_login(chair)
    response = client.get(reverse("stories:print", args=[story.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>To print</h1>" in content
    assert "<h3>Part one</h3>" in content
    assert "css/stories-print.css" in content
    assert "nhsuk-header__navigation" not in content
    assert "to share at your QI forum" in content


@pytest.mark.parametrize("fixture", ["admin_user", "ppl", "lead", "chair", "su_user"])
def test_every_role_has_stories_in_the_header(client, request, fixture):
    user = request.getfixturevalue(fixture)
    labels = [item.label for item in access.navigation(user, "/")]
    assert "Stories" in labels
    # The reflections overview is linked from the library, for PPLs and admins only.
    client.force_login(user)
    library = client.get(reverse("stories:library")).content.decode()
    linked = reverse("stories:reflections_overview") in library
    assert linked == (fixture in {"admin_user", "ppl"})


def test_my_area_offers_reflections_to_team_members(client, su_user, directorate):
    from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

    project = ProjectFactory(directorate=directorate, title="Garden project")
    MembershipFactory(project=project, person=PersonFactory(user=su_user))
    client.force_login(su_user)
    content = client.get(reverse("involvement:my_area")).content.decode()
    assert reverse("stories:reflection_new", args=[project.pk]) in content


def test_ppl_home_counts_the_stories_waiting_for_review(client, ppl, su_user, make_story):
    make_story(su_user, status="submitted", directorate=ppl.directorates.get())
    client.force_login(ppl)
    content = client.get(reverse("involvement:ppl_home")).content.decode()
    assert "1 story is waiting for your review" in content
    assert reverse("stories:review_queue") in content


def test_principles_are_checkboxes_so_several_can_be_ticked(client, su_user):
    client.force_login(su_user)
    content = client.get(reverse("stories:new")).content.decode()
    assert content.count('type="checkbox" value="') == 10
    assert 'name="principles" type="radio"' not in content
