"""The archive's checks: posting or updating a work indexes and checks it in a background task;
reports pair the older work with the newer; the library's quotations reach the writer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.originality import selectors, services
from fanfold.originality.engine.fingerprint import fingerprint
from fanfold.originality.engine.index import RepostIndex
from fanfold.originality.engine.text import tokenize
from fanfold.originality.models import RepostReport, SourceMatch
from fanfold.originality.storygen import StoryGenerator
from fanfold.works.services import ChapterInput, chapter_update, work_delete

from .conftest import as_html

QUOTE_SOURCE = (
    "It was the quiet season of the salt winds, and Captain Orlagh kept the lighthouse alone. "
    "The sea does not forgive a sleeping keeper, her mother had told her once, and it remembers "
    "every lamp that failed. Orlagh wrote the weather in a green ledger."
)


def test_a_name_swapped_copy_is_reported_with_the_older_work_first(repost):
    original, copy = repost
    report = RepostReport.objects.get()
    assert report.older_work == original and report.newer_work == copy
    assert report.kind == "full" and report.exact
    assert report.share_of_older > 0.95 and report.share_of_newer > 0.95
    mapping = {(older, newer) for older, newer, _ in report.name_map}
    assert mapping == {("Keztrel", "Vorhal"), ("Idrith", "Emmerel"), ("Talwyn", "Ostel")}
    assert report.status == RepostReport.Status.OPEN


def test_unrelated_works_are_not_reported(alice, bob, post_work):
    post_work(alice, StoryGenerator(1).story(400))
    post_work(bob, StoryGenerator(2).story(400))
    assert not RepostReport.objects.exists()


def test_drafts_are_not_checked(alice, bob, story, post_work):
    post_work(alice, story)
    post_work(bob, story, post=False)
    assert not RepostReport.objects.exists()


def test_a_changed_text_is_checked_again(repost, bob, django_capture_on_commit_callbacks):
    _, copy = repost
    chapter = copy.chapters.get()
    with django_capture_on_commit_callbacks(execute=True):
        chapter_update(
            chapter=chapter,
            user=bob,
            data=ChapterInput(content=as_html(StoryGenerator(9).story(400))),
        )
    assert not RepostReport.objects.exists()


def test_a_deleted_work_leaves_the_index(repost, bob, django_capture_on_commit_callbacks):
    _, copy = repost
    copy_id = copy.pk
    with django_capture_on_commit_callbacks(execute=True):
        work_delete(work=copy, user=bob)
    assert copy_id not in services.repost_index()
    assert not RepostReport.objects.exists()


def test_checks_keep_one_index_open_and_see_what_other_workers_wrote(
    settings, alice, bob, story, post_work
):
    original = post_work(alice, story, title="The Lantern Keeper")
    kept = services.repost_index()
    # another worker process takes the original out of the index, then puts it back
    other_worker = RepostIndex(settings.FANFOLD_ORIGINALITY_INDEX_DIR)
    other_worker.remove([original.pk])
    post_work(bob, story, title="First copy")
    assert not RepostReport.objects.exists()
    text = selectors.work_plain_text(original.pk)
    other_worker.add([(original.pk, fingerprint(tokenize(text).words))])
    second = post_work(bob, story, title="Second copy")
    assert RepostReport.objects.filter(older_work=original, newer_work=second).exists()
    assert services.repost_index() is kept


def test_moderators_dismiss_or_hide_and_nobody_else_may(repost, moderator, bob):
    report = RepostReport.objects.get()
    with pytest.raises(PermissionDenied):
        services.repost_report_dismiss(report=report, moderator=bob)
    with pytest.raises(PermissionDenied):
        services.repost_report_hide(report=report, moderator=bob, reason="copy")
    with pytest.raises(ValidationError):
        services.repost_report_hide(report=report, moderator=moderator, reason="  ")
    report.refresh_from_db()
    assert report.status == RepostReport.Status.OPEN  # nothing half-done
    services.repost_report_hide(report=report, moderator=moderator, reason="Copy of another work")
    report.refresh_from_db()
    assert report.status == RepostReport.Status.HIDDEN and report.decided_by == moderator
    assert report.newer_work.is_hidden
    assert not report.older_work.is_hidden


def test_quotations_from_the_library_reach_the_writer(alice, admin_user, post_work):
    services.reference_source_add(title="The Salt Keeper", text=QUOTE_SOURCE, user=admin_user)
    text = (
        StoryGenerator(3).story(200)
        + "\n\nThe sea doesn't forgive a sleeping keeper, his father had told him once, "
        "and it remembered every lamp that failed.\n\n" + StoryGenerator(4).story(200)
    )
    work = post_work(alice, text)
    match = SourceMatch.objects.get(work=work)
    assert match.source.title == "The Salt Keeper"
    assert "forgive a sleeping keeper" in match.work_text

    services.source_match_credit(match=match, user=alice)
    work.refresh_from_db()
    assert "<cite>The Salt Keeper</cite>" in work.notes
    assert SourceMatch.objects.get(work=work).credited


def test_only_creators_credit_and_only_admins_change_the_library(alice, bob, admin_user, post_work):
    with pytest.raises(PermissionDenied):
        services.reference_source_add(title="Book", text=QUOTE_SOURCE, user=bob)
    source = services.reference_source_add(title="Book", text=QUOTE_SOURCE, user=admin_user)
    work = post_work(
        alice,
        "Orlagh said: the sea does not forgive a sleeping keeper, and it "
        "remembers every lamp that failed. Orlagh left.",
    )
    match = SourceMatch.objects.get(work=work)
    with pytest.raises(PermissionDenied):
        services.source_match_credit(match=match, user=bob)
    with pytest.raises(PermissionDenied):
        services.reference_source_delete(source=source, user=bob)


@pytest.mark.parametrize(
    ("title", "text", "field"),
    [
        ("", "Some text", "title"),
        ("T" * 256, "Some text", "title"),
        ("Book", "  ", "text"),
        ("Book", "bin\x00ary", "text"),
    ],
)
def test_bad_library_input_is_refused(admin_user, title, text, field):
    with pytest.raises(ValidationError) as error:
        services.reference_source_add(title=title, text=text, user=admin_user)
    assert field in error.value.message_dict
    assert not services.ReferenceSource.objects.exists()
