"""The review flow: draft/submitted → changes requested → submitted → published → withdrawn, and
who may take each step (404 for a story they may not see, 403 for a step they may not take)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stories import services
from stories.models import Story, StoryEventKind, StoryStatus
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_new_story(client, **data):
    payload = {
        "title": "We changed the ward round",
        "body": "Service users joined the ward round review.",
        "principles": ["collaborate", "respect"],
        "action": "submit",
        **data,
    }
    return client.post(reverse("stories:new"), payload)


# --- submitting ----------------------------------------------------------------------------------


def test_su_gets_the_simple_form_without_summary_or_project(client, su_user):
    client.force_login(su_user)
    response = client.get(reverse("stories:new"))
    assert response.status_code == 200
    assert b'name="body"' in response.content
    assert b"What happened?" in response.content
    assert b'name="summary"' not in response.content
    assert b'name="project"' not in response.content
    assert b'name="principles"' in response.content


def test_staff_get_the_full_form(client, lead):
    client.force_login(lead)
    content = client.get(reverse("stories:new")).content
    assert b'name="summary"' in content
    assert b'name="project"' in content


def test_su_submits_a_story_for_review(client, su_user, directorate):
    client.force_login(su_user)
    response = post_new_story(client, directorate=directorate.pk)
    story = Story.objects.get()
    assert response.status_code == 302
    assert response.url == story.get_absolute_url()
    assert story.status == StoryStatus.SUBMITTED
    assert story.submitted_at is not None
    assert list(story.author_users.all()) == [su_user]
    assert {p.value for p in story.principles} == {"collaborate", "respect"}
    # Without a summary, the start of the story stands in for lists and the feed.
    assert story.summary == "Service users joined the ward round review."
    assert [e.kind for e in story.events.order_by("at", "pk")] == [
        StoryEventKind.CREATED,
        StoryEventKind.SUBMITTED,
    ]


def test_su_with_a_register_record_is_credited_through_it(client, su_user, directorate):
    person = PersonFactory(user=su_user, directorates=[directorate])
    client.force_login(su_user)
    # Their one directorate is chosen for them, so the story goes to its PPL.
    form = client.get(reverse("stories:new")).context["form"]
    assert form.initial["directorate"] == directorate.pk
    post_new_story(client, directorate=directorate.pk)
    story = Story.objects.get()
    assert list(story.author_people.all()) == [person]
    assert Story.objects.authored_by(su_user).get() == story


def test_a_story_needs_a_title_and_a_body(client, su_user):
    client.force_login(su_user)
    response = post_new_story(client, title="", body="")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "body"}
    assert response.context["form"].errors["title"]
    assert Story.objects.count() == 0


def test_project_from_another_directorate_is_refused(client, lead, directorate, other_directorate):
    from tests.factories import ProjectFactory

    project = ProjectFactory(directorate=other_directorate, lead=lead)
    client.force_login(lead)
    response = post_new_story(client, directorate=directorate.pk, project=project.pk)
    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert Story.objects.count() == 0


def test_a_draft_is_seen_by_its_author_only(client, su_user, ppl, admin_user, directorate):
    client.force_login(su_user)
    post_new_story(client, directorate=directorate.pk, action="draft")
    story = Story.objects.get()
    assert story.status == StoryStatus.DRAFT
    assert client.get(story.get_absolute_url()).status_code == 200
    for reviewer in (ppl, admin_user):
        client.force_login(reviewer)
        assert client.get(story.get_absolute_url()).status_code == 404


def test_author_sends_a_draft_for_review(client, su_user, make_story):
    story = make_story(su_user, status="draft")
    client.force_login(su_user)
    response = client.post(reverse("stories:submit", args=[story.pk]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_only_an_author_sends_a_story_for_review(client, su_user, admin_user, make_story):
    story = make_story(su_user, status="changes_requested")
    client.force_login(admin_user)
    assert client.post(reverse("stories:submit", args=[story.pk])).status_code == 403
    story.refresh_from_db()
    assert story.status == StoryStatus.CHANGES_REQUESTED


def test_submit_is_post_only(client, su_user, make_story):
    story = make_story(su_user, status="draft")
    client.force_login(su_user)
    assert client.get(reverse("stories:submit", args=[story.pk])).status_code == 405


# --- reviewing -----------------------------------------------------------------------------------


def test_ppl_of_the_directorate_asks_for_changes_and_the_author_sees_the_comment(
    client, su_user, ppl, directorate, make_story
):
    story = make_story(su_user, status="submitted", directorate=directorate)
    client.force_login(ppl)
    response = client.post(
        reverse("stories:request_changes", args=[story.pk]),
        {"comment": "Please say what changed for patients."},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.CHANGES_REQUESTED
    client.force_login(su_user)
    page = client.get(story.get_absolute_url())
    assert b"Please say what changed for patients." in page.content
    assert b"Changes requested" in page.content


def test_asking_for_changes_needs_a_comment(client, su_user, ppl, directorate, make_story):
    story = make_story(su_user, status="submitted", directorate=directorate)
    client.force_login(ppl)
    response = client.post(reverse("stories:request_changes", args=[story.pk]), {"comment": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_author_edits_and_resubmits_after_changes_requested(
    client, su_user, ppl, directorate, make_story
):
    story = make_story(su_user, status="changes_requested", directorate=directorate)
    client.force_login(su_user)
    response = client.post(
        reverse("stories:edit", args=[story.pk]),
        {
            "title": story.title,
            "body": "Now with what changed for patients: shorter waits.",
            "principles": ["collaborate"],
            "directorate": directorate.pk,
            "action": "submit",
        },
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED
    assert "shorter waits" in story.body_html
    assert story.slug == "a-story-of-working-together"  # a title change never moves the page


def test_author_cannot_edit_while_the_story_is_with_the_reviewer(client, su_user, make_story):
    story = make_story(su_user, status="submitted")
    client.force_login(su_user)
    assert client.get(reverse("stories:edit", args=[story.pk])).status_code == 403


def test_ppl_publishes_a_story_of_their_directorate(client, su_user, ppl, directorate, make_story):
    story = make_story(su_user, status="submitted", directorate=directorate)
    client.force_login(ppl)
    response = client.post(reverse("stories:publish", args=[story.pk]), follow=True)
    assert b"The story is published in the library." in response.content
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
    assert story.published_by == ppl
    assert story.published_at is not None


def test_ppl_of_another_directorate_cannot_see_or_review_it(
    client, su_user, other_ppl, directorate, make_story
):
    story = make_story(su_user, status="submitted", directorate=directorate)
    client.force_login(other_ppl)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.post(reverse("stories:publish", args=[story.pk])).status_code == 404
    assert client.get(reverse("stories:request_changes", args=[story.pk])).status_code == 404
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_a_story_across_the_trust_is_reviewed_by_admins_only(
    client, su_user, ppl, admin_user, make_story
):
    story = make_story(su_user, status="submitted", directorate=None)
    client.force_login(ppl)
    assert client.post(reverse("stories:publish", args=[story.pk])).status_code == 404
    client.force_login(admin_user)
    assert client.post(reverse("stories:publish", args=[story.pk])).status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED


@pytest.mark.parametrize("who", ["su_user", "lead", "chair"])
def test_authors_and_other_roles_cannot_publish(client, request, su_user, make_story, who):
    story = make_story(su_user, status="submitted")
    user = request.getfixturevalue(who)
    client.force_login(user)
    expected = 403 if user == su_user else 404  # the author sees it; others do not
    assert client.post(reverse("stories:publish", args=[story.pk])).status_code == expected
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_publishing_twice_is_refused(client, su_user, admin_user, make_story):
    story = make_story(su_user, status="published")
    client.force_login(admin_user)
    assert client.post(reverse("stories:publish", args=[story.pk])).status_code == 403
    with pytest.raises(ValidationError):
        services.story_publish(story=story, by=admin_user)


def test_services_refuse_steps_the_state_does_not_allow(su_user, admin_user, make_story):
    draft = make_story(su_user, status="draft")
    with pytest.raises(ValidationError, match="cannot be published"):
        services.story_publish(story=draft, by=admin_user)
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        services.story_withdraw(story=draft, by=admin_user, reason="x")
    published = make_story(su_user, status="published", title="Another")
    with pytest.raises(ValidationError, match="sent for review"):
        services.story_submit(story=published, by=su_user)
    with pytest.raises(ValidationError, match="changed"):
        services.story_update(story=published, by=admin_user, title="New title")


def test_review_queue_lists_the_ppls_directorates_only(
    client, su_user, ppl, directorate, other_directorate, make_story
):
    mine = make_story(su_user, status="submitted", directorate=directorate, title="Newham one")
    make_story(su_user, status="submitted", directorate=other_directorate, title="Forensic one")
    make_story(su_user, status="draft", directorate=directorate, title="Newham draft")
    client.force_login(ppl)
    response = client.get(reverse("stories:review_queue"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]


@pytest.mark.parametrize("who", ["su_user", "lead", "chair"])
def test_review_queue_is_for_reviewers(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("stories:review_queue")).status_code == 403


def test_authors_see_their_own_stories_in_every_state(client, su_user, make_story):
    for status in ("draft", "submitted", "changes_requested", "published", "withdrawn"):
        make_story(su_user, status=status, title=f"Story {status}")
    make_story(UserFactory(), status="published", title="Someone else's")
    client.force_login(su_user)
    response = client.get(reverse("stories:mine"))
    titles = {story.title for story in response.context["page"].object_list}
    assert titles == {
        "Story draft",
        "Story submitted",
        "Story changes_requested",
        "Story published",
        "Story withdrawn",
    }
    withdrawn = Story.objects.get(title="Story withdrawn")
    assert client.get(withdrawn.get_absolute_url()).status_code == 200


def test_readers_cannot_edit_a_published_story(client, su_user, chair, make_story):
    story = make_story(su_user, status="published")
    client.force_login(chair)
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(reverse("stories:edit", args=[story.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, su_user, make_story):
    story = make_story(su_user, status="published")
    for url in (reverse("stories:library"), story.get_absolute_url(), reverse("stories:new")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
