"""python manage.py seed_demo — demo data for every screen, safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from complaints import demo as complaints_demo
from core import demo as core_demo
from estates import demo as estates_demo
from members import demo as members_demo
from owners import demo as owners_demo
from surveys import demo as surveys_demo
from touchpoints import demo as touchpoints_demo


class Command(BaseCommand):
    help = "Create demo projects, customers and one login per role (password: demo). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never in production).")

    def handle(self, *args, force=False, **options):
        if not (settings.SEED_DEMO_ALLOWED or force):
            raise CommandError("Refusing to create demo logins with DEBUG off; pass --force if you are sure.")
        with transaction.atomic():
            staff = core_demo.seed()
            projects = estates_demo.seed(staff)
            customers = members_demo.seed(projects=projects, staff=staff)
            # Higher apps receive what the lower ones made and add their own records.
            context = {"staff": staff, "projects": projects}
            summaries = [
                seed(context)
                for seed in (touchpoints_demo.seed, complaints_demo.seed, surveys_demo.seed, owners_demo.seed)
            ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(staff)} logins (password '{core_demo.DEMO_PASSWORD}'), "
                f"{len(projects)} projects, {customers} new customers."
            )
        )
        for summary in filter(None, summaries):
            self.stdout.write(summary)
