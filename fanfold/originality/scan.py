"""`fanfold originality scan`: check the whole archive in batch on a Dask cluster.

The database is read here, in the command's process; the heavy, pure work (tokenising,
fingerprinting, aligning candidate pairs) is mapped over batches on the cluster with the
engine's batch functions. The repost index is rebuilt into a new directory and swapped in, so
checks running meanwhile keep using the old one."""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from fanfold.works.models import Work

from . import selectors, services
from .engine import batch
from .engine.fingerprint import Fingerprint
from .engine.index import RepostIndex

BATCH = 50


def _batches(items: list, size: int = BATCH) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def originality_scan(
    *, client, say: Callable[[str], None] = lambda message: None
) -> dict[str, int]:
    """Rebuild the repost index from every posted work and record every repost pair.
    `client` is a dask.distributed Client. Returns counts for the summary."""
    work_ids = list(selectors.works_to_check().order_by("pk").values_list("pk", flat=True))
    say(f"{len(work_ids)} posted works to scan")
    texts = {work_id: selectors.work_plain_text(work_id) for work_id in work_ids}
    futures = client.map(
        batch.fingerprint_batch, _batches([(i, texts[i]) for i in work_ids]), pure=False
    )
    fingerprints = [row for result in client.gather(futures) for row in result]
    say(f"fingerprinted {len(fingerprints)} works on the cluster")

    target = Path(settings.FANFOLD_ORIGINALITY_INDEX_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="index-", dir=target.parent))
    index = RepostIndex(building)
    prints = {
        work_id: Fingerprint(exact=exact, signature=signature, winnowed=winnowed, length=length)
        for work_id, exact, signature, winnowed, length in fingerprints
    }
    index.add(list(prints.items()))

    pairs: set[tuple[int, int]] = set()
    for work_id, fp in prints.items():
        for candidate in index.candidates(fp, exclude=work_id):
            pairs.add((min(work_id, candidate.id), max(work_id, candidate.id)))
    say(f"{len(pairs)} candidate pairs to align")
    futures = client.map(
        batch.verify_batch,
        _batches([(a, texts[a], b, texts[b]) for a, b in sorted(pairs)]),
        pure=False,
    )
    findings = [row for result in client.gather(futures) for row in result]

    with transaction.atomic():
        works = Work.objects.in_bulk(
            {row["work"] for row in findings} | {row["other"] for row in findings}
        )
        for row in findings:
            services.repost_pair_record(
                work=works[row["work"]],
                other=works[row["other"]],
                kind=row["kind"],
                exact=prints[row["work"]].exact == prints[row["other"]].exact,
                matched_words=row["matched_words"],
                share_of_work=row["share_of_work"],
                share_of_other=row["share_of_other"],
                name_map=row["name_map"],
            )
    # swap the new index in
    if target.exists():
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        building.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        building.rename(target)
    say(f"{len(findings)} repost pairs recorded")
    return {"works": len(work_ids), "pairs": len(pairs), "reposts": len(findings)}
