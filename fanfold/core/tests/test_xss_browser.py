"""No markup a user writes ever runs as script. A corpus of known cross-site scripting payloads
is posted into every field that is shown back to readers, the pages showing them are opened in
Chromium, and the test fails if any script runs (a dialog opens, an error is thrown, a marker
is set) or if the Content Security Policy had to block anything: the sanitizer, not the
policy, must have stopped it, so the policy is the second line of defence and not the only one.

A feature that shows user text adds its fields to the test below."""

import pytest
from django.core.exceptions import ValidationError

from fanfold.accounts.services import pseud_create
from fanfold.bookmarks.services import bookmark_create
from fanfold.comments.services import comment_create
from fanfold.moderation.services import moderation_comment_hide, report_create
from fanfold.series.services import series_add_work, series_create
from fanfold.testing.factories import make_work
from fanfold.works.services import ChapterInput

pytestmark = pytest.mark.browser

# Written for this project from the well-known classes of attack: script elements, event
# handlers, javascript:/data:/vbscript: URLs, SVG and MathML, CSS, broken and nested markup that
# a parser may repair into something live (mutation XSS), entity and case tricks.
PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<p title="</p><img src=x onerror=alert(1)>">x</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><img src=x onerror=alert(1)></template>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<img src="x" onerror="&#97;lert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<ruby>x<rt><img src=x onerror=alert(1)></rt></ruby>",
    "<select><option><img src=x onerror=alert(1)></option></select>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
]


def _work_with(alice, payload: str, number: int):
    """A work with the payload in every free-text field of the work and its chapter."""
    return make_work(
        alice,
        title=f"XSS {number} {payload}"[:255],
        summary=payload,
        notes=payload,
        end_notes=payload,
        freeforms=[f"Tag {number}"],
        content=f"<p>Before.</p>{payload}<p>After.</p>",
    )


def _chapter_fields(work, alice, payload):
    from fanfold.works.services import chapter_update

    chapter = work.chapters.get()
    chapter_update(
        chapter=chapter,
        user=alice,
        data=ChapterInput(
            title=payload[:255],
            summary=payload,
            notes=payload,
            end_notes=payload,
            content=f"<p>x</p>{payload}",
        ),
    )


def _try(action):
    try:
        return action()
    except ValidationError:
        return None  # refused outright: nothing stored, nothing shown


def _assert_nothing_ran(page, where: str):
    # One round trip to the browser for both markers (this runs for some 200 pages).
    dialogs, marker = page.evaluate("[window.__dialogs || 0, window.__xss || 0]")
    assert (dialogs, marker) == (0, 0), f"script ran on {where}"
    assert page.js_errors == [], f"{where}: {page.js_errors}"


def test_no_payload_runs_anywhere_user_text_is_shown(page, alice, bob, moderator, login_as):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = []
    hidden_comments: list[str] = []
    for number, payload in enumerate(PAYLOADS):
        work = _work_with(alice, payload, number)
        _chapter_fields(work, alice, payload)
        paths.append(f"/works/{work.pk}")
        _try(lambda p=payload, n=number: pseud_create(user=alice, name=f"P{n}", description=p))
        _try(
            lambda p=payload, w=work: report_create(
                reporter=None, url=f"/works/{w.pk}", category="other", description=p * 2
            )
        )
        # Community features: a comment and a guest comment, a bookmark's notes and tags, a
        # series' title, summary and notes.
        comment = _try(lambda p=payload, w=work: comment_create(work=w, user=bob, content=p))
        if comment is not None:
            paths.append(f"/comments/{comment.pk}")
            # A report on the comment (its page shows the comment), and every other comment
            # hidden by a moderator with the payload as the reason (shown to its writer and
            # to moderators).
            _try(
                lambda c=comment, p=payload: report_create(
                    reporter=None, url=f"/comments/{c.pk}", category="spam", description=p * 2
                )
            )
            if number % 2 == 0:
                _try(
                    lambda c=comment, p=payload: moderation_comment_hide(
                        comment=c, moderator=moderator, reason=p[:500]
                    )
                )
                hidden_comments.append(f"/comments/{comment.pk}")
        _try(
            lambda p=payload, w=work: comment_create(
                work=w, content=p, guest_name=p[:50], guest_email="guest@example.org"
            )
        )
        _try(lambda p=payload, w=work: bookmark_create(user=bob, work=w, notes=p, tags=p[:90]))
        series = _try(
            lambda p=payload, n=number: series_create(
                user=alice, title=f"S{n} {p}"[:200], summary=p, notes=p
            )
        )
        if series is not None:
            _try(lambda s=series, w=work: series_add_work(series=s, work=w, user=alice))
            paths.append(f"/series/{series.pk}")
        paths.append(f"/works/{work.pk}/bookmarks")
    paths += ["/works", "/users/alice", "/users/alice/pseuds", "/users/alice/works",
              "/users/bob/bookmarks", "/users/alice/series", "/search?q=XSS"]  # fmt: skip

    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        _assert_nothing_ran(page, path)
    login_as(page, alice)  # her inbox shows every comment on her works
    for path in ["/inbox", "/users/alice/stats"]:
        page.goto(path)
        _assert_nothing_ran(page, path)
    page.context.clear_cookies()
    login_as(page, moderator)
    from fanfold.moderation.models import AbuseReport

    reports = [
        f"/moderation/reports/{pk}" for pk in AbuseReport.objects.values_list("pk", flat=True)
    ]
    for path in ["/moderation", *reports[:5], "/moderation/audit", *hidden_comments]:
        page.goto(path)
        _assert_nothing_ran(page, path)
    assert dialogs == []


def test_no_payload_runs_in_news_banners_or_news_comments(page, admin_user, bob, login_as):
    """Site news (title, category, body), its comments (users' and guests') and the banner
    shown on every page (text, link, link text)."""
    from fanfold.comments.services import comment_create_on_news
    from fanfold.news.services import banner_create, news_post_create

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = ["/admin_posts"]
    for number, payload in enumerate(PAYLOADS):
        post = _try(
            lambda p=payload, n=number: news_post_create(
                user=admin_user, title=f"N{n} {p}"[:255], category=p[:60], body=p
            )
        )
        if post is None:
            post = news_post_create(user=admin_user, title=f"N{number} {payload}"[:255],
                                    body=f"<p>Body.</p>{payload}")  # fmt: skip
        paths.append(f"/admin_posts/{post.pk}")
        _try(lambda p=payload, s=post: comment_create_on_news(post=s, user=bob, content=p))
        _try(
            lambda p=payload, s=post: comment_create_on_news(
                post=s, content=p, guest_name=p[:50], guest_email="guest@example.org"
            )
        )
        _try(lambda p=payload: banner_create(user=admin_user, text=p, link_url="/admin_posts",
                                             link_text=p[:60]))  # fmt: skip
        _try(lambda p=payload: banner_create(user=admin_user, text=f"x {p}", link_url=p))
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        _assert_nothing_ran(page, path)
    login_as(page, admin_user)  # admins see every banner listed, and drafts
    for path in ["/admin_banners", "/admin_posts", paths[-1], "/comments/held"]:
        page.goto(path)
        _assert_nothing_ran(page, path)
    assert dialogs == []


def test_the_detector_notices_markup_that_got_past_the_sanitizer(page, alice):
    """The control: a payload written straight into the database, around the sanitizer, is
    caught, so the test above would fail if the sanitizer let one through."""
    from fanfold.works.models import Work

    work = make_work(alice, title="Unsanitized")
    Work.objects.filter(pk=work.pk).update(summary="<img src=x onerror=alert(1)>")
    page.goto(f"/works/{work.pk}")
    page.wait_for_load_state("load")
    assert any("Content Security Policy" in error for error in page.js_errors)
