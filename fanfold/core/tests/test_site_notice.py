import pytest

from fanfold.core.models import ArchiveConfig

pytestmark = pytest.mark.django_db


def test_the_admins_notice_shows_on_every_page(client):
    config = ArchiveConfig.load()
    config.site_notice = "The archive will be read-only on Sunday <b>morning</b>."
    config.save()
    for path in ("/", "/works", "/login"):
        body = client.get(path).content.decode()
        assert "The archive will be read-only on Sunday &lt;b&gt;morning&lt;/b&gt;." in body


def test_no_notice_no_banner(client):
    assert 'class="site-notice"' not in client.get("/").content.decode()
