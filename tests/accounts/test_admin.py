"""The admin acts on accounts through the services (so the log records it), and cannot
change the security log or two-factor devices behind them."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EventKind, SecurityEvent, Session
from accounts.services import security_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_actions_go_through_the_services(client, superuser):
    rita = UserFactory(username="rita")
    TOTPDevice.objects.create(user=rita, name="app", confirmed=True)
    phone = type(client)()
    phone.force_login(rita)
    client.force_login(superuser)
    url = reverse("admin:auth_user_changelist")
    listing = client.get(url).content.decode()
    assert reverse("accounts:user_security", args=[rita.pk]) in listing
    client.post(url, {"action": "sign_out_everywhere", "_selected_action": [rita.pk]})
    assert not Session.objects.filter(user_id=rita.pk).exists()
    client.post(url, {"action": "reset_two_factor", "_selected_action": [rita.pk]})
    assert not TOTPDevice.objects.filter(user=rita).exists()
    kinds = SecurityEvent.objects.filter(subject_name="rita", actor=superuser)
    assert set(kinds.values_list("kind", flat=True)) == {
        EventKind.SIGNED_OUT_EVERYWHERE,
        EventKind.TWO_FACTOR_RESET,
    }


def test_the_log_is_read_only_in_the_admin_and_devices_are_not_there(client, superuser):
    event = security_event(EventKind.EXPORT, detail="an export")
    client.force_login(superuser)
    change = reverse("admin:accounts_securityevent_change", args=[event.pk])
    assert "an export" in client.get(change).content.decode()
    client.post(change, {"detail": "rewritten"})
    assert (
        client.get(reverse("admin:accounts_securityevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    assert SecurityEvent.objects.get(pk=event.pk).detail == "an export"
    assert not admin.site.is_registered(TOTPDevice)
