from datetime import date, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fanfold.accounts.models import Pseud
from fanfold.tags.models import Tag, TagType
from fanfold.testing.factories import make_work
from fanfold.works.models import Chapter, Creatorship, OrphanedWorkRecord, Tagging, Work, WorkHit
from fanfold.works.selectors import (
    creatorship_invitations_for_user,
    work_get_for_reading,
    work_list_drafts,
    work_list_for_pseud,
    work_list_for_user,
    work_user_is_creator,
    works_for_blurbs,
)
from fanfold.works.services import (
    ChapterInput,
    chapter_create,
    chapter_delete,
    chapter_post,
    chapter_update,
    chapters_reorder,
    creatorship_accept,
    creatorship_decline,
    work_create,
    work_delete,
    work_hit_record,
    work_orphan,
    work_post,
    work_remove_creator,
    work_update,
    work_update_preview,
)

pytestmark = pytest.mark.django_db

TEXT = "<p>The ferry left at dawn and nobody waved.</p>"


def default_pseud(user) -> Pseud:
    return user.pseuds.get(is_default=True)


def create(user, **overrides):
    values = {
        "user": user,
        "pseuds": [default_pseud(user)],
        "title": "Low Tide",
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Harbour Town"],
        "chapter": ChapterInput(content=TEXT),
    }
    values.update(overrides)
    return work_create(**values)


def counts():
    return (
        Work.objects.count(),
        Chapter.objects.count(),
        Tagging.objects.count(),
        Creatorship.objects.count(),
        Tag.objects.count(),
    )


def refused(call, **kwargs):
    """Run a service that must refuse; return its errors and check nothing was stored."""
    before = counts()
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert counts() == before
    return exc.value.message_dict


# --- Creating ------------------------------------------------------------------------------


def test_create_stores_a_draft_with_its_metadata_and_tags(alice):
    work = create(
        alice,
        summary="Two keepers, one lamp.",
        categories=["Gen", "F/M"],
        relationships=["Keeper/Ferryman"],
        characters=["The Keeper", "The Ferryman"],
        freeforms=["Slow Burn", "Fluff"],
        language="de",
        is_restricted=True,
        comment_permission="registered",
    )
    assert work.is_posted is False
    assert work.revised_at is None
    assert work.title == "Low Tide"
    assert work.summary == "<p>Two keepers, one lamp.</p>"
    assert work.language == "de"
    assert work.is_restricted is True
    assert work.comment_permission == "registered"
    assert list(work.pseuds.all()) == [default_pseud(alice)]
    grouped = {key: [tag.name for tag in tags] for key, tags in work.tags_by_type().items()}
    assert grouped == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["Gen", "F/M"],
        "fandom": ["Harbour Town"],
        "relationship": ["Keeper/Ferryman"],
        "character": ["The Keeper", "The Ferryman"],
        "freeform": ["Slow Burn", "Fluff"],
    }
    chapter = work.chapters.get()
    assert chapter.position == 1
    assert chapter.content == TEXT
    assert chapter.is_posted is False


def test_posting_at_once_dates_and_counts_the_work(alice):
    work = create(alice, post=True)
    chapter = work.chapters.get()
    assert work.is_posted and chapter.is_posted
    assert work.published_on == chapter.published_on == timezone.localdate()
    assert work.revised_at is not None
    assert work.word_count == chapter.word_count == 8
    assert work.chapters_display == "1/1"
    assert work.is_complete is True


def test_a_work_may_be_backdated_but_not_dated_in_the_future(alice):
    work = create(alice, post=True, published_on=date(2011, 5, 4))
    assert work.published_on == date(2011, 5, 4)
    assert work.chapters.get().published_on == date(2011, 5, 4)
    errors = refused(create, user=alice, published_on=timezone.localdate() + timedelta(days=1))
    assert errors == {"published_on": ["The publication date can't be in the future."]}


def test_updated_is_the_date_of_the_latest_posted_chapter(alice):
    work = create(alice, post=True, published_on=date(2011, 5, 4), expected_chapters=None)
    assert timezone.localtime(work.revised_at).date() == date(2011, 5, 4)
    chapter_create(
        work=work, user=alice, chapter=ChapterInput(content=TEXT, published_on=date(2012, 1, 9))
    )
    work = Work.objects.get(pk=work.pk)
    assert work.published_on == date(2011, 5, 4)
    assert timezone.localtime(work.revised_at).date() == date(2012, 1, 9)
    chapter_create(work=work, user=alice, chapter=ChapterInput(content=TEXT))
    work = Work.objects.get(pk=work.pk)
    assert timezone.localtime(work.revised_at).date() == timezone.localdate()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Please enter a title."),
        (
            {"title": "t" * 256},
            "title",
            "The title must be at most 255 characters long (it has 256).",
        ),
        (
            {"summary": "s" * 1251},
            "summary",
            "The summary must be at most 1,250 characters long (it has 1,251).",
        ),
        (
            {"notes": "n" * 5001},
            "notes",
            "The notes must be at most 5,000 characters long (it has 5,001).",
        ),
        (
            {"end_notes": "n" * 5001},
            "end_notes",
            "The end notes must be at most 5,000 characters long (it has 5,001).",
        ),
        ({"rating": ""}, "rating", "Please choose a rating."),
        ({"rating": "Spicy"}, "rating", "Please choose a rating."),
        ({"warnings": []}, "warnings", "Please choose at least one archive warning."),
        ({"warnings": ["Sharks"]}, "warnings", "Please choose archive warnings from the list."),
        ({"categories": ["X/Y"]}, "categories", "Please choose categories from the list."),
        ({"fandoms": []}, "fandoms", "Please add at least one fandom."),
        ({"fandoms": [" ", ""]}, "fandoms", "Please add at least one fandom."),
        ({"language": "xx"}, "language", "Please choose a language from the list."),
        (
            {"expected_chapters": 0},
            "expected_chapters",
            "The expected number of chapters must be a whole number of at least 1, "
            "or empty if you don't know yet.",
        ),
        ({"comment_permission": "friends"}, "comment_permission", "Please choose who may comment."),
        ({"pseuds": []}, "pseuds", "Please choose at least one of your pseuds as the creator."),
        (
            {"chapter": ChapterInput(content="<p> </p><script>alert(1)</script>")},
            "content",
            "The chapter text can't be empty: please write or paste some text.",
        ),
        (
            {"chapter": ChapterInput(content="")},
            "content",
            "The chapter text can't be empty: please write or paste some text.",
        ),
        (
            {"chapter": ChapterInput(content=TEXT, text_format="markdown")},
            "text_format",
            "Please choose rich text, HTML or plain text.",
        ),
        (
            {"chapter": ChapterInput(content=TEXT, title="c" * 256)},
            "chapter_title",
            "The chapter title must be at most 255 characters long (it has 256).",
        ),
    ],
)
def test_create_refuses_bad_input_with_a_message_and_stores_nothing(
    alice, overrides, field, message
):
    errors = refused(create, user=alice, **overrides)
    assert errors == {field: [message]}


def test_chapter_text_longer_than_the_limit_is_refused(alice, settings):
    settings.FANFOLD_MAX_CHAPTER_CHARACTERS = 100
    errors = refused(create, user=alice, chapter=ChapterInput(content="<p>" + "a" * 200 + "</p>"))
    assert errors["content"][0].startswith("The chapter text must be at most 100 characters")


def test_only_the_users_own_pseuds_make_them_a_creator(alice, bob):
    errors = refused(create, user=alice, pseuds=[default_pseud(bob)])
    assert errors == {"pseuds": ["Please choose at least one of your pseuds as the creator."]}


def test_bad_tags_are_refused_and_no_tag_is_created(alice):
    Tag.objects.create(name="Quiet Harbour", type=TagType.CHARACTER)
    errors = refused(
        create,
        user=alice,
        fandoms=["Brand New Fandom", "quiet harbour"],
        freeforms=["Angst <3"],
    )
    assert errors["fandoms"] == [
        "The tag “quiet harbour” is already in the archive as a Character tag. All tags have "
        "to be unique; try being more specific, for example by adding the fandom in brackets."
    ]
    assert "contains <" in errors["freeforms"][0]
    assert not Tag.objects.filter(name="Brand New Fandom").exists()


def test_the_same_new_name_in_two_fields_is_a_type_conflict(alice):
    errors = refused(create, user=alice, fandoms=["Lamplight"], characters=["Lamplight"])
    assert "already in the archive as a Fandom tag" in errors["characters"][0]


def test_at_most_75_user_tags_in_all(alice):
    work = create(
        alice, fandoms=["F1"], characters=[f"C{i}" for i in range(34)], freeforms=["x" + "y" * 5]
    )
    assert work.tags.filter(type=TagType.CHARACTER).count() == 34
    errors = refused(
        create,
        user=alice,
        fandoms=["F1", "F2"],
        relationships=[f"R{i}" for i in range(20)],
        characters=[f"C{i}" for i in range(30)],
        freeforms=[f"T{i}" for i in range(24)],
    )
    assert errors == {
        NON_FIELD_ERRORS: [
            "You have entered 76 fandoms, relationships, characters and additional tags; "
            "a work can have at most 75 of them in all."
        ]
    }


def test_several_errors_are_reported_together(alice):
    errors = refused(create, user=alice, title="", fandoms=[], chapter=ChapterInput(content=""))
    assert set(errors) == {"title", "fandoms", "content"}


def test_plain_text_becomes_paragraphs_and_line_breaks(alice):
    work = create(
        alice,
        chapter=ChapterInput(
            content="First line\nsecond line\n\nNew <paragraph>", text_format="plain"
        ),
    )
    assert work.chapters.get().content == (
        "<p>First line<br>\nsecond line</p>\n<p>New &lt;paragraph&gt;</p>"
    )


def test_html_is_sanitized_before_it_is_stored(alice):
    work = create(
        alice,
        summary='<p onclick="steal()">Hi</p><script>x()</script>',
        chapter=ChapterInput(content='<p>Safe <a href="javascript:bad()">link</a></p>'),
    )
    assert "onclick" not in work.summary and "script" not in work.summary
    assert "javascript" not in work.chapters.get().content


def test_html_typed_without_paragraphs_gets_them(alice):
    work = create(alice, chapter=ChapterInput(content="One <em>two</em>\n\nThree"))
    assert work.chapters.get().content == "<p>One <em>two</em></p>\n<p>Three</p>"


# --- Co-creator invitations ----------------------------------------------------------------


def creators_listed(work) -> list[str]:
    """The byline as readers see it."""
    work = works_for_blurbs(Work.objects.filter(pk=work.pk)).get()
    return [str(c.pseud) for c in work.approved_creatorships]


def invited(alice, bob, **overrides):
    """A posted work by alice that invites bob as a co-creator."""
    return create(alice, pseuds=[default_pseud(alice), default_pseud(bob)], post=True, **overrides)


def test_another_users_pseud_is_invited_not_listed(alice, bob):
    work = invited(alice, bob)
    creatorships = {c.pseud.user.username: c for c in work.creatorships.select_related("pseud")}
    assert creatorships["alice"].approved is True
    assert creatorships["bob"].approved is False
    assert creatorships["bob"].invited_by == alice
    assert creators_listed(work) == ["alice"]
    assert [c.work for c in creatorship_invitations_for_user(user=bob)] == [work]
    assert creatorship_invitations_for_user(user=alice) == []


def test_the_writers_own_pseuds_are_approved_at_once(alice):
    second = Pseud.objects.create(user=alice, name="Lamplighter")
    work = create(alice, pseuds=[default_pseud(alice), second])
    assert all(c.approved for c in work.creatorships.all())
    assert creators_listed(work) == ["alice", "Lamplighter (alice)"]


def test_an_invited_user_has_no_rights_until_they_accept(alice, bob):
    work = invited(alice, bob)
    chapter = work.chapters.get()
    for refused_call in (
        lambda: work_update(work=work, user=bob, title="Mine"),
        lambda: chapter_update(chapter=chapter, user=bob, data=ChapterInput(content=TEXT)),
        lambda: chapter_create(work=work, user=bob, chapter=ChapterInput(content=TEXT)),
        lambda: work_delete(work=work, user=bob),
        lambda: work_orphan(work=work, user=bob),
        lambda: work_update_preview(work=work, user=bob, title="Mine"),
    ):
        with pytest.raises(PermissionDenied):
            refused_call()
    assert Work.objects.get(pk=work.pk).title == "Low Tide"
    assert not work_user_is_creator(work=works_for_blurbs(Work.objects).get(), user=bob)


def test_an_invitation_to_a_draft_does_not_show_the_draft(alice, bob):
    draft = create(alice, pseuds=[default_pseud(alice), default_pseud(bob)])
    assert not Work.objects.visible_to(bob).filter(pk=draft.pk).exists()
    assert work_get_for_reading(work_id=draft.pk, user=bob) is None
    assert not work_list_drafts(owner=bob).exists()
    creatorship_accept(creatorship=draft.creatorships.get(pseud__user=bob), user=bob)
    assert Work.objects.visible_to(bob).filter(pk=draft.pk).exists()
    assert list(work_list_drafts(owner=bob)) == [draft]


def test_an_invited_user_is_not_listed_anywhere(alice, bob):
    work = invited(alice, bob)
    bobs = default_pseud(bob)
    assert not work_list_for_user(owner=bob, viewer=bob).exists()
    assert not work_list_for_pseud(pseud=bobs, viewer=bob).exists()
    assert list(work_list_for_user(owner=alice, viewer=None)) == [work]


def test_accepting_makes_the_invited_user_a_creator(alice, bob):
    work = invited(alice, bob)
    invitation = work.creatorships.get(pseud__user=bob)
    creatorship_accept(creatorship=invitation, user=bob)
    assert creators_listed(work) == ["alice", "bob"]
    assert list(work_list_for_pseud(pseud=default_pseud(bob), viewer=None)) == [work]
    assert creatorship_invitations_for_user(user=bob) == []
    work_update(work=work, user=bob, title="Low Tide, Revised")
    assert Work.objects.get(pk=work.pk).title == "Low Tide, Revised"


def test_declining_removes_the_invitation_and_leaves_the_work(alice, bob):
    work = invited(alice, bob)
    creatorship_decline(creatorship=work.creatorships.get(pseud__user=bob), user=bob)
    assert [c.pseud.user for c in Creatorship.objects.filter(work=work)] == [alice]
    assert creators_listed(work) == ["alice"]
    assert creatorship_invitations_for_user(user=bob) == []


@pytest.mark.parametrize("answer", [creatorship_accept, creatorship_decline])
def test_only_the_invited_user_may_answer(alice, bob, reader, answer):
    from django.contrib.auth.models import AnonymousUser

    work = invited(alice, bob)
    invitation = work.creatorships.get(pseud__user=bob)
    for stranger in (reader, alice, AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            answer(creatorship=invitation, user=stranger)
    invitation.refresh_from_db()
    assert invitation.approved is False


def test_a_creator_cannot_decline_after_accepting(alice, bob):
    work = invited(alice, bob)
    invitation = work.creatorships.get(pseud__user=bob)
    creatorship_accept(creatorship=invitation, user=bob)
    creatorship_accept(creatorship=invitation, user=bob)  # twice changes nothing
    with pytest.raises(ValidationError):
        creatorship_decline(creatorship=invitation, user=bob)
    assert creators_listed(work) == ["alice", "bob"]


def test_an_answered_invitation_cannot_be_answered_again(alice, bob):
    work = invited(alice, bob)
    invitation = work.creatorships.get(pseud__user=bob)
    creatorship_decline(creatorship=invitation, user=bob)
    with pytest.raises(ValidationError):
        creatorship_accept(creatorship=invitation, user=bob)
    assert not Creatorship.objects.filter(pseud__user=bob).exists()


def test_invitations_are_kept_when_the_work_is_edited(alice, bob):
    work = invited(alice, bob)
    work_update(work=work, user=alice, title="Renamed")
    invitation = Creatorship.objects.get(work=work, pseud__user=bob)
    assert invitation.approved is False


def test_a_work_left_with_only_invitations_is_deleted_with_its_last_creator(alice, bob):
    work = invited(alice, bob)
    work_remove_creator(work=work, user=alice)
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not Creatorship.objects.exists()


def test_orphaning_takes_the_inviters_name_off_open_invitations(alice, bob):
    work = invited(alice, bob)
    work_orphan(work=work, user=alice)
    invitation = Creatorship.objects.get(work=work, pseud__user=bob)
    assert invitation.invited_by is None and invitation.approved is False
    assert creators_listed(work) == ["orphan_account"]


def test_guests_may_not_create(alice):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        work_create(
            user=AnonymousUser(),
            pseuds=[default_pseud(alice)],
            title="x",
            rating="Mature",
            warnings=["No Archive Warnings Apply"],
            fandoms=["F"],
            chapter=ChapterInput(content=TEXT),
        )


# --- Updating and posting ------------------------------------------------------------------


def test_update_changes_only_the_fields_given(alice):
    work = create(alice, freeforms=["Fluff"], summary="Old summary")
    work_update(work=work, user=alice, title="High Tide", freeforms=["Angst", "Fluff"])
    work = Work.objects.get(pk=work.pk)
    assert work.title == "High Tide"
    assert work.summary == "<p>Old summary</p>"
    assert [t.name for t in work.tags_by_type()["freeform"]] == ["Angst", "Fluff"]
    assert [t.name for t in work.tags_by_type()["fandom"]] == ["Harbour Town"]


def test_update_refuses_bad_input_and_changes_nothing(alice):
    work = create(alice)
    errors = refused(work_update, work=work, user=alice, title="", fandoms=["New <Fandom>"])
    assert set(errors) == {"title", "fandoms"}
    assert Work.objects.get(pk=work.pk).title == "Low Tide"


def test_only_creators_may_update(alice, bob):
    work = create(alice)
    with pytest.raises(PermissionDenied):
        work_update(work=work, user=bob, title="Mine now")


def test_a_creator_may_not_drop_another_creator(alice, bob):
    work = make_work(alice, pseuds=[default_pseud(alice), default_pseud(bob)])
    errors = refused(work_update, work=work, user=alice, pseuds=[default_pseud(alice)])
    assert errors == {
        "co_creators": [
            "You can't remove bob from the work's creators; only they can remove themselves."
        ]
    }


def test_expected_chapters_cannot_be_fewer_than_the_chapters_there_are(alice):
    work = make_work(alice, chapters=3)
    errors = refused(work_update, work=work, user=alice, expected_chapters=2)
    assert errors == {
        "expected_chapters": [
            "This work already has 3 chapters; the expected number of chapters can't be lower."
        ]
    }


def test_posting_a_draft_posts_its_chapters(alice):
    work = make_work(alice, chapters=2, post=False)
    assert work.chapters_display == "2/2"  # a draft counts all its chapters
    work_post(work=work, user=alice)
    work = Work.objects.get(pk=work.pk)
    assert work.is_posted
    assert all(chapter.is_posted for chapter in work.chapters.all())
    assert work.published_on == timezone.localdate()
    assert work.is_complete and work.chapters_display == "2/2"


def test_only_creators_may_post(alice, bob):
    work = make_work(alice, post=False)
    with pytest.raises(PermissionDenied):
        work_post(work=work, user=bob)
    assert not Work.objects.get(pk=work.pk).is_posted


# --- Completeness and counts ---------------------------------------------------------------


def test_unknown_expected_chapters_is_never_complete(alice):
    work = make_work(alice, chapters=2, expected_chapters=None)
    assert work.chapters_display == "2/?"
    assert work.is_complete is False


def test_a_work_in_progress_becomes_complete_when_the_last_chapter_is_posted(alice):
    work = make_work(alice, chapters=1, expected_chapters=2)
    assert work.chapters_display == "1/2" and not work.is_complete
    chapter_create(work=work, user=alice, chapter=ChapterInput(content=TEXT))
    work = Work.objects.get(pk=work.pk)
    assert work.chapters_display == "2/2" and work.is_complete
    assert work.word_count == sum(c.word_count for c in work.chapters.all())


def test_a_draft_chapter_of_a_posted_work_counts_only_once_posted(alice):
    work = make_work(alice, expected_chapters=None)
    posted_words = work.word_count
    revised = work.revised_at
    draft = chapter_create(
        work=work,
        user=alice,
        chapter=ChapterInput(content="<p>five more words here now</p>"),
        post=False,
    )
    work = Work.objects.get(pk=work.pk)
    assert draft.is_posted is False
    assert work.chapter_count == 1 and work.word_count == posted_words
    assert work.revised_at == revised
    chapter_post(chapter=draft, user=alice)
    work = Work.objects.get(pk=work.pk)
    assert work.chapter_count == 2 and work.word_count == posted_words + 5
    assert work.revised_at > revised


def test_adding_more_chapters_than_expected_raises_the_expected_number(alice):
    work = make_work(alice, chapters=1)
    chapter_create(work=work, user=alice, chapter=ChapterInput(content=TEXT))
    work = Work.objects.get(pk=work.pk)
    assert work.chapters_display == "2/2" and work.is_complete


def test_editing_a_chapter_recounts_and_moves_updated(alice):
    work = make_work(alice, chapters=2)
    revised = work.revised_at
    chapter = work.chapters.get(position=2)
    chapter_update(
        chapter=chapter,
        user=alice,
        data=ChapterInput(content="One two three.", title="Ending", notes="Thanks!"),
    )
    chapter.refresh_from_db()
    work = Work.objects.get(pk=work.pk)
    assert chapter.title == "Ending" and chapter.notes == "<p>Thanks!</p>"
    assert chapter.word_count == 3
    assert work.word_count == work.chapters.get(position=1).word_count + 3
    assert work.revised_at > revised
    assert chapter.published_on == timezone.localdate()  # kept when no date is given


def test_chapter_update_refuses_bad_input_and_keeps_the_text(alice):
    work = make_work(alice)
    chapter = work.chapters.get()
    before = chapter.content
    errors = refused(
        chapter_update,
        chapter=chapter,
        user=alice,
        data=ChapterInput(content=" ", summary="s" * 1251, notes="n" * 5001),
    )
    assert errors == {
        "content": ["The chapter text can't be empty: please write or paste some text."],
        "summary": ["The chapter summary must be at most 1,250 characters long (it has 1,251)."],
        "notes": ["The chapter notes must be at most 5,000 characters long (it has 5,001)."],
    }
    chapter.refresh_from_db()
    assert chapter.content == before


def test_chapter_dates_cannot_be_in_the_future(alice):
    work = make_work(alice)
    errors = refused(
        chapter_create,
        work=work,
        user=alice,
        chapter=ChapterInput(content=TEXT, published_on=timezone.localdate() + timedelta(days=3)),
    )
    assert errors == {"published_on": ["The publication date can't be in the future."]}


def test_only_creators_may_add_or_edit_chapters(alice, bob):
    work = make_work(alice)
    with pytest.raises(PermissionDenied):
        chapter_create(work=work, user=bob, chapter=ChapterInput(content=TEXT))
    with pytest.raises(PermissionDenied):
        chapter_update(chapter=work.chapters.get(), user=bob, data=ChapterInput(content=TEXT))
    assert work.chapters.count() == 1


# --- Deleting and reordering chapters --------------------------------------------------------


def test_deleting_a_chapter_renumbers_the_rest(alice):
    work = make_work(alice, chapters=3)
    first, second, third = work.chapters.all()
    chapter_delete(chapter=second, user=alice)
    assert [(c.pk, c.position) for c in work.chapters.all()] == [(first.pk, 1), (third.pk, 2)]
    work = Work.objects.get(pk=work.pk)
    assert work.chapters_display == "2/3" and not work.is_complete
    assert work.word_count == first.word_count + third.word_count


def test_the_last_chapter_cannot_be_deleted(alice):
    work = make_work(alice)
    errors = refused(chapter_delete, chapter=work.chapters.get(), user=alice)
    assert errors == {
        NON_FIELD_ERRORS: [
            "You can't delete the only chapter of a work. "
            "To remove it, delete the whole work instead."
        ]
    }


def test_only_creators_may_delete_chapters(alice, bob):
    work = make_work(alice, chapters=2)
    with pytest.raises(PermissionDenied):
        chapter_delete(chapter=work.chapters.first(), user=bob)
    assert work.chapters.count() == 2


def test_reorder_puts_chapters_in_the_order_given(alice):
    work = make_work(alice, chapters=3)
    first, second, third = work.chapters.all()
    chapter_update(
        chapter=first,
        user=alice,
        data=ChapterInput(content=TEXT, published_on=date(2020, 1, 1)),
    )
    chapters_reorder(work=work, user=alice, chapter_ids=[third.pk, first.pk, second.pk])
    assert [c.pk for c in work.chapters.all()] == [third.pk, first.pk, second.pk]
    assert [c.position for c in work.chapters.all()] == [1, 2, 3]
    # The work is dated by its (new) first chapter.
    assert Work.objects.get(pk=work.pk).published_on == timezone.localdate()


@pytest.mark.parametrize("bad", ["missing", "duplicate", "foreign"])
def test_reorder_refuses_a_list_that_is_not_every_chapter_once(alice, bad):
    work = make_work(alice, chapters=2)
    other = make_work(alice)
    first, second = work.chapters.all()
    ids = {
        "missing": [first.pk],
        "duplicate": [first.pk, first.pk],
        "foreign": [first.pk, other.chapters.get().pk],
    }[bad]
    errors = refused(chapters_reorder, work=work, user=alice, chapter_ids=ids)
    assert errors == {NON_FIELD_ERRORS: ["Please list every chapter of the work exactly once."]}
    assert [c.pk for c in work.chapters.all()] == [first.pk, second.pk]


def test_only_creators_may_reorder(alice, bob):
    work = make_work(alice, chapters=2)
    first, second = work.chapters.all()
    with pytest.raises(PermissionDenied):
        chapters_reorder(work=work, user=bob, chapter_ids=[second.pk, first.pk])


# --- Deleting, orphaning, leaving --------------------------------------------------------------


def test_a_creator_deletes_a_work_with_its_chapters(alice):
    work = make_work(alice, chapters=2)
    work_delete(work=work, user=alice)
    assert not Work.objects.exists() and not Chapter.objects.exists()
    assert Tag.objects.filter(name="Generated Fandom").exists()  # tags stay


def test_others_may_not_delete(alice, bob):
    work = make_work(alice)
    with pytest.raises(PermissionDenied):
        work_delete(work=work, user=bob)
    assert Work.objects.filter(pk=work.pk).exists()


def test_orphaning_replaces_the_users_pseuds_with_the_orphan_account(alice, bob):
    second = Pseud.objects.create(user=alice, name="Lamplighter")
    work = make_work(alice, pseuds=[default_pseud(alice), second, default_pseud(bob)])
    work_orphan(work=work, user=alice)
    names = [
        (c.pseud.user.username, c.pseud.name)
        for c in Creatorship.objects.filter(work=work).select_related("pseud__user")
    ]
    assert names == [("orphan_account", "orphan_account"), ("bob", "bob")]
    records = OrphanedWorkRecord.objects.filter(work=work).order_by("pk")
    assert [(r.former_user, r.former_pseud_name) for r in records] == [
        (alice, "alice"),
        (alice, "Lamplighter"),
    ]
    # alice is no creator any more; bob still is.
    with pytest.raises(PermissionDenied):
        work_update(work=work, user=alice, title="Back")
    work_update(work=work, user=bob, title="Still here")


def test_others_may_not_orphan(alice, bob):
    work = make_work(alice)
    with pytest.raises(PermissionDenied):
        work_orphan(work=work, user=bob)
    assert not OrphanedWorkRecord.objects.exists()


def test_remove_creator_leaves_a_co_created_work_to_the_others(alice, bob):
    work = make_work(alice, pseuds=[default_pseud(alice), default_pseud(bob)])
    work_remove_creator(work=work, user=alice)
    assert [p.user for p in Work.objects.get(pk=work.pk).pseuds.all()] == [bob]


def test_remove_creator_deletes_a_work_the_user_wrote_alone(alice):
    work = make_work(alice)
    work_remove_creator(work=work, user=alice)
    assert not Work.objects.filter(pk=work.pk).exists()


# --- Hits ------------------------------------------------------------------------------------


def test_a_hit_counts_once_per_visitor_per_day(alice):
    work = make_work(alice)
    today = timezone.localdate()
    assert work_hit_record(work=work, visitor="u:7", day=today) is True
    assert work_hit_record(work=work, visitor="u:7", day=today) is False
    assert work_hit_record(work=work, visitor="u:8", day=today) is True
    assert work_hit_record(work=work, visitor="u:7", day=today + timedelta(days=1)) is True
    assert Work.objects.get(pk=work.pk).hit_count == 3
    assert WorkHit.objects.count() == 3


def test_a_refused_hit_leaves_the_surrounding_transaction_usable(alice):
    """Two requests from one visitor race: the loser's insert hits the unique constraint. The
    service catches that inside a savepoint, so on PostgreSQL the request's transaction is not
    aborted and the page still renders."""
    work = make_work(alice)
    today = timezone.localdate()
    WorkHit.objects.create(work=work, visitor="u:99", day=today)  # the winner's row
    with transaction.atomic():
        assert work_hit_record(work=work, visitor="u:99", day=today) is False
        assert Work.objects.get(pk=work.pk).hit_count == 0  # still usable
        assert work_hit_record(work=work, visitor="u:100", day=today) is True
    assert Work.objects.get(pk=work.pk).hit_count == 1


def test_a_draft_chapter_moved_to_the_front_does_not_date_the_work(alice):
    work = make_work(alice, published_on=date(2019, 3, 1))
    first = work.chapters.get()
    draft = chapter_create(work=work, user=alice, chapter=ChapterInput(content=TEXT), post=False)
    chapters_reorder(work=work, user=alice, chapter_ids=[draft.pk, first.pk])
    assert Work.objects.get(pk=work.pk).published_on == date(2019, 3, 1)


def test_a_missing_fixed_tag_is_put_back_when_a_work_uses_it(alice):
    Tag.objects.filter(name="Mature").delete()
    work = create(alice, rating="Mature")
    assert [t.name for t in work.tags_by_type()["rating"]] == ["Mature"]
    assert Tag.objects.get(name="Mature").type == TagType.RATING
