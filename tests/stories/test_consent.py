"""Everyone a story names must consent before it is published; the refusal names them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stories import services
from stories.models import StoryStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(su_user, directorate, make_story):
    return make_story(su_user, status="submitted", directorate=directorate)


def add_person(client, user, story, **data):
    client.force_login(user)
    return client.post(reverse("stories:people", args=[story.pk]), data)


def test_publishing_is_refused_naming_who_has_not_consented(client, su_user, ppl, story):
    add_person(client, ppl, story, name="Joan Smith")
    services.named_person_add(story=story, by=ppl, name="Ade Bello")
    client.force_login(ppl)
    response = client.post(reverse("stories:publish", args=[story.pk]), follow=True)
    assert "Ade Bello, Joan Smith have not consented" in response.content.decode()
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED
    assert story.published_at is None


def test_once_everyone_has_consented_it_publishes(client, su_user, ppl, story):
    add_person(client, ppl, story, name="Joan Smith")
    named = story.named_people.get()
    client.force_login(ppl)
    response = client.post(
        reverse("stories:consent", args=[story.pk, named.pk]),
        {"given_on": str(timezone.localdate())},
    )
    assert response.status_code == 302
    named.refresh_from_db()
    assert named.consent_given_on == timezone.localdate()
    assert named.consent_recorded_by == ppl
    assert named.consent_recorded_at is not None
    client.post(reverse("stories:publish", args=[story.pk]))
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED


def test_consent_is_recorded_with_the_nhs_date_input(client, ppl, story):
    named = services.named_person_add(story=story, by=ppl, name="Joan Smith")
    client.force_login(ppl)
    client.post(
        reverse("stories:consent", args=[story.pk, named.pk]),
        {"given_on_day": "3", "given_on_month": "2", "given_on_year": "2025"},
    )
    named.refresh_from_db()
    assert named.consent_given_on == datetime.date(2025, 2, 3)


def test_consent_cannot_be_dated_in_the_future(client, ppl, story):
    named = services.named_person_add(story=story, by=ppl, name="Joan Smith")
    client.force_login(ppl)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("stories:consent", args=[story.pk, named.pk]), {"given_on": str(tomorrow)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["given_on"]
    named.refresh_from_db()
    assert named.consent_given_on is None


def test_authors_name_people_but_do_not_record_consent(client, su_user, story):
    story = services.story_request_changes(story=story, by=su_user, comment="x")
    add_person(client, su_user, story, name="Joan Smith")
    named = story.named_people.get()
    response = client.post(
        reverse("stories:consent", args=[story.pk, named.pk]),
        {"given_on": str(timezone.localdate())},
    )
    assert response.status_code == 403
    named.refresh_from_db()
    assert named.consent_given_on is None


def test_an_su_names_people_in_words_and_a_ppl_can_link_the_register(
    client, su_user, ppl, directorate, story
):
    story = services.story_request_changes(story=story, by=ppl, comment="Who is in it?")
    client.force_login(su_user)
    assert (
        "person"
        not in client.get(reverse("stories:people", args=[story.pk])).context["form"].fields
    )
    person = PersonFactory(name="Ade Bello", directorates=[directorate])
    add_person(client, ppl, story, name="", person=person.pk)
    named = story.named_people.get()
    assert (named.name, named.person) == ("Ade Bello", person)


def test_a_person_needs_a_name(client, su_user, story):
    story = services.story_request_changes(story=story, by=su_user, comment="x")
    response = add_person(client, su_user, story, name="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert story.named_people.count() == 0


def test_an_author_cannot_change_who_is_named_while_the_story_is_in_review(client, su_user, story):
    assert add_person(client, su_user, story, name="Joan Smith").status_code == 403
    assert client.get(reverse("stories:people", args=[story.pk])).status_code == 200
    assert story.named_people.count() == 0


def test_a_reader_cannot_see_or_change_who_is_named(client, chair, su_user, make_story):
    published = make_story(su_user, title="Published")
    client.force_login(chair)
    assert client.get(reverse("stories:people", args=[published.pk])).status_code == 403
    assert (
        client.post(reverse("stories:people", args=[published.pk]), {"name": "X"}).status_code
        == 403
    )


def test_people_cannot_be_taken_out_of_a_published_story(client, su_user, ppl, story):
    named = services.named_person_add(story=story, by=ppl, name="Joan Smith")
    services.consent_record(named=named, by=ppl, given_on=timezone.localdate())
    services.story_publish(story=story, by=ppl)
    client.force_login(ppl)
    response = client.post(reverse("stories:remove_person", args=[story.pk, named.pk]))
    assert response.status_code == 403
    assert story.named_people.count() == 1


def test_taking_a_person_out_lets_the_story_publish(client, su_user, ppl, story):
    named = services.named_person_add(story=story, by=ppl, name="Joan Smith")
    client.force_login(ppl)
    client.post(reverse("stories:remove_person", args=[story.pk, named.pk]))
    assert story.named_people.count() == 0
    services.story_publish(story=story, by=ppl)
