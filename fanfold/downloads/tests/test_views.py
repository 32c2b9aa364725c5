"""The download view: who may download what, the "being made" page, the cache and its
rebuilds, file names, calibre missing, and the rate limit."""

import zipfile
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.test import Client

from fanfold.downloads.models import DownloadStatus, WorkDownload, WorkDownloadState
from fanfold.downloads.selectors import downloads_root
from fanfold.testing.factories import make_work
from fanfold.works.services import (
    ChapterInput,
    chapter_update,
    work_delete,
    work_hide,
    work_update,
)


@pytest.fixture
def tides(alice):
    return make_work(alice, title="Tides", chapters=2, content="<p>The first tide.</p>")


@pytest.fixture
def fetch(django_capture_on_commit_callbacks):
    """GET with the background task run once the request's transaction commits, as the
    worker would: the first request is answered "being made", a later one gets the file."""

    def get(client, url, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(url, **extra)

    return get


def url(work, fmt="epub", name="tides"):
    return f"/downloads/{work.pk}/{name}.{fmt}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def epub_text(response) -> str:
    with zipfile.ZipFile(BytesIO(body(response))) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith("xhtml")
        )


def test_a_guest_asks_for_an_epub_waits_and_then_gets_the_file(tides, fetch):
    client = Client()
    first = fetch(client, url(tides))
    assert first.status_code == 202
    assert b"is being made" in first.content
    assert b'<meta http-equiv="refresh"' in first.content

    second = fetch(client, url(tides))
    assert second.status_code == 200
    assert second["Content-Type"] == "application/epub+zip"
    assert second["Content-Disposition"] == 'attachment; filename="Tides - alice.epub"'
    assert "The first tide." in epub_text(second)


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"), ("pdf", "application/pdf", b"%PDF")],
)
def test_html_and_pdf_downloads(tides, fetch, fmt, content_type, start):
    client = Client()
    fetch(client, url(tides, fmt))
    response = fetch(client, url(tides, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert body(response).startswith(start)
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_unicode_title_gets_an_ascii_name_and_the_full_name_for_those_who_read_it(alice, fetch):
    work = make_work(alice, title='Café "東京" / Night?')
    client = Client()
    fetch(client, url(work))
    response = fetch(client, url(work))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Cafe Night - alice.epub"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "Café 東京 Night - alice.epub"
    assert '"' not in unquote(encoded) and "/" not in unquote(encoded)


def test_a_title_with_no_ascii_letters_is_named_after_the_work_id(alice, fetch):
    work = make_work(alice, title="東京")
    alice.pseuds.update(name="アリス")
    client = Client()
    fetch(client, url(work))
    disposition = fetch(client, url(work))["Content-Disposition"]
    assert f'filename="work-{work.pk}.epub"' in disposition


def test_drafts_cannot_be_downloaded_even_by_their_creator(alice, client_for, fetch):
    draft = make_work(alice, post=False)
    assert fetch(client_for(alice), url(draft)).status_code == 404
    assert fetch(Client(), url(draft)).status_code == 404
    assert not WorkDownload.objects.exists()


def test_hidden_works_cannot_be_downloaded_by_anyone(tides, alice, moderator, client_for, fetch):
    work_hide(work=tides, moderator=moderator, reason="Under review")
    for client in (Client(), client_for(alice), client_for(moderator)):
        assert fetch(client, url(tides)).status_code == 404


def test_restricted_works_send_guests_to_log_in_and_serve_users(alice, reader, client_for, fetch):
    work = make_work(alice, title="Members Only", is_restricted=True)
    response = fetch(Client(), url(work))
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")
    client = client_for(reader)
    fetch(client, url(work))
    assert fetch(client, url(work)).status_code == 200


def test_unknown_formats_and_works_are_not_found(tides, fetch):
    assert fetch(Client(), url(tides, "docx")).status_code == 404
    assert fetch(Client(), "/downloads/999999/x.epub").status_code == 404


def test_a_changed_work_is_rebuilt_and_the_old_file_goes(
    tides, alice, fetch, django_capture_on_commit_callbacks
):
    client = Client()
    fetch(client, url(tides))
    assert "The first tide." in epub_text(fetch(client, url(tides)))
    state = WorkDownloadState.objects.get(work=tides)
    directory = downloads_root() / state.directory
    assert [path.name for path in directory.iterdir()] == [f"{state.generation}.epub"]

    # The change rebuilds the EPUB in the background once it is committed.
    with django_capture_on_commit_callbacks(execute=True):
        chapter_update(
            chapter=tides.chapters.get(position=1),
            user=alice,
            data=ChapterInput(content="<p>A new tide.</p>"),
        )
    assert WorkDownload.objects.get(work=tides, format="epub").status == DownloadStatus.READY
    text = epub_text(fetch(client, url(tides)))
    assert "A new tide." in text and text.count("The first tide.") == 1  # chapter 2 kept it
    assert [path.name for path in directory.iterdir()] == [f"{state.generation + 1}.epub"]


def test_a_deleted_work_takes_its_files_with_it(
    tides, alice, fetch, django_capture_on_commit_callbacks
):
    client = Client()
    fetch(client, url(tides))
    directory = downloads_root() / WorkDownloadState.objects.get(work=tides).directory
    assert directory.exists()
    with django_capture_on_commit_callbacks(execute=True):
        work_delete(work=tides, user=alice)
    assert not directory.exists()


def test_a_work_hidden_after_download_loses_its_files(
    tides, moderator, fetch, django_capture_on_commit_callbacks
):
    client = Client()
    fetch(client, url(tides))
    directory = downloads_root() / WorkDownloadState.objects.get(work=tides).directory
    with django_capture_on_commit_callbacks(execute=True):
        work_hide(work=tides, moderator=moderator, reason="Under review")
    assert not WorkDownload.objects.filter(work=tides).exists()
    assert list(directory.iterdir()) == []


def test_without_calibre_the_menu_and_the_links_say_so(tides, fetch, settings):
    settings.FANFOLD_EBOOK_CONVERT = "/nonexistent/ebook-convert"
    page = Client().get(f"/works/{tides.pk}").content.decode()
    assert "AZW3 (not available: this archive has no calibre to make it)" in page
    assert "MOBI (not available" in page
    assert f'href="/downloads/{tides.pk}/tides.epub"' in page
    assert f'/downloads/{tides.pk}/tides.azw3"' not in page
    response = fetch(Client(), url(tides, "azw3"))
    assert response.status_code == 404
    assert b"need calibre, which this archive does not have" in response.content


def test_with_calibre_the_menu_offers_every_format(tides):
    page = Client().get(f"/works/{tides.pk}").content.decode()
    for fmt in ("epub", "azw3", "mobi", "pdf", "html"):
        assert f'href="/downloads/{tides.pk}/tides.{fmt}"' in page
    assert "not available" not in page


def test_drafts_and_hidden_works_show_no_download_menu(alice, client_for, moderator, tides):
    draft = make_work(alice, post=False)
    assert b"download-menu" not in client_for(alice).get(f"/works/{draft.pk}").content
    work_hide(work=tides, moderator=moderator, reason="Under review")
    assert b"download-menu" not in client_for(alice).get(f"/works/{tides.pk}").content


def test_a_failed_build_says_why_and_can_be_tried_again(tides, fetch, settings):
    settings.FANFOLD_EBOOK_CONVERT = "false"  # found, but fails every time
    client = Client()
    fetch(client, url(tides, "mobi"))
    response = fetch(client, url(tides, "mobi"))
    assert response.status_code == 503
    assert b"calibre could not convert the work" in response.content
    assert b"try again" in response.content


def test_downloads_are_rate_limited_per_address(tides, fetch, settings):
    settings.FANFOLD_RATE_LIMITS = {**settings.FANFOLD_RATE_LIMITS, "download": {"ip": (2, 600)}}
    client = Client()
    assert fetch(client, url(tides)).status_code == 202
    assert fetch(client, url(tides)).status_code == 200
    response = fetch(client, url(tides))
    assert response.status_code == 429


def test_metadata_changes_reach_the_download(
    tides, alice, fetch, django_capture_on_commit_callbacks
):
    client = Client()
    fetch(client, url(tides))
    with django_capture_on_commit_callbacks(execute=True):
        work_update(work=tides, user=alice, title="Spring Tides", freeforms=["Storms"])
    response = fetch(client, url(tides))
    assert 'filename="Spring Tides - alice.epub"' in response["Content-Disposition"]
    text = epub_text(response)
    assert "Spring Tides" in text and "Storms" in text
