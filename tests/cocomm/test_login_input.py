"""Log-in pages answer bad input with the form's error: an over-long user name is not a 500."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from cocomm.models import User
from tests.factories.cocomm import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # what UserFactory sets
LONGEST = User._meta.get_field("username").max_length  # 150


@pytest.mark.parametrize("length", [LONGEST + 1, 300, 5000])
def test_an_overlong_user_name_is_the_forms_error_and_no_attempt_is_recorded(length: int) -> None:
    response = Client().post(reverse("login"), {"username": "a" * length, "password": "anything"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert f"Enter a username of {LONGEST} characters or fewer" in html
    assert AccessAttempt.objects.count() == 0


def test_a_user_name_of_the_longest_allowed_length_is_checked_as_usual() -> None:
    response = Client().post(reverse("login"), {"username": "a" * LONGEST, "password": "anything"})

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get().username == "a" * LONGEST


def test_the_longest_allowed_user_name_logs_in() -> None:
    user = UserFactory(username="u" * LONGEST)
    client = Client()

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_the_admin_log_in_refuses_an_overlong_user_name_the_same_way() -> None:
    response = Client().post(
        reverse("admin:login"), {"username": "a" * 300, "password": "anything", "next": "/admin/"}
    )

    assert response.status_code == 200
    assert f"Enter a username of {LONGEST} characters or fewer" in response.content.decode()
    assert AccessAttempt.objects.count() == 0
