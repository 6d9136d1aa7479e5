"""Investigations: the compartments an instance's work is kept in, and who may do what in
each. Claims and evidence items belong to exactly one investigation; claimants and tags are
shared by the whole instance."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import Tracked
from core.models import TimeStampedModel


class Role(models.TextChoices):
    """What a member may do, each role holding everything of the one before it."""

    VIEWER = "viewer", _("Viewer")
    RESEARCHER = "researcher", _("Researcher")
    REVIEWER = "reviewer", _("Reviewer")
    LEAD = "lead", _("Lead")

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role holds what `needed` holds."""
        return self.rank >= Role(needed).rank

    @property
    def description(self) -> str:
        return str(_ROLE_DESCRIPTIONS[self])


_ROLE_DESCRIPTIONS = {
    Role.VIEWER: _("reads the investigation and exports its dossiers"),
    Role.RESEARCHER: _("also adds and edits claims, evidence and links"),
    Role.REVIEWER: _("also reviews evidence (never their own)"),
    Role.LEAD: _("also manages the members and archives the investigation"),
}


class InvestigationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived (read-only)")


slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case letters, digits and single hyphens, e.g. ukraine-2014."),
    code="slug",
)


class Investigation(TimeStampedModel):
    """One team's work: its claims and evidence, seen only by its members."""

    HISTORY = Tracked(shown_on={})

    name = models.CharField(
        _("name"),
        max_length=200,
        error_messages={"blank": _("An investigation needs a name.")},
    )
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        validators=[slug_validator],
        help_text=_("Used in commands and the API, e.g. ukraine-2014."),
        error_messages={"unique": _("Another investigation has this short name.")},
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvestigationStatus.choices,
        default=InvestigationStatus.ACTIVE,
    )
    # Members must have signed in with two-factor sign-in to open it (set by a lead).
    two_factor_required = models.BooleanField(
        _("two-factor sign-in required"),
        default=False,
        help_text=_("Members open it only from a session signed in with two-factor sign-in."),
    )
    # Who set it up; kept even if the account goes (an administrator's command has none).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="investigation_name_not_blank",
                violation_error_message=_("An investigation needs a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.status == InvestigationStatus.ARCHIVED

    def ensure_open(self) -> None:
        """Refuse any write in an archived investigation, with a message that says why.

        Every record that belongs to an investigation calls this from its clean(), so each
        service refuses the write before anything is saved.
        """
        if self.is_archived:
            raise ValidationError(
                _("“%(name)s” is archived, so nothing in it can be changed. A lead can reopen it."),
                code="archived",
                params={"name": self.name},
            )


class Membership(TimeStampedModel):
    """A user's role in one investigation."""

    HISTORY = Tracked(shown_on={})

    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["investigation", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "user"],
                name="membership_one_per_user",
                violation_error_message=_("This person is already a member."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.investigation}"
