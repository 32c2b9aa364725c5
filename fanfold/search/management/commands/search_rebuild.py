from django.core.management.base import BaseCommand

from fanfold.search.index import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every posted work (after a bulk load)."

    def handle(self, *args, **options):
        count = search_rebuild(progress=lambda message: self.stdout.write(message))
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} works."))
