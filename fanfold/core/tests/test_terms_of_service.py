"""The Terms of Service page (/tos): the archive's own text, as plain text, linked from every
page's footer and from the sign-up form."""

import pytest
from django.urls import reverse

from fanfold.core.models import ArchiveConfig
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


def set_terms(**fields) -> None:
    config = ArchiveConfig.load()
    for name, value in fields.items():
        setattr(config, name, value)
    config.save()


def test_a_new_archive_has_terms_covering_what_writers_and_readers_agree_to(client):
    response = client.get(reverse("terms_of_service"))
    assert response.status_code == 200
    page = text(response)
    assert "Terms of Service" in page
    for heading in (
        "Your works stay yours",
        "What you may post",
        "Moderation",
        "Other people's works",
        "Age",
    ):
        assert heading in page
    assert "for commercial purposes" in page
    assert "You must be at least 13 years old to create an account on Fanfold." in page


def test_the_terms_are_shown_as_plain_text_in_paragraphs(client, alice, client_for):
    set_terms(
        terms_of_service="Be kind.\nReally.\n\n<script>alert('owned')</script> <b>not bold</b>",
        minimum_age=18,
    )
    for viewer in (client, client_for(alice)):
        html = viewer.get(reverse("terms_of_service")).content.decode()
        assert "<p>Be kind.<br>Really.</p>" in html
        assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in html
        assert "<script>alert" not in html and "<b>not bold</b>" not in html
        assert "at least 18 years old" in html


def test_every_page_links_the_terms_in_its_footer(client, alice, client_for):
    for viewer, url in ((client, reverse("home")), (client_for(alice), reverse("work_index"))):
        footer = viewer.get(url).content.decode().split('<footer class="site-footer">')[1]
        assert f'<a href="{reverse("terms_of_service")}">Terms of Service</a>' in footer
