"""Fanfold's one settings module. Everything that differs between machines comes from the
environment; the defaults give a working archive on SQLite under ./var with no configuration."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FANFOLD_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment; otherwise one generated once and kept under DATA_DIR,
    so that a local archive keeps its sessions across restarts without a secret in the repo."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written whole under a name of its own, then linked into place, which fails if another
        # process got there first: processes starting together (server workers) all read the
        # one key that won, never a half-written file or a key of their own.
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        mine = path.with_name(f".secret_key.{os.getpid()}")
        mine.write_text(secrets.token_urlsafe(50))
        mine.chmod(0o600)
        try:
            os.link(mine, path)
        except FileExistsError:
            pass
        finally:
            mine.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = os.environ.get("SITE_NAME", "Fanfold")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Before django.contrib.auth, so that its createsuperuser command (which also makes the
    # default pseud) replaces Django's.
    "fanfold.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "axes",
    "fanfold.core",
    "fanfold.tags",
    "fanfold.works",
    "fanfold.backups",
    "fanfold.moderation",
    "fanfold.originality",
    "fanfold.series",
    "fanfold.bookmarks",
    "fanfold.subscriptions",
    "fanfold.readings",
    "fanfold.stats",
    "fanfold.inbox",
    "fanfold.comments",
    "fanfold.kudos",
    "fanfold.blocking",
    "fanfold.downloads",
    "fanfold.search",
    "fanfold.savedfilters",
    "fanfold.imports",
    "fanfold.news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fanfold.core.middleware.RateLimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fanfold.urls"
WSGI_APPLICATION = "fanfold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fanfold.core.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default (WAL, a busy timeout so concurrent writers wait, IMMEDIATE
# transactions so a read never has to be upgraded to a write mid-transaction); DATABASE_URL
# switches to PostgreSQL without a code change.
# An empty DATABASE_URL (a blank line in an environment file) means unset, not a crash.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'fanfold.sqlite3'}"
    )
}
# Persistent connections: on PostgreSQL, opening a connection (a new server process, TLS,
# authentication) costs a few milliseconds a request, so each worker keeps its connection for
# CONN_MAX_AGE seconds (default 60) and checks it is still alive before reusing it after a
# request (CONN_HEALTH_CHECKS, default on: a restarted database costs one reconnect, not an error
# page). SQLite opens a file: nothing to save, so it keeps Django's default of a connection per
# request. The environment overrides both.
_postgres = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DATABASES["default"]["CONN_MAX_AGE"] = int(
    os.environ.get("CONN_MAX_AGE", "60" if _postgres else "0")
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("CONN_HEALTH_CHECKS", default=_postgres)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Rendered fragments (blurbs) are cached in each server process's memory by default; they are
# keyed by their content, so separate processes never disagree, they only each warm up.
# FANFOLD_CACHE_DIR shares one cache between processes through files instead.
if os.environ.get("FANFOLD_CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["FANFOLD_CACHE_DIR"],
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FANFOLD_CACHE_ENTRIES", "20000"))},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Argon2 (memory-hard) for new and changed passwords; older hashes still verify and are
# upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes counts failed logins per username and address and locks that pair out for a
# while, so passwords can't be guessed by brute force (and one attacker can't lock everyone).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("FANFOLD_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("FANFOLD_TESTING")

# E-mail goes to the console unless an SMTP host is configured (Django 6.1's MAILERS).
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host,
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Fanfold <noreply@localhost>")

# Background work goes through Django's tasks API; the database backend needs no extra server.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Security headers and cookies. Behind HTTPS in production set HTTPS=true (see
# docs/deployment.md): cookies become Secure, HTTP redirects to HTTPS and HSTS is sent.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
if env_bool("BEHIND_PROXY_HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: scripts and styles only from our own files, never inline, so
# markup that slips into a page can't run. Images in works may come from other sites (AO3
# allows images by URL), over HTTPS.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "https:", "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

TESTING = env_bool("FANFOLD_TESTING")
if TESTING:
    # The live test server serves static files itself.
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")
    # Hashing strength is not under test; suite speed is.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Archive rules that AO3 users know; kept here so one place documents them.
FANFOLD_WORKS_PER_PAGE = 20
FANFOLD_MAX_USER_TAGS = 75
FANFOLD_ORPHAN_USERNAME = "orphan_account"
FANFOLD_MAX_CHAPTER_CHARACTERS = 510_000  # AO3's limit per chapter

# Rate limits per scope (fanfold.core.ratelimit): (at most N, per seconds) per logged-in user
# and per IP address. Each feature that limits something adds its scope here.
FANFOLD_RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    # Every write of any kind (core.middleware): far above what a person does, low enough that
    # a script can't flood the archive from one account or address.
    "write": {
        "user": (int(os.environ.get("WRITE_LIMIT_PER_MINUTE", "60")), 60),
        "ip": (int(os.environ.get("WRITE_LIMIT_PER_MINUTE_PER_IP", "120")), 60),
    },
    # Abuse reports: enough for a person, too few for a flood from one address.
    "abuse_report": {"user": (10, 3600), "ip": (5, 3600)},
    "invitation_request": {"ip": (5, 3600)},
}
# Reverse proxies in front of the archive, so client_ip() reads X-Forwarded-For (0: none).
FANFOLD_TRUSTED_PROXY_COUNT = int(os.environ.get("FANFOLD_TRUSTED_PROXY_COUNT", "0"))

# Tags and wrangling (fanfold.tags): a wrangling change affecting at most this many works
# rebuilds their filter sets at once; a larger one in a background task (docs/tags.md).
FANFOLD_WRANGLING_SYNC_LIMIT = int(os.environ.get("FANFOLD_WRANGLING_SYNC_LIMIT", "500"))
# Suggestions the posting form's tag autocomplete offers at most.
FANFOLD_TAG_AUTOCOMPLETE_LIMIT = 15
FANFOLD_RATE_LIMITS["tag_autocomplete"] = {"user": (120, 60), "ip": (300, 60)}
# --- originality (fanfold/originality): the repost index lives on disk beside the data.
FANFOLD_ORIGINALITY_INDEX_DIR = Path(
    os.environ.get("FANFOLD_ORIGINALITY_INDEX_DIR", DATA_DIR / "originality" / "index")
)
FANFOLD_RATE_LIMITS["originality_credit"] = {"user": (60, 3600)}
# Comments, kudos, inbox, blocking (fanfold.comments, .kudos, .inbox, .blocking): how often one
# user and one IP address may post comments and leave kudos.
FANFOLD_RATE_LIMITS["comment"] = {"user": (10, 60), "ip": (20, 60)}
FANFOLD_RATE_LIMITS["kudos"] = {"user": (30, 60), "ip": (30, 60)}
# Downloads (fanfold.downloads): EPUB, AZW3, MOBI, PDF and HTML files of works, built by a
# background task and kept under the data directory until the work changes.
FANFOLD_DOWNLOADS_DIR = DATA_DIR / "downloads"
# calibre's converter (AZW3, MOBI); when it is not found those formats say so on the work page.
FANFOLD_EBOOK_CONVERT = os.environ.get("FANFOLD_EBOOK_CONVERT", "ebook-convert")
FANFOLD_DOWNLOAD_TIMEOUT = int(os.environ.get("FANFOLD_DOWNLOAD_TIMEOUT", "600"))  # seconds
# The "being made" page reloads every 5 seconds and each reload counts, hence the room.
FANFOLD_RATE_LIMITS["download"] = {"user": (120, 600), "ip": (120, 600)}
# Finding works (fanfold.search, fanfold.savedfilters): searches per minute per logged-in user
# and per IP address (FANFOLD_SEARCH_RATE_LIMIT: per user, twice that per address).
_search_per_minute = int(os.environ.get("FANFOLD_SEARCH_RATE_LIMIT", "60"))
FANFOLD_RATE_LIMITS["search"] = {
    "user": (_search_per_minute, 60),
    "ip": (2 * _search_per_minute, 60),
}
# A search that runs longer than this many seconds is stopped and the reader told so
# (fanfold.search.timelimit).
FANFOLD_SEARCH_SECONDS = float(os.environ.get("FANFOLD_SEARCH_SECONDS", "5"))
# PostgreSQL: a search listed by date whose count is kept from an earlier page view reads its
# page alone when it has at least this many matches (search.pagination.CountedWithPagePaginator).
FANFOLD_PAGE_ALONE_FROM = int(os.environ.get("FANFOLD_PAGE_ALONE_FROM", "1000"))

# --- Imports (fanfold.imports) -----------------------------------------------------------------
# Largest file a writer may upload (or paste) to import, in bytes.
FANFOLD_IMPORT_MAX_BYTES = int(os.environ.get("FANFOLD_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# An EPUB may unpack to at most this much (zip bombs), in bytes.
FANFOLD_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("FANFOLD_IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024))
)
# Imports read whole files: at most 30 an hour per writer and 60 per IP address.
FANFOLD_RATE_LIMITS["import"] = {"user": (30, 3600), "ip": (60, 3600)}
# --- Comments (fanfold.comments), session 11: top-level comment threads shown per page under a
# work or chapter (each with all its replies), like AO3's paginated comments.
FANFOLD_COMMENTS_PER_PAGE = int(os.environ.get("FANFOLD_COMMENTS_PER_PAGE", "20"))

# --- Site news, banner and guest comment spam (fanfold.news, fanfold/comments/spam.py) ----------
# News posts per page of /admin_posts, and posts in its Atom feed.
FANFOLD_NEWS_PER_PAGE = 10
FANFOLD_NEWS_FEED_ITEMS = 20
# A guest's comment (on a work or a news post) is held for moderation when it has more than
# FANFOLD_SPAM_MAX_LINKS links, contains one of FANFOLD_SPAM_KEYWORDS (comma-separated words or
# phrases, case-insensitive, matched as whole words), or repeats the same text that was sent
# from the same IP address within FANFOLD_SPAM_REPEAT_HOURS.
FANFOLD_SPAM_MAX_LINKS = int(os.environ.get("FANFOLD_SPAM_MAX_LINKS", "2"))
FANFOLD_SPAM_KEYWORDS = [
    word.strip()
    for word in os.environ.get(
        "FANFOLD_SPAM_KEYWORDS",
        "casino,viagra,cialis,payday loan,essay writing service,buy followers,crypto giveaway,"
        "seo services,replica watches",
    ).split(",")
    if word.strip()
]
FANFOLD_SPAM_REPEAT_HOURS = int(os.environ.get("FANFOLD_SPAM_REPEAT_HOURS", "24"))
# News comments share the "comment" limits above (per user and per IP address, guests too).
# --- Load testing (bench/load.py): FANFOLD_RATE_LIMIT_FACTOR multiplies every rate limit above
# (N per period), so a load test's many clients measure the archive rather than its limits.
_rate_limit_factor = float(os.environ.get("FANFOLD_RATE_LIMIT_FACTOR", "1"))
if _rate_limit_factor != 1:
    FANFOLD_RATE_LIMITS = {
        scope: {
            who: (max(1, int(n * _rate_limit_factor)), period) for who, (n, period) in v.items()
        }
        for scope, v in FANFOLD_RATE_LIMITS.items()
    }
