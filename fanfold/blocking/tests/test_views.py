import pytest
from django.test import Client
from django.urls import reverse

from fanfold.blocking.models import Block, Mute
from fanfold.blocking.services import user_mute
from fanfold.comments.services import comment_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


def test_user_page_buttons_block_and_mute(alice, bob, client_for):
    client = client_for(alice)
    page = client.get(reverse("user_detail", args=["bob"]))
    assert 'data-testid="blocking-buttons"' in page.content.decode()
    response = client.post(reverse("user_block", args=["bob"]), {"action": "block"}, follow=True)
    assert "You have blocked bob." in text(response)
    assert "Unblock" in text(response)
    client.post(reverse("user_block", args=["bob"]), {"action": "mute"})
    assert Block.objects.filter(blocker=alice, blocked=bob).exists()
    assert Mute.objects.filter(muter=alice, muted=bob).exists()
    client.post(reverse("user_block", args=["bob"]), {"action": "unblock"})
    client.post(reverse("user_block", args=["bob"]), {"action": "unmute"})
    assert not Block.objects.exists() and not Mute.objects.exists()


def test_own_page_links_to_the_manage_page_guests_see_no_buttons(alice, client_for):
    page = client_for(alice).get(reverse("user_detail", args=["alice"])).content.decode()
    assert reverse("blocking_manage", args=["alice"]) in page
    assert 'data-testid="blocking-buttons"' not in page
    guest = Client().get(reverse("user_detail", args=["alice"])).content.decode()
    assert 'data-testid="blocking-buttons"' not in guest
    assert (
        Client().post(reverse("user_block", args=["alice"]), {"action": "block"}).status_code == 302
    )
    assert not Block.objects.exists()


def test_manage_page_is_the_owners_only(alice, bob, client_for):
    url = reverse("blocking_manage", args=["alice"])
    assert client_for(bob).get(url).status_code == 403
    assert client_for(bob).post(url, {"username": "reader", "action": "block"}).status_code == 403
    assert Client().get(url).status_code == 302
    assert client_for(alice).get(url).status_code == 200


def test_manage_page_blocks_and_mutes_by_name(alice, bob, reader, client_for):
    client = client_for(alice)
    url = reverse("blocking_manage", args=["alice"])
    client.post(url, {"username": "BOB", "action": "block"})
    client.post(url, {"username": "reader", "action": "mute"})
    page = text(client.get(url))
    assert "Blocked bob Unblock" in page and "Muted reader Unmute" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "nobody_here", "action": "block"}, "There is no user with that name."),
        ({"username": "alice", "action": "mute"}, "You can't block or mute yourself."),
        ({"username": "", "action": "block"}, "This field is required."),
        ({"username": "bob", "action": "explode"}, "Please choose Block or Mute."),
    ],
)
def test_manage_page_bad_input(alice, bob, client_for, data, message):
    response = client_for(alice).post(reverse("blocking_manage", args=["alice"]), data)
    assert message in text(response)
    assert not Block.objects.exists() and not Mute.objects.exists()


def test_muted_users_works_and_comments_are_gone_from_the_muters_pages(
    alice, bob, reader, client_for
):
    make_work(alice, title="Alices Tale")
    bobs = make_work(bob, title="Bobs Tale")
    readers = make_work(reader, title="Readers Tale")
    comment_create(work=readers, user=bob, content="Muted remark")
    comment_create(work=readers, user=alice, content="Kind remark")
    user_mute(user=alice, muted=bob)
    client = client_for(alice)
    listing = client.get(reverse("work_index"))
    assert "Bobs Tale" not in blurb_titles(listing)
    # The count says so too: alice's and reader's works only.
    assert text(listing).count("Tale") == 2
    assert "2 Works" in text(listing)
    page = text(client.get(readers.get_absolute_url()))
    assert "Muted remark" not in page and "Kind remark" in page and "Comments (1)" in page
    # Everyone else still sees both.
    assert "Bobs Tale" in blurb_titles(client_for(reader).get(reverse("work_index")))
    assert "Muted remark" in text(Client().get(readers.get_absolute_url()))
    assert client.get(bobs.get_absolute_url()).status_code == 200  # the page itself still opens
