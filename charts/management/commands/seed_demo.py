"""Load the demo data: deterministic and idempotent (running it twice changes nothing).

Each app keeps its own demo data in ``<app>/demo.py``; this command (in ``charts``, the app that
may read all others) runs them in the order the apps build on each other.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from charts import demo as charts_demo
from involvement import demo as involvement_demo
from involvement import demo_payments, demo_people
from projects import demo as projects_demo
from projects import demo_boards
from stories import demo as stories_demo


class Command(BaseCommand):
    help = "Load the demo data (directorates, one user per role, …). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for the demo users. Without it, new users get a random one (printed) "
            "and existing users keep theirs.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users (used by `make run`).",
        )

    def handle(self, *args, password=None, if_empty=False, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("The database already has users: demo data not loaded again.")
            return
        chosen = password or secrets.token_urlsafe(12)
        with transaction.atomic():
            projects_demo.seed_directorates()
            users = involvement_demo.seed_users(chosen, reset_existing=bool(password))
            demo_people.seed_people()
            projects_demo.seed_projects()
            demo_people.seed_role_descriptions()
            demo_payments.seed_payments()
            stories_demo.seed_stories()
            closed_board, _ = demo_boards.seed_boards()
            charts_demo.seed_board_annotation(closed_board)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins:")
        for username, role, created in users:
            shown = chosen if (created or password) else "(unchanged)"
            self.stdout.write(f"  {username:<6} {shown:<20} {role}")
