"""Spam protection for guests' comments (on works and on news posts).

Three lines of defence: the per-IP rate limit of the "comment" scope (the views); a honeypot
field that people never see and bots fill in, whose comments are dropped without a word of
why (the views); and this heuristic, which HOLDS a suspicious comment for moderation instead
of publishing it. A held comment is PENDING, like one on a moderated work: the work's creators
(the archive's admins and moderators for a news post) may approve or delete it, and moderators
find every held comment at /comments/held.

Hand-written on purpose: the signals are few and archive-specific (links, a keyword list the
archive's admins keep, the same text again from one address); a statistical filter or an
outside service would need training data or send visitors' text elsewhere."""

import hashlib
import hmac
import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

# Web addresses, written as links or as text; www.example.org counts too.
_URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+", re.IGNORECASE)


def ip_hash(ip: str) -> str:
    """A keyed hash of an IP address: the same address always gives the same value, but the
    address can't be read back from the database (or a backup of it)."""
    if not ip:
        return ""
    key = f"fanfold-comment-ip:{settings.SECRET_KEY}".encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()[:32]


def link_count(html: str) -> int:
    """How many different web addresses the text links to or mentions."""
    return len({match.rstrip(".,;:!?)").lower() for match in _URL.findall(html or "")})


def _keyword_pattern():
    words = [w for w in getattr(settings, "FANFOLD_SPAM_KEYWORDS", []) if w.strip()]
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def spam_hold_reason(*, content: str, guest_name: str = "", ip_digest: str = "") -> str:
    """Why a guest's comment (its sanitized HTML) should wait for a moderator, or "" when it
    looks like an ordinary comment."""
    from .models import Comment

    most = settings.FANFOLD_SPAM_MAX_LINKS
    links = link_count(content)
    if links > most:
        return f"{links} link{'s' if links != 1 else ''} (more than {most})"
    pattern = _keyword_pattern()
    if pattern is not None:
        found = pattern.search(f"{guest_name}\n{strip_tags(content)}")
        if found:
            return f"contains “{' '.join(found.group(0).split())}”"
    if ip_digest:
        since = timezone.now() - timedelta(hours=settings.FANFOLD_SPAM_REPEAT_HOURS)
        if Comment.objects.filter(
            ip_hash=ip_digest, created_at__gte=since, content=content
        ).exists():
            return "the same text again from the same address"
    return ""
