"""The import views (fanfold/imports/views.py): upload or paste, preview and correct, save as a
draft; clear messages and nothing stored on bad input; only the writer sees their import."""

import html as html_lib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fanfold.imports.models import PendingImport
from fanfold.imports.testing import make_epub, xhtml
from fanfold.works.models import Chapter, Work

pytestmark = pytest.mark.django_db

STORY = (
    "The Quiet Pier\n\nA/N: Written for a friend.\n\nChapter 1: Fog\n\n"
    "The fog came in \u201cthick\u201d.\n\n***\n\nThen it lifted.\n\n"
    "Chapter 2: Sun\n\nThe sun came out.\n\nAuthor's Note: The end!\n"
)


def page_text(response) -> str:
    html = response.content.decode()
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def upload(client, name: str, data: bytes, **extra):
    return client.post(
        reverse("import_start"),
        {"file": SimpleUploadedFile(name, data), "text": "", "format": "auto", **extra},
    )


def preview_data(user, pending, **overrides) -> dict:
    chapters = pending.data["chapters"]
    data = {
        "pseuds": [user.pseuds.get(is_default=True).pk],
        "title": pending.data["title"],
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Harbour Town",
        "summary": pending.data["summary"],
        "notes": pending.data["notes"],
        "end_notes": pending.data["end_notes"],
        "language": "en",
        "comment_permission": "everyone",
        "chapters-TOTAL_FORMS": str(len(chapters)),
        "chapters-INITIAL_FORMS": str(len(chapters)),
        "chapters-MIN_NUM_FORMS": "0",
        "chapters-MAX_NUM_FORMS": "2000",
    }
    for i, chapter in enumerate(chapters):
        data[f"chapters-{i}-title"] = chapter["title"]
        data[f"chapters-{i}-notes"] = chapter["notes"]
        data[f"chapters-{i}-end_notes"] = chapter["end_notes"]
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_guests_are_sent_to_log_in(client):
    response = client.get(reverse("import_start"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_upload_preview_and_save_as_a_draft(alice, client_for):
    client = client_for(alice)
    response = upload(client, "pier.txt", STORY.encode("utf-8"))
    pending = PendingImport.objects.get(user=alice)
    assert response["Location"] == reverse("import_preview", args=[pending.pk])

    text = page_text(client.get(response["Location"]))
    assert "Read from pier.txt: 2 chapters , 12 words" in text
    assert "Chapter 1: Fog" in text and "Chapter 2: Sun" in text

    response = client.post(
        reverse("import_preview", args=[pending.pk]), preview_data(alice, pending)
    )
    work = Work.objects.get()
    assert response["Location"] == reverse("work_preview", args=[work.pk])
    assert not work.is_posted
    assert work.title == "The Quiet Pier"
    assert work.notes == "<p>Written for a friend.</p>"
    assert work.word_count == 12 and work.chapter_count == 2
    chapters = list(work.chapters.order_by("position"))
    assert [c.title for c in chapters] == ["Fog", "Sun"]
    assert chapters[0].content == (
        "<p>The fog came in \u201cthick\u201d.</p>\n<hr>\n<p>Then it lifted.</p>"
    )
    assert chapters[1].end_notes == "<p>The end!</p>"
    assert not any(c.is_posted for c in chapters)
    assert not PendingImport.objects.exists()


def test_the_writer_corrects_titles_and_joins_or_leaves_out_chapters(alice, client_for):
    client = client_for(alice)
    upload(client, "pier.txt", (STORY + "\nChapter 3\n\nA stray part.\n").encode())
    pending = PendingImport.objects.get()
    data = preview_data(
        alice,
        pending,
        title="Pier, Corrected",
        **{
            "chapters-0-title": "Fog and Mist",
            "chapters-1-merge_with_previous": "on",
            "chapters-2-leave_out": "on",
        },
    )
    client.post(reverse("import_preview", args=[pending.pk]), data)
    work = Work.objects.get()
    assert work.title == "Pier, Corrected"
    (chapter,) = work.chapters.all()
    assert chapter.title == "Fog and Mist"
    assert "Then it lifted." in chapter.content and "The sun came out." in chapter.content
    assert "stray" not in chapter.content


def test_paste_markdown(alice, client_for):
    client = client_for(alice)
    response = client.post(
        reverse("import_start"),
        {"text": "# Pasted\n\nSome *emphasis* here.\n\nMore.", "format": "markdown"},
    )
    pending = PendingImport.objects.get()
    assert response["Location"] == reverse("import_preview", args=[pending.pk])
    assert pending.data["title"] == "Pasted"
    assert pending.data["chapters"][0]["content"].startswith("<p>Some <em>emphasis</em>")


def test_an_epub_upload(alice, client_for):
    data = make_epub(
        {"c1.xhtml": xhtml("<h2>Chapter 1</h2><p>One.</p>"), "c2.xhtml": xhtml("<p>Two.</p>")},
        title="Shelf",
    )
    upload(client_for(alice), "shelf.epub", data)
    pending = PendingImport.objects.get()
    assert pending.data["title"] == "Shelf" and len(pending.data["chapters"]) == 2


def test_required_tags_are_asked_for_and_nothing_is_stored(alice, client_for):
    client = client_for(alice)
    upload(client, "pier.txt", STORY.encode())
    pending = PendingImport.objects.get()
    data = preview_data(alice, pending, rating="", warnings=None, fandoms="")
    response = client.post(reverse("import_preview", args=[pending.pk]), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Please choose a rating." in text
    assert "Please choose at least one archive warning." in text
    assert "Please add at least one fandom." in text
    assert not Work.objects.exists() and not Chapter.objects.exists()
    assert PendingImport.objects.filter(pk=pending.pk).exists()  # the writer can try again


def test_leaving_out_every_chapter_is_refused(alice, client_for):
    client = client_for(alice)
    upload(client, "pier.txt", STORY.encode())
    pending = PendingImport.objects.get()
    data = preview_data(
        alice, pending, **{"chapters-0-leave_out": "on", "chapters-1-leave_out": "on"}
    )
    response = client.post(reverse("import_preview", args=[pending.pk]), data)
    assert "You have left out every chapter" in page_text(response)
    assert not Work.objects.exists()


def test_a_chapter_the_works_services_refuse_undoes_the_whole_import(alice, client_for, settings):
    settings.FANFOLD_MAX_CHAPTER_CHARACTERS = 60
    client = client_for(alice)
    story = "Long Tale\n\nChapter 1\n\nShort.\n\nChapter 2\n\n" + "Many words. " * 10
    upload(client, "tale.txt", story.encode())
    pending = PendingImport.objects.get()
    response = client.post(
        reverse("import_preview", args=[pending.pk]), preview_data(alice, pending)
    )
    assert "Chapter 2: The chapter text must be at most 60 characters long" in page_text(response)
    assert not Work.objects.exists() and not Chapter.objects.exists()


def test_only_the_writer_sees_and_saves_their_import(alice, bob, client_for):
    upload(client_for(alice), "pier.txt", STORY.encode())
    pending = PendingImport.objects.get()
    bobs = client_for(bob)
    assert bobs.get(reverse("import_preview", args=[pending.pk])).status_code == 403
    response = bobs.post(reverse("import_preview", args=[pending.pk]), preview_data(bob, pending))
    assert response.status_code == 403
    assert not Work.objects.exists()


def test_a_saved_import_cannot_be_saved_twice(alice, client_for):
    client = client_for(alice)
    upload(client, "pier.txt", STORY.encode())
    pending = PendingImport.objects.get()
    data = preview_data(alice, pending)
    client.post(reverse("import_preview", args=[pending.pk]), data)
    assert client.post(reverse("import_preview", args=[pending.pk]), data).status_code == 403
    assert Work.objects.count() == 1


BAD_FILES = [
    ("empty.txt", b"", "The submitted file is empty."),
    ("blank.txt", b"  \n\n ", "blank.txt is empty."),
    ("broken.epub", b"PK\x03\x04 not really", "broken.epub is damaged: it is not a readable ZIP"),
    (
        "nochapters.epub",
        make_epub({"c.xhtml": xhtml("<p>x</p>")}, container=None),
        "nochapters.epub is incomplete",
    ),
    (
        "hostile.epub",
        make_epub(
            {"c.xhtml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><html><body><p>&a;</p></body></html>'}
        ),
        "hostile.epub contains hostile XML in OEBPS/c.xhtml",
    ),
    ("binary.txt", b"\x00\x01\x02\x80\xff" * 50, "binary.txt looks like a binary file"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_files_get_a_message_naming_the_problem(alice, client_for, name, data, message):
    response = upload(client_for(alice), name, data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not PendingImport.objects.exists() and not Work.objects.exists()


def test_a_file_over_the_size_limit(alice, client_for, settings):
    settings.FANFOLD_IMPORT_MAX_BYTES = 2 * 2**20
    response = upload(client_for(alice), "huge.txt", b"word " * (700 * 1024))
    assert "huge.txt is 3.4 MB; Fanfold imports files of at most 2 MB." in page_text(response)
    assert not PendingImport.objects.exists()


def test_neither_or_both_file_and_text(alice, client_for):
    client = client_for(alice)
    response = client.post(reverse("import_start"), {"text": "  ", "format": "auto"})
    assert "Please choose a file to upload or paste the text to import." in page_text(response)
    response = upload(client, "a.txt", b"Some text.", text="Other text.")
    assert "Please either upload a file or paste text, not both." in page_text(response)
    response = client.post(reverse("import_start"), {"text": "Hi", "format": "epub"})
    assert "Please choose text, Markdown or HTML for pasted text." in page_text(response)
    response = client.post(reverse("import_start"), {"text": "Hi", "format": "pdf"})
    assert "Select a valid choice." in page_text(response)
    assert not PendingImport.objects.exists()


def test_imports_are_rate_limited(alice, client_for, settings):
    settings.FANFOLD_RATE_LIMITS = {**settings.FANFOLD_RATE_LIMITS, "import": {"user": (1, 3600)}}
    client = client_for(alice)
    client.post(reverse("import_start"), {"text": "One story.", "format": "text"})
    response = client.post(reverse("import_start"), {"text": "Two stories.", "format": "text"})
    assert response.status_code == 429
    assert PendingImport.objects.count() == 1
