import pytest
from django.core.management import CommandError, call_command

from fanfold.accounts.models import User

pytestmark = pytest.mark.django_db


def test_createsuperuser_makes_an_admin_with_a_default_pseud(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct horse battery staple")
    call_command(
        "createsuperuser", "--noinput", "--username=root", "--email=root@example.org", verbosity=0
    )
    user = User.objects.get(username="root")
    assert user.is_superuser and user.is_staff
    assert user.check_password("correct horse battery staple")
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("root", True)]


def test_createsuperuser_without_password_makes_an_unusable_one():
    call_command(
        "createsuperuser", "--noinput", "--username=root", "--email=root@example.org", verbosity=0
    )
    user = User.objects.get(username="root")
    assert not user.has_usable_password() and user.pseuds.get().is_default


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("no spaces", "Username can contain only letters, numbers and underscores"),
        ("orphan_account", "That username is reserved."),
    ],
)
def test_createsuperuser_refuses_bad_usernames(username, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "createsuperuser", "--noinput", f"--username={username}", "--email=r@example.org"
        )
    assert not User.objects.exists()


def test_createsuperuser_refuses_a_taken_username(alice):
    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", "--noinput", "--username=alice", "--email=r@example.org")
    assert User.objects.count() == 1


class _Terminal:
    def isatty(self):
        return True


def test_createsuperuser_asks_again_for_a_username_against_the_rules(monkeypatch, capsys):
    answers = iter(["bad name", "root", "root@example.org"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse battery staple")
    call_command("createsuperuser", stdin=_Terminal())
    assert "Username can contain only letters" in capsys.readouterr().err
    user = User.objects.get(username="root")
    assert user.is_superuser and user.pseuds.get().name == "root"
