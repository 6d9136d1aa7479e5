"""The security log: an entry for each event it promises, append-only, all of it for
staff and their investigations' part for a lead, filterable, and as CSV."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from accounts.models import EventKind, SecurityEvent
from accounts.services import security_event
from api.models import ScopedToken
from evidence.services import evidence_create
from investigations import services as investigations
from investigations.models import Role
from tests import files
from tests.factories import (
    ClaimFactory,
    InvestigationFactory,
    MembershipFactory,
    UserFactory,
    default_investigation,
)

pytestmark = pytest.mark.django_db


def _kinds(**where) -> list[str]:
    return list(SecurityEvent.objects.filter(**where).order_by("id").values_list("kind", flat=True))


def test_the_log_is_append_only():
    event = security_event(EventKind.EXPORT, detail="x")
    event.detail = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(TypeError):
        SecurityEvent.objects.update(detail="changed")
    assert SecurityEvent.objects.get().detail == "x"


def test_tokens_made_and_revoked(client, researcher):
    client.force_login(researcher)
    investigation = default_investigation()
    client.post(reverse("tokens"), {"name": "Importer", "investigation": investigation.pk})
    token = ScopedToken.objects.get(user=researcher)
    client.post(reverse("token_revoke", args=[token.pk]))
    made, revoked = SecurityEvent.objects.filter(
        kind__in=[EventKind.TOKEN_CREATED, EventKind.TOKEN_REVOKED]
    ).order_by("id")
    assert (made.kind, made.actor, made.investigation_id) == (
        EventKind.TOKEN_CREATED,
        researcher,
        investigation.pk,
    )
    assert made.detail == "“Importer”, read only" and made.ip_address == "127.0.0.1"
    assert (revoked.kind, revoked.detail) == (EventKind.TOKEN_REVOKED, "“Importer”")


def test_the_personal_token_is_revoked_from_the_tokens_page(client, researcher):
    client.logout()
    got = client.post(
        "/api/v1/token/",
        {"username": "rita", "password": "correct horse battery staple"},
        content_type="application/json",
    )
    key = got.json()["token"]
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.force_login(researcher)
    page = client.get(reverse("tokens")).content.decode()
    assert "Revoke personal token" in page
    client.post(reverse("personal_token_revoke"))
    client.logout()
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert _kinds(kind__startswith="token") == [EventKind.TOKEN_CREATED, EventKind.TOKEN_REVOKED]


def test_members_and_roles(researcher):
    lead = UserFactory(username="lena")
    investigation = default_investigation()
    MembershipFactory(investigation=investigation, user=lead, role=Role.LEAD)
    newcomer = UserFactory(username="nina")
    investigations.membership_set(
        investigation=investigation, user=newcomer, role=Role.VIEWER, by=lead
    )
    investigations.membership_set(
        investigation=investigation, user=newcomer, role=Role.REVIEWER, by=lead
    )
    investigations.membership_remove(investigation=investigation, user=newcomer, by=lead)
    events = SecurityEvent.objects.filter(subject_name="nina").order_by("id")
    assert [(e.kind, e.detail, e.actor_name) for e in events] == [
        (EventKind.MEMBER_ADDED, "Viewer", "lena"),
        (EventKind.ROLE_CHANGED, "Viewer → Reviewer", "lena"),
        (EventKind.MEMBER_REMOVED, "Reviewer", "lena"),
    ]
    assert {e.investigation_id for e in events} == {investigation.pk}


def test_exports_and_downloads(client, researcher):
    claim = ClaimFactory(created_by=researcher)
    item = evidence_create(
        investigation=claim.investigation,
        kind="photo",
        title="Column",
        file=ContentFile(files.png(), name="column.png"),
        by=researcher,
    )
    client.force_login(researcher)
    client.get(reverse("claims:claim_list_csv"))
    client.get(reverse("evidence:evidence_list_csv"))
    client.get(reverse("claims:claim_dossier", args=[claim.pk, "json"]))
    b"".join(client.get(reverse("evidence:evidence_file", args=[item.pk])).streaming_content)
    events = SecurityEvent.objects.filter(kind__in=[EventKind.EXPORT, EventKind.DOWNLOAD])
    found = sorted((e.kind, e.detail, e.investigation_id) for e in events)
    pk = claim.investigation_id
    assert found == [
        (EventKind.DOWNLOAD, f"original of evidence #{item.pk} (column.png)", pk),
        (EventKind.EXPORT, f"JSON dossier of claim #{claim.pk}", pk),
        (EventKind.EXPORT, "claim list as CSV", pk),
        (EventKind.EXPORT, "evidence list as CSV", pk),
    ]
    assert all(e.actor == researcher for e in events)


@pytest.fixture
def two_cases(researcher):
    """Events in two investigations; Lena leads the first only."""
    first, second = default_investigation(), InvestigationFactory(slug="second", name="Second")
    lead = UserFactory(username="lena")
    MembershipFactory(investigation=first, user=lead, role=Role.LEAD)
    MembershipFactory(investigation=second, user=lead, role=Role.VIEWER)
    security_event(EventKind.EXPORT, actor=researcher, investigation=first, detail="first export")
    security_event(EventKind.EXPORT, actor=researcher, investigation=second, detail="second export")
    security_event(EventKind.SIGN_IN_FAILED, subject="ghost", detail="wrong username or password")
    return lead


def test_staff_read_all_a_lead_their_part_others_nothing(client, two_cases, superuser, researcher):
    client.force_login(superuser)
    page = client.get(reverse("security_log")).content.decode()
    assert "first export" in page and "second export" in page and "ghost" in page

    client.force_login(two_cases)
    page = client.get(reverse("security_log")).content.decode()
    assert "first export" in page and "second export" not in page and "ghost" not in page

    client.force_login(researcher)
    assert client.get(reverse("security_log")).status_code == 403
    assert "Security log" not in client.get(reverse("claims:claim_list")).content.decode()


def test_filters_and_csv(client, two_cases, superuser):
    client.force_login(superuser)
    page = client.get(reverse("security_log"), {"kind": "sign_in_failed"}).content.decode()
    assert "ghost" in page and "first export" not in page
    page = client.get(reverse("security_log"), {"account": "GHOST"}).content.decode()
    assert "ghost" in page and "first export" not in page
    second = InvestigationFactory(slug="second")
    page = client.get(reverse("security_log"), {"investigation": second.pk}).content.decode()
    assert "second export" in page and "first export" not in page
    empty = client.get(reverse("security_log"), {"since": "2999-01-01"}).content.decode()
    assert "No entries match these filters." in empty

    response = client.get(reverse("security_log"), {"kind": "export", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert sorted(row["detail"] for row in rows) == ["first export", "second export"]
    assert set(rows[0]) == {
        "when", "event", "by", "account", "investigation_id", "investigation", "address", "detail"
    }  # fmt: skip


def test_the_log_page_runs_a_fixed_number_of_queries(client, superuser, django_assert_num_queries):
    for n in range(5):
        security_event(EventKind.EXPORT, detail=f"export {n}")
    client.force_login(superuser)
    client.get(reverse("security_log"))
    # session, user, the investigations to filter by, the count (and on PostgreSQL the
    # planner's estimate), the page's ids, its rows, the memberships and the unread
    # notifications (header)
    expected = 9 if connection.vendor == "postgresql" else 8
    for more in (0, 40):
        for n in range(more):
            security_event(EventKind.EXPORT, detail=f"more {n}")
        with django_assert_num_queries(expected):
            client.get(reverse("security_log"))


def test_the_database_refuses_to_change_an_entry(superuser):
    from django.db import DatabaseError, transaction

    event = security_event(EventKind.SIGN_IN, actor=superuser, detail="password")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_securityevent SET detail = 'forged' WHERE id = %s", [event.pk]
        )
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_securityevent WHERE id = %s", [event.pk])
    assert SecurityEvent.objects.get(pk=event.pk).detail == "password"
    # An account may still be deleted: its entries stay, naming it.
    superuser.delete()
    kept = SecurityEvent.objects.get(pk=event.pk)
    assert (kept.actor, kept.actor_name) == (None, "admin")
