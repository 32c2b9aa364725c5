"""`fanfold demo`: fills an empty archive with generated content through the services, leaves a
filled one alone, and keeps the generated logins where `make run` shows them."""

import re
import stat
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from fanfold.accounts.models import User
from fanfold.comments.models import Comment
from fanfold.core.demo.plan import demo_plan
from fanfold.news.models import Banner, NewsPost
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text
from fanfold.works.models import Work
from fanfold.works.services import ChapterInput, chapter_update, work_update
from fanfold.works.text import count_words, sanitize_html

WRITERS = ["quillfeather", "mothandlantern", "kestrel_writes", "tidewater"]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, data_dir):
    return run_demo("--seed", "1")


def test_demo_fills_an_empty_archive_with_accounts_and_works(demo):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    writers = User.objects.filter(username__in=WRITERS)
    assert writers.count() == 4
    assert {w.username for w in writers if w.pseuds.count() == 2} == {
        "quillfeather",
        "mothandlantern",
    }

    works = Work.objects.all()
    assert works.count() == 12
    assert works.filter(chapter_count__gt=1).count() >= 6
    assert works.filter(chapter_count=1, expected_chapters=1).count() >= 2
    assert any(w.chapters_display == "3/?" for w in works)
    assert works.filter(is_complete=True, chapter_count__gt=1).exists()
    assert works.filter(is_restricted=True).count() == 1
    assert works.filter(is_posted=False).count() == 1
    assert set(works.values_list("language", flat=True)) >= {"en", "ja", "ar"}
    assert works.filter(creatorships__pseud__name="Marginalia").exists()
    assert any(w.creatorships.filter(approved=True).count() == 2 for w in works)
    # Backdated: works were first published over many months, none in the future.
    dates = sorted(works.filter(is_posted=True).values_list("published_on", flat=True))
    assert (dates[-1] - dates[0]).days > 300
    assert dates[-1] <= date.today()
    assert "Demo archive ready: 12 works by 4 writers." in demo


def test_demo_has_a_news_post_with_a_comment_and_a_banner_pointing_to_it(demo):
    post = NewsPost.objects.get()
    assert post.is_published and post.author.username == "admin"
    (comment,) = Comment.objects.filter(news_post=post)
    assert comment.is_published and comment.user.username == "tidewater"
    assert Banner.objects.count() == 1
    # A visitor sees the banner on the home page, follows its link to the post and reads the
    # post and its comment there.
    home = Client().get("/").content.decode()
    assert "This is a <strong>demo archive</strong>: its writers and works are invented." in home
    assert f'href="{post.get_absolute_url()}" class="site-banner-link"' in home
    shown = page_text(Client().get(post.get_absolute_url()))
    assert "Welcome to the demo archive" in shown
    assert "Found the filters straight away." in shown


def test_demo_draft_is_seen_only_by_its_writer_and_restricted_work_only_by_members(demo):
    draft = Work.objects.get(is_posted=False)
    writer = User.objects.get(username="kestrel_writes")
    other = User.objects.get(username="tidewater")
    assert draft.creatorships.get().pseud.user == writer
    assert Work.objects.visible_to(writer).filter(pk=draft.pk).exists()
    assert not Work.objects.visible_to(other).filter(pk=draft.pk).exists()
    assert not Work.objects.visible_to(AnonymousUser()).filter(pk=draft.pk).exists()

    restricted = Work.objects.get(is_restricted=True)
    assert Work.objects.visible_to(other).filter(pk=restricted.pk).exists()
    assert not Work.objects.visible_to(AnonymousUser()).filter(pk=restricted.pk).exists()


def test_demo_logins_are_printed_kept_private_and_work(demo, data_dir):
    path = data_dir / "demo-logins.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = path.read_text()
    assert kept.strip() in demo
    logins = dict(re.findall(r"^  (\w+)\s+([A-Za-z0-9]{16})\s", kept, re.MULTILINE))
    assert set(logins) == {"admin", *WRITERS}
    for username, password in logins.items():
        # As the login form does it: with the request (login throttling needs its address).
        request = RequestFactory().post("/login")
        assert authenticate(request, username=username, password=password) is not None, username


def test_demo_works_pass_the_services_validation_again(demo):
    for work in Work.objects.all():
        owner = work.creatorships.select_related("pseud__user").first().pseud.user
        work_update(work=work, user=owner)  # raises ValidationError if anything is off
        for chapter in work.chapters.all():
            assert sanitize_html(chapter.content) == chapter.content
            assert chapter.word_count == count_words(chapter.content) > 100
            chapter_update(
                chapter=chapter,
                user=owner,
                data=ChapterInput(content=chapter.content, title=chapter.title),
            )
        work.full_clean()


def test_demo_text_uses_the_html_writers_use(demo):
    contents = "\n".join(
        Work.objects.filter(chapters__isnull=False).values_list("chapters__content", flat=True)
    )
    for markup in ("<em>", "<strong>", "<hr>", "<blockquote>", "<table>", "<ruby>", "<li>"):
        assert markup in contents, markup
    japanese = Work.objects.get(language="ja")
    assert japanese.word_count > 300  # every kanji and kana counts


def test_demo_if_empty_leaves_a_filled_archive_alone(db, data_dir, alice):
    make_work(alice, title="Someone's Real Work")
    output = run_demo("--if-empty")
    assert "already has works: no demo content added" in output
    assert list(Work.objects.values_list("title", flat=True)) == ["Someone's Real Work"]
    assert not User.objects.filter(username="admin").exists()
    assert not (data_dir / "demo-logins.txt").exists()


def test_demo_if_empty_on_a_demo_archive_keeps_it_and_shows_the_logins_again(demo, data_dir):
    titles = sorted(Work.objects.values_list("title", flat=True))
    kept = (data_dir / "demo-logins.txt").read_text()
    again = run_demo("--if-empty")
    assert sorted(Work.objects.values_list("title", flat=True)) == titles
    assert kept.strip() in again
    assert (data_dir / "demo-logins.txt").read_text() == kept


def test_demo_without_if_empty_refuses_a_filled_archive(db, data_dir, alice):
    make_work(alice)
    with pytest.raises(CommandError, match="only added to an empty archive"):
        run_demo()
    assert Work.objects.count() == 1


def test_demo_refuses_when_a_demo_account_name_is_taken(db, data_dir, admin_user):
    with pytest.raises(CommandError, match="already has the account admin"):
        run_demo()
    assert Work.objects.count() == 0
    assert run_demo("--if-empty").startswith("The archive already has the account admin")


def test_demo_plan_is_the_same_for_the_same_seed():
    today = date(2025, 6, 1)
    plan = demo_plan(seed=7, today=today)
    assert plan == demo_plan(seed=7, today=today)
    other = demo_plan(seed=8, today=today)
    assert [w.title for w in plan.works] == [w.title for w in other.works]
    assert plan.works[0].chapters[0].content != other.works[0].chapters[0].content


def test_demo_passwords_are_drawn_again_when_the_validators_refuse_them(monkeypatch):
    """A random password can share enough letters with a username to be refused as too
    similar; the demo must then draw another, not fail to start."""
    from django.contrib.auth.password_validation import validate_password

    from fanfold.core.demo import load

    first_draw = iter("mothandlanternmo")
    real_choice = load.secrets.choice
    monkeypatch.setattr(
        load.secrets, "choice", lambda alphabet: next(first_draw, None) or real_choice(alphabet)
    )
    user = User(username="mothandlantern", email="moth@example.org")
    password = load._password(username=user.username, email=user.email)
    assert password != "mothandlanternmo" and len(password) == 16
    validate_password(password, user=user)
