"""Reading a rendered page the way a person does, for view tests."""

import html
import re


def page_text(response) -> str:
    """The page's words as a reader sees them: scripts and tags stripped, entities decoded,
    whitespace collapsed."""
    markup = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip())


def blurb_titles(response) -> list[str]:
    """The titles of the work blurbs on a listing page, in order."""
    return re.findall(
        r'<h4 class="heading"><a href="/works/\d+">([^<]*)</a>', response.content.decode()
    )
