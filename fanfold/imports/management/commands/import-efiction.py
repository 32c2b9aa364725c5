"""`fanfold import-efiction DUMP.sql`: import a whole eFiction 3.5 archive from a MySQL dump of
its fanfiction_* tables. Authors become accounts they claim by e-mail (--send-claims), stories
become works with their chapters and tags (through an editable mapping file), old story ids are
kept so viewstory.php?sid=N redirects. Running it again skips what is already imported.

(The file name has a hyphen so the command reads as documented; Django imports commands by
name, so it needs no Python identifier.)"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fanfold.imports.decoding import decode_text
from fanfold.imports.efiction.importer import archive_import, claims_send
from fanfold.imports.efiction.mapping import default_mapping, mapping_read, mapping_toml
from fanfold.imports.efiction.sqldump import parse_dump
from fanfold.imports.errors import ImportRefused


def _describe(left: dict) -> str:
    what = ", ".join(f"{k} {v}" for k, v in left.items() if k in ("reviewid", "series", "story"))
    if "uid" in left and "reviewid" not in left:
        what = f"favorite {left['type']} {left['item']} of uid {left['uid']}"
    return f"{what}: {left['reason']}"


class Command(BaseCommand):
    help = "Import an eFiction 3.5 archive from a MySQL dump of its fanfiction_* tables."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="The MySQL dump (.sql).")
        parser.add_argument(
            "--stories-dir",
            type=Path,
            help="eFiction's stories/ folder, for archives that kept chapter text in files.",
        )
        parser.add_argument(
            "--write-mapping",
            type=Path,
            metavar="FILE",
            help="Write the default tag mapping to FILE for editing, and import nothing.",
        )
        parser.add_argument(
            "--mapping", type=Path, metavar="FILE", help="The (edited) tag mapping to use."
        )
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="Write a JSON report (works, refusals, and the reviews, favorites and series "
            "that could not be imported, with the reasons) to FILE.",
        )
        parser.add_argument(
            "--send-claims",
            action="store_true",
            help="E-mail every imported author a link to claim their account.",
        )
        parser.add_argument(
            "--archive-name",
            default="your old archive",
            help="The old archive's name, for the mails.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, dump: Path, **options):
        if not dump.is_file():
            raise CommandError(f"{dump} is not a file.")
        try:
            parsed = parse_dump(decode_text(dump.read_bytes(), filename=str(dump)))
            if not parsed.table("stories") and not parsed.table("authors"):
                raise ImportRefused(
                    f"{dump} has no fanfiction_stories or fanfiction_authors rows: is it a dump "
                    "of an eFiction archive?"
                )
            mapping = default_mapping(parsed)
            if options["write_mapping"]:
                options["write_mapping"].write_text(mapping_toml(mapping), encoding="utf-8")
                self.stdout.write(f"Wrote the tag mapping to {options['write_mapping']}.")
                return
            if options["mapping"]:
                mapping = mapping_read(options["mapping"].read_text(encoding="utf-8"), mapping)
        except ImportRefused as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"Can't read {exc.filename}: {exc.strerror}.") from None

        def progress(items, **kwargs):
            return tqdm(items, disable=options["no_progress"], file=self.stderr._out, **kwargs)

        report = archive_import(
            parsed, mapping=mapping, stories_dir=options["stories_dir"], progress=progress
        )
        if options["send_claims"]:
            report.claims_sent = claims_send(archive_name=options["archive_name"])
        if options["report"]:
            options["report"].write_text(
                json.dumps(report.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8"
            )
        self._summary(report, options)

    def _summary(self, report, options) -> None:
        out = self.stdout
        out.write(
            f"Authors: {len(report.authors_created)} accounts made, "
            f"{len(report.authors_existing)} already there."
        )
        out.write(f"Stories: {len(report.works)} imported, {len(report.refused)} refused.")
        for sid, title, why in report.refused:
            out.write(self.style.ERROR(f"  refused story {sid} ({title}): {why}"))
        for name, carried in (
            ("Series", report.series),
            ("Reviews (as comments)", report.reviews),
            ("Favorites (as bookmarks)", report.favorites),
        ):
            out.write(
                f"{name}: {carried.imported} imported, {carried.existing} already there, "
                f"{len(carried.left)} not imported."
            )
            for left in carried.left:
                out.write(self.style.WARNING(f"  not imported: {_describe(left)}"))
        if options["send_claims"]:
            out.write(f"Claim links mailed to {len(report.claims_sent)} authors.")
