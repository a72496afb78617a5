from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from involvement.access import role_group
from projects.models import Directorate

PASSWORD = "correct-horse-battery-staple"


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Directorate {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nhs.uk")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(role_group(role))

    @factory.post_generation
    def directorates(self, create, extracted, **kwargs):
        for directorate in extracted or []:
            directorate.staff.add(self)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Project"

    title = factory.Sequence(lambda n: f"Improving something {n}")
    directorate = factory.SubFactory(DirectorateFactory)
    start_date = datetime.date(2024, 1, 15)
    status = "active"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "involvement.Person"
        skip_postgeneration_save = True

    name = factory.Faker("name")
    kind = "service_user"
    email = factory.Sequence(lambda n: f"person{n}@example.org")

    @factory.post_generation
    def directorates(self, create, extracted, **kwargs):
        for directorate in extracted or []:
            self.directorates.add(directorate)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "involvement.TeamMembership"

    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(PersonFactory)
    start_date = factory.LazyAttribute(lambda o: o.project.start_date)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "involvement.Activity"

    project = factory.SubFactory(ProjectFactory)
    kind = "survey"
    date = factory.LazyAttribute(lambda o: o.project.start_date)
    participants = 5


# --- the people register (issue 4) ---------------------------------------------------------------


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "involvement.Interest"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Interest {n}")


class RoleDescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "involvement.RoleDescription"

    person = factory.SubFactory(PersonFactory)
    project = factory.SubFactory(ProjectFactory)
    time_commitment = "1 hour every 2 weeks"
    where_based = "Online"
    accountability = "An equal member of the project team."
    start_date = datetime.date(2024, 2, 1)
    review_date = datetime.date(2024, 8, 1)
    contact_name = "The project lead"


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "involvement.Opportunity"

    title = factory.Sequence(lambda n: f"Opportunity {n}")
    kind = "research"
    description = "Help with a study."
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    directorate = factory.SubFactory(DirectorateFactory)
