"""Claims, the claimants who make, endorse or deny them, and where they were reported."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core import search
from core.dates import (
    PartialDateAttribute,
    PartialDatesModel,
    normalised_date_constraint,
    precision_field,
)
from core.history import Tracked
from core.models import AuthoredModel, TimeStampedModel, VersionedModel
from investigations.models import Investigation


def name_key(name: str) -> str:
    """The form of a name that uniqueness is judged on: case-folded, spaces collapsed.

    Computed in Python because SQLite's LOWER() folds only ASCII: "МИД России" and
    "мид россии" must collide on every engine.
    """
    return " ".join(name.split()).casefold()


single_line = RegexValidator(
    r"[\r\n]", inverse_match=True, message=_("Keep this to one line."), code="multiline"
)


class ClaimantKind(models.TextChoices):
    STATE = "state", _("State")
    GOVERNMENT_BODY = "government_body", _("Government body")
    MILITARY = "military", _("Military or alliance")
    OFFICIAL = "official", _("Official")
    MEDIA = "media", _("Media outlet")
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")
    UNKNOWN = "unknown", _("Unknown")


class Claimant(VersionedModel, AuthoredModel):
    """A person or organisation that makes, endorses or denies claims."""

    HISTORY = Tracked(shown_on={"claimant": "pk"}, skip=frozenset({"name_key", "search_text"}))

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    name_key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ClaimantKind.choices, default=ClaimantKind.UNKNOWN
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    aliases = models.TextField(
        _("aliases"), blank=True, help_text=_("Other names, one per line, in any script.")
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    # What a search finds the claimant by (core.search): name and aliases; set in clean().
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                name="claimant_name_unique_ci",
                violation_error_message=_("A claimant with this name already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="claimant_name_not_blank",
                violation_error_message=_("A claimant needs a name."),
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="claimant_not_own_parent",
                violation_error_message=_("A claimant cannot be its own parent organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def ancestors(self) -> list[Claimant]:
        """Parent, grandparent, ... up to the top. One query per level; chains are short."""
        chain: list[Claimant] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self) -> None:
        super().clean()
        self.name_key = name_key(self.name)
        self.search_text = search.document(self.name, self.aliases)  # what a search finds
        # A claimant that is its own parent is refused by a constraint; a longer loop
        # (A → B → A) needs the chain walked, which only Python can do.
        if self.parent_id is None or self.pk is None or self.parent_id == self.pk:
            return
        node = self.parent
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": ValidationError(
                            _("%(parent)s is already below %(name)s: a parent chain cannot loop."),
                            code="parent_loop",
                            params={"parent": self.parent, "name": self.name},
                        )
                    }
                )
            seen.add(node.pk)
            node = node.parent


class Tag(TimeStampedModel):
    """A context tag, such as NATO or Ukraine."""

    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    name_key = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                name="tag_name_unique_ci",
                violation_error_message=_("A tag with this name already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="tag_name_not_blank",
                violation_error_message=_("A tag needs a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.name_key = name_key(self.name)


class Rating(NamedTuple):
    """A ClaimReview rating: 1 (worst) to 5 (best), with the text shown beside it."""

    value: int
    label: str


class Verdict(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    UNDER_REVIEW = "under_review", _("Under review")
    SUPPORTED = "supported", _("Supported")
    DISPUTED = "disputed", _("Disputed")
    REFUTED = "refuted", _("Refuted")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")

    @property
    def rating(self) -> Rating:
        return VERDICT_RATINGS[self]


# schema.org ClaimReview ratings: worstRating 1, bestRating 5; the label is alternateName.
VERDICT_RATINGS: dict[str, Rating] = {
    Verdict.REFUTED: Rating(1, "False"),
    Verdict.DISPUTED: Rating(2, "Disputed"),
    Verdict.UNVERIFIED: Rating(3, "Unverified"),
    Verdict.UNDER_REVIEW: Rating(3, "Under review"),
    Verdict.INCONCLUSIVE: Rating(3, "Inconclusive"),
    Verdict.SUPPORTED: Rating(5, "Supported by evidence"),
}


# Stored on each claim, derived from its links and denials; never edited.
TALLY = (
    "supporting_weight",
    "contradicting_weight",
    "supporting_count",
    "contradicting_count",
    "latest_capture",
    "denial_count",
)

# A verdict the approved evidence points against (the "disagrees" flag), on the stored
# weights; assessment.balance.verdict_disagrees() is the same rule for a loaded claim.
DISAGREES = Q(verdict=Verdict.SUPPORTED, contradicting_weight__gt=F("supporting_weight")) | Q(
    verdict=Verdict.REFUTED, supporting_weight__gt=F("contradicting_weight")
)


class Claim(PartialDatesModel, VersionedModel, AuthoredModel):
    """A contested public statement, tracked from first report to verdict."""

    HISTORY = Tracked(
        shown_on={"claim": "pk"},
        skip=frozenset({"made_until", "search_text", *TALLY}),
        many=("tags", "related"),
    )
    STATEMENT_MAX_LENGTH = 500

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    statement = models.CharField(
        _("statement"), max_length=STATEMENT_MAX_LENGTH, validators=[single_line]
    )
    details = models.TextField(_("details"), blank=True)
    made_on = models.DateField(_("first made on"), null=True, blank=True)
    made_on_precision = precision_field(_("precision of the date made"))
    made = PartialDateAttribute("made_on", "made_on_precision")
    # The last day the claim may have been made ("June 2014" -> 30 June), kept for the
    # "evidence captured after the claim was made" flag; derived in clean().
    made_until = models.DateField(null=True, blank=True, editable=False)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="claims")
    related = models.ManyToManyField("self", verbose_name=_("related claims"), blank=True)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=Verdict.choices, default=Verdict.UNVERIFIED
    )
    verdict_rationale = models.TextField(_("verdict rationale"), blank=True)
    # What a search finds the claim by (core.search): its statement, details, sources,
    # tags and claimants, case-folded; kept by the services (claims_search_refresh).
    search_text = models.TextField(blank=True, default="", editable=False)
    # The tally the claim list shows and filters on, kept for every claim so that neither
    # counts every claim's links: the weight of approved evidence either way and the number
    # of items linked either way (evidence.tally keeps them), the latest capture date of
    # any linked item (for the "captured after the claim" flag) and the number of denials.
    supporting_weight = models.PositiveIntegerField(default=0, editable=False)
    contradicting_weight = models.PositiveIntegerField(default=0, editable=False)
    supporting_count = models.PositiveIntegerField(default=0, editable=False)
    contradicting_count = models.PositiveIntegerField(default=0, editable=False)
    latest_capture = models.DateField(null=True, blank=True, editable=False)
    denial_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-made_on", "-pk"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [
            # The claim list sorted by date made (its default order).
            models.Index(fields=["-made_on", "-id"], name="claim_made_on_idx"),
            # "Recently changed claims" on the dashboard and the list sorted by last change.
            models.Index(fields=["-updated"], name="claim_updated_idx"),
            # The dashboard's "my claims", latest change first.
            models.Index(fields=["created_by", "-updated"], name="claim_mine_idx"),
            # The claim list filtered by a flag, newest first: each flag's claims only.
            models.Index(
                fields=["-made_on", "-id"],
                name="claim_flag_disagrees_idx",
                condition=DISAGREES,
            ),
            models.Index(
                fields=["-made_on", "-id"],
                name="claim_flag_contradicted_idx",
                condition=Q(contradicting_weight__gt=0),
            ),
            models.Index(
                fields=["-made_on", "-id"],
                name="claim_flag_captured_after_idx",
                condition=Q(latest_capture__gt=F("made_until")),
            ),
            models.Index(
                fields=["-made_on", "-id"], name="claim_denied_idx", condition=Q(denial_count__gt=0)
            ),
        ]
        constraints = [
            normalised_date_constraint("made_on", "made_on_precision", "claim_made_on_normalised"),
            models.CheckConstraint(
                condition=~Q(statement=""),
                name="claim_statement_not_blank",
                violation_error_message=_("A claim needs a statement."),
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def clean(self) -> None:
        super().clean()
        if self.investigation_id is not None:
            self.investigation.ensure_open()
        self.made_until = self.made.end if self.made else None

    @property
    def rating(self) -> Rating:
        return VERDICT_RATINGS[self.verdict]

    @classmethod
    def shortened(cls, text: str) -> str:
        """A statement that fits: longer text from an importer is cut, with an ellipsis."""
        text = text.strip()
        limit = cls.STATEMENT_MAX_LENGTH
        return text if len(text) <= limit else text[: limit - 1] + "…"

    @property
    def tag_names(self) -> list[str]:
        return sorted(tag.name for tag in self.tags.all())


class Source(TimeStampedModel):
    """Where a claim was reported: an article, a press release, a post."""

    HISTORY = Tracked(shown_on={"claim": "claim_id"})

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="sources"
    )
    outlet = models.CharField(_("outlet"), max_length=200, validators=[single_line])
    url = models.URLField(_("URL"), max_length=2000)
    title = models.CharField(_("title"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    archived_url = models.URLField(_("archived URL"), max_length=2000, blank=True)

    class Meta:
        ordering = ["published_on", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "url"],
                name="source_url_unique_per_claim",
                violation_error_message=_("This URL is already a source of the claim."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outlet}: {self.title or self.url}"

    def clean(self) -> None:
        super().clean()
        if self.claim_id is not None:
            self.claim.investigation.ensure_open()


class ClaimantStance(PartialDatesModel, VersionedModel, AuthoredModel):
    """A claimant's stance on a claim (it made, endorsed, repeated or denied it): when, in
    their words, and where it was reported. Not to be confused with the claim's own text,
    its `statement`."""

    HISTORY = Tracked(shown_on={"claim": "claim_id", "claimant": "claimant_id"})

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="%(class)ss"
    )
    claimant = models.ForeignKey(
        Claimant,
        verbose_name=_("claimant"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    stated_on = models.DateField(_("date"), null=True, blank=True)
    stated_on_precision = precision_field(_("precision of the date"))
    stated = PartialDateAttribute("stated_on", "stated_on_precision")
    quote = models.TextField(_("verbatim quote"), blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["stated_on", "pk"]

    def clean(self) -> None:
        super().clean()
        if self.claim_id is not None:
            self.claim.investigation.ensure_open()
        if self.source_id is not None and self.source.claim_id != self.claim_id:
            raise ValidationError(
                {
                    "source": ValidationError(
                        _("Choose one of this claim's sources."), code="foreign"
                    )
                }
            )


class AttributionRole(models.TextChoices):
    ORIGINATOR = "originator", _("Originator")
    ENDORSER = "endorser", _("Endorser")
    REPEATER = "repeater", _("Repeater")

    @property
    def verb(self) -> str:
        """What a claimant in this role did with the claim: "made", "endorsed"..."""
        return str(_ROLE_VERBS[self])


_ROLE_VERBS = {
    AttributionRole.ORIGINATOR: _("made"),
    AttributionRole.ENDORSER: _("endorsed"),
    AttributionRole.REPEATER: _("repeated"),
}


class Attribution(ClaimantStance):
    """A claimant made, endorsed or repeated a claim."""

    role = models.CharField(
        _("role"),
        max_length=20,
        choices=AttributionRole.choices,
        default=AttributionRole.ORIGINATOR,
    )

    class Meta(ClaimantStance.Meta):
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "claimant", "role"],
                name="attribution_unique_role",
                violation_error_message=_("This claimant already has this role on the claim."),
            ),
            normalised_date_constraint(
                "stated_on", "stated_on_precision", "attribution_stated_on_normalised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant} ({self.get_role_display()}): {self.claim}"


class DenialKind(models.TextChoices):
    OUTRIGHT = "outright", _("Outright denial")
    PARTIAL = "partial", _("Partial denial")
    NO_COMMENT = "no_comment", _("Refusal to comment")
    COUNTER_CLAIM = "counter_claim", _("Counter-claim")


class Denial(ClaimantStance):
    """A claimant denied a claim, in part or in full, or refused to comment on it."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=DenialKind.choices, default=DenialKind.OUTRIGHT
    )

    class Meta(ClaimantStance.Meta):
        verbose_name = _("denial")
        verbose_name_plural = _("denials")
        constraints = [
            normalised_date_constraint(
                "stated_on", "stated_on_precision", "denial_stated_on_normalised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant} ({self.get_kind_display()}): {self.claim}"


class ImportedFrom(models.Model):
    """A file an importer made (part of) a claim from, e.g. /news/2014/11/12/slug.md.

    The same event can come in several files; each points at the one claim.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="imported_from")
    key = models.CharField(max_length=500, unique=True)
    # What the importer read from the file when it last applied it (a SHA-256 of what it
    # parsed): the same digest again means nothing to do.
    digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("import source")

    def __str__(self) -> str:
        return self.key


class PendingRelation(models.Model):
    """A related item named by an importer before it was imported; linked once it is."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="pending_relations")
    target_key = models.CharField(max_length=500)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pending relation")
        constraints = [
            models.UniqueConstraint(fields=["claim", "target_key"], name="pending_relation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} → {self.target_key}"
