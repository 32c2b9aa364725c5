"""`fanfold import DIR --user NAME`: import every file in a folder (text, HTML, Markdown, EPUB)
as drafts of one writer, with a progress bar and a summary of what was imported and what was
refused, and why. Each file is its own transaction: a refused file leaves nothing behind and
does not stop the others."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fanfold.accounts.models import User
from fanfold.imports.services import import_file
from fanfold.tags.models import RATINGS, WARNINGS

SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"}


class Command(BaseCommand):
    help = (
        "Import every text, HTML, Markdown and EPUB file in a folder as drafts of one user. "
        "Tags in the files are used; --fandom, --rating and --warning fill in what a file lacks."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--user", required=True, help="The username the drafts belong to.")
        parser.add_argument(
            "--fandom",
            action="append",
            default=[],
            help="Fandom for files that name none (repeat for several). Required unless every "
            "file names its fandoms.",
        )
        parser.add_argument("--rating", default="Not Rated", choices=RATINGS)
        parser.add_argument(
            "--warning",
            action="append",
            choices=WARNINGS,
            help='Archive warning (repeat for several; default "Creator Chose Not To Use '
            'Archive Warnings").',
        )
        parser.add_argument(
            "--recursive", action="store_true", help="Also import files in sub-folders."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, directory: Path, user: str, **options):
        try:
            owner = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {user!r}.") from None
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        pattern = "**/*" if options["recursive"] else "*"
        files = sorted(
            path
            for path in directory.glob(pattern)
            if path.is_file() and path.suffix.lower() in SUFFIXES
        )
        skipped = sorted(
            path
            for path in directory.glob(pattern)
            if path.is_file() and path.suffix.lower() not in SUFFIXES
        )
        warnings = options["warning"] or ["Creator Chose Not To Use Archive Warnings"]
        imported: list[tuple[Path, str]] = []
        refused: list[tuple[Path, str]] = [
            (path, "not a text, HTML, Markdown or EPUB file") for path in skipped
        ]
        progress = tqdm(
            files,
            desc="Importing",
            unit="file",
            disable=options["no_progress"],
            file=self.stderr._out,
        )
        for path in progress:
            name = str(path.relative_to(directory))
            try:
                if path.stat().st_size > settings.FANFOLD_IMPORT_MAX_BYTES:
                    size = path.stat().st_size
                    data = path.open("rb").read(settings.FANFOLD_IMPORT_MAX_BYTES + 1)
                else:
                    size = None
                    data = path.read_bytes()
                work = import_file(
                    user=owner,
                    filename=name,
                    data=data,
                    size=size,
                    rating=options["rating"],
                    warnings=warnings,
                    fandoms=options["fandom"],
                )
            except ValidationError as exc:
                refused.append((path, " ".join(exc.messages)))
            except OSError as exc:
                refused.append((path, f"can't be read ({exc.strerror})"))
            else:
                imported.append(
                    (path, f"{work.title} ({work.chapter_count} chapters, {work.word_count} words)")
                )
        self._summary(directory, imported, refused)

    def _summary(self, directory, imported, refused) -> None:
        self.stdout.write(
            f"Imported {len(imported)} file{'s' if len(imported) != 1 else ''} as drafts, "
            f"refused {len(refused)}."
        )
        for path, what in imported:
            self.stdout.write(
                self.style.SUCCESS(f"  imported {path.relative_to(directory)}: {what}")
            )
        for path, why in refused:
            self.stdout.write(self.style.ERROR(f"  refused {path.relative_to(directory)}: {why}"))
