"""Series services and what each viewer sees of a series: only its creator changes it, a
work joins only through its own creators, and parts follow the visibility rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.series.models import Series
from fanfold.series.selectors import (
    series_get_for_viewer,
    series_list_for_user,
    series_places_for_work,
)
from fanfold.series.services import (
    series_add_work,
    series_create,
    series_create_with_work,
    series_remove_work,
    series_reorder,
    series_update,
)
from fanfold.testing.factories import make_work
from fanfold.works.services import work_hide

pytestmark = pytest.mark.django_db

GUEST = AnonymousUser()


@pytest.fixture
def cycle(alice):
    series = series_create(user=alice, title="Harbour Cycle", summary="Three <i>tides</i>")
    works = [make_work(alice, title=f"Tide {n}") for n in (1, 2, 3)]
    for work in works:
        series_add_work(series=series, work=work, user=alice)
    return series, works


def titles(series, viewer) -> list[str]:
    found = series_get_for_viewer(series_id=series.pk, viewer=viewer)
    return [work.title for work in found[1]] if found else []


def test_parts_keep_their_order_and_reorder(alice, cycle):
    series, (one, two, three) = cycle
    assert titles(series, GUEST) == ["Tide 1", "Tide 2", "Tide 3"]
    series_reorder(series=series, user=alice, work_ids=[three.pk, one.pk, two.pk])
    assert titles(series, GUEST) == ["Tide 3", "Tide 1", "Tide 2"]
    series_remove_work(series=series, work=one, user=alice)
    assert list(series.parts.values_list("position", flat=True)) == [1, 2]


def test_summary_is_sanitized_html(cycle):
    series, _ = cycle
    assert "<i>tides</i>" in series.summary
    series = series_create(user=series.owner, title="X", notes="<script>x</script><b>ok</b>")
    assert "script" not in series.notes and "<b>ok</b>" in series.notes


def test_part_n_navigation_counts_only_what_the_viewer_sees(alice, bob, moderator, cycle):
    _series, (one, two, three) = cycle
    (place,) = series_places_for_work(work=two, viewer=GUEST)
    assert (place.number, place.previous, place.next) == (2, one, three)
    work_hide(work=one, moderator=moderator, reason="Under review.")
    (place,) = series_places_for_work(work=two, viewer=bob)
    assert (place.number, place.previous, place.next) == (1, None, three)
    (place,) = series_places_for_work(work=two, viewer=alice)  # the creator still sees it
    assert place.number == 2
    # Moderators review a hidden work where it stands, as on the series page.
    (place,) = series_places_for_work(work=one, viewer=moderator)
    assert (place.number, place.previous, place.next) == (1, None, two)
    (place,) = series_places_for_work(work=two, viewer=moderator)
    assert (place.number, place.previous) == (2, one)


def test_drafts_and_restricted_parts_stay_hidden(alice, bob, cycle):
    series, _ = cycle
    draft = make_work(alice, title="Draft Tide", post=False)
    locked = make_work(alice, title="Members Tide", is_restricted=True)
    series_add_work(series=series, work=draft, user=alice)
    series_add_work(series=series, work=locked, user=alice)
    assert "Draft Tide" not in titles(series, bob)
    assert "Members Tide" in titles(series, bob)
    assert "Members Tide" not in titles(series, GUEST)
    assert "Draft Tide" in titles(series, alice)


def test_a_series_of_drafts_does_not_exist_for_others(alice, bob):
    series = series_create(user=alice, title="Secret Plans")
    series_add_work(series=series, work=make_work(alice, post=False), user=alice)
    assert series_get_for_viewer(series_id=series.pk, viewer=bob) is None
    assert series_get_for_viewer(series_id=series.pk, viewer=alice) is not None
    assert list(series_list_for_user(owner=alice, viewer=bob)) == []
    assert list(series_list_for_user(owner=alice, viewer=alice)) == [series]


def test_only_the_creator_changes_the_series(alice, bob, cycle):
    series, (one, _, _) = cycle
    with pytest.raises(PermissionDenied):
        series_update(series=series, user=bob, title="Mine")
    with pytest.raises(PermissionDenied):
        series_reorder(series=series, user=bob, work_ids=[])
    with pytest.raises(PermissionDenied):
        series_remove_work(series=series, work=one, user=bob)
    with pytest.raises(PermissionDenied):  # bob's work into alice's series
        series_add_work(series=series, work=make_work(bob), user=bob)
    bobs = series_create(user=bob, title="Bob's")
    with pytest.raises(PermissionDenied):  # alice's work into bob's series
        series_add_work(series=bobs, work=one, user=bob)


def test_bad_input(alice, cycle):
    series, (one, two, _three) = cycle
    with pytest.raises(ValidationError) as error:
        series_create(user=alice, title="  ")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        series_create(user=alice, title="T", summary="x" * 1251)
    assert "summary" in error.value.message_dict
    with pytest.raises(ValidationError):
        series_add_work(series=series, work=one, user=alice)  # already in it
    with pytest.raises(ValidationError):
        series_reorder(series=series, user=alice, work_ids=[one.pk, one.pk, two.pk])
    with pytest.raises(ValidationError):
        series_create_with_work(user=alice, title="", work=one)
    assert Series.objects.count() == 1
