"""One OS process of the bookmark concurrency test (test_concurrency.py starts several).

    python -m fanfold.bookmarks.tests.concurrent_worker START_AT WORK_ID USERNAME...

Waits until the wall-clock time START_AT so the processes start together, then for each named
user in turn bookmarks the work, makes the bookmark private, public again, deletes it and
bookmarks it once more. Several processes name the same users, so they also race on one
bookmark (duplicate creates, double deletes, flips of a row another process just deleted);
those refusals are expected and counted. Prints a JSON summary."""

import json
import os
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from fanfold.bookmarks.models import Bookmark
    from fanfold.bookmarks.services import bookmark_create, bookmark_delete, bookmark_update
    from fanfold.works.models import Work

    start_at, work_id, usernames = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    work = Work.objects.get(pk=work_id)
    users = [get_user_model().objects.get(username=name) for name in usernames]
    time.sleep(max(0.0, start_at - time.time()))
    refused = done = 0
    for _ in range(3):
        for user in users:
            steps = [
                lambda user=user: bookmark_create(user=user, work=work, tags="race"),
                lambda user=user: _own(Bookmark, user, work, bookmark_update, is_private=True),
                lambda user=user: _own(Bookmark, user, work, bookmark_update, is_private=False),
                lambda user=user: _own(Bookmark, user, work, bookmark_delete),
                lambda user=user: bookmark_create(user=user, work=work),
            ]
            for step in steps:
                try:
                    step()
                    done += 1
                except ValidationError:
                    refused += 1
    print(json.dumps({"done": done, "refused": refused}))


def _own(model, user, work, service, **fields) -> None:
    from django.core.exceptions import ValidationError

    bookmark = model.objects.filter(user=user, work=work).first()
    if bookmark is None:
        raise ValidationError("gone")
    service(bookmark=bookmark, user=user, **fields)


if __name__ == "__main__":
    main()
