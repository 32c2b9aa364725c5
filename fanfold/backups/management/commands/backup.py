from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanfold.backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the whole archive (database and files under the data directory) into one "
        ".tar.gz, consistently, while the archive keeps running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="where to write it (default: DATA_DIR/backups/)"
        )

    def handle(self, *args, output=None, **options):
        try:
            result = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {result.works} works ({result.engine}) and {result.files} files "
            f"to {result.path}"
        )
