"""`fanfold import DIR --user NAME` (fanfold/imports/management/commands/import.py)."""

import io

import pytest
from django.core.management import CommandError, call_command

from fanfold.imports.testing import make_epub, xhtml
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "one.txt").write_text("First Tale\n\nChapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n")
    (tmp_path / "two.epub").write_bytes(
        make_epub({"c.xhtml": xhtml("<p>Shelved words.</p>")}, title="Second Tale")
    )
    (tmp_path / "tagged.md").write_text(
        "Title: Third Tale\nFandom: Own Fandom\nRating: Explicit\n\nA *bold* story.\n"
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04broken")
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    return tmp_path


def test_imports_a_folder_and_reports_what_was_refused_and_why(folder, alice):
    out, err = run(str(folder), "--user", "alice", "--fandom", "Harbour Town")
    assert "Imported 3 files as drafts, refused 3." in out
    assert "imported one.txt: First Tale (2 chapters, 2 words)" in out
    assert "refused empty.txt: empty.txt is empty." in out
    assert "refused broken.epub: broken.epub is damaged" in out
    assert "refused cover.jpg: not a text, HTML, Markdown or EPUB file" in out
    assert "Importing" in err  # the progress bar
    works = {w.title: w for w in Work.objects.all()}
    assert set(works) == {"First Tale", "Second Tale", "Third Tale"}
    assert not any(w.is_posted for w in works.values())
    assert [t.name for t in works["Third Tale"].tags.filter(type="fandom")] == ["Own Fandom"]
    assert works["Third Tale"].tags.filter(name="Explicit").exists()
    assert works["First Tale"].tags.filter(name="Harbour Town").exists()


def test_without_a_fandom_files_that_name_none_are_refused(folder, alice):
    out, _ = run(str(folder), "--user", "alice", "--no-progress")
    assert "refused one.txt: Please add at least one fandom." in out
    assert [w.title for w in Work.objects.all()] == ["Third Tale"]


def test_bad_arguments(folder, alice, tmp_path):
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        run(str(folder), "--user", "nobody")
    with pytest.raises(CommandError, match="is not a folder"):
        run(str(tmp_path / "missing"), "--user", "alice")
    assert not Work.objects.exists()
