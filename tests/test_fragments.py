"""Cached page fragments (projects/fragments.py): served from the cache until a table they read
is written, however it is written, and never with another request's CSRF token."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from involvement.models import Interest, Person
from projects import fragments
from projects.models import Directorate, Project
from tests.factories import DirectorateFactory, InterestFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _generation(model) -> int:
    return fragments.generations([model._meta.db_table])[model._meta.db_table]


class Builds:
    """A fragment's build that counts its calls and reads the directorates."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return ", ".join(Directorate.objects.order_by("name").values_list("name", flat=True))


# --- writes are seen, however they are made ------------------------------------------------------


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda: DirectorateFactory(name="Luton"), id="save"),
        pytest.param(lambda: Directorate.objects.update(name="Renamed"), id="update"),
        pytest.param(lambda: Directorate.objects.all().delete(), id="delete"),
        pytest.param(
            lambda: Directorate.objects.bulk_create([Directorate(name="Bulk", slug="bulk")]),
            id="bulk_create",
        ),
        pytest.param(
            lambda: connection.cursor().execute(
                "UPDATE projects_directorate SET name = name"  # raw SQL, unquoted
            ),
            id="raw-sql",
        ),
        pytest.param(lambda: fragments.written(Directorate), id="written-for-copy"),
    ],
)
def test_every_kind_of_write_moves_the_table_generation(write, directorate):
    before = _generation(Directorate)
    write()
    assert _generation(Directorate) != before


def test_a_write_elsewhere_leaves_the_generation_alone(directorate):
    before = _generation(Directorate)
    PersonFactory()
    assert _generation(Directorate) == before


def test_the_session_write_of_every_request_moves_nothing(client, ppl):
    client.force_login(ppl)
    client.get(reverse("minimal"))
    keys = [fragments._key("django_session")]
    assert fragments.cache.get_many(keys) == {}


def test_a_transaction_bumps_again_after_commit_once_per_table(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for name in ("Art", "Music", "Walking"):
                InterestFactory(name=name)
            before_commit = _generation(Interest)
    bumps = [c.table for c in callbacks if isinstance(c, fragments._BumpOnCommit)]
    assert bumps == [Interest._meta.db_table]
    # The bump ran at the commit: a reader between the statements and the commit may have stored
    # the old rows under the moved generation, and can no longer reach them.
    assert _generation(Interest) != before_commit


def test_many_to_many_adds_are_seen(ppl, other_directorate):
    """SQLite writes them as INSERT OR IGNORE, PostgreSQL as INSERT … ON CONFLICT."""
    before = _generation(Directorate.staff.through)
    ppl.directorates.add(other_directorate)
    assert _generation(Directorate.staff.through) != before


# --- the cache --------------------------------------------------------------------------------


def test_a_fragment_is_built_once_while_nothing_it_read_is_written(directorate):
    build = Builds()
    first = fragments.cached(("test", 1), build)
    assert fragments.cached(("test", 1), build) == first == "Newham"
    assert build.calls == 1

    PersonFactory()  # another table
    assert fragments.cached(("test", 1), build) == "Newham"
    assert build.calls == 1

    DirectorateFactory(name="Barnet")
    assert fragments.cached(("test", 1), build) == "Barnet, Newham"
    assert build.calls == 2


def test_a_copy_another_worker_built_is_served_over_a_stale_one_of_this_process(directorate):
    build = Builds()
    fragments.cached(("shared",), build)  # this process keeps a copy
    DirectorateFactory(name="Barnet")
    # Another worker rebuilt it after the write and stored it in the shared cache.
    key = fragments.fragment_key(("shared",))
    tables = [Directorate._meta.db_table]
    fragments.cache.set(key, (fragments.generations(tables), "built elsewhere"))
    assert fragments.cached(("shared",), build) == "built elsewhere"
    assert build.calls == 1


def test_parts_keep_fragments_apart(directorate):
    build = Builds()
    fragments.cached(("test", "a"), build)
    fragments.cached(("test", "b"), build)
    assert build.calls == 2


def test_a_write_during_the_build_leaves_the_stored_copy_stale_not_current(directorate):
    """Generations are read before the build's queries, so what a build read before a racing
    write is never stored as current."""
    calls = []

    def build() -> str:
        names = list(Directorate.objects.values_list("name", flat=True))
        calls.append(names)
        if len(calls) == 1:
            DirectorateFactory(name="Written meanwhile")
        return ", ".join(names)

    assert fragments.cached(("race",), build) == "Newham"
    assert "Written meanwhile" in fragments.cached(("race",), build)
    assert len(calls) == 2


def test_an_inner_fragment_served_from_the_cache_still_makes_the_outer_depend_on_it(directorate):
    inner = Builds()
    outer_calls = []

    def outer() -> str:
        outer_calls.append(1)
        return "[" + fragments.cached(("inner",), inner) + "]"

    fragments.cached(("inner",), inner)  # cached before the outer fragment is first built
    assert fragments.cached(("outer",), outer) == "[Newham]"
    DirectorateFactory(name="Barnet")
    assert fragments.cached(("outer",), outer) == "[Barnet, Newham]"
    assert len(outer_calls) == 2


def test_a_lazy_context_is_not_built_when_the_fragment_is_served(client, ppl, directorate):
    PersonFactory(name="Ada Lovelace", directorates=[directorate])
    client.force_login(ppl)
    url = reverse("involvement:people_list")
    assert "Ada Lovelace" in client.get(url).content.decode()
    with pytest.MonkeyPatch.context() as patch:

        def refuse(*args, **kwargs):
            raise AssertionError("the lazy context was built for a cached fragment")

        patch.setattr("involvement.views.people._person_list_context", refuse)
        assert "Ada Lovelace" in client.get(url).content.decode()


# --- pages -------------------------------------------------------------------------------------


def test_the_people_register_shows_a_new_person_and_a_new_name_at_once(client, ppl, directorate):
    person = PersonFactory(name="Grace Hopper", directorates=[directorate])
    client.force_login(ppl)
    url = reverse("involvement:people_list")
    assert "Grace Hopper" in client.get(url).content.decode()
    Person.objects.filter(pk=person.pk).update(name="Grace Brewster Hopper")
    PersonFactory(name="Alan Turing", directorates=[directorate])
    html = client.get(url).content.decode()
    assert "Grace Brewster Hopper" in html and "Alan Turing" in html


def test_a_cached_fragment_is_per_user(client, ppl, other_ppl, directorate, other_directorate):
    PersonFactory(name="Only in Newham", directorates=[directorate])
    url = reverse("involvement:people_list")
    client.force_login(ppl)
    assert "Only in Newham" in client.get(url).content.decode()
    client.force_login(other_ppl)
    assert "Only in Newham" not in client.get(url).content.decode()


def test_a_new_directorate_for_the_user_shows_at_once(client, ppl, other_directorate):
    PersonFactory(name="In Forensic services", directorates=[other_directorate])
    url = reverse("involvement:people_list")
    client.force_login(ppl)
    assert "In Forensic services" not in client.get(url).content.decode()
    ppl.directorates.add(other_directorate)
    assert "In Forensic services" in client.get(url).content.decode()


def test_the_project_page_shows_a_new_title(client, ppl, directorate):
    project = ProjectFactory(directorate=directorate, title="Fewer missed appointments")
    client.force_login(ppl)
    url = reverse("projects:detail", args=[project.pk])
    assert "Fewer missed appointments" in client.get(url).content.decode()
    Project.objects.filter(pk=project.pk).update(aim="A brand new aim for the test")
    assert "A brand new aim for the test" in client.get(url).content.decode()


# --- the tag -----------------------------------------------------------------------------------

TEMPLATE = Template(
    '{% load fragments %}{% fragment "t" %}<form method="post">{% csrf_token %}</form>'
    "{{ names }}{% endfragment %}"
)


def _render(request, names="x") -> str:
    from django.middleware.csrf import get_token
    from django.template import RequestContext

    get_token(request)
    return TEMPLATE.render(RequestContext(request, {"names": names}))


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_each_response_gets_its_own_csrf_token_in_a_cached_fragment(ppl):
    factory = RequestFactory()
    first, second = factory.get("/same/"), factory.get("/same/")
    first.user = second.user = ppl
    # What CsrfViewMiddleware reads from each browser's cookie.
    first.META["CSRF_COOKIE"] = "a" * 32
    second.META["CSRF_COOKIE"] = "b" * 32
    one, two = _render(first, "first"), _render(second, "second")
    assert "first" in two  # the second was served from the cache
    from django.middleware.csrf import _unmask_cipher_token

    assert _unmask_cipher_token(_token(one)) == "a" * 32
    assert _unmask_cipher_token(_token(two)) == "b" * 32
    assert "bigicsrf" not in one + two


def test_a_post_renders_afresh(ppl):
    factory = RequestFactory()
    get, post = factory.get("/p/"), factory.post("/p/")
    get.user = post.user = ppl
    assert "before" in _render(get, "before")
    assert "after" in _render(post, "after")


def test_the_tag_needs_a_name():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="needs a name"):
        Template("{% load fragments %}{% fragment %}{% endfragment %}")


def test_without_a_request_the_tag_just_renders():
    assert (
        Template("{% load fragments %}{% fragment 'x' %}{{ a }}{% endfragment %}").render(
            Context({"a": "plain"})
        )
        == "plain"
    )


def test_a_lazy_number_works_with_the_template_filters():
    count = fragments.lazy(lambda: 5)
    html = Template(
        "{{ n }} project{{ n|pluralize }}, {{ n|add:1 }}, {% if n >= 5 %}five or more{% endif %}"
    ).render(Context({"n": count}))
    assert html == "5 projects, 6, five or more"


def test_the_imports_bulk_insert_is_seen():
    """PostgreSQL takes these rows by COPY, which Django's cursor wrappers never see."""
    from projects.bulk import insert_rows

    before = _generation(Interest)
    insert_rows(Interest, ["name", "description"], [("Bulk", "")])
    assert Interest.objects.filter(name="Bulk").exists()
    assert _generation(Interest) != before


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('INSERT INTO "involvement_claim" ("a") VALUES (%s)', ["involvement_claim"]),
        ('INSERT OR IGNORE INTO "projects_directorate_staff" ("a") VALUES (%s)', None),
        ('UPDATE "projects_project" SET "title" = %s WHERE "id" = %s', ["projects_project"]),
        ('DELETE FROM "stories_story" WHERE "id" IN (%s)', ["stories_story"]),
        ("/* a comment */ DELETE FROM stories_story", ["stories_story"]),
        ('TRUNCATE "a_one", "a_two" RESTART IDENTITY CASCADE;', ["a_one", "a_two"]),
        ('SELECT "id" FROM "projects_project" FOR UPDATE', []),
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', []),
        ('UPDATE "auth_user" SET "first_name" = %s WHERE "auth_user"."id" = %s', ["auth_user"]),
    ],
)
def test_the_tables_a_statement_writes(sql, tables):
    expected = tables if tables is not None else ["projects_directorate_staff"]
    assert fragments.written_by(sql) == expected


def test_a_write_django_does_not_make_rebuilds_everything():
    assert Directorate._meta.db_table in fragments.written_by(
        'WITH x AS (SELECT 1) UPDATE "projects_directorate" SET "name" = %s'
    )


def test_signing_in_keeps_every_fragment(client, ppl):
    before = _generation(type(ppl))
    from tests.factories import PASSWORD

    assert (
        client.post(reverse("login"), {"username": ppl.username, "password": PASSWORD}).status_code
        == 302
    )
    assert _generation(type(ppl)) == before


def test_a_write_goes_through_when_the_cache_is_down(directorate, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("no cache")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fragments.cache, "incr", down)
        patch.setattr(fragments.cache, "set", down)
        DirectorateFactory(name="Written anyway")
    assert Directorate.objects.filter(name="Written anyway").exists()
    assert "Could not mark projects_directorate written" in caplog.text


def test_a_new_release_starts_without_the_old_fragments(directorate):
    build = Builds()
    fragments.cached(("release",), build)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fragments, "release", lambda: "another release")
        fragments.cached(("release",), build)
    assert build.calls == 2


def test_a_user_cannot_type_the_csrf_placeholder(ppl):
    from projects.templatetags.fragments import csrf_placeholder

    parts = ("fragment", "t", ppl.pk)
    assert csrf_placeholder(parts) != csrf_placeholder(("fragment", "t", ppl.pk + 1))
    assert len(csrf_placeholder(parts)) > 32


def test_becoming_a_forums_chair_shows_at_once(client, chair, directorate):
    from projects.models import Forum

    client.force_login(chair)
    url = reverse("charts:chair_home")
    assert "You are not the chair of a QI forum yet" in client.get(url).content.decode()
    forum = Forum.objects.create(name="Newham QI forum", chair=chair)
    forum.directorates.add(directorate)
    assert "Newham QI forum" in client.get(url).content.decode()
    Forum.objects.filter(pk=forum.pk).update(name="East Newham QI forum")
    html = client.get(url).content.decode()
    assert "<h1>East Newham QI forum</h1>" in html


def test_this_process_keeps_only_values_nothing_can_change():
    assert fragments._text_size("<p>hi</p>") == 9
    assert fragments._text_size(("<p>hi</p>", True)) == 9
    assert fragments._text_size(["<p>hi</p>"]) is None  # a list could be changed by a request
    assert fragments._text_size(("<p>hi</p>", object())) is None
