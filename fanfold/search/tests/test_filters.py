"""The filter sidebar on work listings: every kind of filter, sorting, wrangling reflected,
visibility of counts and top tags, and bad input answered with messages, never a 500."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fanfold.blocking.services import user_mute
from fanfold.savedfilters.services import exclusion_create
from fanfold.search import filters as filters_module
from fanfold.search import pagination
from fanfold.tags.filters import filter_rows_sync_work, filters_rebuild_for_tags
from fanfold.tags.models import MetaTagging, Tag
from fanfold.tags.wrangling import tags_make_canonical, tags_merge
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work
from fanfold.works.services import work_delete, work_hide, work_post, work_update

pytestmark = pytest.mark.django_db


def titles(client, url="/works", **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return sorted(blurb_titles(response))


def tag_id(name: str) -> int:
    return Tag.objects.get(name=name).pk


# Every listing applies the same filters, by two different routes: every work (read from
# works), and a tag's page or a tag filter (read from the tag's filter rows, the page's works
# loaded afterwards). Every shelf work is tagged "Shelved", so all three list the same works.
LISTINGS = ["every work", "a tag's page", "a tag filter"]


@pytest.fixture(params=LISTINGS)
def listing(request):
    """get(client, **params): the listing's response with these filters."""

    def get(client, **params):
        url = "/works"
        if request.param == "a tag's page":
            url = reverse("tag_works", args=["Shelved"])
        elif request.param == "a tag filter":
            include = params.get("include", [])
            params["include"] = [
                tag_id("Shelved"),
                *(include if isinstance(include, list) else [include]),
            ]
        response = client.get(url, params)
        assert response.status_code == 200
        return response

    return get


def listed(listing, client, **params):
    return sorted(blurb_titles(listing(client, **params)))


@pytest.fixture
def shelf(alice, bob):
    """Four works with different tags, lengths, languages and states."""
    works = {
        "sea": make_work(
            alice, title="Sea", rating="Mature", fandoms=["Harbour Tales"],
            characters=["Mira"], relationships=["Mira/Tove"], freeforms=["Slow Burn", "Shelved"],
            categories=["F/F"], content="<p>" + "wave " * 50 + "</p>",
        ),
        "hill": make_work(
            bob, title="Hill", fandoms=["Harbour Tales", "Sea Songs"],
            freeforms=["Fluff", "Shelved"], warnings=["Major Character Death"],
            content="<p>" + "stone " * 500 + "</p>", language="de",
        ),
        "wip": make_work(
            alice, title="Wip", fandoms=["Sea Songs"], chapters=1, expected_chapters=None,
            freeforms=["Fluff", "Shelved"],
        ),
        "town": make_work(
            bob, title="Town", fandoms=["Other Fandom"], categories=["Gen"], freeforms=["Shelved"]
        ),
    }  # fmt: skip
    return works


def test_include_and_exclude_by_checkbox_and_by_name(listing, client, shelf):
    assert listed(listing, client, include=tag_id("Harbour Tales")) == ["Hill", "Sea"]
    assert listed(listing, client, include=[tag_id("Harbour Tales"), tag_id("Fluff")]) == ["Hill"]
    assert listed(listing, client, exclude=tag_id("Fluff")) == ["Sea", "Town"]
    assert listed(listing, client, exclude=[tag_id("Fluff"), tag_id("Mature")]) == ["Town"]
    assert listed(listing, client, other_tags="mira/tove, Slow Burn") == ["Sea"]
    assert listed(listing, client, other_excluded_tags="Harbour Tales,Gen") == ["Wip"]
    # Ratings, warnings and categories are tags like any other.
    assert listed(listing, client, include=tag_id("Major Character Death")) == ["Hill"]
    assert listed(listing, client, include=tag_id("F/F")) == ["Sea"]


def test_many_excluded_tags_are_not_capped(client, shelf):
    names = [f"Unused Tag {number}" for number in range(300)]
    Tag.objects.bulk_create(Tag(name=name, type="freeform") for name in names)
    response = client.get("/works", {"other_excluded_tags": ", ".join([*names, "Fluff"])})
    assert sorted(blurb_titles(response)) == ["Sea", "Town"]


def test_crossovers_completion_words_language(listing, client, shelf):
    assert listed(listing, client, crossovers="only") == ["Hill"]
    assert listed(listing, client, crossovers="exclude") == ["Sea", "Town", "Wip"]
    assert listed(listing, client, complete="in_progress") == ["Wip"]
    assert listed(listing, client, complete="complete") == ["Hill", "Sea", "Town"]
    assert listed(listing, client, words_from=40, words_to=100) == ["Sea"]
    assert listed(listing, client, words_from=400) == ["Hill"]
    assert listed(listing, client, language="de") == ["Hill"]


def test_date_updated_range(listing, client, shelf):
    old = timezone.now() - datetime.timedelta(days=400)
    Work.objects.filter(pk=shelf["town"].pk).update(revised_at=old)
    filter_rows_sync_work(shelf["town"].pk)  # as every change of a work does
    day = old.date()
    assert listed(listing, client, updated_to=day.isoformat()) == ["Town"]
    assert listed(listing, client, updated_from=day.isoformat(), updated_to=day.isoformat()) == [
        "Town"
    ]
    assert "Town" not in listed(
        listing, client, updated_from=(day + datetime.timedelta(days=1)).isoformat()
    )


@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        ("title", "", ["Hill", "Sea", "Town", "Wip"]),
        ("title", "desc", ["Wip", "Town", "Sea", "Hill"]),
        ("creator", "", ["Sea", "Wip", "Hill", "Town"]),
        ("words", "", ["Hill", "Sea"]),
        ("hits", "", ["Town"]),
        ("kudos", "", ["Wip"]),
        ("comments", "", ["Sea"]),
        ("bookmarks", "", ["Hill"]),
        ("posted", "", ["Town"]),
        ("updated", "asc", ["Sea"]),
    ],
)
def test_sorts(listing, client, shelf, sort, direction, expected):
    Work.objects.filter(pk=shelf["town"].pk).update(
        hit_count=9, published_on=datetime.date(2030, 1, 1)
    )
    Work.objects.filter(pk=shelf["wip"].pk).update(kudos_count=9)
    Work.objects.filter(pk=shelf["sea"].pk).update(comment_count=9)
    Work.objects.filter(pk=shelf["hill"].pk).update(bookmark_count=9)
    shown = blurb_titles(listing(client, sort=sort, direction=direction))
    if sort == "creator":
        assert shown[:2] == ["Sea", "Wip"] or shown[:2] == ["Wip", "Sea"]
        assert set(shown[2:]) == {"Hill", "Town"}
    else:
        assert shown[: len(expected)] == expected


def test_top_tags_show_counts_of_the_current_results(client, shelf):
    response = client.get("/works", {"include": tag_id("Sea Songs")})
    page = text(response)
    assert "Sea Songs (2)" in page and "Fluff (2)" in page and "Harbour Tales (1)" in page
    assert "Mira (1)" not in page  # not among these results
    html = response.content.decode()
    assert re.search(rf'name="include" value="{tag_id("Sea Songs")}" checked', html)


def sidebar_tags(response) -> dict[str, list[str]]:
    """The sidebar's tags to include, per type, as "Name (count)" in the order shown."""
    html = response.content.decode()
    include = html[html.index('class="filter-include"') : html.index('class="filter-exclude"')]
    groups = re.findall(
        r'<fieldset class="tag-group" data-type="(\w+)">(.*?)</fieldset>', include, flags=re.S
    )
    choice = r'value="\d+"(?: checked)?> (.*?) <span class="count">\((\d+)\)</span>'
    return {
        tag_type: [f"{name} ({count})" for name, count in re.findall(choice, body)]
        for tag_type, body in groups
    }


def test_the_sidebar_offers_each_types_most_used_tags_and_every_chosen_one(
    listing, client, alice, wrangler, shelf, monkeypatch
):
    monkeypatch.setattr(filters_module, "TOP_TAGS_PER_TYPE", 1)
    fluff = Tag.objects.get(name="Fluff")
    tags_make_canonical(user=wrangler, tags=[fluff])
    make_work(alice, title="Soft", fandoms=["Other Fandom"], freeforms=["Fluffy", "Shelved"])
    tags_merge(user=wrangler, tags=[Tag.objects.get(name="Fluffy")], into=fluff)
    shown = sidebar_tags(listing(client))
    # Fluff (3, its synonym's work included) and Slow Burn (1) are beyond the first; the
    # synonym itself is never offered.
    assert shown["freeform"] == ["Shelved (5)"]
    # Three fandoms with 2 works each: the first by name.
    assert shown["fandom"] == ["Harbour Tales (2)"]
    # A chosen tag is always offered, beyond the first or with no works left (excluded).
    assert sidebar_tags(listing(client, include=tag_id("Slow Burn")))["freeform"] == [
        "Shelved (1)",
        "Slow Burn (1)",
    ]
    assert sidebar_tags(listing(client, exclude=tag_id("Fluff")))["freeform"] == [
        "Shelved (2)",
        "Fluff (0)",
    ]


def test_top_tags_are_counted_over_a_bounded_sample(client, shelf, monkeypatch):
    monkeypatch.setattr(filters_module, "TOP_TAGS_SAMPLE", 2)
    page = text(client.get("/works"))
    assert "Tag counts are from the first 1,000 results." in page


@pytest.mark.parametrize("sort", ["updated", "title"])
@pytest.mark.parametrize(
    "narrowed",
    [
        {},
        {"exclude": ["Mature", "Gen"]},
        {"include": ["Fluff"], "exclude": ["Major Character Death"]},
    ],
    ids=["unfiltered", "two excluded", "included and excluded"],
)
def test_a_first_reader_sees_the_same_pages_counts_and_tags_as_later_readers(
    listing, client, shelf, settings, sort, narrowed
):
    """A first reader's count and sidebar come from one read of the listing's ids
    (count_reading_first; on PostgreSQL a filter's are found from the search rows' filter
    sets): every page, with every cache emptied before it, shows what a later reader sees,
    and the count is the number of works the pages show."""
    settings.FANFOLD_WORKS_PER_PAGE = 2
    params = {key: [tag_id(name) for name in names] for key, names in narrowed.items()}

    def page(number: int, *, first_reader: bool) -> tuple[list[str], str, list[str]]:
        if first_reader:
            cache.clear()
        response = listing(client, sort=sort, page=number, **params)
        heading = re.search(r"(\d+) Works?\b", text(response))
        assert heading is not None
        return blurb_titles(response), heading.group(1), sidebar_tags(response)["freeform"]

    count = int(page(1, first_reader=False)[1])
    numbers = range(1, (count + 1) // 2 + 1)
    later = [page(number, first_reader=False) for number in numbers]
    shown = [title for titles, _, _ in later for title in titles]
    assert len(set(shown)) == len(shown) == count > 0
    assert [page(number, first_reader=True) for number in numbers] == later


def test_counts_are_capped_on_huge_listings(listing, client, shelf, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    assert "Showing the first 2 works" in text(listing(client))


def test_counts_follow_every_change_at_once(listing, client, client_for, alice, reader, shelf):
    """Counts are kept between page views, but never outlive a change to what is listed."""
    assert "4 Works" in text(listing(client))
    make_work(alice, title="New", freeforms=["Shelved"])
    assert "5 Works" in text(listing(client))
    reads = client_for(reader)
    assert "5 Works" in text(listing(reads))
    user_mute(user=reader, muted=alice)  # Sea, Wip and New leave the reader's listings
    assert "2 Works" in text(listing(reads))
    exclusion_create(user=reader, tag_name="Other Fandom")  # and Town
    assert "1 Work" in text(listing(reads))
    assert "5 Works" in text(listing(client))  # a guest's listing is their own


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    ["posting a draft", "new tags", "hiding", "deleting", "a mute", "an exclusion", "a merge"],
)
def test_one_change_moves_the_listings_on_once_now_and_once_at_commit(
    change, alice, reader, moderator, wrangler
):
    """A change reaches several writers of what listings read (filter rows, the search index):
    kept counts are dropped once for it (now, and again when it commits), not once per writer."""
    draft = make_work(alice, post=False, fandoms=["Harbour"])
    work = make_work(alice, fandoms=["Harbour"], freeforms=["Harbour Days"])
    canonical = Tag.objects.get(name="Harbour")
    tags_make_canonical(user=wrangler, tags=[canonical])
    synonym = make_work(alice, fandoms=["The Harbour"]).tags.get(name="The Harbour")
    changes = {
        "posting a draft": lambda: work_post(work=draft, user=alice),
        "new tags": lambda: work_update(work=work, user=alice, freeforms=["Fresh Tag"]),
        "hiding": lambda: work_hide(work=work, moderator=moderator, reason="Review"),
        "deleting": lambda: work_delete(work=work, user=alice),
        "a mute": lambda: user_mute(user=reader, muted=alice),
        "an exclusion": lambda: exclusion_create(user=reader, tag_name="Harbour Days"),
        "a merge": lambda: tags_merge(user=wrangler, tags=[synonym], into=canonical),
    }
    before = pagination.listings_version()
    changes[change]()  # its own transaction, committed
    assert pagination.listings_version() == before + 2


def test_a_change_rolled_back_leaves_the_next_one_to_move_the_listings_on_at_commit(
    alice, bob, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            user_mute(user=reader, muted=alice)
            raise RuntimeError("refused")
        user_mute(user=reader, muted=bob)
    assert callbacks.count(pagination._move_on_at_commit) == 1


def test_drafts_hidden_and_restricted_works_never_count(
    listing, client, client_for, alice, moderator, shelf
):
    make_work(alice, title="Draft", post=False, freeforms=["Secret Draft Tag", "Shelved"])
    hidden = make_work(alice, title="Hidden", freeforms=["Secret Hidden Tag", "Shelved"])
    work_hide(work=hidden, moderator=moderator, reason="Review")
    make_work(alice, title="Locked", is_restricted=True, freeforms=["Locked Tag", "Shelved"])
    page = text(listing(client))
    for secret in ("Secret Draft Tag", "Secret Hidden Tag", "Locked Tag", "Draft", "Hidden"):
        assert secret not in page
    assert "4 Works" in page
    assert "Fluff (2)" in page
    logged_in = text(listing(client_for(alice)))
    assert "Locked Tag (1)" in logged_in and "Secret Hidden Tag" not in logged_in


def test_a_synonym_is_found_under_its_canonical_tag(client, alice):
    make_work(alice, title="Canon", relationships=["Clark Kent/Lex Luthor"])
    make_work(alice, title="Syn", relationships=["Clark/Lex"])
    main, short = Tag.objects.get(name="Clark Kent/Lex Luthor"), Tag.objects.get(name="Clark/Lex")
    Tag.objects.filter(pk=main.pk).update(canonical=True)
    Tag.objects.filter(pk=short.pk).update(merger=main)
    filters_rebuild_for_tags([main.pk, short.pk])
    assert titles(client, reverse("tag_works", args=["Clark Kent*s*Lex Luthor"])) == [
        "Canon",
        "Syn",
    ]
    assert titles(client, include=main.pk) == ["Canon", "Syn"]
    # Typing the synonym's name filters by the canonical tag, as on AO3.
    assert titles(client, other_tags="Clark/Lex") == ["Canon", "Syn"]
    assert titles(client, other_excluded_tags="Clark/Lex") == []
    # The synonym's own page sends readers to the canonical tag's, filters kept.
    response = client.get(reverse("tag_works", args=["Clark*s*Lex"]), {"sort": "title"})
    assert response.status_code == 302
    assert response["Location"] == "/tags/Clark%20Kent*s*Lex%20Luthor/works?sort=title"


def test_a_meta_tag_finds_its_sub_tags_works(client, alice):
    make_work(alice, title="Sub", freeforms=["Enemies to Lovers"], fandoms=["F"])
    make_work(alice, title="Other", freeforms=["Fluff"], fandoms=["F"])
    meta = Tag.objects.create(name="Relationship Tropes", type="freeform", canonical=True)
    sub = Tag.objects.get(name="Enemies to Lovers")
    MetaTagging.objects.create(meta=meta, sub=sub)
    filters_rebuild_for_tags([meta.pk, sub.pk])
    assert titles(client, reverse("tag_works", args=["Relationship Tropes"])) == ["Sub"]
    assert titles(client, other_tags="Relationship Tropes") == ["Sub"]
    assert titles(client, other_excluded_tags="Relationship Tropes") == ["Other"]


def test_filters_work_on_user_pseud_and_tag_listings(client, shelf):
    fluff = tag_id("Fluff")
    assert titles(client, reverse("user_works", args=["bob"]), include=fluff) == ["Hill"]
    assert titles(client, reverse("pseud_works", args=["alice", "alice"]), include=fluff) == ["Wip"]
    assert titles(client, reverse("tag_works", args=["Sea Songs"]), exclude=fluff) == []
    assert titles(client, reverse("tag_works", args=["Harbour Tales"]), exclude=fluff) == ["Sea"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"other_tags": "No Such Tag"}, "No tag is named “No Such Tag”"),
        ({"other_excluded_tags": "Fluff, Nope"}, "No tag is named “Nope”"),
        ({"words_from": "500", "words_to": "10"}, "The word count range ends before it starts."),
        ({"words_from": "-5"}, "Word counts can't be negative."),
        ({"words_to": "99999999999999"}, "Ensure this value is less than or equal to"),
        ({"words_from": "many"}, "Enter a whole number."),
        ({"updated_from": "2024-02-31"}, "Enter a date like 2024-05-31."),
        ({"updated_from": "2024-05-02", "updated_to": "2024-05-01"}, "The date range ends"),
        ({"sort": "popularity"}, "Select a valid choice."),
        ({"language": "xx"}, "Select a valid choice."),
        ({"include": "abc"}, "Choose tags from the list."),
        ({"crossovers": "sometimes"}, "Select a valid choice."),
    ],
)
def test_bad_filters_get_a_message_and_the_rest_still_applies(
    listing, client, shelf, params, message
):
    response = listing(client, **{**params, "language": params.get("language", "de")})
    assert message in text(response)
    if params.get("language") != "xx":
        assert blurb_titles(response) == ["Hill"]  # the valid language filter still applies


def test_unknown_tag_ids_and_empty_results(client, shelf):
    assert titles(client, include=999999) == ["Hill", "Sea", "Town", "Wip"]
    response = client.get("/works", {"language": "fr"})
    assert "No works match these filters." in text(response)


def test_kept_counts_and_top_tags_are_keyed_by_what_changes_them(alice, reader):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from fanfold.search.listing import _count_key, _top_tags_key

    def get(path="/works", **params):
        return RequestFactory().get(path, params)

    guest = AnonymousUser()
    base = get(include="3", sort="title", page="2")
    # A count doesn't depend on the order, the page or the parameters' order.
    assert _count_key(base, guest) == _count_key(get(page="5", include="3"), guest)
    assert _count_key(base, guest) != _count_key(get(include="4"), guest)
    assert _count_key(base, guest) != _count_key(get("/tags/x/works", include="3"), guest)
    assert _count_key(base, guest) != _count_key(base, reader)
    assert _count_key(base, reader) != _count_key(base, alice)
    before = _count_key(base, guest)
    pagination.listings_changed()
    assert _count_key(base, guest) != before
    # Top tags are counted over the first results in the listing's order: the order counts,
    # the page doesn't.
    assert _top_tags_key(base, guest, 4) == _top_tags_key(get(sort="title", include="3"), guest, 4)
    assert _top_tags_key(base, guest, 4) != _top_tags_key(get(include="3"), guest, 4)
    assert _top_tags_key(base, guest, 4) != _top_tags_key(base, guest, 5)
    assert _top_tags_key(base, guest, 4) != _top_tags_key(base, reader, 4)
    assert _top_tags_key(base, guest, 4) != _count_key(base, guest)
