"""`fanfold originality ...`: the originality checks from the command line.

    check FILE --against DIR     is FILE a repost of (or does it contain) a text in DIR?
    sources FILE --library DIR   which passages of FILE quote or paraphrase a text in DIR?
    scan [--dask-scheduler ADDRESS]   check the whole archive in batch on a Dask cluster
    load-library DIR             add every text file in DIR to the archive's reference library

check and sources need no running archive and no database: they read files and use the engine
directly (a temporary index for check). Both print a readable report, or JSON with --json.
"""

import json
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...engine.check import check_tokens
from ...engine.files import MAX_BYTES, InputError, read_directory, read_text
from ...engine.fingerprint import fingerprint
from ...engine.index import RepostIndex
from ...engine.sources import Library
from ...engine.text import tokenize


class Command(BaseCommand):
    help = "Find reposted copies (also name-swapped) and quoted passages."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = commands.add_parser("check", help="Is FILE a copy of a text in DIR?")
        check.add_argument("file", type=Path)
        check.add_argument("--against", type=Path, required=True, metavar="DIR")
        check.add_argument("--json", action="store_true", help="print JSON")
        check.add_argument("--max-bytes", type=int, default=MAX_BYTES, help="per file")
        sources = commands.add_parser("sources", help="Which passages of FILE quote DIR?")
        sources.add_argument("file", type=Path)
        sources.add_argument("--library", type=Path, required=True, metavar="DIR")
        sources.add_argument("--json", action="store_true", help="print JSON")
        sources.add_argument("--max-bytes", type=int, default=MAX_BYTES, help="per file")
        scan = commands.add_parser("scan", help="Check the whole archive on a Dask cluster.")
        scan.add_argument(
            "--dask-scheduler",
            metavar="ADDRESS",
            help="a running Dask scheduler (tcp://host:8786); without it a local cluster",
        )
        scan.add_argument("--workers", type=int, default=None, help="local cluster's workers")
        scan.add_argument(
            "--threads",
            action="store_true",
            help="local cluster in this process (threads), not worker processes",
        )
        load = commands.add_parser("load-library", help="Add DIR's texts to the library.")
        load.add_argument("directory", type=Path)
        load.add_argument("--admin", required=True, help="the admin's username (recorded)")

    def handle(self, *args, action: str, **options):
        try:
            if action == "check":
                self._check(options["file"], options["against"], options)
            elif action == "sources":
                self._sources(options["file"], options["library"], options)
            elif action == "scan":
                self._scan(options)
            else:
                self._load(options["directory"], options["admin"])
        except InputError as error:
            raise CommandError(str(error)) from None

    def _check(self, file: Path, against: Path, options) -> None:
        text = read_text(file, max_bytes=options["max_bytes"])
        others = read_directory(against, max_bytes=options["max_bytes"])
        tokens = {number: tokenize(other) for number, (_, other) in enumerate(others)}
        with tempfile.TemporaryDirectory() as directory:
            index = RepostIndex(directory)
            index.add([(n, fingerprint(t.words)) for n, t in tokens.items()])
            findings = check_tokens(tokenize(text), index, tokens.get)
        if options["json"]:
            result = [{**f.as_dict(), "other": str(others[f.other_id][0])} for f in findings]
            self.stdout.write(json.dumps({"file": str(file), "matches": result}, indent=2))
            return
        if not findings:
            self.stdout.write(f"{file}: no copies found among {len(others)} texts in {against}.")
            return
        for finding in findings:
            alignment = finding.alignment
            self.stdout.write(
                f"{file} and {others[finding.other_id][0]}: "
                f"{'copy of the whole text' if finding.kind == 'full' else 'part copied'}"
                f"{' (identical once names are folded)' if finding.exact else ''}\n"
                f"  {alignment.matched} words align: {alignment.share_a:.0%} of {file.name}, "
                f"{alignment.share_b:.0%} of {others[finding.other_id][0].name}"
            )
            for mine, theirs, count in alignment.name_map:
                if mine != theirs:
                    self.stdout.write(f"  {theirs} -> {mine}, {count} times")

    def _sources(self, file: Path, library_dir: Path, options) -> None:
        text = read_text(file, max_bytes=options["max_bytes"])
        texts = read_directory(library_dir, max_bytes=options["max_bytes"])
        library = Library.build([(str(path), path.stem, body) for path, body in texts])
        matches = library.find(text)
        if options["json"]:
            payload = {"file": str(file), "passages": [m.as_dict() for m in matches]}
            self.stdout.write(json.dumps(payload, indent=2))
            return
        if not matches:
            self.stdout.write(f"{file}: no passages match the {len(texts)} texts in {library_dir}.")
            return
        for match in matches:
            self.stdout.write(
                f"{match.source_id} (score {match.score:.2f}, {match.matched_words} words)\n"
                f"  work:   {match.work_text}\n  source: {match.source_text}"
            )
            for segment in match.segments:
                if segment.kind != "equal":
                    self.stdout.write(f"    {segment.left or '-'}  |  {segment.right or '-'}")

    def _scan(self, options) -> None:
        from distributed import Client, LocalCluster

        from ...scan import originality_scan

        def say(message: str) -> None:
            self.stdout.write(message)

        if options["dask_scheduler"]:
            with Client(options["dask_scheduler"]) as client:
                result = originality_scan(client=client, say=say)
        else:
            with (
                LocalCluster(
                    n_workers=options["workers"],
                    processes=not options["threads"],
                    threads_per_worker=1,
                    dashboard_address=None,
                ) as cluster,
                Client(cluster) as client,
            ):
                result = originality_scan(client=client, say=say)
        self.stdout.write(
            f"Scanned {result['works']} works: {result['pairs']} candidate pairs, "
            f"{result['reposts']} reposts recorded."
        )

    def _load(self, directory: Path, username: str) -> None:
        from fanfold.accounts.models import User

        from ...services import reference_source_add

        admin = User.objects.filter(username=username).first()
        if admin is None or not admin.is_archive_admin:
            raise CommandError(f"{username}: no such archive admin.")
        for path, text in read_directory(directory):
            try:
                reference_source_add(title=path.stem, text=text, user=admin)
            except ValidationError as error:
                raise CommandError(f"{path}: {' '.join(error.messages)}") from None
            self.stdout.write(f"added {path.stem} ({len(text.split())} words)")
