"""Writes to claims, claimants, attributions, denials, sources and tags.

Every writer (web forms, admin, API, importers, the demo loader) goes through these, so each
rule lives in one place: `full_clean()` runs the field validators, `clean()` and the database
constraints with their readable messages; multi-row changes happen in one transaction; and
every change is recorded in the history with who made it (`by`, or `created_by`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.models import (
    Attribution,
    AttributionRole,
    Claim,
    Claimant,
    ClaimantKind,
    Denial,
    DenialKind,
    ImportedFrom,
    PendingRelation,
    Source,
    Tag,
    Verdict,
    name_key,
)
from core import history
from core.dates import DatePrecision
from core.services import created, deleted, model_update, validated_save

User = AbstractBaseUser

# Claimants ---------------------------------------------------------------------------------

CLAIMANT_FIELDS = ("name", "kind", "parent", "aliases", "country", "description")


@transaction.atomic
def claimant_create(
    *,
    name: str,
    created_by: User,
    kind: str = ClaimantKind.UNKNOWN,
    parent: Claimant | None = None,
    aliases: str = "",
    country: str = "",
    description: str = "",
) -> Claimant:
    """Create a claimant; the name must be unique regardless of case."""
    claimant = Claimant(
        name=name.strip(),
        kind=kind,
        parent=parent,
        aliases=aliases,
        country=country.strip(),
        description=description,
        created_by=created_by,
    )
    return created(validated_save(claimant), by=created_by)


@transaction.atomic
def claimant_update(
    *, claimant: Claimant, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Claimant:
    """Change a claimant; a new parent that would close a loop is refused."""
    return model_update(
        instance=claimant,
        data=data,
        allowed=CLAIMANT_FIELDS,
        by=by,
        expected_version=expected_version,
    )


def claimant_get_by_name(name: str) -> Claimant | None:
    """The claimant with this name, regardless of case and spacing, in any script."""
    return Claimant.objects.filter(name_key=name_key(name)).first()


# Tags --------------------------------------------------------------------------------------


def tag_get_or_create(*, name: str) -> Tag:
    """The tag with this name regardless of case, created if it is new."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("A tag needs a name.")}, code="blank")
    existing = Tag.objects.filter(name_key=name_key(name)).first()
    if existing is not None:
        return existing
    return validated_save(Tag(name=name))


# Claims ------------------------------------------------------------------------------------

CLAIM_FIELDS = (
    "statement",
    "details",
    "made_on",
    "made_on_precision",
    "verdict",
    "verdict_rationale",
)
CLAIM_MANY = ("tags", "related")


@transaction.atomic
def claim_create(
    *,
    statement: str,
    created_by: User,
    details: str = "",
    made_on: datetime.date | None = None,
    made_on_precision: str = DatePrecision.DAY,
    tags: Iterable[str] = (),
    verdict: str = Verdict.UNVERIFIED,
    verdict_rationale: str = "",
    uuid: Any = None,
) -> Claim:
    """Create a claim with its context tags (created by name where new)."""
    claim = Claim(
        statement=statement.strip(),
        details=details,
        made_on=made_on,
        made_on_precision=made_on_precision,
        verdict=verdict,
        verdict_rationale=verdict_rationale,
        created_by=created_by,
    )
    if uuid is not None:
        claim.uuid = uuid
    validated_save(claim)
    claim.tags.set(_tags(tags))
    return created(claim, by=created_by, many=("tags",))


@transaction.atomic
def claim_update(
    *, claim: Claim, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Claim:
    """Change a claim's own fields; a date is normalised to its precision.

    Raises EditConflict if the claim was saved by someone else since `expected_version`.
    """
    return model_update(
        instance=claim,
        data=data,
        allowed=CLAIM_FIELDS,
        by=by,
        expected_version=expected_version,
    )


def _tags(names: Iterable[str]) -> list[Tag]:
    return [tag_get_or_create(name=name) for name in names if name.strip()]


def _change_many(claim: Claim, by: User, change) -> None:
    """Apply a change to the claim's tags or related claims and record it."""
    before = history.snapshot(claim, many=CLAIM_MANY)
    change()
    history.record(
        instance=claim, user=by, before=before, after=history.snapshot(claim, many=CLAIM_MANY)
    )


@transaction.atomic
def claim_set_tags(*, claim: Claim, names: Iterable[str], by: User) -> None:
    tags = _tags(names)
    _change_many(claim, by, lambda: claim.tags.set(tags))


@transaction.atomic
def claim_set_related(*, claim: Claim, others: Iterable[Claim], by: User) -> None:
    """Make exactly `others` related to `claim` (both ways)."""
    others = list(others)
    if any(other.pk == claim.pk for other in others):
        raise ValidationError({"related": _("A claim cannot be related to itself.")}, code="self")
    _change_many(claim, by, lambda: claim.related.set(others))


@transaction.atomic
def claim_relate(*, claim: Claim, other: Claim, by: User) -> None:
    """Mark two claims as related (both ways)."""
    if claim.pk == other.pk:
        raise ValidationError({"related": _("A claim cannot be related to itself.")}, code="self")
    _change_many(claim, by, lambda: claim.related.add(other))


# Sources -----------------------------------------------------------------------------------

SOURCE_FIELDS = ("outlet", "url", "title", "published_on", "archived_url")


@transaction.atomic
def source_add(
    *,
    claim: Claim,
    outlet: str,
    url: str,
    by: User,
    title: str = "",
    published_on: datetime.date | None = None,
    archived_url: str = "",
) -> Source:
    """Add a source to a claim; the same URL twice on one claim is refused."""
    source = Source(
        claim=claim,
        outlet=outlet.strip(),
        url=url.strip(),
        title=title.strip(),
        published_on=published_on,
        archived_url=archived_url.strip(),
    )
    return created(validated_save(source), by=by)


@transaction.atomic
def source_update(*, source: Source, data: dict[str, Any], by: User) -> Source:
    return model_update(instance=source, data=data, allowed=SOURCE_FIELDS, by=by)


def source_delete(*, source: Source, by: User) -> None:
    deleted(source, by=by)


# Attributions ------------------------------------------------------------------------------

ATTRIBUTION_FIELDS = ("claimant", "role", "stated_on", "stated_on_precision", "quote", "source")


@transaction.atomic
def attribution_create(
    *,
    claim: Claim,
    claimant: Claimant,
    created_by: User,
    role: str = AttributionRole.ORIGINATOR,
    stated_on: datetime.date | None = None,
    stated_on_precision: str = DatePrecision.DAY,
    quote: str = "",
    source: Source | None = None,
) -> Attribution:
    """Record that a claimant made, endorsed or repeated a claim."""
    attribution = Attribution(
        claim=claim,
        claimant=claimant,
        role=role,
        stated_on=stated_on,
        stated_on_precision=stated_on_precision,
        quote=quote,
        source=source,
        created_by=created_by,
    )
    return created(validated_save(attribution), by=created_by)


@transaction.atomic
def attribution_update(*, attribution: Attribution, data: dict[str, Any], by: User) -> Attribution:
    return model_update(instance=attribution, data=data, allowed=ATTRIBUTION_FIELDS, by=by)


def attribution_delete(*, attribution: Attribution, by: User) -> None:
    deleted(attribution, by=by)


# Denials -----------------------------------------------------------------------------------

DENIAL_FIELDS = ("claimant", "kind", "stated_on", "stated_on_precision", "quote", "source")


@transaction.atomic
def denial_create(
    *,
    claim: Claim,
    claimant: Claimant,
    created_by: User,
    kind: str = DenialKind.OUTRIGHT,
    stated_on: datetime.date | None = None,
    stated_on_precision: str = DatePrecision.DAY,
    quote: str = "",
    source: Source | None = None,
) -> Denial:
    """Record that a claimant denied a claim (or refused to comment, or countered it)."""
    denial = Denial(
        claim=claim,
        claimant=claimant,
        kind=kind,
        stated_on=stated_on,
        stated_on_precision=stated_on_precision,
        quote=quote,
        source=source,
        created_by=created_by,
    )
    return created(validated_save(denial), by=created_by)


@transaction.atomic
def denial_update(
    *, denial: Denial, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Denial:
    return model_update(
        instance=denial,
        data=data,
        allowed=DENIAL_FIELDS,
        by=by,
        expected_version=expected_version,
    )


def denial_delete(*, denial: Denial, by: User) -> None:
    deleted(denial, by=by)


# Relations named before their target existed (importers, restored dossiers) ----------------


@transaction.atomic
def pending_relations_resolve(*, by: User) -> int:
    """Link every pending relation whose target now exists: a file path an importer
    recorded, or "uuid:<claim uuid>" from a restored dossier. Returns how many were linked."""
    pending = list(PendingRelation.objects.select_related("claim"))
    keys = [p.target_key for p in pending]
    targets = {
        ref.key: ref.claim
        for ref in ImportedFrom.objects.filter(key__in=keys).select_related("claim")
    }
    uuids = [key.removeprefix("uuid:") for key in keys if key.startswith("uuid:")]
    targets |= {f"uuid:{claim.uuid}": claim for claim in Claim.objects.filter(uuid__in=uuids)}
    linked = 0
    for relation in pending:
        target = targets.get(relation.target_key)
        if target is None:
            continue
        if (
            target.pk != relation.claim_id
            and not relation.claim.related.filter(pk=target.pk).exists()
        ):
            claim_relate(claim=relation.claim, other=target, by=by)
            linked += 1
        PendingRelation.objects.filter(pk=relation.pk).delete()
    return linked
