"""The originality pages: who may see them, and what bad input gets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fanfold.originality import services
from fanfold.originality.models import ReferenceSource, RepostReport, SourceMatch

from .test_checks import QUOTE_SOURCE

QUOTING = (
    "Orlagh stood there. The sea does not forgive a sleeping keeper, her mother had told her "
    "once, and it remembers every lamp that failed. Orlagh left."
)


def test_only_moderators_see_the_queue_and_reports(client, client_for, repost, moderator, alice):
    report = RepostReport.objects.get()
    for path in ("/originality/reports", f"/originality/reports/{report.pk}"):
        assert client.get(path).status_code == 302  # guests log in first
        assert client_for(alice).get(path).status_code == 403  # the original's writer too
        assert client_for(moderator).get(path).status_code == 200
    for action in ("dismiss", "hide"):
        path = f"/originality/reports/{report.pk}/{action}"
        assert client_for(alice).post(path, {"reason": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.status == RepostReport.Status.OPEN


def test_the_queue_shows_both_creators_shares_and_names(client_for, repost, moderator):
    page = client_for(moderator).get("/originality/reports").content.decode()
    assert page.index("The Lantern Keeper") < page.index("Harbour Lights")  # older first
    assert "alice" in page and "bob" in page
    assert "Keztrel → Vorhal" in page
    assert "100% of the older work" in page


def test_the_report_aligns_both_texts_and_marks_differences(client_for, repost, moderator):
    report = RepostReport.objects.get()
    page = client_for(moderator).get(f"/originality/reports/{report.pk}").content.decode()
    assert 'data-kind="replace"' in page  # the swapped names
    assert "<mark>Keztrel</mark>" in page and "<mark>Vorhal</mark>" in page


def test_hiding_without_a_reason_is_refused_with_a_message(client_for, repost, moderator):
    report = RepostReport.objects.get()
    response = client_for(moderator).post(f"/originality/reports/{report.pk}/hide", {"reason": ""})
    assert response.status_code == 400
    assert "Please say why the work is hidden" in response.content.decode()
    report.refresh_from_db()
    assert report.status == RepostReport.Status.OPEN and not report.newer_work.is_hidden


def test_a_moderator_dismisses_a_report(client_for, repost, moderator):
    report = RepostReport.objects.get()
    response = client_for(moderator).post(f"/originality/reports/{report.pk}/dismiss")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == RepostReport.Status.DISMISSED
    assert (
        "Harbour Lights" not in client_for(moderator).get("/originality/reports").content.decode()
    )


def test_only_admins_manage_the_library(client, client_for, admin_user, moderator):
    assert client.get("/originality/library").status_code == 302
    assert client_for(moderator).get("/originality/library").status_code == 403
    assert (
        client_for(moderator)
        .post("/originality/library", {"title": "Book", "text": QUOTE_SOURCE})
        .status_code
        == 403
    )
    response = client_for(admin_user).post(
        "/originality/library", {"title": "The Salt Keeper", "text": QUOTE_SOURCE}
    )
    assert response.status_code == 302
    source = ReferenceSource.objects.get()
    assert client_for(moderator).post(f"/originality/library/{source.pk}/delete").status_code == 403
    client_for(admin_user).post(f"/originality/library/{source.pk}/delete")
    assert not ReferenceSource.objects.exists()


def test_an_admin_uploads_a_text_file(client_for, admin_user):
    upload = SimpleUploadedFile("keeper.txt", QUOTE_SOURCE.encode(), content_type="text/plain")
    client_for(admin_user).post("/originality/library", {"title": "Keeper", "file": upload})
    assert ReferenceSource.objects.get().text == QUOTE_SOURCE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "text": "words"}, "Please give the source a title."),
        ({"title": "Book", "text": ""}, "The source has no text"),
        (
            {"title": "Book", "file": SimpleUploadedFile("a.bin", b"\x00\x01\x02")},
            "This is a binary file",
        ),
        (
            {"title": "Book", "file": SimpleUploadedFile("a.txt", "café".encode("latin-1"))},
            "not UTF-8 text",
        ),
    ],
)
def test_bad_library_input_gets_a_clear_message(client_for, admin_user, data, message):
    response = client_for(admin_user).post("/originality/library", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReferenceSource.objects.exists()


@pytest.fixture
def quoting_work(alice, admin_user, post_work):
    services.reference_source_add(title="The Salt Keeper", text=QUOTE_SOURCE, user=admin_user)
    return post_work(alice, QUOTING, title="Night Watch")


def test_only_the_creator_sees_the_sources_panel(
    client, client_for, quoting_work, bob, alice, moderator
):
    path = f"/works/{quoting_work.pk}/sources"
    assert client.get(path).status_code == 302
    assert client_for(bob).get(path).status_code == 403
    assert client_for(moderator).get(path).status_code == 403
    page = client_for(alice).get(path).content.decode()
    assert "The Salt Keeper" in page and "Add a credit to the notes" in page
    # the link on the work page, for the creator only
    work_page = f"/works/{quoting_work.pk}"
    assert "Sources: 1 passage" in client_for(alice).get(work_page).content.decode()
    assert "Sources:" not in client_for(bob).get(work_page).content.decode()
    assert "Sources:" not in client.get(work_page).content.decode()


def test_a_draft_has_no_sources_panel_for_others(client_for, alice, bob, post_work):
    draft = post_work(alice, QUOTING, post=False)
    assert client_for(bob).get(f"/works/{draft.pk}/sources").status_code == 404


def test_crediting_adds_to_the_notes_once(
    client_for, quoting_work, alice, bob, django_capture_on_commit_callbacks
):
    match = SourceMatch.objects.get()
    path = f"/works/{quoting_work.pk}/sources/{match.pk}/credit"
    assert client_for(bob).post(path).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(alice).post(path).status_code == 302
        client_for(alice).post(path)
    quoting_work.refresh_from_db()
    assert quoting_work.notes.count("<cite>The Salt Keeper</cite>") == 1
    page = client_for(alice).get(f"/works/{quoting_work.pk}/sources").content.decode()
    assert "Credited in your notes." in page
