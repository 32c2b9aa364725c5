"""`fanfold tag_counts_refresh`: recount every tag's works (the cached counts the fandom index
and tag pages show). The counts follow every change on their own; run this after loading works
without the services (a bulk import) or when the background worker was down for a while."""

import time

from django.core.management.base import BaseCommand

from fanfold.tags.counts import tag_counts_refresh_all


class Command(BaseCommand):
    help = "Recount the works of every fandom, character, relationship and additional tag."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = tag_counts_refresh_all()
        self.stdout.write(f"Recounted {count} tags in {time.monotonic() - started:.1f} s.")
