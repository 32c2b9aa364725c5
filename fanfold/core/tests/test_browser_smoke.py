import pytest

pytestmark = pytest.mark.browser


def test_front_page_opens_in_chromium(page, alice, login_as):
    login_as(page, alice)
    page.goto("/")
    assert page.get_by_test_id("current-user").inner_text() == "Hi, alice!"
    assert page.js_errors == []
