"""A blurb's head is written in Python for speed (work_display.blurb_head_html); the template
it replaces still renders previews and is the reference: both must give the same HTML."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from fanfold.accounts.services import pseud_create
from fanfold.testing.factories import make_work
from fanfold.works.models import Work
from fanfold.works.selectors import works_for_blurbs
from fanfold.works.services import work_hide
from fanfold.works.templatetags.work_display import BLURB_HEAD_TEMPLATE, blurb_head_html

pytestmark = pytest.mark.django_db

TRICKY = '<b>&"quotes"\' & amp;</b>'
# What tag names may hold of it: no < > (tags refuse them).
TAG_TRICKY = '& "quotes" \' & amp; /?#'


@pytest.fixture
def works(alice, bob, moderator):
    cosigned = pseud_create(user=bob, name="Bob_the-Cosigner")
    made = [
        make_work(alice, title=f"Plain {TRICKY}", summary=""),
        make_work(
            alice, title="Everything", summary="<p>A <em>summary</em> &amp; more.</p>",
            fandoms=["Sea Songs", f"Fandom {TAG_TRICKY}"], characters=["Mira", "Tove"],
            relationships=["Mira/Tove"], freeforms=[f"Fluff {TAG_TRICKY}", "Slow Burn"],
            categories=["F/F", "Gen"], rating="Explicit",
            warnings=["Graphic Depictions Of Violence", "Major Character Death"],
            chapters=2, expected_chapters=None, pseuds=[alice.pseuds.get(), cosigned],
        ),
        make_work(alice, title="Unwarned", warnings=[
            "Creator Chose Not To Use Archive Warnings"], language="ar", summary="<p>نص</p>"),
        make_work(bob, title="Draft", post=False, categories=["M/M"]),
        make_work(bob, title="Hidden", language="ja"),
    ]  # fmt: skip
    work_hide(work=made[-1], moderator=moderator, reason="Review")
    return list(works_for_blurbs(Work.objects.filter(pk__in=[work.pk for work in made])))


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_blurb_head_in_python_is_the_templates_html(works, language):
    with translation.override(language):
        for work in works:
            assert blurb_head_html(work) == render_to_string(BLURB_HEAD_TEMPLATE, {"work": work})
