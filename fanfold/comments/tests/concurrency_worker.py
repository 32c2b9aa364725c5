"""One OS process of test_counts_concurrency: run as
`python -m fanfold.comments.tests.concurrency_worker ROLE ...` with DATABASE_URL set to the
database the test made for it. Roles: setup (migrate, make users and a work), work (leave kudos
and comments, reply, delete, as fast as the database lets it), check (counts and rows)."""

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
os.environ["FANFOLD_TESTING"] = "1"
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"

import django

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402

from fanfold.accounts.models import User  # noqa: E402
from fanfold.accounts.services import user_create  # noqa: E402
from fanfold.comments.models import Comment  # noqa: E402
from fanfold.comments.services import comment_create, comment_delete  # noqa: E402
from fanfold.kudos.models import Kudos  # noqa: E402
from fanfold.kudos.services import kudos_give  # noqa: E402
from fanfold.testing.factories import make_work  # noqa: E402
from fanfold.works.models import Work  # noqa: E402


def setup(workers: int) -> dict:
    call_command("migrate", verbosity=0)
    author = user_create(
        username="author",
        email="author@example.org",
        password="x" * 12,
        check_terms=False,
    )
    users = [
        user_create(
            username=f"reader{n}", email=f"r{n}@example.org", password="x" * 12, check_terms=False
        )
        for n in range(workers)
    ]
    works = [make_work(author, title="Crowded", chapters=2), make_work(author, title="Quiet")]
    return {"works": [w.pk for w in works], "users": [u.pk for u in users]}


def work(number: int, work_ids: list[int], go: Path, rounds: int) -> dict:
    user = User.objects.get(username=f"reader{number}")
    works = list(Work.objects.filter(pk__in=work_ids))
    while not go.exists():  # every process starts at once
        time.sleep(0.01)
    done = {"kudos": 0, "refused": 0, "comments": 0, "deleted": 0}
    for work_ in works:
        for _attempt in range(2):  # the second is refused: one kudos per user
            try:
                kudos_give(work=work_, user=user)
                done["kudos"] += 1
            except ValidationError:
                done["refused"] += 1
        for guest in range(rounds):
            # Guests at shared addresses: several processes try the same ones at once.
            try:
                kudos_give(work=work_, user=None, ip=f"192.0.2.{guest}")
                done["kudos"] += 1
            except ValidationError:
                done["refused"] += 1
    mine: list[Comment] = []
    for turn in range(rounds):
        work_ = works[turn % len(works)]
        others = Comment.objects.filter(work=work_, is_deleted=False).exclude(user=user)
        parent = others.order_by("?").first() if turn % 2 else None
        try:
            mine.append(
                comment_create(work=work_, user=user, content=f"Turn {turn}", parent=parent)
            )
            done["comments"] += 1
        except ValidationError:  # the parent was deleted meanwhile
            pass
        if turn % 3 == 2 and mine:
            comment_delete(comment=mine.pop(0), user=user)
            done["deleted"] += 1
    return done


def check(work_ids: list[int]) -> dict:
    result = {}
    for work_ in Work.objects.filter(pk__in=work_ids):
        result[str(work_.pk)] = {
            "kudos_count": work_.kudos_count,
            "kudos_rows": Kudos.objects.filter(work=work_).count(),
            "comment_count": work_.comment_count,
            "comment_rows": Comment.objects.filter(
                work=work_, status="published", is_deleted=False
            ).count(),
        }
    return result


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    if role == "setup":
        output = setup(int(args[0]))
    elif role == "work":
        output = work(int(args[0]), json.loads(args[1]), Path(args[2]), int(args[3]))
    else:
        output = check(json.loads(args[0]))
    print(json.dumps(output))
