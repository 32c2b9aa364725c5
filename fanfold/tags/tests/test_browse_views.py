"""Tag pages, the fandom index by media, and the tag autocomplete: what they show each kind of
viewer, kept current by wrangling and cached counts, and never a draft's or hidden work's tag."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fanfold.tags import wrangling
from fanfold.tags.counts import tag_counts_refresh_all
from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work
from fanfold.works.services import work_delete, work_hide, work_update

pytestmark = pytest.mark.django_db


def get_tag(name):
    return Tag.objects.get(name=name)


@pytest.fixture
def archive(alice, bob, wrangler, moderator, django_capture_on_commit_callbacks):
    """Harbour Tales (two public works, one restricted, one draft, one hidden) in Books &
    Literature; Sea Songs uncategorized. Counts are refreshed as they are after commits."""
    with django_capture_on_commit_callbacks(execute=True):
        make_work(alice, title="Lanterns", fandoms=["Harbour Tales"], characters=["Mira Holm"])
        make_work(bob, title="Nets", fandoms=["Harbour Tales"], relationships=["Mira/Tove"])
        make_work(alice, title="Members", fandoms=["Harbour Tales"], is_restricted=True)
        make_work(alice, title="Draft", fandoms=["Draft Fandom"], characters=["Secret"], post=False)
        hidden = make_work(bob, title="Hidden", fandoms=["Hidden Fandom"])
        work_hide(work=hidden, moderator=moderator, reason="Under review")
        make_work(bob, title="Song", fandoms=["Sea Songs"])
        harbour = get_tag("Harbour Tales")
        wrangling.tags_make_canonical(user=wrangler, tags=[harbour])
        wrangling.tags_attach_to_parent(
            user=wrangler, tags=[harbour], parent=get_tag("Books & Literature")
        )
    return harbour


# --- Tag pages -----------------------------------------------------------------------------


def test_tag_page_shows_wrangling_and_links(archive, wrangler, client, client_for):
    with_family = get_tag("Mira/Tove")
    canonical = Tag.objects.create(name="Mira Holm/Tove Lind", type="relationship", canonical=True)
    wrangling.tags_merge(user=wrangler, tags=[with_family], into=canonical)
    wrangling.tags_attach_to_parent(user=wrangler, tags=[canonical], parent=archive)
    wrangling.tags_make_canonical(user=wrangler, tags=[get_tag("Mira Holm")])
    wrangling.tags_attach_to_parent(user=wrangler, tags=[get_tag("Mira Holm")], parent=archive)

    synonym_page = client.get("/tags/Mira*s*Tove")
    assert "It's a synonym of Mira Holm/Tove Lind" in text(synonym_page)
    assert 'href="/tags/Mira%20Holm*s*Tove%20Lind"' in synonym_page.content.decode()

    page = text(client.get(canonical.get_page_url()))
    assert "belongs to the Relationship category. It's a common tag." in page
    assert "Tags with the same meaning Mira/Tove" in page
    assert "Parent tags Harbour Tales" in page
    assert "Edit tag" not in page

    fandom_page = client.get("/tags/harbour tales")
    assert "Character Mira Holm" in text(fandom_page)
    assert "Relationship Mira Holm/Tove Lind" in text(fandom_page)
    assert "Media Books & Literature" in text(fandom_page)
    assert 'href="/tags/Harbour%20Tales/works"' in fandom_page.content.decode()
    assert "Edit tag" in text(client_for(wrangler).get("/tags/harbour tales"))


def test_tag_page_counts_what_the_viewer_may_see(archive, client, client_for, reader):
    assert "Works (2)" in text(client.get("/tags/Harbour Tales"))
    assert "Works (3)" in text(client_for(reader).get("/tags/Harbour Tales"))


def test_unknown_tag_page_is_not_found(client, db):
    assert client.get("/tags/No Such Tag").status_code == 404


def test_tag_page_meta_and_sub_tags(wrangler, client, db):
    sub = Tag.objects.create(name="Slow Burn", type="freeform", canonical=True)
    meta = Tag.objects.create(name="Pacing", type="freeform", canonical=True)
    wrangling.tag_meta_add(user=wrangler, tag=sub, meta=meta)
    assert "Meta tags Pacing" in text(client.get("/tags/Slow Burn"))
    assert "Sub tags Slow Burn" in text(client.get("/tags/Pacing"))


# --- Fandom index --------------------------------------------------------------------------


def test_media_index_lists_every_media_with_its_fandoms(archive, client):
    page = text(client.get(reverse("media_index")))
    for media in ("Anime & Manga", "Video Games", "Uncategorized Fandoms", "TV Shows"):
        assert media in page
    assert "Books & Literature (1 fandom) Harbour Tales (2)" in page
    assert "Uncategorized Fandoms (1 fandom) Sea Songs (1)" in page
    for absent in ("Draft Fandom", "Hidden Fandom"):
        assert absent not in page


def test_media_fandoms_alphabetically_with_counts_for_the_viewer(
    archive, client, client_for, reader
):
    url = get_tag("Books & Literature").get_fandoms_url()
    assert url == "/media/Books%20*a*%20Literature/fandoms"
    assert "H Harbour Tales (2)" in text(client.get(url))
    assert "H Harbour Tales (3)" in text(client_for(reader).get(url))
    uncategorized = text(client.get("/media/Uncategorized Fandoms/fandoms"))
    assert "S Sea Songs (1)" in uncategorized
    assert "Harbour Tales" not in uncategorized and "Draft Fandom" not in uncategorized
    assert "No fandoms with works here yet." in text(client.get("/media/Theater/fandoms"))
    assert client.get("/media/Harbour Tales/fandoms").status_code == 404
    assert client.get("/media/Nowhere/fandoms").status_code == 404


def test_counts_follow_posting_hiding_retagging_and_deleting(
    archive, alice, bob, moderator, client, django_capture_on_commit_callbacks
):
    url = "/media/Uncategorized Fandoms/fandoms"
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(alice, title="Second Song", fandoms=["Sea Songs"])
    assert "Sea Songs (2)" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        work_hide(work=work, moderator=moderator, reason="Checking")
    assert "Sea Songs (1)" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        work_update(work=Work.objects.get(title="Song"), user=bob, fandoms=["Other Songs"])
    page = text(client.get(url))
    assert "Sea Songs" not in page and "Other Songs (1)" in page
    with django_capture_on_commit_callbacks(execute=True):
        work_delete(work=Work.objects.get(title="Song"), user=bob)
    assert "No fandoms with works here yet." in text(client.get(url))


def test_a_full_recount_matches(archive, client):
    Tag.objects.update(works_count=0, public_works_count=0)
    assert "Harbour Tales" not in text(client.get(reverse("media_index")))
    tag_counts_refresh_all()
    assert "Harbour Tales (2)" in text(client.get(reverse("media_index")))


# --- Autocomplete --------------------------------------------------------------------------


def suggest(client, **params):
    response = client.get(reverse("tag_autocomplete"), params)
    assert response.status_code == 200, response.content
    return [(tag["name"], tag["canonical"]) for tag in response.json()["tags"]]


def test_autocomplete_offers_canonical_tags_first_then_others(archive, wrangler, client):
    Tag.objects.create(name="Harbour Lights", type="fandom", canonical=True)
    assert suggest(client, type="fandom", term="harb") == [
        ("Harbour Lights", True),
        ("Harbour Tales", True),
    ]
    assert suggest(client, type="character", term="MIRA") == [("Mira Holm", False)]
    assert suggest(client, type="relationship", term="mira/") == [("Mira/Tove", False)]
    # Any type when none is asked for; prefix only, never the middle of a name.
    assert suggest(client, term="mira") == [("Mira Holm", False), ("Mira/Tove", False)]
    assert suggest(client, type="fandom", term="tales") == []
    # Percent signs and underscores are letters here, not wildcards.
    assert suggest(client, type="fandom", term="h%") == []
    assert suggest(client, type="fandom", term="h_rbour") == []


def test_autocomplete_never_suggests_tags_only_on_drafts_or_hidden_works(
    archive, client, client_for, reader
):
    for viewer in (client, client_for(reader)):
        assert suggest(viewer, term="secret") == []
        assert suggest(viewer, type="fandom", term="draft") == []
        assert suggest(viewer, type="fandom", term="hidden") == []


@override_settings(FANFOLD_TAG_AUTOCOMPLETE_LIMIT=3)
def test_autocomplete_is_limited(alice, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_work(alice, freeforms=[f"Fluff {number}" for number in range(6)])
    assert len(suggest(client, type="freeform", term="fluff")) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [({"term": ""}, "term"), ({}, "term"), ({"term": "a", "type": "colour"}, "type")],
)
def test_autocomplete_bad_input_is_a_400_naming_the_field(client, db, params, field):
    response = client.get(reverse("tag_autocomplete"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_autocomplete_is_rate_limited(client, db, settings):
    settings.FANFOLD_RATE_LIMITS = {
        **settings.FANFOLD_RATE_LIMITS,
        "tag_autocomplete": {"ip": (2, 60)},
    }
    url = reverse("tag_autocomplete")
    assert Client().get(url, {"term": "a"}).status_code == 200
    assert Client().get(url, {"term": "b"}).status_code == 200
    assert Client().get(url, {"term": "c"}).status_code == 429
