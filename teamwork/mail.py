"""Notification mail: at once (one notification, after the changes it folds in) and the
daily digest (everything of the day in one message). Sent by tasks, never in a request;
what the recipient may no longer see is left out."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import language_of
from core.links import absolute_url
from investigations.access import forget_roles
from teamwork import selectors
from teamwork.models import Mail, Notification
from teamwork.services import burst

log = logging.getLogger(__name__)


def _lines(notification: Notification, user) -> list[str]:
    lines = [selectors.headline(notification, user)]
    if selectors.available(notification, user):
        if notification.excerpt:
            lines.append("    " + " ".join(notification.excerpt.split())[:300])
        lines.append(
            "    " + absolute_url(reverse("teamwork:notification_open", args=[notification.pk]))
        )
    return lines


def _footer() -> str:
    return _("Choose what reaches you by email: %(url)s") % {
        "url": absolute_url(reverse("teamwork:notification_settings"))
    }


def _claim(pks: list[int], state: str) -> list[Notification]:
    """Take the notifications still in `state` for sending (a second sender gets none)."""
    with transaction.atomic():
        taken = list(
            Notification.objects.select_for_update()
            .filter(pk__in=pks, mail=state)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=taken).update(mail=Mail.SENT)
    return list(
        Notification.objects.filter(pk__in=taken)
        .select_related("recipient", "claim", "evidence", "search")
        .order_by("updated")
    )


def _send(user, subject: str, body: str, taken: list[Notification], state: str) -> bool:
    if not user.email or not user.is_active:
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except OSError:
        # Put them back for the next try (the task retries; the sweep catches up).
        Notification.objects.filter(pk__in=[n.pk for n in taken]).update(mail=state)
        raise
    return True


def _language(user) -> str:
    return language_of(user) or settings.LANGUAGE_CODE


def mail_one(pk: int) -> bool:
    """Mail one notification due at once, in its recipient's language; False if it was
    already sent or is not due."""
    taken = _claim([pk], Mail.DUE)
    if not taken:
        return False
    notification = taken[0]
    user = notification.recipient
    forget_roles(user)
    if not selectors.available(notification, user):
        return False
    with translation.override(_language(user)):
        body = "\n".join([*_lines(notification, user), "", _footer()])
        subject = "[Corroborate] " + selectors.headline(notification, user)[:150]
    return _send(user, subject, body, taken, Mail.DUE)


def mail_due(*, older_than=None) -> int:
    """Mail every notification due at once whose message was lost (older than the burst
    window): one message per person. Returns how many messages went out."""
    cutoff = timezone.now() - (older_than if older_than is not None else burst())
    pks = Notification.objects.filter(mail=Mail.DUE, updated__lt=cutoff).values_list(
        "pk", flat=True
    )
    return _mail_grouped(list(pks), Mail.DUE, digest=False)


def mail_digests() -> int:
    """The daily digest: each person's notifications waiting for it, in one message."""
    pks = Notification.objects.filter(mail=Mail.DIGEST).values_list("pk", flat=True)
    return _mail_grouped(list(pks), Mail.DIGEST, digest=True)


def _mail_grouped(pks: list[int], state: str, *, digest: bool) -> int:
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in _claim(pks, state):
        by_user[notification.recipient_id].append(notification)
    sent = 0
    for notifications in by_user.values():
        user = notifications[0].recipient
        forget_roles(user)
        shown = [n for n in notifications if selectors.available(n, user)]
        if not shown:
            continue
        with translation.override(_language(user)):
            subject, body = _compose(shown, user, digest=digest)
        if _send(user, subject, body, shown, state):
            sent += 1
    return sent


def _compose(shown: list[Notification], user, *, digest: bool) -> tuple[str, str]:
    """The subject and the text of one message telling `user` of `shown`."""
    if digest:
        subject = ngettext(
            "[Corroborate] Your daily digest: %(count)s notification",
            "[Corroborate] Your daily digest: %(count)s notifications",
            len(shown),
        ) % {"count": len(shown)}
    else:
        subject = ngettext(
            "[Corroborate] %(count)s notification",
            "[Corroborate] %(count)s notifications",
            len(shown),
        ) % {"count": len(shown)}
    body = []
    for notification in shown:
        body += [*_lines(notification, user), ""]
    body.append(_footer())
    return subject, "\n".join(body)
