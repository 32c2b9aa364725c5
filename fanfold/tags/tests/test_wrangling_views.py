"""The wrangling screens: who may open them, the fandom queues (never showing a draft's or a
hidden work's tags), mass actions, the tag edit page's actions and messages, the history."""

import pytest
from django.urls import reverse

from fanfold.tags.models import ParentTagging, Tag, TagType, WranglingChange
from fanfold.tags.services import tags_find_or_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.services import work_hide

pytestmark = pytest.mark.django_db

QUEUE = reverse("wrangling_queue")


@pytest.fixture
def harbour(alice, bob, moderator):
    make_work(
        alice,
        title="Lanterns",
        fandoms=["Harbour Tales"],
        characters=["Mira Holm", "Tove Lind"],
        relationships=["Mira/Tove"],
    )
    make_work(
        bob, title="Nets", fandoms=["Harbour Tales"], characters=["Mira Holm", "Old Ferryman"]
    )
    make_work(
        alice, title="Secret", fandoms=["Harbour Tales"], characters=["Draft Only"], post=False
    )
    hidden = make_work(bob, title="Hidden", fandoms=["Harbour Tales"], characters=["Hidden Only"])
    work_hide(work=hidden, moderator=moderator, reason="Under review")
    fandom = Tag.objects.get(name="Harbour Tales")
    fandom.canonical = True
    fandom.save()
    return fandom


def get_tag(name):
    return Tag.objects.get(name=name)


@pytest.mark.parametrize(
    "path",
    [
        "/tags/wrangling",
        "/tags/wrangling/queue?fandom=Harbour Tales&type=character",
        "/tags/Harbour Tales/edit",
        "/tags/Harbour Tales/history",
    ],
)
def test_only_wranglers_and_admins_open_the_wrangling_screens(
    path, harbour, client, client_for, alice, bob, reader, moderator, wrangler, admin_user
):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login")
    for user in (alice, bob, reader, moderator):
        assert client_for(user).get(path).status_code == 403
    for user in (wrangler, admin_user):
        assert client_for(user).get(path).status_code == 200


def test_others_cannot_post_wrangling_changes(harbour, client_for, alice, client):
    character = get_tag("Mira Holm")
    url = character.get_edit_url()
    assert client_for(alice).post(url, {"action": "canonical"}).status_code == 403
    assert client.post(url, {"action": "canonical"}).status_code == 302
    response = client_for(alice).post(
        f"{QUEUE}?fandom=Harbour Tales&type=character",
        {"tags": [character.pk], "action": "canonical"},
    )
    assert response.status_code == 403
    character.refresh_from_db()
    assert not character.canonical and not WranglingChange.objects.exists()


def test_home_counts_unwrangled_tags_per_fandom_and_type(harbour, client_for, wrangler):
    response = client_for(wrangler).get("/tags/wrangling")
    page = text(response)
    # Characters: Mira Holm, Tove Lind, Old Ferryman (not the draft's nor the hidden work's).
    assert "3 unwrangled characters in Harbour Tales" in page
    assert "1 unwrangled relationships in Harbour Tales" in page
    assert "Unwrangled fandoms: 0" in page
    assert "Draft Only" not in page and "Hidden Only" not in page


def test_queue_lists_unwrangled_tags_of_the_fandom_never_from_drafts_or_hidden_works(
    harbour, client_for, wrangler
):
    tags_find_or_create(names=["Nobody Uses Me"], type=TagType.CHARACTER)
    response = client_for(wrangler).get(QUEUE, {"fandom": "harbour tales", "type": "character"})
    page = text(response)
    assert "Unwrangled Characters in Harbour Tales" in page
    assert "Mira Holm (2 works)" in page
    assert "Old Ferryman (1 work)" in page
    for absent in ("Draft Only", "Hidden Only", "Nobody Uses Me", "Mira/Tove"):
        assert absent not in page


def test_queue_mass_actions(harbour, client_for, wrangler):
    client = client_for(wrangler)
    url = f"{QUEUE}?fandom=Harbour Tales&type=character"
    mira, tove, ferryman = get_tag("Mira Holm"), get_tag("Tove Lind"), get_tag("Old Ferryman")

    response = client.post(url, {"tags": [mira.pk, tove.pk], "action": "canonical"}, follow=True)
    assert "Made canonical: “Mira Holm”, “Tove Lind”." in text(response)
    assert get_tag("Mira Holm").canonical and get_tag("Tove Lind").canonical
    assert "Mira Holm" not in text(client.get(url)).split("Tick the ones")[-1]

    client.post(url, {"tags": [ferryman.pk], "action": "unwrangleable"})
    assert get_tag("Old Ferryman").unwrangleable

    tags_find_or_create(names=["Harbour Tales"], type=TagType.FANDOM)
    make_work(wrangler, fandoms=["Harbour Tales"], characters=["Mira H."])
    client.post(url, {"tags": [get_tag("Mira H.").pk], "action": "merge", "target": "mira holm"})
    assert get_tag("Mira H.").merger == mira

    client.post(url, {"tags": [mira.pk, tove.pk], "action": "attach", "target": "Harbour Tales"})
    assert set(ParentTagging.objects.values_list("child__name", flat=True)) == {
        "Mira Holm",
        "Tove Lind",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tags": [], "action": "canonical"}, "Please tick at least one tag."),
        ({"tags": ["999999"], "action": "canonical"}, "is no longer in the archive"),
        ({"tags": ["MIRA"], "action": "canonical"}, "is no longer in the archive"),
        ({"action": "merge", "target": ""}, "Please name the tag to merge into"),
        ({"action": "merge", "target": "No Such Tag"}, "There is no tag “No Such Tag”"),
        ({"action": "merge", "target": "Tove Lind"}, "is not canonical"),
        ({"action": "attach", "target": "Mira/Tove"}, "Character tags are attached to fandoms"),
        ({"action": "explode"}, "Select a valid choice"),
    ],
)
def test_queue_bad_input_says_what_is_wrong_and_changes_nothing(
    harbour, client_for, wrangler, data, message
):
    data = {"tags": [get_tag("Mira Holm").pk], **data}
    response = client_for(wrangler).post(f"{QUEUE}?fandom=Harbour Tales&type=character", data)
    assert response.status_code == 400
    assert message in text(response)
    assert not WranglingChange.objects.exists()
    assert not Tag.objects.filter(canonical=True, type=TagType.CHARACTER).exists()


def test_queue_needs_a_known_fandom(harbour, client_for, wrangler):
    client = client_for(wrangler)
    response = client.get(QUEUE, {"type": "character"})
    assert response.status_code == 400
    assert "Please name the fandom" in text(response)
    response = client.get(QUEUE, {"fandom": "Nowhere", "type": "character"})
    assert "There is no tag “Nowhere” in the archive." in text(response)
    response = client.get(QUEUE, {"type": "fandom"})
    assert response.status_code == 200 and "Unwrangled Fandoms" in text(response)


def test_edit_page_actions_and_their_messages(harbour, client_for, wrangler):
    client = client_for(wrangler)
    mira = get_tag("Mira Holm")
    url = mira.get_edit_url()
    response = client.post(url, {"action": "canonical"}, follow=True)
    assert "“Mira Holm” is now canonical." in text(response)
    response = client.post(url, {"action": "attach", "target": "Harbour Tales"}, follow=True)
    assert "“Mira Holm” is now attached to “Harbour Tales”." in text(response)
    tove = get_tag("Tove Lind")
    client.post(tove.get_edit_url(), {"action": "canonical"})
    response = client.post(url, {"action": "meta_add", "target": "Tove Lind"}, follow=True)
    assert "“Tove Lind” is now a meta tag of “Mira Holm”." in text(response)
    response = client.post(url, {"action": "rename", "name": "MIRA HOLM"}, follow=True)
    assert "The tag is now called “MIRA HOLM”." in text(response)
    history = text(client.get(reverse("tag_history", args=["mira holm"])))
    for entry in ("Made canonical", "Attached to a parent to “Harbour Tales”", "Renamed"):
        assert entry in history
    assert "wrangler" in history


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "merge", "target": ""}, "Please name a tag."),
        ({"action": "merge", "target": "Nowhere"}, "There is no tag “Nowhere” in the archive."),
        ({"action": "merge", "target": "Tove Lind"}, "is not canonical"),
        ({"action": "merge", "target": "Harbour Tales"}, "must be of the same type"),
        ({"action": "meta_add", "target": "Harbour Tales"}, "is not canonical"),
        ({"action": "rename", "name": "Somebody Else"}, "by more than capitalisation"),
        ({"action": "unmerge"}, "is not a synonym of any tag"),
        ({"action": "detach", "target": "Harbour Tales"}, "is not attached to"),
    ],
)
def test_edit_page_bad_input(harbour, client_for, wrangler, data, message):
    response = client_for(wrangler).post(get_tag("Mira Holm").get_edit_url(), data)
    assert response.status_code == 400
    assert message in text(response)
    assert not WranglingChange.objects.exists()


def test_unknown_tag_edit_page_is_not_found(client_for, wrangler):
    assert client_for(wrangler).get("/tags/Nowhere At All/edit").status_code == 404
