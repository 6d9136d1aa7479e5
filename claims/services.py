"""Writes to claims, claimants, attributions, denials, sources and tags.

Every writer (web forms, admin, API, importers, the demo loader) goes through these, so each
rule lives in one place: `full_clean()` runs the field validators, `clean()` and the database
constraints with their readable messages; multi-row changes happen in one transaction; and
every change is recorded in the history with who made it (`by`, in every service).
"""

from __future__ import annotations

import datetime
import uuid as uuid_module
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
from core.dates import PartialDate
from core.importing import imported_record
from core.services import created, deleted, model_update, validated_save
from investigations.models import Investigation

User = AbstractBaseUser

# What each update service may change. Anything else (the record's author, its claim, a
# UUID, bookkeeping) is fixed once the record exists.
CLAIMANT_UPDATABLE = ("name", "kind", "parent", "aliases", "country", "description")
CLAIM_UPDATABLE = ("statement", "details", "made", "verdict", "verdict_rationale")
SOURCE_UPDATABLE = ("outlet", "url", "title", "published_on", "archived_url")
ATTRIBUTION_UPDATABLE = ("claimant", "role", "stated", "quote", "source")
DENIAL_UPDATABLE = ("claimant", "kind", "stated", "quote", "source")

# Claimants ---------------------------------------------------------------------------------


@transaction.atomic
def claimant_create(
    *,
    name: str,
    by: User,
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
        created_by=by,
    )
    return created(validated_save(claimant), by=by)


@transaction.atomic
def claimant_update(
    *, claimant: Claimant, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Claimant:
    """Change a claimant; a new parent that would close a loop is refused."""
    return model_update(
        instance=claimant,
        data=data,
        allowed=CLAIMANT_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )


def claimant_get_by_name(name: str) -> Claimant | None:
    """The claimant with this name, regardless of case and spacing, in any script."""
    return Claimant.objects.filter(name_key=name_key(name)).first()


# Tags --------------------------------------------------------------------------------------


def _tag_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("A tag needs a name.")}, code="blank")
    return name


def tag_get_or_create(*, name: str) -> Tag:
    """The tag with this name regardless of case, created if it is new."""
    name = _tag_name(name)
    existing = Tag.objects.filter(name_key=name_key(name)).first()
    if existing is not None:
        return existing
    return validated_save(Tag(name=name))


def tag_create(*, name: str) -> Tag:
    """A new tag; a name another tag has (in any case) is refused."""
    return validated_save(Tag(name=_tag_name(name)))


def tag_update(*, tag: Tag, name: str) -> Tag:
    """Rename a tag; a name another tag has (in any case) is refused."""
    tag.name = _tag_name(name)
    return validated_save(tag)


def tag_delete(*, tag: Tag) -> None:
    """Remove a tag from every claim and delete it."""
    tag.delete()


# Claims ------------------------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    investigation: Investigation,
    statement: str,
    by: User,
    details: str = "",
    made: PartialDate | None = None,
    tags: Iterable[str] = (),
    verdict: str = Verdict.UNVERIFIED,
    verdict_rationale: str = "",
    uuid: Any = None,
) -> Claim:
    """Create a claim in an investigation, with its context tags (created by name where
    new)."""
    claim = Claim(
        investigation=investigation,
        statement=statement.strip(),
        details=details,
        made=made,
        verdict=verdict,
        verdict_rationale=verdict_rationale,
        created_by=by,
    )
    if uuid is not None:
        claim.uuid = uuid
    validated_save(claim)
    claim.tags.set(_tags(tags))
    return created(claim, by=by)


@transaction.atomic
def claim_update(
    *, claim: Claim, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Claim:
    """Change a claim's own fields (`made` is a PartialDate).

    Raises EditConflict if the claim was saved by someone else since `expected_version`.
    """
    return model_update(
        instance=claim,
        data=data,
        allowed=CLAIM_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )


def _tags(names: Iterable[str]) -> list[Tag]:
    return [tag_get_or_create(name=name) for name in names if name.strip()]


def _change_many(claim: Claim, by: User, change) -> None:
    """Apply a change to the claim's tags or related claims and record it."""
    before = history.snapshot(claim)
    change()
    history.record(instance=claim, user=by, before=before)


def _refuse_self(claim: Claim, others: Iterable[Claim]) -> None:
    if any(other.pk == claim.pk for other in others):
        raise ValidationError({"related": _("A claim cannot be related to itself.")}, code="self")
    if any(other.investigation_id != claim.investigation_id for other in others):
        raise ValidationError(
            {"related": _("Only claims of the same investigation can be related.")},
            code="other_investigation",
        )
    claim.investigation.ensure_open()


@transaction.atomic
def claim_tags_set(*, claim: Claim, names: Iterable[str], by: User) -> None:
    """Give the claim exactly these tags (by name; new ones are created)."""
    tags = _tags(names)
    _change_many(claim, by, lambda: claim.tags.set(tags))


@transaction.atomic
def claim_related_set(*, claim: Claim, others: Iterable[Claim], by: User) -> None:
    """Make exactly `others` related to `claim` (both ways)."""
    others = list(others)
    _refuse_self(claim, others)
    _change_many(claim, by, lambda: claim.related.set(others))


@transaction.atomic
def claim_related_add(*, claim: Claim, other: Claim, by: User) -> None:
    """Mark two claims as related (both ways)."""
    _refuse_self(claim, [other])
    _change_many(claim, by, lambda: claim.related.add(other))


# Sources -----------------------------------------------------------------------------------


@transaction.atomic
def source_create(
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
    return model_update(instance=source, data=data, allowed=SOURCE_UPDATABLE, by=by)


def source_delete(*, source: Source, by: User) -> None:
    source.claim.investigation.ensure_open()
    deleted(source, by=by)


# Attributions and denials ------------------------------------------------------------------


@transaction.atomic
def attribution_create(
    *,
    claim: Claim,
    claimant: Claimant,
    by: User,
    role: str = AttributionRole.ORIGINATOR,
    stated: PartialDate | None = None,
    quote: str = "",
    source: Source | None = None,
) -> Attribution:
    """Record that a claimant made, endorsed or repeated a claim."""
    attribution = Attribution(
        claim=claim,
        claimant=claimant,
        role=role,
        stated=stated,
        quote=quote,
        source=source,
        created_by=by,
    )
    return created(validated_save(attribution), by=by)


@transaction.atomic
def attribution_update(
    *,
    attribution: Attribution,
    data: dict[str, Any],
    by: User,
    expected_version: int | None = None,
) -> Attribution:
    return model_update(
        instance=attribution,
        data=data,
        allowed=ATTRIBUTION_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )


def attribution_delete(*, attribution: Attribution, by: User) -> None:
    attribution.claim.investigation.ensure_open()
    deleted(attribution, by=by)


@transaction.atomic
def denial_create(
    *,
    claim: Claim,
    claimant: Claimant,
    by: User,
    kind: str = DenialKind.OUTRIGHT,
    stated: PartialDate | None = None,
    quote: str = "",
    source: Source | None = None,
) -> Denial:
    """Record that a claimant denied a claim (or refused to comment, or countered it)."""
    denial = Denial(
        claim=claim,
        claimant=claimant,
        kind=kind,
        stated=stated,
        quote=quote,
        source=source,
        created_by=by,
    )
    return created(validated_save(denial), by=by)


@transaction.atomic
def denial_update(
    *, denial: Denial, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Denial:
    return model_update(
        instance=denial,
        data=data,
        allowed=DENIAL_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )


def denial_delete(*, denial: Denial, by: User) -> None:
    denial.claim.investigation.ensure_open()
    deleted(denial, by=by)


# What importers remember: the files a claim came from, and relations named before their
# target existed (importers, restored dossiers). Both are kept per investigation: the same
# file or dossier may be imported into two investigations, and neither may find the other's.


def _scoped_key(investigation_id: int, key: str) -> str:
    return key if key.startswith("uuid:") else f"{investigation_id}:{key}"


def claim_imported_from(investigation: Investigation, key: str) -> Claim | None:
    """The claim made from the file `key` in `investigation`, if any."""
    ref = ImportedFrom.objects.filter(key=_scoped_key(investigation.pk, key))
    found = ref.select_related("claim").first()
    return found.claim if found else None


def imported_from_create(*, claim: Claim, key: str, digest: str = "") -> None:
    """Remember that the file `key` (e.g. /news/2014/11/12/slug.md) made part of `claim`,
    and the digest of what was read from it (see imported_digests)."""
    ref, made = ImportedFrom.objects.get_or_create(
        key=_scoped_key(claim.investigation_id, key), defaults={"claim": claim, "digest": digest}
    )
    if not made and ref.digest != digest:
        ImportedFrom.objects.filter(pk=ref.pk).update(digest=digest)


def imported_digests(investigation: Investigation) -> dict[str, str]:
    """{file key: digest} of every file already imported into `investigation`: an importer
    leaves a file whose digest has not changed alone."""
    prefix = _scoped_key(investigation.pk, "")
    rows = ImportedFrom.objects.filter(key__startswith=prefix).exclude(digest="")
    return {key.removeprefix(prefix): digest for key, digest in rows.values_list("key", "digest")}


def pending_relation_create(*, claim: Claim, target_key: str) -> None:
    """Relate `claim` to the claim named by `target_key` (a file path, or "uuid:<claim
    uuid>") once that one exists in the same investigation (see below)."""
    PendingRelation.objects.get_or_create(
        claim=claim, target_key=_scoped_key(claim.investigation_id, target_key)
    )


@transaction.atomic
def pending_relations_resolve(*, by: User) -> int:
    """Link every pending relation whose target now exists in its claim's investigation.
    Returns how many were linked."""
    linked = 0
    for relation in PendingRelation.objects.select_related("claim__investigation"):
        claim = relation.claim
        if relation.target_key.startswith("uuid:"):
            uuid = uuid_module.UUID(relation.target_key.removeprefix("uuid:"))
            target = imported_record(Claim, claim.investigation, uuid)
        else:
            ref = ImportedFrom.objects.filter(key=relation.target_key).select_related("claim")
            found = ref.first()
            target = found.claim if found else None
        if target is None:
            continue
        if target.pk != claim.pk and not claim.related.filter(pk=target.pk).exists():
            claim_related_add(claim=claim, other=target, by=by)
            linked += 1
        PendingRelation.objects.filter(pk=relation.pk).delete()
    return linked
