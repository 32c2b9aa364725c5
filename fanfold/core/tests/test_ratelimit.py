"""Rate limits hold per user and per IP address, reset with the window, and answer with the
429 page."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from fanfold.core.middleware import RateLimitMiddleware
from fanfold.core.models import RateLimitCounter
from fanfold.core.ratelimit import (
    RateLimited,
    client_ip,
    rate_limit_check,
    rate_limit_counters_purge,
    rate_limit_hit,
    rate_limited,
)

pytestmark = pytest.mark.django_db
LIMITS = {"poke": {"user": (2, 60), "ip": (3, 60)}}


def test_a_key_may_be_used_up_to_its_limit_in_a_window():
    assert [rate_limit_hit(key="k", limit=2, period=60, now=120.0) for _ in range(3)] == [0, 0, 60]
    # The refused use is not counted, and the next window starts afresh.
    assert RateLimitCounter.objects.get(key="k").count == 2
    assert rate_limit_hit(key="k", limit=2, period=60, now=180.5) == 0
    assert RateLimitCounter.objects.filter(key="k").count() == 1  # the old window is gone


def test_retry_after_counts_down_to_the_end_of_the_window():
    rate_limit_hit(key="k", limit=1, period=60, now=100.0)
    assert rate_limit_hit(key="k", limit=1, period=60, now=110.0) == 10


def test_the_purge_deletes_counters_whose_window_has_ended_and_keeps_the_rest():
    rate_limit_hit(key="minute", limit=5, period=60, now=120.0)  # window 120-180
    rate_limit_hit(key="hour", limit=5, period=3600, now=120.0)  # window 0-3600
    rate_limit_hit(key="next-minute", limit=5, period=60, now=185.0)  # window 180-240
    assert rate_limit_counters_purge(now=179.0) == 0
    assert rate_limit_counters_purge(now=180.0) == 1
    assert set(RateLimitCounter.objects.values_list("key", flat=True)) == {"hour", "next-minute"}
    # what is left still counts: the purge did not reset a current window
    assert [rate_limit_hit(key="next-minute", limit=2, period=60, now=190.0) for _ in range(2)] == [
        0,
        50,
    ]
    assert rate_limit_counters_purge(now=3600.0) == 2
    assert not RateLimitCounter.objects.exists()


@override_settings(FANFOLD_RATE_LIMITS=LIMITS)
def test_the_periodic_job_purges_ended_counters(alice):
    rate_limit_hit(key="poke:ip:10.0.0.9", limit=3, period=60, now=1_000.0)  # long over
    rate_limit_check(scope="poke", user=alice, ip="10.0.0.1")  # now: counted this minute
    out = StringIO()
    call_command("periodic", "--once", stdout=out)
    assert "rate limits: 1 ended rate-limit counter(s) deleted" in out.getvalue()
    assert sorted(RateLimitCounter.objects.values_list("key", flat=True)) == [
        "poke:ip:10.0.0.1",
        f"poke:u:{alice.pk}",
    ]
    rate_limit_check(scope="poke", user=alice, ip="10.0.0.2")
    with pytest.raises(RateLimited):  # alice's count survived the purge
        rate_limit_check(scope="poke", user=alice, ip="10.0.0.3")


@override_settings(FANFOLD_RATE_LIMITS=LIMITS)
def test_users_and_addresses_are_limited_separately(alice, bob):
    rate_limit_check(scope="poke", user=alice, ip="10.0.0.1")
    rate_limit_check(scope="poke", user=alice, ip="10.0.0.2")
    with pytest.raises(RateLimited):  # alice's two are used up, whatever her address
        rate_limit_check(scope="poke", user=alice, ip="10.0.0.3")
    rate_limit_check(scope="poke", user=bob, ip="10.0.0.1")
    rate_limit_check(scope="poke", user=AnonymousUser(), ip="10.0.0.1")
    with pytest.raises(RateLimited):  # three from 10.0.0.1, whoever sent them
        rate_limit_check(scope="poke", user=AnonymousUser(), ip="10.0.0.1")


def test_an_unknown_scope_is_a_programming_error():
    with pytest.raises(ValueError, match="No rate limits"):
        rate_limit_check(scope="nothing-set", ip="10.0.0.1")


@override_settings(FANFOLD_RATE_LIMITS=LIMITS)
def test_a_limited_view_answers_429_with_retry_after():
    @rate_limited("poke")
    def view(request):
        return HttpResponse("done")

    middleware = RateLimitMiddleware(view)
    factory = RequestFactory()
    responses = []
    for _ in range(4):
        request = factory.post("/poke", REMOTE_ADDR="10.9.9.9")
        request.user = AnonymousUser()
        try:
            responses.append(view(request))
        except RateLimited as limited:
            responses.append(middleware.process_exception(request, limited))
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 60
    assert "Please wait" in responses[-1].content.decode()
    # Reads are not counted.
    request = factory.get("/poke", REMOTE_ADDR="10.9.9.9")
    request.user = AnonymousUser()
    assert view(request).status_code == 200


def test_client_ip_trusts_forwarded_for_only_behind_configured_proxies():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "127.0.0.1"
    with override_settings(FANFOLD_TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.7"  # not the forged left part


@override_settings(FANFOLD_RATE_LIMITS={"write": {"user": (3, 60), "ip": (4, 60)}})
def test_every_write_anywhere_counts_against_the_write_limit(alice, client_for):
    client = client_for(alice)
    statuses = [client.post("/users/alice/pseuds/new", {"name": f"Name {n}"}).status_code
                for n in range(4)]  # fmt: skip
    assert statuses == [302, 302, 302, 429]
    assert alice.pseuds.count() == 4  # the default and three new ones: the fourth was refused
    assert client.get("/users/alice/pseuds").status_code == 200  # reading is not limited
    guest = Client(REMOTE_ADDR="198.51.100.9")
    # Different names each time, so this is the write limit, not the login lockout.
    statuses = [guest.post("/login", {"username": f"x{n}", "password": "y"}).status_code
                for n in range(5)]  # fmt: skip
    assert statuses == [200, 200, 200, 200, 429]
