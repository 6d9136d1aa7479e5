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

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
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
from core import history, search
from core.dates import PartialDate
from core.importing import imported_records
from core.services import (
    created,
    deleted,
    model_update,
    validated_create_many,
    validated_save,
)
from core.tasks import enqueue
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
    model_update(
        instance=claimant,
        data=data,
        allowed=CLAIMANT_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )
    if "name" in data:  # their claims are found by the claimant's name
        claims_search_refresh_soon(_claims_of(claimant))
    return claimant


def claimant_get_by_name(name: str) -> Claimant | None:
    """The claimant with this name, regardless of case and spacing, in any script."""
    return Claimant.objects.filter(name_key=name_key(name)).first()


# Tags --------------------------------------------------------------------------------------


def _tag_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("A tag needs a name.")}, code="blank")
    return name


def tags_get_or_create(names: Iterable[str]) -> dict[str, Tag]:
    """{name_key: tag} for these names (blank ones left out), the new ones created, in one
    query for those that exist."""
    wanted: dict[str, str] = {}
    for name in names:
        if name.strip():
            name = _tag_name(name)
            wanted.setdefault(name_key(name), name)
    found = {tag.name_key: tag for tag in Tag.objects.filter(name_key__in=list(wanted))}
    for key, name in wanted.items():
        if key not in found:
            found[key] = validated_save(Tag(name=name))
    return found


def tag_get_or_create(*, name: str) -> Tag:
    """The tag with this name regardless of case, created if it is new."""
    name = _tag_name(name)
    return tags_get_or_create([name])[name_key(name)]


def tag_create(*, name: str) -> Tag:
    """A new tag; a name another tag has (in any case) is refused."""
    return validated_save(Tag(name=_tag_name(name)))


def tag_update(*, tag: Tag, name: str) -> Tag:
    """Rename a tag; a name another tag has (in any case) is refused."""
    tag.name = _tag_name(name)
    validated_save(tag)
    claims_search_refresh_soon(tag.claims.values_list("pk", flat=True))
    return tag


def tag_delete(*, tag: Tag) -> None:
    """Remove a tag from every claim and delete it."""
    tagged = list(tag.claims.values_list("pk", flat=True))
    tag.delete()
    claims_search_refresh_soon(tagged)


# Claims ------------------------------------------------------------------------------------


def _claim(
    *,
    investigation: Investigation,
    statement: str,
    by: User,
    details: str = "",
    made: PartialDate | None = None,
    verdict: str = Verdict.UNVERIFIED,
    verdict_rationale: str = "",
    uuid: Any = None,
) -> Claim:
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
    return claim


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
    claim = _claim(
        investigation=investigation,
        statement=statement,
        by=by,
        details=details,
        made=made,
        verdict=verdict,
        verdict_rationale=verdict_rationale,
        uuid=uuid,
    )
    validated_save(claim)
    claim.tags.set(_tags(tags))
    claims_search_refresh([claim.pk])
    return created(claim, by=by)


@transaction.atomic
def claims_create_many(rows: list[dict[str, Any]], *, by: User) -> list[Claim]:
    """Create many claims at once (importers): each row holds claim_create()'s arguments,
    `by` aside. Checked as claim_create() checks one (see validated_create_many), written in
    a few INSERTs, each recorded in the history with its tags."""
    tags = tags_get_or_create(name for row in rows for name in row.get("tags", ()))
    claims = [_claim(by=by, **{k: v for k, v in row.items() if k != "tags"}) for row in rows]

    def tag(saved: list[Claim]) -> None:
        through = Claim.tags.through
        pairs = {
            (claim.pk, tags[name_key(_tag_name(name))].pk)
            for claim, row in zip(saved, rows, strict=True)
            for name in row.get("tags", ())
            if name.strip()
        }
        links = [through(claim_id=claim, tag_id=tag) for claim, tag in sorted(pairs)]
        through.objects.bulk_create(links, batch_size=500)
        prefetch_related_objects(saved, *Claim.HISTORY.many)

    validated_create_many(claims, by=by, then=tag)
    claims_search_refresh(claim.pk for claim in claims)
    _forget_many(claims)  # prefetched for the history; read afresh after
    return claims


def _forget_many(claims: Iterable[Claim]) -> None:
    """Drop what was prefetched of the claims' tags and related claims (no query)."""
    for claim in claims:
        claim.refresh_from_db(fields=Claim.HISTORY.many)


@transaction.atomic
def claim_update(
    *, claim: Claim, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Claim:
    """Change a claim's own fields (`made` is a PartialDate).

    Raises EditConflict if the claim was saved by someone else since `expected_version`.
    """
    model_update(
        instance=claim,
        data=data,
        allowed=CLAIM_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )
    if {"statement", "details"} & set(data):
        claims_search_refresh([claim.pk])
    return claim


def _tags(names: Iterable[str]) -> list[Tag]:
    return list(tags_get_or_create(names).values())


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
    claims_search_refresh([claim.pk])


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


def _source(
    *,
    claim: Claim,
    outlet: str,
    url: str,
    title: str = "",
    published_on: datetime.date | None = None,
    archived_url: str = "",
) -> Source:
    return Source(
        claim=claim,
        outlet=outlet.strip(),
        url=url.strip(),
        title=title.strip(),
        published_on=published_on,
        archived_url=archived_url.strip(),
    )


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
    source = _source(
        claim=claim,
        outlet=outlet,
        url=url,
        title=title,
        published_on=published_on,
        archived_url=archived_url,
    )
    created(validated_save(source), by=by)
    claims_search_refresh([claim.pk])
    return source


@transaction.atomic
def sources_create_many(rows: list[dict[str, Any]], *, by: User) -> list[Source]:
    """Add many sources at once (importers), each row holding source_create()'s arguments,
    `by` aside; see validated_create_many. The caller leaves out URLs a claim has."""
    sources = validated_create_many([_source(**row) for row in rows], by=by)
    claims_search_refresh(source.claim_id for source in sources)
    return sources


@transaction.atomic
def source_update(*, source: Source, data: dict[str, Any], by: User) -> Source:
    model_update(instance=source, data=data, allowed=SOURCE_UPDATABLE, by=by)
    claims_search_refresh([source.claim_id])
    return source


def source_delete(*, source: Source, by: User) -> None:
    source.claim.investigation.ensure_open()
    deleted(source, by=by)
    claims_search_refresh([source.claim_id])


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
    created(validated_save(attribution), by=by)
    claims_search_refresh([claim.pk])
    return attribution


@transaction.atomic
def attribution_update(
    *,
    attribution: Attribution,
    data: dict[str, Any],
    by: User,
    expected_version: int | None = None,
) -> Attribution:
    model_update(
        instance=attribution,
        data=data,
        allowed=ATTRIBUTION_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )
    claims_search_refresh([attribution.claim_id])
    return attribution


def attribution_delete(*, attribution: Attribution, by: User) -> None:
    attribution.claim.investigation.ensure_open()
    deleted(attribution, by=by)
    claims_search_refresh([attribution.claim_id])


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
    created(validated_save(denial), by=by)
    claims_search_refresh([claim.pk])
    _denials_count(claim.pk)
    return denial


@transaction.atomic
def denial_update(
    *, denial: Denial, data: dict[str, Any], by: User, expected_version: int | None = None
) -> Denial:
    model_update(
        instance=denial,
        data=data,
        allowed=DENIAL_UPDATABLE,
        by=by,
        expected_version=expected_version,
    )
    claims_search_refresh([denial.claim_id])
    return denial


def denial_delete(*, denial: Denial, by: User) -> None:
    denial.claim.investigation.ensure_open()
    deleted(denial, by=by)
    claims_search_refresh([denial.claim_id])
    _denials_count(denial.claim_id)


def _denials_count(claim_id: int) -> None:
    """Keep the claim's stored number of denials (the list's column and filter)."""
    count = Denial.objects.filter(claim_id=claim_id).count()
    Claim.objects.filter(pk=claim_id).update(denial_count=count)


# Search documents ---------------------------------------------------------------------------


def claims_search_refresh(claim_ids: Iterable[int]) -> None:
    """Rebuild the search documents (core.search) of these claims from what they hold now:
    statement, details, sources' outlets and titles, tags, and the names of the claimants
    who made, endorsed, repeated or denied them. Five queries and an update per 500."""
    ids = sorted(set(claim_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        texts: dict[int, list[str]] = {pk: [] for pk in chunk}
        sources = Source.objects.filter(claim_id__in=chunk)
        for claim_id, outlet, title in sources.values_list("claim_id", "outlet", "title"):
            texts[claim_id] += [outlet, title]
        tagged = Claim.tags.through.objects.filter(claim_id__in=chunk)
        for model in (Attribution, Denial):
            named = model.objects.filter(claim_id__in=chunk).values_list(
                "claim_id", "claimant__name"
            )
            for claim_id, name in named:
                texts[claim_id].append(name)
        for claim_id, name in tagged.values_list("claim_id", "tag__name"):
            texts[claim_id].append(name)
        claims = list(Claim.objects.filter(pk__in=chunk).only("statement", "details"))
        for claim in claims:
            claim.search_text = search.document(claim.statement, claim.details, *texts[claim.pk])
        Claim.objects.bulk_update(claims, ["search_text"])


# Claims whose documents one task rebuilds, when a rename touches many.
REFRESH_TASK_SIZE = 5000


def claims_search_refresh_soon(claim_ids: Iterable[int]) -> None:
    """claims_search_refresh(), in the request for a few claims; for more than
    SEARCH_REFRESH_INLINE_MAX (a claimant or tag on thousands of claims) in tasks after the
    commit, REFRESH_TASK_SIZE claims each, so that a rename answers at once."""
    ids = sorted(set(claim_ids))
    if len(ids) <= settings.SEARCH_REFRESH_INLINE_MAX:
        claims_search_refresh(ids)
        return
    from claims.tasks import refresh_search  # the task calls claims_search_refresh

    for start in range(0, len(ids), REFRESH_TASK_SIZE):
        enqueue(refresh_search, ids[start : start + REFRESH_TASK_SIZE])


def _claims_of(claimant: Claimant) -> set[int]:
    said = Attribution.objects.filter(claimant=claimant).values_list("claim_id", flat=True)
    denied = Denial.objects.filter(claimant=claimant).values_list("claim_id", flat=True)
    return set(said) | set(denied)


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
    and the digest of what was read from it (see imported_from_get)."""
    ref, made = ImportedFrom.objects.get_or_create(
        key=_scoped_key(claim.investigation_id, key), defaults={"claim": claim, "digest": digest}
    )
    if not made and ref.digest != digest:
        ImportedFrom.objects.filter(pk=ref.pk).update(digest=digest)


def imported_from_create_many(rows: Iterable[tuple[Claim, str, str]]) -> None:
    """imported_from_create() for many (claim, key, digest) at once, for files no claim was
    made from yet (see imported_from_get)."""
    refs = [
        ImportedFrom(claim=claim, key=_scoped_key(claim.investigation_id, key), digest=digest)
        for claim, key, digest in rows
    ]
    ImportedFrom.objects.bulk_create(refs, batch_size=500)


def imported_from_get(investigation: Investigation, keys: Iterable[str]) -> dict[str, ImportedFrom]:
    """{file key: what was imported from it} for those of `keys` already imported into
    `investigation`, in one query: `claim_id`, and `digest`, a digest of what was read (an
    importer leaves a file whose digest has not changed alone)."""
    prefix = _scoped_key(investigation.pk, "")
    scoped = [_scoped_key(investigation.pk, key) for key in keys]
    rows = ImportedFrom.objects.filter(key__in=scoped).only("key", "claim_id", "digest")
    return {row.key.removeprefix(prefix): row for row in rows}


def pending_relation_create(*, claim: Claim, target_key: str) -> None:
    """Relate `claim` to the claim named by `target_key` (a file path, or "uuid:<claim
    uuid>") once that one exists in the same investigation (see below)."""
    PendingRelation.objects.get_or_create(
        claim=claim, target_key=_scoped_key(claim.investigation_id, target_key)
    )


def pending_relations_create_many(rows: Iterable[tuple[Claim, str]]) -> None:
    """pending_relation_create() for many (claim, target key) at once."""
    pending = [
        PendingRelation(claim=claim, target_key=_scoped_key(claim.investigation_id, key))
        for claim, key in rows
    ]
    PendingRelation.objects.bulk_create(pending, batch_size=500, ignore_conflicts=True)


RESOLVE_CHUNK = 1000  # pending relations resolved together


@transaction.atomic
def pending_relations_resolve(*, by: User, investigation: Investigation | None = None) -> int:
    """Link every pending relation (of `investigation`'s claims, or of all) whose target now
    exists in its claim's investigation, RESOLVE_CHUNK at a time. Returns how many relations
    were made."""
    pending = PendingRelation.objects.order_by("pk")
    if investigation is not None:
        pending = pending.filter(claim__investigation=investigation)
    linked, last = 0, 0
    while chunk := list(
        pending.filter(pk__gt=last).select_related("claim__investigation")[:RESOLVE_CHUNK]
    ):
        linked += _relations_resolve(chunk, by)
        last = chunk[-1].pk
    return linked


def _relations_resolve(pending: list[PendingRelation], by: User) -> int:
    """Resolve some pending relations: claim_related_add() in bulk, with its rule, its
    history (one entry per claim that gains related claims) and both directions."""
    files = ImportedFrom.objects.filter(key__in=[p.target_key for p in pending])
    targets = {(None, key): claim for key, claim in files.values_list("key", "claim_id")}
    named: dict[int, list[PendingRelation]] = {}
    for relation in pending:
        if relation.target_key.startswith("uuid:"):
            named.setdefault(relation.claim.investigation_id, []).append(relation)
    for place, relations in named.items():
        uuids = [uuid_module.UUID(p.target_key.removeprefix("uuid:")) for p in relations]
        found = imported_records(Claim, relations[0].claim.investigation, uuids)
        targets.update({(place, f"uuid:{uuid}"): claim.pk for uuid, claim in found.items()})

    def target(relation: PendingRelation) -> int | None:
        if relation.target_key.startswith("uuid:"):
            uuid = uuid_module.UUID(relation.target_key.removeprefix("uuid:"))
            return targets.get((relation.claim.investigation_id, f"uuid:{uuid}"))
        return targets.get((None, relation.target_key))

    resolved = {p.pk: target(p) for p in pending if target(p) is not None}
    wanted: set[tuple[int, int]] = set()
    for p in pending:  # a pair named both ways is one relation, recorded on the first
        pair = (p.claim_id, resolved.get(p.pk, p.claim_id))
        if pair[0] != pair[1] and pair[::-1] not in wanted:
            wanted.add(pair)
    through = Claim.related.through
    have = through.objects.filter(
        from_claim_id__in={a for a, _ in wanted}, to_claim_id__in={b for _, b in wanted}
    )
    wanted -= set(have.values_list("from_claim_id", "to_claim_id"))
    others = Claim.objects.in_bulk({b for _, b in wanted})
    gaining: dict[int, list[Claim]] = {}
    for a, b in sorted(wanted):
        gaining.setdefault(a, []).append(others[b])
    claims = {p.claim_id: p.claim for p in pending if p.claim_id in gaining}
    for pk, claim in claims.items():
        _refuse_self(claim, gaining[pk])
    prefetch_related_objects(list(claims.values()), *Claim.HISTORY.many)
    before = {pk: history.snapshot(claim) for pk, claim in claims.items()}
    rows = [through(from_claim_id=a, to_claim_id=b) for a, b in wanted]
    rows += [through(from_claim_id=b, to_claim_id=a) for a, b in wanted]
    through.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    _forget_many(claims.values())
    prefetch_related_objects(list(claims.values()), *Claim.HISTORY.many)
    history.record_many(((claim, before[pk], None) for pk, claim in claims.items()), user=by)
    _forget_many(claims.values())
    PendingRelation.objects.filter(pk__in=list(resolved)).delete()
    return len(wanted)
