"""Log-in hardening: lockout after repeated wrong passwords (django-axes), unlocked by the chief
specialist for her own people or by an administrator; Django's password validators; a password
change page for everyone; sessions that end after 30 idle minutes and with the browser."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import EmployeeFactory, UserFactory

PASSWORD = "pass12345"  # tests.factories.UserFactory


@pytest.fixture(autouse=True)
def _axes_on(settings):
    # tests/settings.py turns django-axes off for the rest of the suite (client.login()).
    settings.AXES_ENABLED = True


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _lock(username):
    client = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, username, "wrong-password")


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(org):
    client = Client()
    username = org.staff[0].user.username
    answers = [_login(client, username, f"wrong-{i}").status_code for i in range(django_settings.AXES_FAILURE_LIMIT)]
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert answers[:-1] == [200] * (django_settings.AXES_FAILURE_LIMIT - 1)  # the form again, with the error
    response = _login(client, username, PASSWORD)
    assert response.status_code == 429
    assert "Вход заблокирован" in response.content.decode()
    assert not _logged_in(client)
    # Another address changes nothing: the lock is on the user name.
    other = Client(REMOTE_ADDR="10.0.0.99")
    assert _login(other, username, PASSWORD).status_code == 429 and not _logged_in(other)


@pytest.mark.django_db
def test_a_successful_log_in_before_the_limit_clears_the_count(org):
    username = org.staff[0].user.username
    client = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        _login(client, username, "wrong")
    assert _login(client, username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        _login(client, username, "wrong")
    assert _login(client, username, PASSWORD).status_code == 302 and _logged_in(client)


@pytest.mark.django_db
def test_chief_specialist_unlocks_her_organisations_people_on_a_page(org):
    staff = org.staff[0].user
    _lock(staff.username)
    chief = Client()
    chief.force_login(org.chief.user)
    page = chief.get(reverse("lockouts")).content.decode()
    assert staff.username in page and org.staff[0].full_name in page
    assert chief.post(reverse("lockouts"), {"username": staff.username}).status_code == 302
    assert not AccessAttempt.objects.filter(username=staff.username).exists()
    client = Client()
    assert _login(client, staff.username, PASSWORD).status_code == 302 and _logged_in(client)


@pytest.mark.django_db
def test_chief_specialist_cannot_unlock_another_organisations_person_and_others_have_no_page(org):
    outsider = EmployeeFactory(user=UserFactory(username="elsewhere"))  # another organisation
    _lock(outsider.user.username)
    chief = Client()
    chief.force_login(org.chief.user)
    assert outsider.user.username not in chief.get(reverse("lockouts")).content.decode()
    chief.post(reverse("lockouts"), {"username": outsider.user.username})
    assert AccessAttempt.objects.filter(username="elsewhere", failures_since_start__gte=5).exists()
    staff = Client()
    staff.force_login(org.staff[1].user)
    assert staff.get(reverse("lockouts")).status_code == 404
    assert staff.post(reverse("lockouts"), {"username": "elsewhere"}).status_code == 404
    assert AccessAttempt.objects.filter(username="elsewhere").exists()


@pytest.mark.django_db
def test_an_administrator_unlocks_in_the_admin(org):
    _lock(org.staff[0].user.username)
    assert AccessAttempt in admin.site._registry
    root = Client()
    root.force_login(get_user_model().objects.create_superuser("root", "root@example.kz", "x"))
    attempt = AccessAttempt.objects.get(username=org.staff[0].user.username)
    root.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert _login(Client(), org.staff[0].user.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["12345678", "1234567890", "password123", "qwerty1234", "short1A!"])
def test_weak_passwords_are_refused_by_the_validators(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_reasonable_password_passes_the_validators():
    validate_password("Сарыарка-весна-2026")


@pytest.mark.django_db
def test_every_user_changes_their_password_on_a_page_linked_from_the_top_bar(org):
    user = org.staff[0].user
    client = Client()
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Смена пароля" in page.content.decode()
    weak = client.post(reverse("password_change"),
                       {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    done = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Жаңа-құпия-сөз-77",
                                                    "new_password2": "Жаңа-құпия-сөз-77"})
    assert done.status_code == 302 and done.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Жаңа-құпия-сөз-77")
    assert client.get(reverse("home")).status_code == 200  # the session goes on


@pytest.mark.django_db
def test_the_password_change_page_needs_a_log_in():
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.django_db
def test_session_ends_after_30_idle_minutes_and_with_the_browser(org, settings):
    from appraisal import settings as application_settings

    # tests/settings.py lengthens sessions for tests that travel in time; here the application's value.
    assert application_settings.SESSION_COOKIE_AGE == 1800
    settings.SESSION_COOKIE_AGE = application_settings.SESSION_COOKIE_AGE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False) as traveller:
        response = _login(client, org.staff[0].user.username, PASSWORD)
        cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
        assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # active: the 30 minutes start again
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and reverse("login") in response.url


def _session_writes(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for query in queries.captured_queries
               if query["sql"].startswith("UPDATE") and "django_session" in query["sql"])


@pytest.mark.django_db
def test_a_session_is_written_at_most_once_a_minute_and_still_ends_30_idle_minutes_after_its_renewal(org, settings):
    from appraisal import settings as application_settings

    settings.SESSION_COOKIE_AGE = application_settings.SESSION_COOKIE_AGE
    assert settings.SESSION_REFRESH_SECONDS == 60
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    client, home = Client(), reverse("home")
    with time_machine.travel(start, tick=False) as traveller:
        _login(client, org.staff[0].user.username, PASSWORD)
        traveller.shift(dt.timedelta(seconds=59))
        assert _session_writes(client, home) == 0  # renewed at the log-in 59 s ago: no write
        traveller.shift(dt.timedelta(seconds=1))
        assert _session_writes(client, home) == 1  # a minute since the renewal: renewed now (09:01:00)
        traveller.shift(dt.timedelta(seconds=59))
        assert _session_writes(client, home) == 0  # 09:01:59, not renewed: the session still ends at 09:31:00
        traveller.move_to(start + dt.timedelta(minutes=31) - dt.timedelta(seconds=1))
        assert _session_writes(client, home) == 1  # 09:30:59: still logged in, renewed until 10:00:59
        traveller.move_to(start + dt.timedelta(minutes=61) - dt.timedelta(seconds=1))
        assert client.get(home).status_code == 302  # 10:00:59, thirty minutes after the last renewal: ended
    assert not _logged_in(client)


@pytest.mark.django_db
def test_a_cookie_naming_no_session_creates_none_where_the_page_does_not_ask_who_is_logged_in():
    from django.contrib.sessions.models import Session

    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "made-up-or-long-ended-session-key"
    for url in (reverse("set_language") + "?next=/", "/periods"):  # neither page reads the user
        assert client.get(url).status_code in (301, 302)
    assert not Session.objects.exists()


@pytest.mark.parametrize(("idle", "refresh"), [(1800, 60), (600, 60), (300, 30), (60, 6)])
def test_the_renewal_interval_is_a_minute_or_a_tenth_of_a_shorter_idle_time(idle, refresh):
    import os
    import subprocess
    import sys

    probe = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_REFRESH_SECONDS)"
    env = {**os.environ, "SESSION_IDLE_SECONDS": str(idle), "DJANGO_SETTINGS_MODULE": "appraisal.settings"}
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(refresh)


@pytest.mark.django_db
def test_the_current_password_is_not_accepted_as_the_new_one(org):
    user = org.staff[0].user
    client = Client()
    client.force_login(user)
    same = client.post(reverse("password_change"),
                       {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert same.status_code == 200 and "совпадает с действующим" in same.content.decode()
