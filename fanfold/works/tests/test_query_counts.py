"""No N+1 queries: every listing page runs the same number of queries whether it shows 2 works
or 20, and the work page the same whatever the number of its tags, creators and chapters.

A page that loads each blurb's tags or creators one work at a time would run a few queries per
work: unnoticeable in a test archive of ten works, minutes per page at a million. The works
here differ in every way a blurb shows (fandoms, relationships, characters, additional tags,
co-creators, pseuds), so a lazy load anywhere in a blurb shows up as a difference."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.accounts.services import pseud_create
from fanfold.testing.factories import make_work
from fanfold.works.services import work_hide

# Pages listing works: URL name, arguments, query string (users and pseuds made below).
LISTINGS = {
    "home": ("home", [], ""),
    "works": ("work_index", [], ""),
    "tag works": ("tag_works", ["Shared Fandom"], ""),
    "user works": ("user_works", ["alice"], ""),
    "pseud works": ("pseud_works", ["alice", "Quill"], ""),
    "search results": ("search", [], "?q=fluff"),
    # A listing filtered through the sidebar: the filters' own queries must not grow either.
    "filtered works": ("work_index", [], "?other_tags=Fluff&sort=words"),
}


def _counts(query: dict) -> bool:
    # The rate limiter (searches) takes a different path, with its own savepoint, when a new
    # minute starts, which a slow test run may cross between two measurements; it never
    # depends on the number of works, so its statements are left out of the comparison.
    sql = query["sql"]
    return "core_ratelimitcounter" not in sql and not sql.startswith(("SAVEPOINT", "RELEASE"))


def count_queries(client: Client, url: str) -> int:
    # Every count starts from an empty cache (archive settings, banner, blurbs, sidebar), so two
    # counts compare the same work: the first view's, the most a page costs.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return sum(1 for query in queries.captured_queries if _counts(query))


def add_works(alice, bob, *, start: int, count: int) -> None:
    """Works by alice under her pseud Quill, each with its own tags; every third one co-created
    with bob. All are public, posted and in the shared fandom, so every listing shows them."""
    quill = alice.pseuds.get(name="Quill")
    bobs = bob.pseuds.get(is_default=True)
    for number in range(start, start + count):
        make_work(
            alice,
            title=f"Work {number}",
            pseuds=[quill, bobs] if number % 3 == 0 else [quill],
            fandoms=["Shared Fandom", f"Fandom {number}"],
            relationships=[f"Ana/Ben {number}"],
            characters=["Ana", f"Ben {number}"],
            freeforms=["Fluff", f"Tag {number}"],
            warnings=["No Archive Warnings Apply", "Graphic Depictions Of Violence"],
            summary=f"<p>Summary {number}</p>",
            chapters=1 + number % 2,
        )


@pytest.fixture
def archive(alice, bob, moderator):
    pseud_create(user=alice, name="Quill")
    # Works no listing may show, present from the start: a draft, a hidden work.
    make_work(alice, title="A draft", post=False, fandoms=["Shared Fandom"])
    hidden = make_work(alice, title="Hidden", fandoms=["Shared Fandom"])
    work_hide(work=hidden, moderator=moderator, reason="Under review")
    return alice, bob


def listing_counts(clients: dict[str, Client]) -> dict[tuple[str, str], int]:
    return {
        (page, viewer): count_queries(client, reverse(name, args=args) + query)
        for page, (name, args, query) in LISTINGS.items()
        for viewer, client in clients.items()
    }


def test_listing_pages_run_as_many_queries_for_20_works_as_for_2(archive, reader, client_for):
    alice, bob = archive
    clients = {"guest": Client(), "reader": client_for(reader), "owner": client_for(alice)}
    add_works(alice, bob, start=1, count=2)
    with_two = listing_counts(clients)
    add_works(alice, bob, start=3, count=18)
    with_twenty = listing_counts(clients)

    differences = {key: (with_two[key], with_twenty[key]) for key in with_two}
    differences = {key: counts for key, counts in differences.items() if counts[0] != counts[1]}
    assert not differences, f"queries (2 works, 20 works) differ: {differences}"
    # The pages really list the works (a page that lists nothing runs few queries too).
    for name, args, query in LISTINGS.values():
        if name == "home":
            continue  # the home page shows the newest ten
        page = Client().get(reverse(name, args=args) + query).content.decode()
        assert page.count('data-testid="blurb"') == 20, (name, query)
        assert "A draft" not in page and "Hidden" not in page


def work_page_queries(client: Client, work, **params) -> int:
    query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    return count_queries(client, reverse("work_detail", args=[work.pk]) + query)


def chapter_page_queries(client: Client, work) -> int:
    chapter = work.chapters.order_by("position").last()
    return count_queries(client, reverse("chapter_detail", args=[work.pk, chapter.pk]))


@pytest.mark.parametrize("viewer", ["guest", "reader"])
def test_work_page_queries_do_not_grow_with_tags_creators_or_chapters(
    viewer, alice, bob, reader, client_for
):
    client = Client() if viewer == "guest" else client_for(reader)
    bobs = bob.pseuds.get(is_default=True)
    plain = dict(fandoms=["Small"], warnings=["No Archive Warnings Apply"])
    rich = dict(
        fandoms=["Big", "Bigger", "Biggest"],
        relationships=[f"A/B{n}" for n in range(5)],
        characters=[f"Person {n}" for n in range(8)],
        freeforms=[f"Tag {n}" for n in range(10)],
        warnings=["Graphic Depictions Of Violence", "Major Character Death"],
        pseuds=[alice.pseuds.get(is_default=True), bobs],
    )
    # A one-shot: the whole text on the work page.
    small, big = make_work(alice, **plain), make_work(alice, **rich)
    assert work_page_queries(client, small) == work_page_queries(client, big)
    # A multi-chapter work: its first chapter, its last chapter, and the entire work.
    short, long = make_work(alice, chapters=2, **plain), make_work(alice, chapters=12, **rich)
    assert work_page_queries(client, short) == work_page_queries(client, long)
    assert chapter_page_queries(client, short) == chapter_page_queries(client, long)
    assert work_page_queries(client, short, view_full_work="true") == work_page_queries(
        client, long, view_full_work="true"
    )
    # The pages showed what they were asked to (a 404 runs few queries too).
    whole = client.get(reverse("work_detail", args=[long.pk]), {"view_full_work": "true"})
    assert whole.content.decode().count("This is chapter ") == 12


@pytest.mark.parametrize("viewer", ["guest", "reader who muted a commenter"])
def test_work_page_queries_do_not_grow_with_comments(viewer, alice, bob, reader, client_for):
    """The comments under a work are loaded a page of threads at a time, with their replies and
    authors, in a fixed number of queries; so are the counts without muted users."""
    from fanfold.blocking.services import user_mute
    from fanfold.comments.services import comment_create

    if viewer == "guest":
        client = Client()
    else:
        user_mute(user=reader, muted=bob)
        client = client_for(reader)
    few, many = make_work(alice), make_work(alice)
    for work, threads in ((few, 2), (many, 30)):
        for number in range(threads):
            author = bob if number % 2 else alice
            top = comment_create(work=work, user=author, content=f"Thread {number}")
            comment_create(work=work, user=reader, content=f"Reply {number}", parent=top)
    assert work_page_queries(client, few) == work_page_queries(client, many)
    assert work_page_queries(client, few) == work_page_queries(client, many, comments_page=2)
    # The page showed a full page of threads with their replies (a 404 runs few queries too).
    page = client.get(reverse("work_detail", args=[many.pk])).content.decode()
    assert page.count('data-testid="comment"') > 20
