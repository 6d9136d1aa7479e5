"""Working together on a record: comments, who it is assigned to, who watches it, the
notifications people get about it, and the searches they save.

Comments, assignments and watches hang on one record, a claim or an evidence item (two
nullable keys, exactly one set, checked by the database), and carry the record's
investigation so that every read is cut to the user's investigations in one filter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.models import Claim
from core.history import Tracked
from core.models import TimeStampedModel
from evidence.models import EvidenceItem
from investigations.models import Investigation

SHOWN_ON_RECORD = {"claim": "claim_id", "evidence": "evidence_id"}


class OnRecord(models.Model):
    """Something about one claim or one evidence item, in that record's investigation."""

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="+"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), null=True, blank=True, on_delete=models.CASCADE
    )
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("evidence item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )

    class Meta:
        abstract = True

    @property
    def record(self) -> Claim | EvidenceItem:
        return self.claim if self.claim_id else self.evidence

    @classmethod
    def one_record(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=Q(claim__isnull=False, evidence__isnull=True)
            | Q(claim__isnull=True, evidence__isnull=False),
            name=f"{name}_on_one_record",
            violation_error_message=_("It belongs to exactly one claim or evidence item."),
        )


class Comment(OnRecord, TimeStampedModel):
    """What a member wrote about a record. The text is kept as written; `html` is its
    sanitised rendering (teamwork.markup), made when it is written."""

    HISTORY = Tracked(shown_on=SHOWN_ON_RECORD, skip=frozenset({"html", "investigation"}))
    MAX_LENGTH = 10_000

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("text"))
    html = models.TextField(editable=False)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentioned"), blank=True, related_name="+"
    )
    edited = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [OnRecord.one_record("comment")]
        indexes = [
            # A record page's comments, oldest first.
            models.Index(fields=["claim", "created"], name="comment_claim_idx"),
            models.Index(fields=["evidence", "created"], name="comment_evidence_idx"),
        ]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return f"{self.author}: {text[:60]}{'…' if len(text) > 60 else ''}"


class Assignment(OnRecord, TimeStampedModel):
    """A member who is to work on a record."""

    HISTORY = Tracked(shown_on=SHOWN_ON_RECORD, skip=frozenset({"investigation"}))

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            OnRecord.one_record("assignment"),
            models.UniqueConstraint(
                fields=["claim", "user"],
                name="assignment_once_per_claim",
                violation_error_message=_("This person is already assigned to it."),
            ),
            models.UniqueConstraint(
                fields=["evidence", "user"],
                name="assignment_once_per_item",
                violation_error_message=_("This person is already assigned to it."),
            ),
        ]
        # "Assigned to me": the user's assignments (the unique constraints serve the rest).
        indexes = [models.Index(fields=["user", "investigation"], name="assignment_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} on {self.record}"


class Watch(OnRecord):
    """A member who is told about changes to a record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="watches",
    )
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["since"]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            OnRecord.one_record("watch"),
            models.UniqueConstraint(fields=["claim", "user"], name="watch_once_per_claim"),
            models.UniqueConstraint(fields=["evidence", "user"], name="watch_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.record}"


class Kind(models.TextChoices):
    """What a notification is about; each person chooses how each kind reaches them."""

    MENTION = "mention", _("Someone mentions me")
    ASSIGNMENT = "assignment", _("I am assigned to a record")
    REVIEW = "review", _("A review decision on my evidence")
    NEEDS_INFO = "needs_info", _("A request for more information on my evidence")
    ACTIVITY = "activity", _("A comment or change on a record I watch")
    SEARCH = "search", _("New records match a saved search")


class Delivery(models.TextChoices):
    IN_APP = "in_app", _("In the app only")
    EMAIL = "email", _("In the app and by email at once")
    DIGEST = "digest", _("In the app and in a daily email digest")


# What a person gets until they choose: mail for what asks something of them.
DEFAULT_DELIVERY = {
    Kind.MENTION: Delivery.EMAIL,
    Kind.ASSIGNMENT: Delivery.EMAIL,
    Kind.REVIEW: Delivery.EMAIL,
    Kind.NEEDS_INFO: Delivery.EMAIL,
    Kind.ACTIVITY: Delivery.DIGEST,
    Kind.SEARCH: Delivery.IN_APP,
}


class DeliveryChoice(models.Model):
    """How one person wants one kind of notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_choices",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification choice")
        verbose_name_plural = _("notification choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="delivery_choice_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} → {self.get_delivery_display()}"


class Mail(models.TextChoices):
    NONE = "", _("not mailed")
    DUE = "due", _("to mail at once")
    DIGEST = "digest", _("for the daily digest")
    SENT = "sent", _("mailed")


class SearchTarget(models.TextChoices):
    CLAIMS = "claims", _("Claims")
    EVIDENCE = "evidence", _("Evidence")


class Alert(models.TextChoices):
    OFF = "", _("No alert")
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("In the app and by email at once")
    DIGEST = "digest", _("In the app and in the daily email digest")


class SavedSearch(TimeStampedModel):
    """A filtered claim or evidence list, kept under a name; with an alert, its owner is
    told of new records that match it. It always runs with its owner's permissions of the
    moment it runs."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=120)
    target = models.CharField(_("list"), max_length=10, choices=SearchTarget.choices)
    query = models.CharField(
        _("filters"), max_length=2000, blank=True, help_text=_("The list's query string.")
    )
    alert = models.CharField(_("alert"), max_length=8, choices=Alert.choices, blank=True)
    # The history sequence number up to which new records were looked for.
    checked_seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["owner", "name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="saved_search_name_once",
                violation_error_message=_("You already have a saved search with this name."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="saved_search_named",
                violation_error_message=_("Give the search a name."),
            ),
        ]
        indexes = [models.Index(fields=["alert"], name="saved_search_alert_idx")]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """Something a person is told: about a record (claim or evidence item, in an
    investigation) or about a saved search. Changes to one record within a few minutes
    are folded into one notification (`count`, `last_seq`)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The record stays optional: a deleted record leaves its notifications, "deleted".
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), null=True, blank=True, on_delete=models.SET_NULL
    )
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("evidence item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    search = models.ForeignKey(
        SavedSearch,
        verbose_name=_("saved search"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    # The other people whose changes were folded in, by name.
    others = models.JSONField(default=list, blank=True)
    excerpt = models.TextField(_("excerpt"), blank=True)
    count = models.PositiveIntegerField(_("changes"), default=1)
    last_seq = models.PositiveBigIntegerField(null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last event"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mail = models.CharField(_("email"), max_length=8, choices=Mail.choices, blank=True)

    class Meta:
        ordering = ["-updated", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The inbox, newest first, and its unread count.
            models.Index(fields=["recipient", "-updated"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The mail senders: what is due, by recipient.
            models.Index(
                fields=["mail", "recipient"], condition=~Q(mail=""), name="notification_mail_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    @property
    def record(self) -> Claim | EvidenceItem | None:
        return self.claim if self.claim_id else self.evidence


class FanOut(models.Model):
    """How far the history has been read for watchers' notifications (one row)."""

    seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("notification watermark")

    def __str__(self) -> str:
        return f"#{self.seq}"
