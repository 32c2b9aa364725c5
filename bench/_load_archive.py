"""The archive side of bench/load.py, run as `python -m bench._load_archive ROLE` with
DATABASE_URL and FANFOLD_DATA_DIR set: `setup` (migrate, the demo archive, the load test's
users with logged-in sessions; prints JSON) and `check` (what the database holds afterwards:
kudos, comments, bookmarks and hits with their denormalised counts; prints JSON)."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from fanfold.accounts.models import User  # noqa: E402
from fanfold.accounts.services import user_create  # noqa: E402
from fanfold.bookmarks.models import Bookmark  # noqa: E402
from fanfold.comments.models import Comment  # noqa: E402
from fanfold.kudos.models import Kudos  # noqa: E402
from fanfold.tags.models import Tag  # noqa: E402
from fanfold.works.models import Work, WorkHit  # noqa: E402
from fanfold.works.selectors import works_posted_visible_to  # noqa: E402


def setup(users: int) -> dict:
    call_command("migrate", verbosity=0)
    # Static files as production serves them (whitenoise's manifest), as `make run` does.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", verbosity=0)
    call_command("tag_counts_refresh", verbosity=0)  # else done by the background worker
    sessions = []
    for number in range(users):
        user = user_create(
            username=f"loadreader{number}",
            email=f"loadreader{number}@example.org",
            password=f"load-test-password-{number}",
            check_terms=False,
        )
        client = Client()
        client.force_login(user)
        sessions.append([user.pk, client.cookies[settings.SESSION_COOKIE_NAME].value])
    public = list(works_posted_visible_to(AnonymousUser()).values_list("pk", flat=True))
    logged_in = list(
        works_posted_visible_to(User.objects.get(pk=sessions[0][0])).values_list("pk", flat=True)
    )
    tags = list(
        Tag.objects.filter(type="fandom", public_works_count__gt=0).values_list("name", flat=True)
    )
    return {
        "sessions": sessions,
        "public_works": public,
        "works": logged_in,
        "fandoms": tags,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def _per_work(rows) -> dict[int, int]:
    return {row["work_id"]: row["n"] for row in rows.values("work_id").annotate(n=Count("id"))}


def check() -> dict:
    works = {}
    for work in Work.objects.all():
        works[work.pk] = {
            "kudos_count": work.kudos_count,
            "kudos_rows": Kudos.objects.filter(work=work).count(),
            "comment_count": work.comment_count,
            "comment_rows": Comment.objects.filter(
                work=work, status="published", is_deleted=False
            ).count(),
            "bookmark_count": work.bookmark_count,
            "bookmark_rows": Bookmark.objects.filter(work=work, is_private=False).count(),
            "hit_count": work.hit_count,
            "hit_rows": WorkHit.objects.filter(work=work).count(),
        }
    return {
        "works": works,
        "user_kudos": sorted(
            [k.user_id, k.work_id] for k in Kudos.objects.filter(user__isnull=False)
        ),
        # Per work: guests are known only by a keyed hash of their address.
        "guest_kudos": _per_work(Kudos.objects.filter(user__isnull=True)),
        "comments": list(Comment.objects.values_list("content", flat=True)),
        "bookmarks": sorted(
            [b.user_id, b.work_id] for b in Bookmark.objects.filter(work__isnull=False)
        ),
        "user_hits": sorted(
            [h.visitor, h.work_id] for h in WorkHit.objects.filter(visitor__startswith="u:")
        ),
        "guest_hits": _per_work(WorkHit.objects.exclude(visitor__startswith="u:")),
    }


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    result = setup(int(args[0])) if role == "setup" else check()
    print(json.dumps(result))
