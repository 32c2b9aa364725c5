"""`fanfold demo`: fill an empty archive with generated demo content (an admin, four writers, a
dozen works in several fandoms and languages, a site news post with a reader's comment and the
banner announcing it), so a new archive has something to show.
`make run` calls it with --if-empty on every start."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.core.demo.load import demo_load, demo_usernames, logins_path, logins_write
from fanfold.core.demo.plan import demo_plan
from fanfold.works.models import Work

DEFAULT_SEED = 2024


class Command(BaseCommand):
    help = (
        "Fill an empty archive with generated demo content: an admin, writers and works, a news "
        "post and a banner. "
        "Passwords are generated and written to DATA_DIR/demo-logins.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the archive already has works (only show the demo logins).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed for the generated content; the same seed gives the same works "
            f"(default {DEFAULT_SEED}). Passwords are always random.",
        )

    def handle(self, *args, if_empty: bool, seed: int, **options):
        plan = demo_plan(seed=seed, today=timezone.localdate())
        taken = sorted(
            User.objects.filter(username__in=demo_usernames(plan)).values_list(
                "username", flat=True
            )
        )
        reason = None
        if Work.objects.exists():
            reason = "The archive already has works"
        elif taken:
            reason = f"The archive already has the account{'s' if len(taken) > 1 else ''} " + (
                ", ".join(taken)
            )
        if reason:
            if not if_empty:
                raise CommandError(
                    f"{reason}; demo content is only added to an empty archive. "
                    "Use a new database (DATABASE_URL or FANFOLD_DATA_DIR) for a demo."
                )
            self.stdout.write(f"{reason}: no demo content added.")
            self._show_logins()
            return

        logins = demo_load(plan)
        logins_write(logins)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo archive ready: {len(plan.works)} works by {len(plan.writers)} writers."
            )
        )
        self._show_logins()

    def _show_logins(self):
        path = logins_path()
        if path.exists():
            self.stdout.write(path.read_text(encoding="utf-8").rstrip("\n"))
            self.stdout.write(f"(kept in {path})")
