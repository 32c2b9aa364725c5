"""The languages a work can be written in: ISO codes with each language's own name, as AO3
lists them. Right-to-left languages are marked so pages can set dir="rtl" on the text."""

LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("ar", "العربية"),
    ("bg", "Български"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("cy", "Cymraeg"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("eo", "Esperanto"),
    ("es", "Español"),
    ("et", "eesti keel"),
    ("fa", "فارسی"),
    ("fi", "suomi"),
    ("fil", "Filipino"),
    ("fr", "Français"),
    ("ga", "Gaeilge"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"),
    ("is", "Íslenska"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("la", "Lingua latina"),
    ("lt", "Lietuvių kalba"),
    ("lv", "Latviešu valoda"),
    ("ms", "Bahasa Malaysia"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt-BR", "Português brasileiro"),
    ("pt-PT", "Português europeu"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sr", "Српски"),
    ("sv", "Svenska"),
    ("th", "ไทย"),
    ("tl", "Tagalog"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اُردُو"),
    ("vi", "Tiếng Việt"),
    ("yi", "יידיש"),
    ("zh", "中文-普通话 國語"),
    ("yue", "中文-广东话 粵語"),
]
LANGUAGE_CHOICES = LANGUAGES
LANGUAGE_NAMES = dict(LANGUAGES)
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi"})


def language_direction(code: str) -> str:
    return "rtl" if code in RTL_LANGUAGES else "ltr"
