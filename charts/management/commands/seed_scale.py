"""Fill an empty database with a large trust's ten years of QI (issue 10): the data the benchmark
and the load test run against.

    manage.py seed_scale [--projects 5000] [--people 2000] [--years 10] [--password big-i-demo]

Every count follows ``--projects`` and ``--people`` (``projects.scale.ScaleSize``), so
``--projects 50 --people 20 --years 2`` is a small copy for tests. Each app makes its own rows
(``<app>/scale.py``), in bulk; this command runs them in order in one transaction, so a failure
leaves the database empty, and prints the rows per table and the seconds per step.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from charts import scale as charts_scale
from involvement import scale as involvement_scale
from involvement import scale_payments
from projects import scale as projects_scale
from projects.models import Project
from stories import scale as stories_scale

APPS = ("auth", "projects", "involvement", "stories", "charts")


class Command(BaseCommand):
    help = (
        "Fill an empty database with scale data: ~20 directorates, 5,000 projects over 10 years, "
        "2,000 people, 20,000 memberships, 100,000 activities, 50,000 claims, 500 stories. "
        "Users scale-admin, scale-ppl-01…20, scale-lead, scale-su and scale-chair sign in with "
        "--password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=5000)
        parser.add_argument("--people", type=int, default=2000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--password", default="big-i-demo")
        parser.add_argument("--seed", type=int, default=10, help="Seed of the random choices.")

    def handle(self, *args, projects, people, years, password, seed, **options):
        if projects < 1 or people < 1 or years < 1:
            raise CommandError("--projects, --people and --years must each be at least 1.")
        User = get_user_model()
        if Project.objects.exists() or User.objects.filter(username__startswith="scale-").exists():
            raise CommandError(
                "The database already has projects or scale users: seed_scale fills an empty "
                "database only (drop it and migrate again)."
            )
        size = projects_scale.ScaleSize(projects=projects, people=people, years=years)
        timeline = projects_scale.Timeline(today=timezone.localdate(), years=years)
        self.timings: list[tuple[str, float]] = []
        self.verbosity = options.get("verbosity", 1)
        started = time.perf_counter()
        with transaction.atomic():
            self._fill(size, timeline, password, seed)
        total = time.perf_counter() - started
        self._summary(total)

    def _step(self, name: str, make: Callable):
        begun = time.perf_counter()
        result = make()
        seconds = time.perf_counter() - begun
        self.timings.append((name, seconds))
        if self.verbosity >= 2:
            self.stdout.write(f"  {name}: {seconds:.1f} s")
        return result

    def _fill(self, size, timeline, password: str, seed: int) -> None:
        step = self._step
        # One hash for every user: hashing is slow by design, and they share the password.
        password_hash = step("password hash", lambda: make_password(password))
        directorates = step("directorates", lambda: projects_scale.create_directorates(size))
        users = step(
            "users",
            lambda: involvement_scale.create_users(
                directorates=directorates, password_hash=password_hash, timeline=timeline
            ),
        )
        plans = step(
            "projects and progress scores",
            lambda: projects_scale.create_projects(
                size=size,
                timeline=timeline,
                directorates=directorates,
                lead=users.lead,
                seed=seed,
            ),
        )
        forums, meetings = step(
            "forums and meetings",
            lambda: projects_scale.create_forums(
                timeline=timeline, directorates=directorates, chair=users.chair, seed=seed
            ),
        )
        people = step(
            "people",
            lambda: involvement_scale.create_people(
                size=size,
                timeline=timeline,
                directorates=directorates,
                users=users,
                password_hash=password_hash,
                seed=seed,
            ),
        )
        common = {"size": size, "timeline": timeline, "plans": plans, "users": users, "seed": seed}
        memberships = step(
            "team memberships",
            lambda: involvement_scale.create_memberships(people=people, **common),
        )
        activities, naming = step(
            "little-i activities",
            lambda: involvement_scale.create_activities(people=people, **common),
        )
        step(
            "project levels per month",
            lambda: involvement_scale.fill_levels(
                plans=plans, memberships=memberships, activities=activities
            ),
        )
        opportunities = step(
            "opportunities",
            lambda: involvement_scale.create_opportunities(
                size=size,
                timeline=timeline,
                directorates=directorates,
                people=people,
                users=users,
                seed=seed,
            ),
        )
        step(
            "project needs",
            lambda: involvement_scale.create_project_needs(plans=plans, users=users, seed=seed),
        )
        step(
            "role descriptions",
            lambda: involvement_scale.create_role_descriptions(
                timeline=timeline,
                memberships=memberships,
                plans=plans,
                people=people,
                users=users,
                seed=seed,
            ),
        )
        rates = step(
            "rates",
            lambda: scale_payments.create_rates(timeline=timeline, users=users),
        )
        step(
            "claims and payment batches",
            lambda: scale_payments.create_claims(
                size=size,
                timeline=timeline,
                directorates=directorates,
                users=users,
                people=people,
                memberships=memberships,
                naming=naming,
                forums=forums,
                meetings=meetings,
                opportunities=opportunities,
                rates=rates,
                seed=seed,
            ),
        )
        step(
            "stories",
            lambda: stories_scale.create_stories(
                size=size,
                timeline=timeline,
                directorates=directorates,
                plans=plans,
                people=people,
                users=users,
                seed=seed,
            ),
        )
        step(
            "charter reflections",
            lambda: stories_scale.create_reflections(
                memberships=memberships, people=people, **common
            ),
        )
        step(
            "chart notes",
            lambda: charts_scale.create_chart_notes(timeline=timeline, admin=users.admin),
        )
        if connection.vendor == "postgresql":
            # Fresh statistics, so the first benchmark queries get good plans.
            step("analyze", lambda: connection.cursor().execute("ANALYZE"))

    def _summary(self, total: float) -> None:
        self.stdout.write("Rows per table:")
        for label in APPS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                count = model._base_manager.count()
                if count:
                    self.stdout.write(f"  {model._meta.db_table:<45} {count:>9,}")
        self.stdout.write("Seconds per step:")
        for name, seconds in self.timings:
            self.stdout.write(f"  {name:<45} {seconds:>9.1f}")
        self.stdout.write(self.style.SUCCESS(f"Scale data loaded in {total:.1f} s."))
        self.stdout.write(
            "Sign in as scale-admin, scale-ppl-01 … scale-ppl-20, scale-lead, scale-su or "
            "scale-chair with the --password given."
        )
