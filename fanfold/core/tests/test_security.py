"""Hardening: security headers and the Content Security Policy on every page, login throttling,
and the production settings passing Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from fanfold.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_pages_carry_the_security_headers_and_a_strict_csp(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def _log_in(client, username, password):
    return client.post("/login", {"username": username, "password": password})


def test_repeated_failed_logins_lock_out_that_account_from_that_address(alice):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        response = _log_in(attacker, "alice", "not her password")
        assert "match our records" in response.content.decode()
    assert _log_in(attacker, "alice", "a fifth guess").status_code == 429
    locked = _log_in(attacker, "alice", PASSWORD)  # even the right password, for now
    assert locked.status_code == 429
    assert "too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in attacker.session

    # alice, from her own address, is not locked out by someone else's guessing.
    own = Client(REMOTE_ADDR="198.51.100.4")
    assert _log_in(own, "alice", PASSWORD).status_code == 302
    assert own.session["_auth_user_id"] == str(alice.pk)


def test_a_successful_login_resets_the_failure_count(alice):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        _log_in(client, "alice", "wrong")
    assert _log_in(client, "alice", PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(4):
        _log_in(client, "alice", "wrong")
    assert _log_in(client, "alice", PASSWORD).status_code == 302


def _production_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FANFOLD_TEST", "DJANGO"))}
    env.pop("FANFOLD_TESTING", None)
    env.update(
        {
            "FANFOLD_DATA_DIR": str(tmp_path),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "archive.example.org",
            "HTTPS": "true",
            "HSTS_INCLUDE_SUBDOMAINS": "true",
            "HSTS_PRELOAD": "true",
            "EMAIL_HOST": "smtp.example.org",
            "DEBUG": "false",
        }
    )
    return env


def test_production_settings_pass_the_deployment_checks(tmp_path):
    """The settings docs/deployment.md gives pass `fanfold check --deploy` with no warning."""
    result = subprocess.run(
        [sys.executable, "-m", "fanfold.manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_passwords_are_hashed_with_argon2(tmp_path):
    code = "from django.contrib.auth.hashers import make_password; print(make_password('x'))"
    result = subprocess.run(
        [sys.executable, "-m", "fanfold.manage", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.startswith("argon2$"), result.stdout + result.stderr
