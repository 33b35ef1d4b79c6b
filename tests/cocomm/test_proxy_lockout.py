"""Log-in lock-out behind reverse proxies: with TRUSTED_PROXY_COUNT proxies in front, failures count
against the client's address from X-Forwarded-For; with none (the default) the header is ignored, so a
client can neither dodge the lock-out nor pin it on someone else by sending one."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from cocomm.client_address import client_ip_address
from cocomm.models import User
from tests.factories.cocomm import UserFactory

PASSWORD = "a-long-test-password"  # what UserFactory sets
PROXY = "10.0.0.5"  # the nearest reverse proxy: every request through it reaches the app from here
CLIENT_A = "198.51.100.7"
CLIENT_B = "203.0.113.9"


def through_proxy(user: User, password: str, forwarded_for: str) -> tuple[int, Client]:
    """A log-in as the proxy passes it on: from the proxy's address, with the header it wrote."""
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code, client


def logged_in(client: Client, user: User) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_five_wrong_passwords_lock_out_that_client_only() -> None:
    user = UserFactory()
    statuses = [through_proxy(user, "guess", CLIENT_A)[0] for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks

    status, client_a = through_proxy(user, PASSWORD, CLIENT_A)
    assert status == 429  # even the right password, from A
    assert not logged_in(client_a, user)

    status, client_b = through_proxy(user, PASSWORD, CLIENT_B)
    assert status == 302  # B, through the same proxy, logs in
    assert logged_in(client_b, user)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT_A]


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_a_client_cannot_pin_its_failures_on_another_address() -> None:
    user = UserFactory()
    # A writes B's address into the header itself; the proxy appends the address A really came from.
    for _ in range(5):
        through_proxy(user, "guess", f"{CLIENT_B}, {CLIENT_A}")

    assert through_proxy(user, PASSWORD, CLIENT_A)[0] == 429
    status, client_b = through_proxy(user, PASSWORD, CLIENT_B)
    assert status == 302
    assert logged_in(client_b, user)


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=0)
def test_with_no_trusted_proxy_the_header_is_ignored_and_cannot_dodge_the_lock_out() -> None:
    user = UserFactory()
    # Straight to the app, each attempt claiming to come from somewhere new.
    for n in range(5):
        through_proxy(user, "guess", f"192.0.2.{n + 1}")

    status, client = through_proxy(user, PASSWORD, "192.0.2.200")
    assert status == 429
    assert not logged_in(client, user)
    assert through_proxy(user, PASSWORD, CLIENT_B)[0] == 429  # nor does claiming to be B help
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


@pytest.mark.django_db
def test_by_default_no_proxy_is_trusted() -> None:
    user = UserFactory()
    for _ in range(5):
        through_proxy(user, "guess", CLIENT_A)
    assert through_proxy(user, PASSWORD, CLIENT_B)[0] == 429


def address(forwarded_for: str | None, *, proxies: int, remote: str = PROXY) -> str | None:
    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        return client_ip_address(request)


@pytest.mark.parametrize(
    ("forwarded_for", "proxies", "expected"),
    [
        (None, 0, PROXY),
        (CLIENT_A, 0, PROXY),
        (None, 1, PROXY),  # no header: the connection's own address
        ("", 1, PROXY),
        (CLIENT_A, 1, CLIENT_A),
        (f"{CLIENT_B}, {CLIENT_A}", 1, CLIENT_A),  # the client's own entry is never read
        (f"{CLIENT_B},{CLIENT_A}", 1, CLIENT_A),
        # Two proxies: the outer one wrote the client's address, the inner one the outer's.
        (f"{CLIENT_A}, 10.0.0.9", 2, CLIENT_A),
        (f"{CLIENT_B}, {CLIENT_A}, 10.0.0.9", 2, CLIENT_A),
        (CLIENT_A, 2, CLIENT_A),  # fewer entries than proxies: every one was written by a proxy
        ("2001:db8:0:0::1", 1, "2001:db8::1"),
        # Whatever is not an address falls back to the connection's (the proxy is misconfigured).
        ("unknown", 1, PROXY),
        (f"{CLIENT_A}, not-an-address", 1, PROXY),
        (f"{CLIENT_A}:4431", 1, PROXY),
    ],
)
def test_the_client_address_read_from_the_forwarded_header(
    forwarded_for: str | None, proxies: int, expected: str
) -> None:
    assert address(forwarded_for, proxies=proxies) == expected


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_header_that_is_not_an_address_is_a_form_error_not_a_500() -> None:
    user = UserFactory()
    status, _ = through_proxy(user, "guess", "<script>, unknown")
    assert status == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
