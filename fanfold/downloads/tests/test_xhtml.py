"""Stored HTML made valid for EPUB 3: what each rewrite does to the text a reader sees.
(epubcheck itself runs in test_formats.py, on a chapter using every allowed element.)"""

from lxml import etree

from fanfold.downloads.xhtml import to_plain_text, to_xhtml
from fanfold.works.text import sanitize_html


def xhtml(html: str) -> str:
    result = to_xhtml(sanitize_html(html))
    # Well-formed XML in the XHTML namespace, as it will sit inside an EPUB document.
    etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{result}</div>'.encode())
    return result


def test_empty_text_stays_empty():
    assert to_xhtml("") == ""
    assert to_xhtml("   ") == ""


def test_void_elements_and_entities_become_xml():
    assert xhtml("<p>one<br>two&nbsp;three &amp; four</p><hr>") == (
        "<p>one<br/>two\u00a0three &amp; four</p><hr/>"
    )


def test_obsolete_elements_become_their_modern_equals():
    result = xhtml(
        "<center>c</center><p><big>b</big> <strike>s</strike> <tt>t</tt> "
        '<acronym title="x">a</acronym></p>'
    )
    assert '<div class="center">c</div>' in result
    assert '<span class="big">b</span>' in result
    assert "<s>s</s>" in result
    assert '<span class="tt">t</span>' in result
    assert '<abbr title="x">a</abbr>' in result


def test_align_becomes_a_class_and_obsolete_attributes_go():
    assert xhtml('<p align="right">r</p>') == '<p class="align-right">r</p>'
    assert xhtml('<ul type="disc"><li>i</li></ul>') == "<ul><li>i</li></ul>"
    assert "scope" not in xhtml('<table><tr><td scope="row">x</td></tr></table>')


def test_images_become_links_to_them():
    assert xhtml('<p><img src="https://example.org/a.png" alt="A map"></p>') == (
        '<p><a href="https://example.org/a.png" class="image-link">[Image: A map]</a></p>'
    )
    inside = xhtml('<a href="https://example.org/"><img src="https://example.org/a.png"></a>')
    assert inside.count("<a ") == 1 and '<span class="image">[Image]</span>' in inside


def test_links_that_lead_nowhere_in_a_book_keep_their_text_only():
    assert xhtml('<p><a href="/works/3">there</a></p>') == '<p><span class="was-a">there</span></p>'
    assert 'href="mailto:me@example.org"' in xhtml('<a href="mailto:me@example.org">me</a>')


def test_misplaced_elements_are_renamed_and_blocks_in_inline_text_flattened():
    assert xhtml("<li>alone</li>") == '<div class="was-li">alone</div>'
    assert xhtml("<em><p>inside</p></em>") == '<em><span class="was-p">inside</span></em>'
    assert xhtml("<details><p>no summary</p></details>") == (
        "<details><summary>Details</summary><p>no summary</p></details>"
    )


def test_invalid_numbers_and_dates_in_attributes_are_dropped():
    result = xhtml(
        '<table><tr><td colspan="two" rowspan="2">x</td></tr></table>'
        '<ol start="x" type="q"><li>i</li></ol><del datetime="yesterday">d</del>'
    )
    assert "colspan" not in result and 'rowspan="2"' in result
    assert "<ol><li>i</li></ol>" in result
    assert "<del>d</del>" in result


def test_text_loose_in_a_list_goes_into_an_item():
    assert to_xhtml("<ul>loose<li>item</li>tail</ul>") == (
        "<ul><li>loose</li><li>item</li><li>tail</li></ul>"
    )


def test_control_characters_xml_forbids_are_removed():
    assert to_xhtml("<p>a\x0bb\x00c</p>") == "<p>abc</p>"


def test_plain_text_of_a_summary_keeps_paragraphs_apart():
    assert to_plain_text("<p>One <em>two</em>.</p><p>Three.</p>") == "One two.\n\nThree."


def test_a_stray_end_tag_loses_no_text_after_it():
    assert to_xhtml("lead <b>x</b></div><p>after</p>") == "lead <b>x</b><p>after</p>"
