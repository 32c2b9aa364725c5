"""`fanfold import-efiction DUMP.sql` (management/commands/import-efiction.py, efiction/): a
generated eFiction 3.5 archive becomes accounts, works and redirects."""

import io
import json

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.bookmarks.models import Bookmark
from fanfold.comments.models import Comment
from fanfold.imports.efiction.mapping import default_mapping, mapping_read, mapping_toml
from fanfold.imports.efiction.sqldump import parse_dump
from fanfold.imports.errors import ImportRefused
from fanfold.imports.models import EfictionAuthor, EfictionSeries, EfictionStory
from fanfold.imports.tests.efiction_dump import DUMP
from fanfold.series.models import Series, SeriesPart
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("import-efiction", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def dump(tmp_path):
    path = tmp_path / "efiction.sql"
    path.write_text(DUMP, encoding="utf-8")
    stories = tmp_path / "stories" / "1"
    stories.mkdir(parents=True)
    (stories / "105.txt").write_bytes("Text kept in a file, caf\u00e9.".encode("cp1252"))
    return path


def tags(work, type_) -> list[str]:
    return [tag.name for tag in work.tags_by_type()[type_]]


def test_the_dump_reader_decodes_mysql_escapes():
    parsed = parse_dump(DUMP)
    story = parsed.table("stories")[0]
    assert story["title"] == 'The Keeper\'s "Lamp"'
    assert story["storynotes"] == "Thanks to my beta.\r\nAnd to you."
    assert story["coauthors"] is None and story["date"] == 1426291200
    chapters = parsed.table("chapters")
    assert chapters[1]["storytext"].endswith("<p>Back\\slash.</p>")
    assert "INSERT INTO `x` VALUES (1);" in chapters[1]["storytext"]
    # An INSERT without a column list takes the columns of its CREATE TABLE.
    assert parsed.table("categories")[1]["category"] == "Lighthouse Keepers"


def test_a_broken_dump_says_where():
    with pytest.raises(ImportRefused, match="near line 3: a row of fanfiction_authors has 2"):
        parse_dump("-- x\n\nINSERT INTO `fanfiction_authors` (`uid`) VALUES (1, 'two');\n")


def test_import_an_archive(dump, tmp_path):
    report_path = tmp_path / "report.json"
    out = run(str(dump), "--stories-dir", str(tmp_path / "stories"), "--report", str(report_path))
    assert "Authors: 3 accounts made, 0 already there." in out
    assert "Stories: 4 imported, 1 refused." in out
    assert "refused story 13 (Lost Chapters): it has no chapters" in out
    assert "Series: 2 imported, 0 already there, 2 not imported." in out
    assert "Reviews (as comments): 3 imported, 0 already there, 3 not imported." in out
    assert "Favorites (as bookmarks): 3 imported, 0 already there, 3 not imported." in out

    moth = EfictionAuthor.objects.get(uid=1).user
    assert moth.username == "Lantern_Moth" and moth.email == "moth@example.org"
    assert not moth.has_usable_password()
    assert moth.pseuds.get(is_default=True).name == "Lantern Moth"

    lamp = EfictionStory.objects.get(sid=10).work
    assert lamp.title == 'The Keeper\'s "Lamp"' and lamp.is_posted and lamp.is_complete
    assert str(lamp.published_on) == "2015-03-14"
    assert lamp.summary == "<p>A lamp, a storm &amp; a rescue.</p>"
    assert lamp.notes == "<p>Thanks to my beta.<br>\nAnd to you.</p>"
    assert tags(lamp, "fandom") == ["Harbour Town", "Lighthouse Keepers"]
    assert tags(lamp, "character") == ["The Keeper", "Ferryman"]
    assert tags(lamp, "freeform") == ["Angst"]
    assert tags(lamp, "warning") == ["Major Character Death"]
    assert tags(lamp, "rating") == ["Teen And Up Audiences"]
    first, second = lamp.chapters.order_by("position")
    assert first.title == "Storm" and first.notes == "<p>A/N first.</p>"
    assert first.content == "<p>The storm came \u201cat night\u201d.</p>\n<p>The lamp held.</p>"
    assert first.end_notes == "<p>See you next time.</p>"
    assert "Back\\slash." in second.content

    shared = EfictionStory.objects.get(sid=11).work
    assert {c.pseud.user for c in shared.approved_creatorships} == {
        EfictionAuthor.objects.get(uid=2).user,
        moth,
    }
    assert not shared.is_complete and tags(shared, "freeform") == ["Fluff"]
    assert tags(shared, "warning") == ["Creator Chose Not To Use Archive Warnings"]

    draft = EfictionStory.objects.get(sid=12).work
    assert not draft.is_posted and tags(draft, "rating") == ["Explicit"]
    from_file = EfictionStory.objects.get(sid=14).work
    assert from_file.chapters.get().content == "<p>Text kept in a file, caf\u00e9.</p>"

    report = json.loads(report_path.read_text())
    assert {r["reviewid"]: r["reason"] for r in report["reviews"]["not_imported"]} == {
        3: "a review of a series or challenge (Fanfold has no comments there)",
        4: "its story was not imported",
        5: "Please write something in your comment.",
    }
    assert report["series"]["imported"] == 2
    assert report["refused"] == [
        {"sid": 13, "title": "Lost Chapters", "reason": "it has no chapters"}
    ]

    # Running it again imports nothing twice.
    counts = (Comment.objects.count(), Bookmark.objects.count(), SeriesPart.objects.count())
    out = run(str(dump), "--stories-dir", str(tmp_path / "stories"))
    assert "Authors: 0 accounts made, 3 already there." in out
    assert "Reviews (as comments): 0 imported, 3 already there" in out
    assert "Favorites (as bookmarks): 0 imported, 3 already there" in out
    assert "Series: 0 imported, 2 already there" in out
    assert Work.objects.count() == 4
    assert counts == (
        Comment.objects.count(),
        Bookmark.objects.count(),
        SeriesPart.objects.count(),
    )
    assert Series.objects.count() == 2


def test_a_story_whose_file_is_missing_is_refused_and_leaves_nothing(dump):
    out = run(str(dump), "--no-progress")
    assert "refused story 14 (Stored In Files): chapter 105 has no text" in out
    assert not Work.objects.filter(title="Stored In Files").exists()


def test_an_edited_mapping(dump, tmp_path):
    mapping_path = tmp_path / "mapping.toml"
    assert "Wrote the tag mapping" in run(str(dump), "--write-mapping", str(mapping_path))
    assert not Work.objects.exists() and not User.objects.filter(efiction_author__isnull=False)
    text = mapping_path.read_text()
    assert '[categories.2]\ntype = "fandom"\nname = "Lighthouse Keepers"' in text
    text = text.replace(
        '[categories.2]\ntype = "fandom"\nname = "Lighthouse Keepers"',
        '[categories.2]\ntype = "ignore"\nname = ""',
    ).replace('[classes.4]\ntype = "freeform"', '[classes.4]\ntype = "ignore"')
    text = text.replace(
        '[characters.2]\ntype = "character"\nname = "Ferryman"',
        '[characters.2]\ntype = "relationship"\nname = "The Keeper/Ferryman"',
    )
    mapping_path.write_text(text)
    run(str(dump), "--mapping", str(mapping_path), "--no-progress")
    lamp = EfictionStory.objects.get(sid=10).work
    assert tags(lamp, "fandom") == ["Harbour Town"]
    assert tags(lamp, "relationship") == ["The Keeper/Ferryman"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ('[classes.1]\ntype = "genre"\nname = "x"\n', "has type 'genre'"),
        ('[classes.1]\ntype = "warning"\nname = "Mild"\n', "'Mild' is not an AO3 warning"),
        ('[ratings]\n"1" = "PG"\n', "rating 1 is 'PG'"),
        ("not = [valid", "not valid TOML"),
    ],
)
def test_bad_mapping_files_are_refused_with_the_entry_named(edit, message):
    defaults = default_mapping(parse_dump(DUMP))
    with pytest.raises(ImportRefused, match=message):
        mapping_read(edit, defaults)
    assert mapping_read(mapping_toml(defaults), defaults) == defaults


def test_bad_dumps(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        run(str(tmp_path / "missing.sql"))
    other = tmp_path / "other.sql"
    other.write_text("CREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1);\n")
    with pytest.raises(CommandError, match="is it a dump of an eFiction archive"):
        run(str(other))
    empty = tmp_path / "empty.sql"
    empty.write_text("")
    with pytest.raises(CommandError, match="is empty"):
        run(str(empty))


def test_authors_claim_their_accounts_by_email(dump, client, settings):
    settings.SITE_URL = "https://archive.example.org"
    out = run(str(dump), "--no-progress", "--send-claims", "--archive-name", "Old Harbour")
    assert "Claim links mailed to 2 authors." in out  # the third had no address
    message = next(m for m in mail.outbox if m.to == ["moth@example.org"])
    assert "Old Harbour" in message.subject and "Lantern_Moth" in message.body
    link = next(line for line in message.body.splitlines() if line.startswith("https://"))
    path = link.removeprefix("https://archive.example.org")
    moth = User.objects.get(username="Lantern_Moth")
    _uid, token = path.rstrip("/").split("/")[-2:]
    assert default_token_generator.check_token(moth, token)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    # Sending again mails nobody twice.
    mail.outbox.clear()
    assert "Claim links mailed to 0 authors." in run(str(dump), "--no-progress", "--send-claims")


def test_old_story_links_redirect(dump, client, tmp_path, client_for):
    run(str(dump), "--stories-dir", str(tmp_path / "stories"), "--no-progress")
    lamp = EfictionStory.objects.get(sid=10).work
    response = client.get("/viewstory.php?sid=10")
    assert response.status_code == 301 and response["Location"] == lamp.get_absolute_url()
    second = lamp.chapters.get(position=2)
    response = client.get("/viewstory.php?sid=10&chapter=2")
    assert response["Location"] == reverse("chapter_detail", args=[lamp.pk, second.pk])
    for bad in ("sid=999", "sid=abc", "", "sid=13"):
        assert client.get(f"/viewstory.php?{bad}").status_code == 404
    # A story that was a draft on eFiction stays unseen: no redirect that tells it exists.
    assert client.get("/viewstory.php?sid=12").status_code == 404
    author = EfictionAuthor.objects.get(uid=3).user
    assert client_for(author).get("/viewstory.php?sid=12").status_code == 301


def test_reviews_become_comments(dump, tmp_path, client):
    run(str(dump), "--stories-dir", str(tmp_path / "stories"), "--no-progress")
    lamp = EfictionStory.objects.get(sid=10).work
    tide = EfictionAuthor.objects.get(uid=2).user
    first, second = lamp.chapters.order_by("position")
    by_tide, by_guest = Comment.objects.filter(work=lamp).order_by("pk")
    # A member's review is theirs, on the chapter it was left on, with its old date.
    assert by_tide.user == tide and by_tide.chapter == first
    assert by_tide.content == "<p>Loved the lamp!<br>\nAnd the storm.</p>"
    assert by_tide.created_at.date().isoformat() == "2016-07-01"
    # A guest's review keeps the name they gave (eFiction asked for no address); the markup
    # is sanitized.
    assert by_guest.user is None and by_guest.guest_name == "Guest Reader"
    assert by_guest.chapter == second
    assert "<script>" not in by_guest.content and "<b>Soon?</b>" in by_guest.content
    shared = EfictionStory.objects.get(sid=11).work
    whole = Comment.objects.get(work=shared)
    assert whole.chapter is None and whole.guest_name == "Passing Gull"
    assert str(whole.created_at.date()) == "2015-03-14"
    # The counts equal the rows, and readers see the reviews on the work page.
    for work in Work.objects.all():
        assert work.comment_count == Comment.objects.filter(work=work).count()
    assert lamp.comment_count == 2
    page = client.get(lamp.get_absolute_url() + "?view_full_work=true").content.decode()
    assert "Loved the lamp!" in page and "Guest Reader" in page
    # Nobody's inbox fills with years-old reviews.
    from fanfold.inbox.models import InboxItem

    assert not InboxItem.objects.exists()
    # A review its work's creator deleted stays deleted when the import runs again.
    from fanfold.comments.services import comment_delete

    comment_delete(comment=by_guest, user=EfictionAuthor.objects.get(uid=1).user)
    run(str(dump), "--stories-dir", str(tmp_path / "stories"), "--no-progress")
    lamp.refresh_from_db()
    assert list(Comment.objects.filter(work=lamp)) == [by_tide] and lamp.comment_count == 1


def test_favorites_become_bookmarks(dump, tmp_path):
    run(str(dump), "--stories-dir", str(tmp_path / "stories"), "--no-progress")
    lamp = EfictionStory.objects.get(sid=10).work
    tide, no_mail = (EfictionAuthor.objects.get(uid=uid).user for uid in (2, 3))
    assert set(Bookmark.objects.filter(work=lamp).values_list("user", flat=True)) == {
        tide.pk,
        no_mail.pk,
    }
    assert Bookmark.objects.get(work=lamp, user=no_mail).notes == "My <i>favourite</i>."
    lamp.refresh_from_db()
    assert lamp.bookmark_count == 2
    # A favorite series is a bookmark of the series.
    tales = EfictionSeries.objects.get(seriesid=1).series
    assert Bookmark.objects.get(series=tales).user == no_mail
    # A draft here can't be bookmarked, nor a story that was not imported.
    draft = EfictionStory.objects.get(sid=12).work
    assert not Bookmark.objects.filter(work=draft).exists()
    assert draft.bookmark_count == 0
    assert Bookmark.objects.count() == 3


def test_series_keep_their_order_and_grow_on_a_later_run(dump, tmp_path):
    # Without the stories folder story 14 is refused, so it is not yet in its series.
    out = run(str(dump), "--no-progress")
    assert "not imported: series 1, story 14: the story was not imported (yet)" in out
    assert "series 3: its owner (uid 99) is not in the dump" in out
    moth = EfictionAuthor.objects.get(uid=1).user
    tales = EfictionSeries.objects.get(seriesid=1).series
    assert tales.owner == moth and tales.title == "Harbour Tales"
    assert tales.summary == "<p>Stories of the harbour.<br>\nIn order.</p>"

    def sids(series):
        return [part.work.efiction_story.sid for part in series.parts.order_by("position")]

    assert sids(tales) == [10, 11]
    # An open series keeps only its owner's stories: only a work's creators add it to a series.
    shore = EfictionSeries.objects.get(seriesid=2).series
    assert shore.owner == EfictionAuthor.objects.get(uid=2).user and sids(shore) == [11]
    assert "series 2, story 10: Only a work's creators may add it to a series." in out

    out = run(str(dump), "--stories-dir", str(tmp_path / "stories"), "--no-progress")
    assert "Stories: 1 imported" in out
    assert sids(tales) == [10, 11, 14] and Series.objects.count() == 2
    # A work its owner takes out of the series is not put back by another run.
    from fanfold.series.services import series_remove_work

    series_remove_work(series=tales, work=EfictionStory.objects.get(sid=11).work, user=moth)
    run(str(dump), "--stories-dir", str(tmp_path / "stories"), "--no-progress")
    assert sids(tales) == [10, 14]


def test_the_import_comment_service_refuses_bad_input(alice, bob):
    from django.core.exceptions import ValidationError

    from fanfold.comments.services import comment_import
    from fanfold.testing.factories import make_work

    work = make_work(alice, chapters=1, post=True)
    other = make_work(bob, chapters=1, post=True)
    with pytest.raises(ValidationError, match="not part of this work"):
        comment_import(work=work, chapter=other.chapters.get(), content="<p>Hi</p>")
    with pytest.raises(ValidationError, match="Please write something"):
        comment_import(work=work, content="<script>x</script>")
    with pytest.raises(ValidationError, match="too long"):
        comment_import(work=work, content="x" * 10_001)
    work.refresh_from_db()
    assert not Comment.objects.exists() and work.comment_count == 0
    comment = comment_import(work=work, content="Fine.", guest_name="  ")
    assert comment.guest_name == "Guest" and comment.thread_id == comment.pk
