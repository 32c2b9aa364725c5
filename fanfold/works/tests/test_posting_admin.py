"""Django's admin for works and tags (fanfold/works/admin.py, fanfold/tags/admin.py): staff can
list and search them; nobody else gets in."""

import pytest
from django.urls import reverse

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db


def test_staff_can_list_and_search_works(admin_user, alice, client_for):
    make_work(alice, title="Harbour Lights", chapters=2)
    make_work(alice, title="Salt Roads")
    client = client_for(admin_user)
    response = client.get(reverse("admin:works_work_changelist"), {"q": "harbour"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harbour Lights" in html and "Salt Roads" not in html
    assert "2/2" in html  # chapters as AO3 shows them


def test_staff_can_open_a_work_with_its_creators_tags_and_chapters(admin_user, alice, client_for):
    work = make_work(alice, title="Harbour Lights", chapters=2, freeforms=["Fluff"])
    response = client_for(admin_user).get(reverse("admin:works_work_change", args=[work.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fluff" in html and "Chapter 2" in html and "alice" in html


def test_staff_can_list_and_search_tags_by_type(admin_user, alice, client_for):
    make_work(alice, fandoms=["Harbour Town"], characters=["Harbour Master"])
    response = client_for(admin_user).get(
        reverse("admin:tags_tag_changelist"), {"q": "harbour", "type__exact": "character"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harbour Master" in html and "Harbour Town" not in html


@pytest.mark.parametrize("name", ["admin:works_work_changelist", "admin:tags_tag_changelist"])
def test_writers_cannot_use_the_admin(alice, client_for, name):
    response = client_for(alice).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_shows_works_but_does_not_edit_them(admin_user, alice, client_for):
    """Edits there would skip sanitizing and the counts; deleting is allowed."""
    work = make_work(alice, title="Harbour Lights", summary="Safe summary")
    client = client_for(admin_user)
    url = reverse("admin:works_work_change", args=[work.pk])
    client.post(url, {"title": "Changed", "summary": "<script>x()</script>"})
    work.refresh_from_db()
    assert work.title == "Harbour Lights" and "script" not in work.summary
    client.post(reverse("admin:works_work_delete", args=[work.pk]), {"post": "yes"})
    assert not type(work).objects.filter(pk=work.pk).exists()
