"""Sessions: signing out everywhere (oneself, or staff for someone), sessions that end when
left idle without writing on every request, and password reset by email through the task
queue."""

import re
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import EventKind, SecurityEvent, Session
from accounts.sessions import SEEN_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", email="rita@example.org")


def _signed_in(client_class, user):
    client = client_class()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert client.get("/tokens/").status_code == 200
    return client


def test_sign_out_everywhere(client, rita):
    laptop, phone = _signed_in(type(client), rita), _signed_in(type(client), rita)
    other = _signed_in(type(client), UserFactory(username="victor"))
    assert Session.objects.filter(user_id=rita.pk).count() == 2
    page = laptop.post(reverse("accounts:sign_out_everywhere"), follow=True)
    assert "Signed out of 2 session(s)" in page.content.decode()
    assert laptop.get("/tokens/").status_code == 302
    assert phone.get("/tokens/").status_code == 302
    assert other.get("/tokens/").status_code == 200
    event = SecurityEvent.objects.get(kind=EventKind.SIGNED_OUT_EVERYWHERE)
    assert (event.actor, event.subject_name, event.detail) == (rita, "rita", "2 session(s) ended")


def test_staff_sign_a_user_out_everywhere(client, rita, superuser):
    phone = _signed_in(type(client), rita)
    client.force_login(superuser)
    page = client.get(reverse("accounts:user_security", args=[rita.pk])).content.decode()
    assert "Security of rita" in page
    client.post(
        reverse("accounts:user_security", args=[rita.pk]), {"action": "sign_out_everywhere"}
    )
    assert phone.get("/tokens/").status_code == 302
    assert client.get("/tokens/").status_code == 200  # staff's own session stays
    event = SecurityEvent.objects.get(kind=EventKind.SIGNED_OUT_EVERYWHERE)
    assert (event.actor, event.subject_name) == (superuser, "rita")


def test_a_session_ends_when_left_idle(client, rita, settings):
    client = _signed_in(type(client), rita)
    session = Session.objects.get(user_id=rita.pk)
    idle = settings.SESSION_COOKIE_AGE
    assert idle == settings.SESSION_IDLE_MINUTES * 60
    left = (session.expire_date - timezone.now()).total_seconds()
    assert idle - 60 < left <= idle
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now())
    response = client.get("/tokens/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_use_moves_the_idle_clock_on_at_most_once_a_minute(client, rita):
    client = _signed_in(type(client), rita)
    session = Session.objects.get(user_id=rita.pk)
    # Within the minute: the session is read, never written.
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/security/")
    assert any("accounts_session" in q["sql"] for q in queries.captured_queries)
    assert not [
        q
        for q in queries.captured_queries
        if "accounts_session" in q["sql"] and "UPDATE" in q["sql"].upper()
    ]
    earlier = timezone.now() - timezone.timedelta(hours=1)
    store = client.session
    store[SEEN_KEY] = int(time.time()) - 120
    store.save()
    Session.objects.filter(pk=session.pk).update(expire_date=earlier + timezone.timedelta(hours=8))
    client.get("/accounts/security/")
    moved = Session.objects.get(pk=session.pk).expire_date
    assert moved > earlier + timezone.timedelta(hours=8, minutes=50)


def test_password_reset_goes_by_email_through_the_task_queue(
    client, rita, monkeypatch, django_capture_on_commit_callbacks
):
    other_session = _signed_in(type(client), rita)
    queued = []
    monkeypatch.setattr("accounts.tasks.send_mail.apply_async", lambda args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("accounts:password_reset"), {"email": "rita@example.org"}, follow=True
        )
    assert "Check your email" in page.content.decode()
    assert mail.outbox == []  # not sent inside the request
    [(subject, body, to)] = queued
    assert (subject, to) == ("Reset your Corroborate password", "rita@example.org")

    from accounts.tasks import send_mail

    send_mail.run(subject, body, to)  # what a worker does
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "a much newer secret 42", "new_password2": "a much newer secret 42"},
        follow=True,
    )
    assert "Password set" in done.content.decode()
    assert other_session.get("/tokens/").status_code == 302  # the old sessions ended
    assert (
        client.post(
            "/accounts/login/", {"username": "rita", "password": "a much newer secret 42"}
        ).status_code
        == 302
    )
    kinds = list(
        SecurityEvent.objects.filter(kind__startswith="password").values_list("kind", flat=True)
    )
    assert sorted(kinds) == [EventKind.PASSWORD_CHANGED, EventKind.PASSWORD_RESET_ASKED]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, rita):
    page = client.post(
        reverse("accounts:password_reset"), {"email": "who@example.org"}, follow=True
    )
    assert "Check your email" in page.content.decode()
    assert mail.outbox == []


def test_the_link_works_once(client, rita, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "rita@example.org"})
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form = client.get(link, follow=True)
    target = form.redirect_chain[-1][0]
    client.post(
        target,
        {"new_password1": "a much newer secret 42", "new_password2": "a much newer secret 42"},
    )
    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_changing_ones_password_is_logged(client, rita):
    client = _signed_in(type(client), rita)
    page = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a much newer secret 42",
            "new_password2": "a much newer secret 42",
        },
        follow=True,
    )
    assert "Password changed." in page.content.decode()
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, actor=rita).exists()
