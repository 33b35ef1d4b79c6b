"""Every link a demo user is shown opens: a page the user may not see is named, not linked.

Walks the site from the home page as users whose view is narrow (committee chairs who hold no CCG
role, a CCG's governance officer on a committee shared with other CCGs, a CCG's Conflicts of
Interest Guardian), following the links each
page offers, and fails on any that answers 404 or worse.
"""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from cocomm.models import User

pytestmark = pytest.mark.django_db

SKIP = ("/static/", "/media/", "/logout", "/admin/", "/api/")
PAGES_PER_USER = 150


def broken_links(username: str) -> tuple[int, list[tuple[str, int, str]]]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    seen: set[str] = set()
    queue: list[tuple[str, str]] = [("/", "")]
    broken = []
    while queue and len(seen) < PAGES_PER_USER:
        path, linked_from = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if response.status_code >= 400:
            broken.append((path, response.status_code, linked_from))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"#]+)', response.content.decode()):
            url = urlparse(urljoin(f"http://testserver{path}", href.replace("&amp;", "&")))
            if url.netloc != "testserver" or url.path.startswith(SKIP) or "download" in url.path:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append((target, path))
    return len(seen), broken


def test_no_demo_user_is_shown_a_link_that_answers_not_found() -> None:
    call_command("load_demo", stdout=StringIO())

    narrow = ("blackpool.chair", "trafford.chair", "lancashire.jc.chair", "camden.go", "blackpool.guardian")
    for username in narrow:
        visited, broken = broken_links(username)
        assert visited > 20, f"{username} reached only {visited} pages"
        assert broken == [], f"{username} was shown links that do not open: {broken}"
