"""User text: the HTML sanitizer, plain text to HTML, and AO3's word count.

Every piece of HTML a user writes (chapter text, summaries, notes) goes through
`sanitize_html` before it is stored; templates may render stored HTML with `|safe` only
because of that. `count_words` gives the counts shown on blurbs and work pages, following
AO3's rules so a work has the same count here as there.
"""

import html as html_lib
import re

import nh3

# --- Sanitizing ------------------------------------------------------------------------------

# The elements AO3 lets writers use. Everything else is removed, keeping its text.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption",
        "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div",
        "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
        "samp", "small", "span", "strike", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
    }
)  # fmt: skip

# AO3 also allows a `style` attribute with a filtered set of CSS properties. It is left out on
# purpose: even "harmless" properties (position, font-size, color, margins, content) let a text
# cover the page's own controls, fake the site's interface or hide text from readers, and the
# reader's own choices (dark theme, font size) must win over the writer's. Writers style with
# the elements above and `class`, which the site's stylesheet decides about.
ALLOWED_ATTRIBUTES = {
    "*": {"title", "align", "class", "dir", "lang"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "scope"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
}

# Links may point to web pages, e-mail addresses or this archive (relative URLs); images and
# citations only to web addresses. javascript:, data:, vbscript: and every other scheme go.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# Elements removed together with their content: code, and raw-text elements a browser never
# shows (so their markup would otherwise reappear as escaped text).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "noembed", "noframes", "noscript", "template", "title"}
)

_WEB_URL = re.compile(r"https?://[^\s/?#]", re.IGNORECASE)
_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "src" or name == "cite":
        # nh3 checks the scheme of href and src; an image must also be absolute (a relative
        # or protocol-relative src would load from this archive or an unexpected host), and
        # nh3 does not look at cite at all.
        return value if _WEB_URL.match(value.strip()) else None
    if name == "dir":
        value = value.strip().lower()
        return value if value in _DIRECTIONS else None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    url_schemes=set(LINK_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """The user's HTML reduced to AO3's allow-list: safe to render as it is."""
    if not html:
        return ""
    return _cleaner.clean(html).strip()


# --- Plain text ------------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")


def plain_text_to_html(text: str) -> str:
    """Plain text as HTML the way AO3 formats it: a blank line starts a new paragraph, a single
    line break becomes <br>. Everything is escaped, so the result is safe as it is."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for block in _BLANK_LINES.split(text):
        lines = [html_lib.escape(line.strip(), quote=False) for line in block.strip().split("\n")]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(paragraphs)


# --- Word count ------------------------------------------------------------------------------
# AO3's rules (otwarchive's WordCounter): each text node of the HTML is counted on its own, so
# tags separate words; "--" is an em dash; apostrophes and hyphens are removed, so "don't" and
# "arm-rest" are one word each; every character of the scripts written without spaces between
# words (Han, Hiragana, Katakana, Thai) is a word; any other run of word characters (letters,
# marks, numbers, connector punctuation) is a word. Punctuation and symbols never count.

# Python's `re` has no script properties, so the four scripts are spelled out as ranges
# (Unicode 15 Scripts.txt; Han includes the radicals, U+3005, U+3007 and the extension blocks).
# `re` tests ranges above U+FFFF one by one for every character it looks at, which makes a long
# chapter several times slower, so those ranges are kept apart and only used on text that has
# such characters at all (rare: emoji, rare Han characters, historic scripts).
_SPACELESS = (
    r"\u2e80-\u2fd5\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"  # Han
    r"\uf900-\ufaff"  # Han compatibility ideographs
    r"\u3041-\u3096\u309d-\u309f"  # Hiragana
    r"\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff\u32d0-\u32fe\u3300-\u3357"  # Katakana
    r"\uff66-\uff6f\uff71-\uff9d"  # halfwidth Katakana
    r"\u0e01-\u0e3a\u0e40-\u0e5b"  # Thai
)
_SPACELESS_ASTRAL = re.compile(
    "(?=[\U00010000-\U0010ffff])["  # a quick test first, then the ranges
    r"\U00016fe2-\U00016fe3\U00016ff0-\U00016ff1\U00020000-\U000323af"  # Han
    r"\U0001b001-\U0001b11f\U0001b132\U0001b150-\U0001b152\U0001f200"  # Hiragana
    r"\U0001aff0-\U0001affe\U0001b000\U0001b120-\U0001b122\U0001b155"  # Katakana
    r"\U0001b164-\U0001b167"
    "]"
)
# One word: a spaceless-script character, or a run of \w characters outside those scripts
# (\w would match Han and Thai too, hence the exclusion). `\w` is letters, numbers and "_".
_WORD = re.compile(rf"[{_SPACELESS}]|[^\W{_SPACELESS}]+")

# AO3 (Ruby's [[:word:]]) also counts combining marks and connector punctuation as word
# characters; Python's \w does not, so "नमस्ते" or a decomposed "é" would split in two. They are
# replaced by a letter before counting, which changes no count. Generated from unicodedata:
# categories M* and Pc that \w does not match, outside the spaceless scripts. The marks above
# U+FFFF sit in their own pattern for the same reason as _SPACELESS_ASTRAL.
_MARKS_BMP = re.compile(
    "["
    r"\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7"
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed"
    r"\u0711\u0730-\u074a\u07a6-\u07b0\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823"
    r"\u0825-\u0827\u0829-\u082d\u0859-\u085b\u0898-\u089f\u08ca-\u08e1\u08e3-\u0903"
    r"\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962-\u0963\u0981-\u0983\u09bc\u09be-\u09c4"
    r"\u09c7-\u09c8\u09cb-\u09cd\u09d7\u09e2-\u09e3\u09fe\u0a01-\u0a03\u0a3c\u0a3e-\u0a42"
    r"\u0a47-\u0a48\u0a4b-\u0a4d\u0a51\u0a70-\u0a71\u0a75\u0a81-\u0a83\u0abc\u0abe-\u0ac5"
    r"\u0ac7-\u0ac9\u0acb-\u0acd\u0ae2-\u0ae3\u0afa-\u0aff\u0b01-\u0b03\u0b3c\u0b3e-\u0b44"
    r"\u0b47-\u0b48\u0b4b-\u0b4d\u0b55-\u0b57\u0b62-\u0b63\u0b82\u0bbe-\u0bc2\u0bc6-\u0bc8"
    r"\u0bca-\u0bcd\u0bd7\u0c00-\u0c04\u0c3c\u0c3e-\u0c44\u0c46-\u0c48\u0c4a-\u0c4d"
    r"\u0c55-\u0c56\u0c62-\u0c63\u0c81-\u0c83\u0cbc\u0cbe-\u0cc4\u0cc6-\u0cc8\u0cca-\u0ccd"
    r"\u0cd5-\u0cd6\u0ce2-\u0ce3\u0cf3\u0d00-\u0d03\u0d3b-\u0d3c\u0d3e-\u0d44\u0d46-\u0d48"
    r"\u0d4a-\u0d4d\u0d57\u0d62-\u0d63\u0d81-\u0d83\u0dca\u0dcf-\u0dd4\u0dd6\u0dd8-\u0ddf"
    r"\u0df2-\u0df3\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ece\u0f18-\u0f19\u0f35\u0f37\u0f39"
    r"\u0f3e-\u0f3f\u0f71-\u0f84\u0f86-\u0f87\u0f8d-\u0f97\u0f99-\u0fbc\u0fc6\u102b-\u103e"
    r"\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f"
    r"\u109a-\u109d\u135d-\u135f\u1712-\u1715\u1732-\u1734\u1752-\u1753\u1772-\u1773"
    r"\u17b4-\u17d3\u17dd\u180b-\u180d\u180f\u1885-\u1886\u18a9\u1920-\u192b\u1930-\u193b"
    r"\u1a17-\u1a1b\u1a55-\u1a5e\u1a60-\u1a7c\u1a7f\u1ab0-\u1ace\u1b00-\u1b04\u1b34-\u1b44"
    r"\u1b6b-\u1b73\u1b80-\u1b82\u1ba1-\u1bad\u1be6-\u1bf3\u1c24-\u1c37\u1cd0-\u1cd2"
    r"\u1cd4-\u1ce8\u1ced\u1cf4\u1cf7-\u1cf9\u1dc0-\u1dff\u203f-\u2040\u2054\u20d0-\u20f0"
    r"\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a\ua66f-\ua672\ua674-\ua67d"
    r"\ua69e-\ua69f\ua6f0-\ua6f1\ua802\ua806\ua80b\ua823-\ua827\ua82c\ua880-\ua881"
    r"\ua8b4-\ua8c5\ua8e0-\ua8f1\ua8ff\ua926-\ua92d\ua947-\ua953\ua980-\ua983\ua9b3-\ua9c0"
    r"\ua9e5\uaa29-\uaa36\uaa43\uaa4c-\uaa4d\uaa7b-\uaa7d\uaab0\uaab2-\uaab4\uaab7-\uaab8"
    r"\uaabe-\uaabf\uaac1\uaaeb-\uaaef\uaaf5-\uaaf6\uabe3-\uabea\uabec-\uabed\ufb1e"
    r"\ufe00-\ufe0f\ufe20-\ufe2f\ufe33-\ufe34\ufe4d-\ufe4f\uff3f"
    "]"
)
_MARKS_ASTRAL = re.compile(
    "(?=[\U00010000-\U0010ffff])["
    r"\U000101fd\U000102e0\U00010376-\U0001037a\U00010a01-\U00010a03\U00010a05-\U00010a06"
    r"\U00010a0c-\U00010a0f\U00010a38-\U00010a3a\U00010a3f\U00010ae5-\U00010ae6"
    r"\U00010d24-\U00010d27\U00010eab-\U00010eac\U00010efd-\U00010eff\U00010f46-\U00010f50"
    r"\U00010f82-\U00010f85\U00011000-\U00011002\U00011038-\U00011046\U00011070"
    r"\U00011073-\U00011074\U0001107f-\U00011082\U000110b0-\U000110ba\U000110c2"
    r"\U00011100-\U00011102\U00011127-\U00011134\U00011145-\U00011146\U00011173"
    r"\U00011180-\U00011182\U000111b3-\U000111c0\U000111c9-\U000111cc\U000111ce-\U000111cf"
    r"\U0001122c-\U00011237\U0001123e\U00011241\U000112df-\U000112ea\U00011300-\U00011303"
    r"\U0001133b-\U0001133c\U0001133e-\U00011344\U00011347-\U00011348\U0001134b-\U0001134d"
    r"\U00011357\U00011362-\U00011363\U00011366-\U0001136c\U00011370-\U00011374"
    r"\U00011435-\U00011446\U0001145e\U000114b0-\U000114c3\U000115af-\U000115b5"
    r"\U000115b8-\U000115c0\U000115dc-\U000115dd\U00011630-\U00011640\U000116ab-\U000116b7"
    r"\U0001171d-\U0001172b\U0001182c-\U0001183a\U00011930-\U00011935\U00011937-\U00011938"
    r"\U0001193b-\U0001193e\U00011940\U00011942-\U00011943\U000119d1-\U000119d7"
    r"\U000119da-\U000119e0\U000119e4\U00011a01-\U00011a0a\U00011a33-\U00011a39"
    r"\U00011a3b-\U00011a3e\U00011a47\U00011a51-\U00011a5b\U00011a8a-\U00011a99"
    r"\U00011c2f-\U00011c36\U00011c38-\U00011c3f\U00011c92-\U00011ca7\U00011ca9-\U00011cb6"
    r"\U00011d31-\U00011d36\U00011d3a\U00011d3c-\U00011d3d\U00011d3f-\U00011d45\U00011d47"
    r"\U00011d8a-\U00011d8e\U00011d90-\U00011d91\U00011d93-\U00011d97\U00011ef3-\U00011ef6"
    r"\U00011f00-\U00011f01\U00011f03\U00011f34-\U00011f3a\U00011f3e-\U00011f42\U00013440"
    r"\U00013447-\U00013455\U00016af0-\U00016af4\U00016b30-\U00016b36\U00016f4f"
    r"\U00016f51-\U00016f87\U00016f8f-\U00016f92\U00016fe4\U0001bc9d-\U0001bc9e"
    r"\U0001cf00-\U0001cf2d\U0001cf30-\U0001cf46\U0001d165-\U0001d169\U0001d16d-\U0001d172"
    r"\U0001d17b-\U0001d182\U0001d185-\U0001d18b\U0001d1aa-\U0001d1ad\U0001d242-\U0001d244"
    r"\U0001da00-\U0001da36\U0001da3b-\U0001da6c\U0001da75\U0001da84\U0001da9b-\U0001da9f"
    r"\U0001daa1-\U0001daaf\U0001e000-\U0001e006\U0001e008-\U0001e018\U0001e01b-\U0001e021"
    r"\U0001e023-\U0001e024\U0001e026-\U0001e02a\U0001e08f\U0001e130-\U0001e136\U0001e2ae"
    r"\U0001e2ec-\U0001e2ef\U0001e4ec-\U0001e4ef\U0001e8d0-\U0001e8d6\U0001e944-\U0001e94a"
    r"\U000e0100-\U000e01ef"
    "]"
)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

_SCRIPT_OR_STYLE = re.compile(
    r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# A start or end tag (quoted attribute values may contain ">"), a doctype or a processing
# instruction. "<" followed by anything else ("a < b", "<3") is text, as in an HTML parser.
_TAG = re.compile(r"""</?[a-zA-Z][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>|<[!?][^>]*>""")


def count_words(html: str) -> int:
    """The number of words in this HTML, by AO3's rules (see above)."""
    if not html:
        return 0
    text = _SCRIPT_OR_STYLE.sub(" ", html)
    text = _COMMENT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html_lib.unescape(text)
    text = text.replace("--", "\u2014")
    for joiner in ("'", "\u2019", "\u2018", "-"):
        text = text.replace(joiner, "")
    if not text.isascii():
        # Stand-ins that count the same: a letter for a mark, a Han character for an astral
        # character of the spaceless scripts.
        text = _MARKS_BMP.sub("a", text)
        if _ASTRAL.search(text):
            text = _MARKS_ASTRAL.sub("a", text)
            text = _SPACELESS_ASTRAL.sub("\u4e00", text)
    return len(_WORD.findall(text))
