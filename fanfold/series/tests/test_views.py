"""Series pages: creating a series, adding a work from its page, ordering and removing works,
the series page and a user's series, and that only the series' creator manages it."""

import pytest
from django.test import Client

from fanfold.series.models import Series, SeriesPart
from fanfold.series.services import series_add_work, series_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles, page_text
from fanfold.works.services import work_hide

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(alice):
    series = series_create(user=alice, title="Harbour Cycle", summary="All the tides.")
    works = [make_work(alice, title=f"Tide {n}") for n in (1, 2)]
    for work in works:
        series_add_work(series=series, work=work, user=alice)
    return series, works


def test_creating_a_series(alice, client_for):
    response = client_for(alice).post(
        "/series/new", {"title": "Lighthouse Keepers", "summary": "Three nights."}, follow=True
    )
    assert Series.objects.get().title == "Lighthouse Keepers"
    assert "Series created" in page_text(response)


def test_creating_a_series_without_a_title_says_so(alice, client_for):
    response = client_for(alice).post("/series/new", {"title": "  "})
    assert "Please give the series a title." in page_text(response)
    assert not Series.objects.exists()


def test_adding_a_work_from_its_page(alice, cycle, client_for):
    series, _ = cycle
    work = make_work(alice, title="Tide 3")
    client = client_for(alice)
    assert "Add to Series" in page_text(client.get(work.get_absolute_url()))
    client.post(f"/works/{work.pk}/series", {"series": series.pk})
    assert blurb_titles(Client().get(series.get_absolute_url())) == ["Tide 1", "Tide 2", "Tide 3"]
    page = page_text(Client().get(work.get_absolute_url()))
    assert "Part 3 of Harbour Cycle" in page and "← Previous Work" in page


def test_adding_to_a_new_series_and_bad_input(alice, client_for):
    work = make_work(alice, title="Lonely Tide")
    client = client_for(alice)
    response = client.post(f"/works/{work.pk}/series", {})
    assert "Please choose one of your series or name a new one." in page_text(response)
    client.post(f"/works/{work.pk}/series", {"new_title": "Brand New"})
    assert SeriesPart.objects.get().series.title == "Brand New"


def test_others_may_not_add_a_work_or_manage_the_series(alice, bob, cycle, client_for):
    series, (one, _) = cycle
    bob_client = client_for(bob)
    assert "Add to Series" not in page_text(bob_client.get(one.get_absolute_url()))
    assert bob_client.get(f"/works/{one.pk}/series").status_code == 403
    for path in ("edit", "manage", "delete"):
        assert bob_client.post(f"/series/{series.pk}/{path}", {"title": "x"}).status_code == 403
        assert Client().get(f"/series/{series.pk}/{path}")["Location"].startswith("/login")
    assert bob_client.post(f"/series/{series.pk}/works/{one.pk}/remove").status_code == 403
    assert Series.objects.get().title == "Harbour Cycle" and SeriesPart.objects.count() == 2


def test_reordering_and_removing(alice, cycle, client_for):
    series, (one, two) = cycle
    client = client_for(alice)
    client.post(
        f"/series/{series.pk}/manage", {f"position_{one.pk}": "2", f"position_{two.pk}": "1"}
    )
    assert blurb_titles(Client().get(series.get_absolute_url())) == ["Tide 2", "Tide 1"]
    response = client.post(f"/series/{series.pk}/manage", {f"position_{one.pk}": "x"})
    assert "Please give every work a position number." in page_text(response)
    client.post(f"/series/{series.pk}/works/{two.pk}/remove")
    assert blurb_titles(Client().get(series.get_absolute_url())) == ["Tide 1"]


def test_deleting_a_series_keeps_its_works(alice, cycle, client_for):
    series, (one, _) = cycle
    client_for(alice).post(f"/series/{series.pk}/delete")
    assert not Series.objects.exists()
    assert Client().get(one.get_absolute_url()).status_code == 200


def test_a_users_series_list_and_drafts_only_series(alice, bob, cycle, client_for):
    drafts = series_create(user=alice, title="Only Drafts")
    series_add_work(series=drafts, work=make_work(alice, post=False), user=alice)
    guest = page_text(Client().get("/users/alice/series"))
    assert "Harbour Cycle" in guest and "Only Drafts" not in guest
    assert "Only Drafts" in page_text(client_for(alice).get("/users/alice/series"))
    assert Client().get(drafts.get_absolute_url()).status_code == 404
    assert client_for(bob).get(drafts.get_absolute_url()).status_code == 404


def test_series_page_shows_summary_and_subscribe(bob, cycle, client_for):
    series, _ = cycle
    page = page_text(client_for(bob).get(series.get_absolute_url()))
    assert "All the tides." in page and "Subscribe" in page and "Bookmark Series" in page


def test_moderators_see_hidden_works_in_a_series_and_nobody_else_but_the_creator(
    alice, bob, reader, moderator, admin_user, cycle, client_for
):
    series, (first, _) = cycle
    series_add_work(
        series=series, work=make_work(alice, title="Tide Draft", post=False), user=alice
    )
    # Seen before the hiding: the kept blurb must not outlive it.
    assert "Hidden by moderators" not in page_text(client_for(alice).get(series.get_absolute_url()))
    work_hide(work=first, moderator=moderator, reason="Under review.")
    only_hidden = series_create(user=alice, title="Only Hidden")
    series_add_work(series=only_hidden, work=first, user=alice)
    url = series.get_absolute_url()
    for user in (moderator, admin_user):
        client = client_for(user)
        assert blurb_titles(client.get(url)) == ["Tide 1", "Tide 2"]  # never the draft
        # Marked, so that a moderator reviewing the series knows which one is hidden.
        shown = page_text(client.get(url))
        assert shown.count("(Hidden by moderators)") == 1
        assert "Tide 1 by alice (Hidden by moderators)" in shown
        assert client.get(only_hidden.get_absolute_url()).status_code == 200
        assert "Only Hidden" in page_text(client.get("/users/alice/series"))
    assert blurb_titles(client_for(alice).get(url)) == ["Tide 1", "Tide 2", "Tide Draft"]
    assert "Tide 1 by alice (Hidden by moderators)" in page_text(client_for(alice).get(url))
    for client in (Client(), client_for(bob), client_for(reader)):
        assert blurb_titles(client.get(url)) == ["Tide 2"]
        assert client.get(only_hidden.get_absolute_url()).status_code == 404
        assert "Only Hidden" not in page_text(client.get("/users/alice/series"))
