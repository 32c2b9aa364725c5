"""Downloading in a real browser on a phone: the work page's Download menu, the file, the
"being made" page and the page that says a format is not available."""

import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fanfold.downloads.models import WorkDownload, WorkDownloadState
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


@pytest.fixture
def tides(alice):
    return make_work(alice, title="Tides of Ōshima", chapters=2)


def test_a_reader_downloads_an_epub_from_the_work_page_on_a_phone(phone_page, tides, tmp_path):
    phone_page.goto(f"/works/{tides.pk}")
    menu = phone_page.get_by_test_id("download-menu")
    expect(menu.get_by_role("link", name="EPUB")).to_be_hidden()
    menu.get_by_text("Download").click()
    for label in ("EPUB", "AZW3", "MOBI", "PDF", "HTML"):
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    # The live server runs the build as soon as it is asked for, so the file comes at once.
    with phone_page.expect_download() as download_info:
        menu.get_by_role("link", name="EPUB", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "Tides of Ōshima - alice.epub"
    saved = tmp_path / "saved.epub"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
    assert phone_page.js_errors == []


def test_the_being_made_page_tells_the_reader_to_wait(phone_page, tides):
    # A build a worker has not reached yet (the state the queue leaves while it is busy).
    state = WorkDownloadState.objects.create(work=tides)
    WorkDownload.objects.create(
        work=tides, format="pdf", generation=state.generation, requested_at=timezone.now()
    )
    response = phone_page.goto(f"/downloads/{tides.pk}/tides.pdf")
    assert response.status == 202
    expect(phone_page.get_by_role("heading", name="Preparing your PDF download")).to_be_visible()
    expect(phone_page.get_by_test_id("download-status")).to_contain_text("is being made")
    expect(phone_page.get_by_role("link", name="try again")).to_be_visible()
    assert phone_page.js_errors == []


def test_a_format_without_calibre_says_so(phone_page, tides, settings):
    settings.FANFOLD_EBOOK_CONVERT = "/nonexistent/ebook-convert"
    phone_page.goto(f"/works/{tides.pk}")
    phone_page.get_by_text("Download", exact=True).click()
    expect(phone_page.get_by_text("AZW3 (not available")).to_be_visible()
    response = phone_page.goto(f"/downloads/{tides.pk}/tides.azw3")
    assert response.status == 404
    expect(
        phone_page.get_by_role("heading", name="This AZW3 download is not available")
    ).to_be_visible()
    expect(phone_page.get_by_test_id("download-status")).to_contain_text("need calibre")
