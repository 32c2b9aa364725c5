import time

from django.core.management.base import BaseCommand

from fanfold.core.periodic import run_periodic_jobs


class Command(BaseCommand):
    help = (
        "Run the archive's periodic jobs (sending queued invitations, deleting ended rate-limit "
        "counters) every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run them once and stop")
        parser.add_argument("--interval", type=int, default=3600, help="seconds between runs")

    def handle(self, *args, once=False, interval=3600, **options):
        while True:
            for line in run_periodic_jobs():
                self.stdout.write(line)
            if once:
                return
            time.sleep(interval)
