"""Atom feeds of a fandom's, character's or relationship's newest works: valid Atom, public
works only, linked from the tag's works page."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from fanfold.tags.filters import filters_rebuild_for_tags
from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work
from fanfold.works.services import work_hide

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, name):
    response = client.get(reverse("tag_feed", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_is_atom_with_the_newest_public_works(client, alice, moderator):
    make_work(
        alice, title="Older", fandoms=["Harbour Tales"], summary="<p>Salt &amp; <em>sea</em></p>"
    )
    make_work(alice, title="Newer", fandoms=["Harbour Tales"], relationships=["Mira/Tove"])
    make_work(alice, title="Draft", fandoms=["Harbour Tales"], post=False)
    make_work(alice, title="Locked", fandoms=["Harbour Tales"], is_restricted=True)
    hidden = make_work(alice, title="Hidden", fandoms=["Harbour Tales"])
    work_hide(work=hidden, moderator=moderator, reason="Review")
    make_work(alice, title="Elsewhere", fandoms=["Far Away Fandom"])

    root = feed(client, "Harbour Tales")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Harbour Tales works"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Newer", "Older"]
    older = entries[1]
    assert older.find(f"{ATOM}author").findtext(f"{ATOM}name") == "alice"
    assert older.findtext(f"{ATOM}summary") == "<p>Salt &amp; <em>sea</em></p>"
    assert "/works/" in older.find(f"{ATOM}link").get("href")
    assert (
        feed(client, "Mira*s*Tove").findall(f"{ATOM}entry")[0].findtext(f"{ATOM}title") == "Newer"
    )


def test_a_synonyms_feed_is_its_canonical_tags(client, alice):
    make_work(alice, title="Canon", fandoms=["Harbour Tales"])
    make_work(alice, title="Short", fandoms=["HT"])
    main, short = Tag.objects.get(name="Harbour Tales"), Tag.objects.get(name="HT")
    Tag.objects.filter(pk=short.pk).update(merger=main)
    filters_rebuild_for_tags([main.pk, short.pk])
    titles = {e.findtext(f"{ATOM}title") for e in feed(client, "HT").findall(f"{ATOM}entry")}
    assert titles == {"Canon", "Short"}


def test_only_fandoms_characters_and_relationships_have_feeds(client, alice):
    make_work(alice, freeforms=["Fluff"])
    assert client.get(reverse("tag_feed", args=["Fluff"])).status_code == 404
    assert client.get(reverse("tag_feed", args=["General Audiences"])).status_code == 404
    assert client.get(reverse("tag_feed", args=["No Such Tag"])).status_code == 404


def test_tag_works_pages_link_their_feed(client, alice):
    make_work(alice, fandoms=["Harbour Tales"], freeforms=["Fluff"])
    html = client.get(reverse("tag_works", args=["Harbour Tales"])).content.decode()
    assert 'href="/tags/Harbour%20Tales/feed.atom"' in html
    html = client.get(reverse("tag_works", args=["Fluff"])).content.decode()
    assert "feed.atom" not in html


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_the_newest_posted_works_come_first_however_recently_others_were_updated(alice, limit):
    """The feed reads a tag's works most recently updated first until no unread work can
    have been posted later: old works updated today (a new chapter) must not push out newer
    posts, and backdated works sort by the date they show."""
    from fanfold.tags.filters import filter_rows_sync_work
    from fanfold.works.models import Work
    from fanfold.works.selectors import works_newest_posted_for_tag

    now = timezone.now()
    works = [
        make_work(alice, title=f"Work {number}", fandoms=["Harbour Tales"]) for number in range(12)
    ]
    for number, work in enumerate(works):
        posted = datetime.date(2020, 1, 1) + datetime.timedelta(days=number)
        # The eight oldest were updated just now; the rest last changed when they were posted.
        updated = (
            now
            if number < 8
            else timezone.make_aware(datetime.datetime.combine(posted, datetime.time(12)))
        )
        Work.objects.filter(pk=work.pk).update(published_on=posted, revised_at=updated)
        filter_rows_sync_work(work.pk)
    tag = Tag.objects.get(name="Harbour Tales")
    shown = [work.title for work in works_newest_posted_for_tag(tag_id=tag.pk, limit=limit)]
    assert shown == [f"Work {number}" for number in range(11, 11 - min(limit, 12), -1)]
