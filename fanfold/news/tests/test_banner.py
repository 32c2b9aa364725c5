"""The announcement banner: admins set it (nobody else may), it shows on every page while it is
active, visitors dismiss it (users for good, guests for their session), a new banner or a
"show again" edit brings it back, and bad input is explained with nothing stored."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fanfold.news.models import Banner
from fanfold.news.services import banner_create, banner_update
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


def shown(client, path="/") -> bool:
    return 'data-testid="site-banner"' in client.get(path).content.decode()


def test_an_admin_sets_a_banner_that_everyone_sees(admin_user, reader, client_for):
    response = client_for(admin_user).post(
        "/admin_banners",
        {"text": "We <strong>move</strong> servers <script>x</script>on Friday.",
         "link_url": "/admin_posts", "link_text": "Details"},
    )  # fmt: skip
    assert response.status_code == 302
    banner = Banner.objects.get()
    assert banner.text == "We <strong>move</strong> servers on Friday."
    for client in [Client(), client_for(reader)]:
        page = client.get("/works").content.decode()
        assert "We <strong>move</strong> servers on Friday." in page
        assert '<a href="/admin_posts" class="site-banner-link">Details</a>' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "  "}, "Please write the banner's text."),
        ({"text": "<img src=x onerror=alert(1)>"}, "Please write the banner's text."),
        ({"text": "x" * 501}, "at most 500 characters"),
        ({"text": "Hi", "link_url": "javascript:alert(1)"}, "Please give a web address"),
        ({"text": "Hi", "link_url": "//evil.example"}, "Please give a web address"),
        ({"text": "Hi", "link_text": "Details"}, "Please give the address the link text"),
        ({"text": "Hi", "active_from": "soon"}, "Enter a valid date/time."),
        (
            {"text": "Hi", "active_from": "2030-01-02T10:00", "active_until": "2030-01-01T10:00"},
            "The banner must end after it starts.",
        ),
    ],
)
def test_bad_banner_input_is_explained_and_nothing_is_stored(admin_user, client_for, data, message):
    response = client_for(admin_user).post("/admin_banners", data)
    assert response.status_code == 200
    assert message in text(response)
    assert Banner.objects.count() == 0


@pytest.mark.parametrize("who", [None, "reader", "moderator"])
def test_only_admins_manage_banners(who, admin_user, client_for, request):
    banner = banner_create(user=admin_user, text="Hello")
    client = client_for(request.getfixturevalue(who)) if who else Client()
    for url in ["/admin_banners", f"/admin_banners/{banner.pk}/edit",
                f"/admin_banners/{banner.pk}/delete"]:  # fmt: skip
        for response in [client.get(url), client.post(url, {"text": "Taken over"})]:
            if who is None:
                assert response.status_code == 302 and "/login" in response["Location"]
            else:
                assert response.status_code == 403
    assert list(Banner.objects.values_list("text", flat=True)) == ["Hello"]


def test_a_banner_shows_only_while_active(admin_user):
    now = timezone.now()
    banner = banner_create(user=admin_user, text="Later", active_from=now + timedelta(hours=1))
    assert not shown(Client())
    hour = timedelta(hours=1)
    banner_update(banner=banner, user=admin_user, text="Over",
                  active_from=now - 2 * hour, active_until=now - hour)  # fmt: skip
    assert not shown(Client())
    banner_update(banner=banner, user=admin_user, text="Now",
                  active_from=now - hour, active_until=now + hour)  # fmt: skip
    assert shown(Client())


def test_a_user_dismisses_for_good_and_a_new_banner_shows_again(admin_user, reader, client_for):
    old = banner_create(user=admin_user, text="Old news")
    client = client_for(reader)
    response = client.post(f"/banners/{old.pk}/dismiss", {"next": "/works"})
    assert response.status_code == 302 and response["Location"] == "/works"
    assert not shown(client)
    assert not shown(client_for(reader))  # stored for the account, not the browser
    assert shown(Client())  # others still see it
    banner_create(user=admin_user, text="Fresh news")
    assert "Fresh news" in text(client.get("/"))


def test_a_guest_dismisses_for_the_session_and_show_again_brings_it_back(admin_user):
    banner = banner_create(user=admin_user, text="Read me")
    guest = Client()
    guest.post(f"/banners/{banner.pk}/dismiss", {"next": "/"})
    assert not shown(guest)
    assert shown(Client())
    # A small fix stays dismissed; a change that matters shows again.
    banner_update(banner=banner, user=admin_user, text="Read me!")
    assert not shown(guest)
    banner_update(banner=banner, user=admin_user, text="Read me now", show_again=True)
    assert shown(guest)


def test_dismissing_never_redirects_off_site(admin_user, reader, client_for):
    banner = banner_create(user=admin_user, text="Hello")
    response = Client().post(f"/banners/{banner.pk}/dismiss", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert Client().get(f"/banners/{banner.pk}/dismiss").status_code == 405
    assert Client().post("/banners/999999/dismiss").status_code == 404


def test_an_admin_edits_and_deletes_a_banner(admin_user, client_for):
    banner = banner_create(user=admin_user, text="First")
    client = client_for(admin_user)
    response = client.post(f"/admin_banners/{banner.pk}/edit", {"text": "Second"})
    assert response.status_code == 302
    assert "Second" in text(Client().get("/"))
    response = client.post(f"/admin_banners/{banner.pk}/edit", {"text": ""})
    assert "Please write the banner's text." in text(response)
    client.post(f"/admin_banners/{banner.pk}/delete")
    assert Banner.objects.count() == 0 and not shown(Client())
