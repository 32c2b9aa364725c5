import pytest

from fanfold.originality.storygen import StoryGenerator, swap_names
from fanfold.testing.factories import make_work


@pytest.fixture(autouse=True)
def _own_index(settings, tmp_path):
    """Each test its own repost index, as each has its own database."""
    settings.FANFOLD_ORIGINALITY_INDEX_DIR = tmp_path / "originality-index"


def as_html(text: str) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))


@pytest.fixture
def story():
    """A generated story of about 400 words whose characters are Keztrel and Idrith."""
    return StoryGenerator(5).story(400, names=["Keztrel", "Idrith", "Talwyn"])


@pytest.fixture
def post_work(django_capture_on_commit_callbacks):
    """post_work(user, text, **fields): a posted work, its background check run at commit."""

    def post(user, text, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return make_work(user, content=as_html(text), **fields)

    return post


@pytest.fixture
def repost(alice, bob, story, post_work):
    """alice's story, and bob's copy of it with the names swapped."""
    original = post_work(alice, story, title="The Lantern Keeper")
    copy_text = swap_names(story, {"Keztrel": "Vorhal", "Idrith": "Emmerel", "Talwyn": "Ostel"})
    copy = post_work(bob, copy_text, title="Harbour Lights")
    return original, copy
