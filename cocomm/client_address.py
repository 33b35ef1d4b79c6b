"""The address a request came from, as log-in lock-out (django-axes) counts it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: the connection's own, or, behind `TRUSTED_PROXY_COUNT` reverse proxies,
    the address the outermost of them was reached from."""
    remote = request.META.get("REMOTE_ADDR")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote  # X-Forwarded-For is ignored: with no proxy in front, the client wrote it
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    # Each proxy appends the address it was reached from, so the last `proxies` entries are theirs and
    # the first of those is the client as the outermost proxy saw it. Anything a client sends itself
    # stands further left and is never read. Fewer entries than proxies means the request passed fewer
    # of them; every entry there was still written by one, and the leftmost is the earliest.
    hop = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        # A proxy that writes something other than an address is misconfigured; counting by the
        # connection's address then locks out more people, never fewer.
        return remote
