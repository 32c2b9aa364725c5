"""Full-text search: the query language (same answers on SQLite FTS5 and PostgreSQL), the
search page, highlighted snippets that cannot inject HTML, visibility, and bad queries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.blocking.services import user_mute, user_unmute
from fanfold.savedfilters.services import exclusion_create
from fanfold.search import filters as filters_module
from fanfold.search import pagination
from fanfold.search.query import (
    Condition,
    QueryError,
    Term,
    parse_query,
    postgres_conditions,
    to_fts5,
    to_tsquery,
)
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.testing.pages import page_text as text
from fanfold.works.services import (
    ChapterInput,
    chapter_create,
    work_hide,
    work_unhide,
    work_update,
)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- The parser ------------------------------------------------------------------------------


def test_parser_reads_words_phrases_exclusions_and_fields():
    query = parse_query('Lantern "slow  burn" -storm title:Harbour fandom:"Sea Songs" -tag:angst')
    assert query.terms == (
        Term(("lantern",)),
        Term(("slow", "burn")),
        Term(("storm",), negated=True),
        Term(("harbour",), field="title"),
        Term(("sea", "songs"), field="fandom"),
        Term(("angst",), field="tag", negated=True),
    )
    assert to_fts5(query) == (
        '("lantern" AND "slow burn" AND title : "harbour" AND fandoms : "sea songs") '
        'NOT ("storm" OR {fandoms tags} : "angst")'
    )
    assert to_tsquery(query) == (
        "('lantern') & ('slow' <-> 'burn') & ('harbour':A) & ('sea':C <-> 'songs':C)"
    )
    assert postgres_conditions(query) == [
        Condition(
            "document",
            "('lantern') & ('slow' <-> 'burn') & !('storm')",
            loose="('lantern') & ('slow' & 'burn') & !('storm')",
            phrases=(("slow", "burn"),),
        ),
        Condition("title_document", "('harbour')"),
        Condition("fandoms_document", "('sea' <-> 'songs')"),
        Condition("tags_document", "('angst')", negated=True),
    ]
    # Without a wanted word outside fields, excluded words are conditions of their own.
    assert postgres_conditions(parse_query('title:harbour -storm -"sea wind"')) == [
        Condition("document", "('storm')", negated=True),
        Condition(
            "document",
            "('sea' <-> 'wind')",
            negated=True,
            loose="('sea' & 'wind')",
            phrases=(("sea", "wind"),),
        ),
        Condition("title_document", "('harbour')"),
    ]
    # Words alone need no positions: no loose form, no text to read.
    assert postgres_conditions(parse_query("lantern -storm")) == [
        Condition("document", "('lantern') & !('storm')")
    ]
    # A wanted phrase with common words outside fields also needs its pairs that hold one
    # (query.COMMON_WORDS says why); other phrases, fields and excluded phrases do not.
    # Excluded phrases are left out of the loose form and checked on the text.
    query = parse_query(
        '"the light of the harbour" "lantern keeper" -"of the storm" title:"the winter" tide'
    )
    assert postgres_conditions(query) == [
        Condition(
            "document",
            "('the' <-> 'light' <-> 'of' <-> 'the' <-> 'harbour') & ('lantern' <-> 'keeper')"
            " & ('tide') & !('of' <-> 'the' <-> 'storm')",
            loose="('the' & 'light' & 'of' & 'the' & 'harbour') & ('lantern' & 'keeper')"
            " & ('tide')",
            phrases=(("the", "light", "of", "the", "harbour"), ("lantern", "keeper")),
            unwanted=(("of", "the", "storm"),),
        ),
        Condition("title_document", "('the' <-> 'winter')"),
        Condition("common_pairs", "'the light' & 'light of' & 'of the' & 'the harbour'"),
    ]
    # A phrase of two words with a pair is its pair: the document is not read for it.
    assert postgres_conditions(parse_query('"the harbour" -storm')) == [
        Condition("document", "('storm')", negated=True),
        Condition("common_pairs", "'the harbour'"),
    ]
    assert postgres_conditions(parse_query('"the harbour" lantern')) == [
        Condition("document", "('lantern')"),
        Condition("common_pairs", "'the harbour'"),
    ]
    assert postgres_conditions(parse_query('harbour -"the harbour"')) == [
        Condition("document", "('harbour')"),
        Condition("common_pairs", "'the harbour'", negated=True),
    ]
    # A pair is asked for once; a word PostgreSQL might spell otherwise gets no pair.
    assert postgres_conditions(parse_query('"of the" "of the sea" "the İstanbul"'))[-1] == (
        Condition("common_pairs", "'of the' & 'the sea'")
    )


def test_parser_ignores_punctuation_and_cannot_be_escaped_from():
    query = parse_query("it's O'Brien \\ 'x' ( ) AND* NEAR")
    assert [term.words for term in query.terms] == [
        ("it", "s"), ("o", "brien"), ("x",), ("and",), ("near",),
    ]  # fmt: skip
    for term in query.terms:
        for word in term.words:
            assert word.isalnum()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter something to search for."),
        ('"slow burn', "A quotation mark is not closed."),
        ("-storm -rain", "Add at least one word to find"),
        ("author:alice", "There is no “author:” to search in."),
        ("title:", "Say what to look for after “title:”"),
        ("x" * 501, "Searches can be at most 500 characters long."),
        ("!!! ???", "Enter words to search for"),
        (" ".join(f"w{n}" for n in range(31)), "Use at most 30 words or phrases"),
    ],
)
def test_parser_explains_malformed_queries(text, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        parse_query(text)


# --- The search page -------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(alice, bob):
    return {
        "lantern": make_work(
            alice, title="The Lantern", fandoms=["Harbour Tales"], freeforms=["Slow Burn"],
            summary="<p>A keeper and a storm.</p>",
            content="<p>The old lighthouse keeper polished the brass every evening.</p>",
        ),
        "gulls": make_work(
            bob, title="Gulls", fandoms=["Sea Songs"], freeforms=["Fluff"],
            content="<p>Gulls circled the keeper's boat; the slow burn of dusk.</p>",
        ),
        "storm": make_work(
            bob, title="Storm Night", fandoms=["Harbour Tales", "Sea Songs"],
            content="<p>Thunder over the lighthouse keeper all night long.</p>",
        ),
    }  # fmt: skip


def found(client, q, **params) -> list[str]:
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200
    return sorted(blurb_titles(response))


def test_search_finds_words_anywhere_in_the_text(client, library):
    assert found(client, "lighthouse keeper") == ["Storm Night", "The Lantern"]
    assert found(client, "brass") == ["The Lantern"]
    assert found(client, "KEEPER") == ["Gulls", "Storm Night", "The Lantern"]


def test_phrases_exclusions_and_fields(client, library):
    assert found(client, '"slow burn"') == ["Gulls", "The Lantern"]  # a tag and the text
    assert found(client, '"burn slow"') == []
    assert found(client, "keeper -storm") == ["Gulls"]  # "storm": title and summary
    assert found(client, "title:storm") == ["Storm Night"]
    assert found(client, "creator:bob") == ["Gulls", "Storm Night"]
    assert found(client, 'fandom:"harbour tales"') == ["Storm Night", "The Lantern"]
    assert found(client, "keeper -fandom:sea") == ["The Lantern"]
    assert found(client, 'tag:"slow burn"') == ["The Lantern"]
    assert found(client, "tag:fluff keeper") == ["Gulls"]
    assert found(client, "title:fluff") == []


def test_search_results_take_the_filter_sidebar(client, library):
    assert found(client, "keeper", other_tags="Sea Songs") == ["Gulls", "Storm Night"]
    assert found(client, "keeper", crossovers="only") == ["Storm Night"]
    response = client.get(reverse("search"), {"q": "keeper", "sort": "relevance"})
    assert blurb_titles(response)[0] in {"The Lantern", "Gulls", "Storm Night"}
    response = client.get(reverse("search"), {"q": "storm", "sort": "relevance"})
    assert blurb_titles(response)[0] == "Storm Night"  # the title weighs most
    html = client.get(reverse("search"), {"q": "keeper"}).content.decode()
    assert "Harbour Tales (2)" in text_of(html)
    assert '<input type="hidden" name="q" value="keeper">' in html  # filtering keeps the search
    assert 'name="q"' not in client.get("/works").content.decode()


def test_snippets_highlight_the_words_found(client, library):
    response = client.get(reverse("search"), {"q": "brass"})
    html = response.content.decode()
    assert "<mark>brass</mark>" in html


def test_snippets_cannot_inject_html(client, alice):
    make_work(
        alice, title="Escapes",
        content="<p>&lt;script&gt;alert(1)&lt;/script&gt; needle "
        "&lt;b&gt;bold&lt;/b&gt;\x02x\x03</p>",
    )  # fmt: skip
    response = client.get(reverse("search"), {"q": "needle"})
    html = response.content.decode()
    assert "<mark>needle</mark>" in html
    assert "<script>alert(1)" not in html and "<b>bold" not in html
    # (PostgreSQL's headline leaves what looks like markup out; SQLite shows it escaped.)
    assert "bold" in text(response)
    assert "<mark>x</mark>" not in html


def test_drafts_hidden_restricted_and_draft_chapters_are_never_found(
    client, client_for, alice, moderator
):
    make_work(alice, title="Draft", post=False, content="<p>zanzibar</p>")
    hidden = make_work(alice, title="Hidden", content="<p>zanzibar</p>")
    work_hide(work=hidden, moderator=moderator, reason="Review")
    make_work(alice, title="Locked", is_restricted=True, content="<p>zanzibar</p>")
    posted = make_work(alice, title="Open", content="<p>harbour</p>")
    chapter_create(
        work=posted, user=alice, chapter=ChapterInput(content="<p>zanzibar</p>"), post=False
    )
    response = client.get(reverse("search"), {"q": "zanzibar"})
    assert blurb_titles(response) == []
    assert "0 Works found" in text(response)
    assert found(client_for(alice), "zanzibar") == ["Locked"]


@pytest.mark.parametrize("sort", ["", "relevance", "words", "title"])
def test_search_leaves_out_muted_and_excluded_works_in_every_order(
    client, client_for, reader, bob, moderator, library, sort
):
    """Listed by date, PostgreSQL reads the search index's own rows (their copy of each
    work's date and visibility); by best match it reads works: both leave out the same."""
    reads = client_for(reader)
    assert found(reads, "keeper", sort=sort) == ["Gulls", "Storm Night", "The Lantern"]
    user_mute(user=reader, muted=bob)
    assert found(reads, "keeper", sort=sort) == ["The Lantern"]  # bob's works are gone
    user_unmute(user=reader, muted=bob)
    exclusion_create(user=reader, tag_name="Harbour Tales")
    assert found(reads, "keeper", sort=sort) == ["Gulls"]
    work_hide(work=library["gulls"], moderator=moderator, reason="Review")
    assert found(reads, "keeper", sort=sort) == []
    work_unhide(work=library["gulls"], moderator=moderator)
    assert found(reads, "keeper", sort=sort) == ["Gulls"]
    work_update(work=library["gulls"], user=bob, is_restricted=True)
    assert found(reads, "keeper", sort=sort) == ["Gulls"]  # logged-in readers see it
    assert found(client, "keeper", sort=sort) == ["Storm Night", "The Lantern"]


@pytest.mark.parametrize("sort", ["", "relevance"])
def test_search_results_are_paged_and_counted(client, alice, settings, monkeypatch, sort):
    settings.FANFOLD_WORKS_PER_PAGE = 2
    for number in range(5):
        make_work(alice, title=f"Tide {number}", content="<p>tide pool</p>")
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse("search"), {"q": "tide", "sort": sort, "page": page})
        assert "5 Works found" in text(response)
        seen += blurb_titles(response)
    assert sorted(seen) == [f"Tide {number}" for number in range(5)]  # each once
    assert client.get(reverse("search"), {"q": "tide", "page": 4}).status_code == 404
    assert client.get(reverse("search"), {"q": "tide", "page": "x"}).status_code == 404
    empty = client.get(reverse("search"), {"q": "nowhere", "sort": sort})
    assert "0 Works found" in text(empty)
    # Past the cap the count says so, and the pages stop there (counted afresh: the counts
    # kept from above were counted with the real cap).
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    cache.clear()
    capped = client.get(reverse("search"), {"q": "tide", "sort": sort})
    assert "Showing the first 3 works" in text(capped)
    assert client.get(reverse("search"), {"q": "tide", "sort": sort, "page": 3}).status_code == 404


@pytest.mark.parametrize("page_alone_from", [1, 1000])
def test_a_search_with_a_kept_count_shows_the_same_pages(client, alice, settings, page_alone_from):
    """Once a search's count is kept, PostgreSQL reads a page of a search with enough matches
    without counting again, newest first. The pages, their order and the count are the same
    either way, and a new work is found and counted at once."""
    settings.FANFOLD_WORKS_PER_PAGE = 2
    settings.FANFOLD_PAGE_ALONE_FROM = page_alone_from
    for number in range(5):
        make_work(alice, title=f"Tide {number}", content="<p>tide pool</p>")

    def pages() -> tuple[list[list[str]], list[str]]:
        shown, sql = [], []
        for page in (1, 2, 3):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("search"), {"q": "tide", "page": page})
            assert "5 Works found" in text(response)
            shown.append(blurb_titles(response))
            sql += [query["sql"] for query in queries.captured_queries]
        return shown, sql

    first, first_sql = pages()
    assert first == [["Tide 4", "Tide 3"], ["Tide 2", "Tide 1"], ["Tide 0"]]
    again, again_sql = pages()
    assert again == first
    if connection.vendor == "postgresql":
        counted = [sql for sql in again_sql if "OVER ()" in sql]
        assert (not counted) if page_alone_from == 1 else len(counted) == 3
        assert any("OVER ()" in sql for sql in first_sql)  # the first reader's count
    make_work(alice, title="Tide 5", content="<p>tide pool</p>")
    response = client.get(reverse("search"), {"q": "tide"})
    assert "6 Works found" in text(response)
    assert blurb_titles(response) == ["Tide 5", "Tide 4"]


@pytest.mark.parametrize("sort", ["", "title", "relevance"])
def test_a_first_reader_sees_the_same_pages_counts_and_tags_as_later_readers(
    client, alice, settings, sort
):
    """A first reader's count and sidebar come from the page's own read of the matches
    (count_reading_first, CountedWithPagePaginator.read_first): every page, with every cache
    emptied before it, shows what a later reader sees."""
    settings.FANFOLD_WORKS_PER_PAGE = 2
    for number in range(5):
        make_work(
            alice, title=f"Tide {number}", content="<p>tide pool</p>",
            freeforms=["Shore"] if number % 2 else ["Reef"],
        )  # fmt: skip

    def page(number: int, *, first_reader: bool):
        if first_reader:
            cache.clear()
        response = client.get(reverse("search"), {"q": "tide", "sort": sort, "page": number})
        shown = text(response)
        assert "5 Works found" in shown and "Reef (3)" in shown and "Shore (2)" in shown
        return blurb_titles(response)

    later = [page(number, first_reader=False) for number in (1, 2, 3)]
    assert sorted(title for shown in later for title in shown) == [
        f"Tide {number}" for number in range(5)
    ]
    assert [page(number, first_reader=True) for number in (1, 2, 3)] == later
    cache.clear()
    assert client.get(reverse("search"), {"q": "tide", "sort": sort, "page": 4}).status_code == 404


@pytest.mark.parametrize("sort", ["", "relevance"])
def test_a_search_counts_top_tags_over_its_newest_matches(client, alice, monkeypatch, sort):
    """Beyond the sample, a search's tag counts come from its first results in the listed
    order; within it, from every result."""
    make_work(alice, title="Old Tide", content="<p>tide</p>", freeforms=["Old Shore"])
    for number in range(2):
        make_work(alice, title=f"New Tide {number}", content="<p>tide</p>", freeforms=["New Shore"])
    whole = text(client.get(reverse("search"), {"q": "tide", "sort": sort}))
    assert "New Shore (2)" in whole and "Old Shore (1)" in whole
    assert "Tag counts are from the first" not in whole
    monkeypatch.setattr(filters_module, "TOP_TAGS_SAMPLE", 2)
    cache.clear()
    sampled = text(client.get(reverse("search"), {"q": "tide", "sort": sort}))
    assert "Tag counts are from the first" in sampled
    if sort == "":  # newest first: the oldest work's tag is left out of the sample
        assert "New Shore (2)" in sampled and "Old Shore (" not in sampled


def test_the_index_follows_edits_and_deletions(client, alice):
    from fanfold.works.services import work_delete, work_update

    work = make_work(alice, title="Before", content="<p>first</p>")
    assert found(client, "title:before") == ["Before"]
    work_update(work=work, user=alice, title="After")
    assert found(client, "title:before") == []
    assert found(client, "title:after") == ["After"]
    work_delete(work=work, user=alice)
    assert found(client, "first") == []


@pytest.mark.parametrize(
    "q", ['"open', "-only -exclusions", "nosuchfield:x", "x" * 600, "*** ((( )))", "title:"]
)
def test_malformed_queries_get_a_message_not_an_error(client, library, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    assert 'data-testid="query-error"' in response.content.decode()
    assert blurb_titles(response) == []


def test_the_empty_search_page_explains_itself(client):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "Enter words to find works" in text(response)


def test_searching_is_rate_limited(client, library, settings):
    settings.FANFOLD_RATE_LIMITS = {**settings.FANFOLD_RATE_LIMITS, "search": {"ip": (2, 60)}}
    assert client.get(reverse("search"), {"q": "keeper"}).status_code == 200
    assert client.get(reverse("search"), {"q": "keeper"}).status_code == 200
    assert client.get(reverse("search"), {"q": "keeper"}).status_code == 429


def test_search_follows_wrangling_and_renamed_pseuds(client, library, bob, wrangler):
    """tag: finds works through the meta tags wrangling adds, and creator: the new name of a
    renamed pseud, at once (the index follows the filter sets and the byline)."""
    from fanfold.accounts.services import pseud_update
    from fanfold.tags.models import Tag
    from fanfold.tags.wrangling import tag_meta_add

    meta = Tag.objects.create(name="Romance Tropes", type="freeform", canonical=True)
    Tag.objects.filter(name="Slow Burn").update(canonical=True)
    assert found(client, 'tag:"romance tropes"') == []
    tag_meta_add(user=wrangler, tag=Tag.objects.get(name="Slow Burn"), meta=meta)
    assert found(client, 'tag:"romance tropes"') == ["The Lantern"]

    pseud_update(pseud=bob.pseuds.get(is_default=True), user=bob, name="Gullwing")
    assert found(client, "creator:gullwing") == ["Gulls", "Storm Night"]
