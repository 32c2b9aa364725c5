from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanfold.backups.services import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `fanfold backup` into this empty archive."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the .tar.gz written by `fanfold backup`")

    def handle(self, *args, backup, **options):
        try:
            manifest = backup_restore(path=backup)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {manifest['works']} works and {manifest['files']} files from the "
            f"backup of {manifest['created_at']}."
        )
