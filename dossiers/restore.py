"""Restore a claim from a dossier exported by another Corroborate instance (ZIP or JSON).

Everything is checked before anything is written: the document's format, and, from a ZIP,
every evidence file against the SHA-256 the dossier records. Records are matched by UUID
(claims, evidence) or by name (claimants), so restoring twice changes nothing. Review
decisions are restored with their reviewer; people from the other instance become local
accounts that cannot log in.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from claims import services
from claims.models import Attribution, Claim, Claimant, Denial
from core.accounts import account_without_login
from core.dates import PartialDate
from core.importing import ImportFailed, ImportReport, imported_record, uuid_in
from dossiers.build import FORMAT, FORMAT_VERSION
from evidence.models import EvidenceItem, EvidenceLink, ReviewStatus
from evidence.services import evidence_create, evidence_link_create, evidence_review_restore
from proofs import verify

CHUNK = 1024 * 1024
# What a dossier says, minus what only makes sense on the instance that wrote it.
_LOCAL = {
    "id",
    "url",
    "page",
    "exported_at",
    "exported_by",
    "history",
    "history_head",
    # The team's discussion, by accounts of the exporting instance: not restored.
    "comments",
    # The language its labels were written in, not part of the content.
    "language",
    "created_at",
    "updated_at",
    "created_by",
    "linked_at",
    "linked_by",
    "claimant_id",
}


def comparable(data):
    """A dossier without instance-specific parts: equal for a faithful round trip."""
    if isinstance(data, dict):
        return {k: comparable(v) for k, v in data.items() if k not in _LOCAL}
    if isinstance(data, list):
        return [comparable(v) for v in data]
    return data


@dataclass
class _Source:
    path: Path
    archive: zipfile.ZipFile | None

    def open(self, name: str):
        return self.archive.open(name) if self.archive else None


def _read(path: Path) -> tuple[dict, _Source]:
    if not path.exists():
        raise ImportFailed(path, 0, _("no such file"))
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        try:
            data = json.loads(archive.read("dossier.json"))
        except KeyError:
            raise ImportFailed(path, 0, _("the ZIP holds no dossier.json")) from None
        except json.JSONDecodeError as error:
            raise ImportFailed(path, error.lineno, f"dossier.json: {error.msg}") from None
        return data, _Source(path, archive)
    try:
        return json.loads(path.read_text(encoding="utf-8")), _Source(path, None)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", 0)
        raise ImportFailed(path, line, _("not a dossier: not JSON")) from None


def _check(data: dict, source: _Source, progress=None) -> None:
    path = source.path
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFailed(path, 0, _("not a Corroborate dossier"))
    if data.get("format_version") != FORMAT_VERSION:
        version = data.get("format_version")
        raise ImportFailed(
            path, 0, _("dossier format %(version)s is not supported") % {"version": version}
        )
    entries = data.get("evidence", [])
    for number, entry in enumerate(entries, start=1):
        if progress:
            progress(number, len(entries))
        file = entry.get("file")
        if not file or source.archive is None:
            continue
        digest = hashlib.sha256()
        try:
            with source.open(file["path"]) as member:
                for chunk in iter(lambda: member.read(CHUNK), b""):
                    digest.update(chunk)
        except KeyError:
            raise ImportFailed(
                path, 0, _("%(path)s is missing from the bundle") % {"path": file["path"]}
            ) from None
        if digest.hexdigest() != file["sha256"]:
            raise ImportFailed(
                path,
                0,
                _("%(path)s does not match its SHA-256 %(sha256)s: it was altered")
                % {"path": file["path"], "sha256": file["sha256"]},
            )


def _check_proofs(path: Path, archive: zipfile.ZipFile, report: ImportReport) -> None:
    """A bundle with a signed manifest must pass its own verification (verify.py's checks:
    every file, the signature, the timestamp); what vouches for it goes into the report."""
    if verify.MANIFEST not in archive.namelist():
        report.notes.append(
            _("%(path)s carries no signed manifest: it was exported before dossiers were signed")
            % {"path": path}
        )
        return
    lines = io.StringIO()
    if not verify.verify(path, out=lines):
        failed = [line.split(None, 1)[1] for line in lines.getvalue().splitlines()
                  if line.startswith("FAILED")]  # fmt: skip
        raise ImportFailed(
            path,
            0,
            _("the bundle fails its own verification: %(problem)s") % {"problem": failed[0]},
        )
    report.notes += [
        line.split(None, 1)[1]
        for line in lines.getvalue().splitlines()
        if line.split(None, 1)[1].startswith(("signature:", "timestamp:"))
    ]


def _user(username: str | None, fallback):
    """A local account for someone from the other instance; it cannot log in."""
    return account_without_login(username, active=False) if username else fallback


def _claimant(entry: dict, user) -> Claimant:
    claimant = services.claimant_get_by_name(entry["name"])
    if claimant is None:
        parent = None
        for name in reversed(entry.get("parents", [])):  # the top first
            parent = services.claimant_get_by_name(name) or services.claimant_create(
                name=name, parent=parent, by=user
            )
        claimant = services.claimant_create(
            name=entry["name"],
            kind=entry.get("kind") or "unknown",
            parent=parent,
            aliases="\n".join(entry.get("aliases", [])),
            country=entry.get("country", ""),
            description=entry.get("description", ""),
            by=user,
        )
    return claimant


def _restore(data: dict, source: _Source, investigation, user, report: ImportReport) -> Claim:
    entry = data["claim"]
    claim = imported_record(Claim, investigation, uuid.UUID(entry["uuid"]))
    fields = {
        "statement": entry["statement"],
        "details": entry.get("details", ""),
        "made": PartialDate.from_json(entry.get("made")),
        "verdict": entry["verdict"],
        "verdict_rationale": entry.get("verdict_rationale", ""),
    }
    if claim is None:
        author = _user(entry.get("created_by"), user)
        claim = services.claim_create(
            investigation=investigation,
            uuid=uuid_in(Claim, investigation, uuid.UUID(entry["uuid"])),
            tags=entry.get("tags", []),
            by=author,
            **fields,
        )
        report.created += 1
    else:
        changed = {k: v for k, v in fields.items() if getattr(claim, k) != v}
        if changed:
            services.claim_update(claim=claim, data=changed, by=user)
        report.updated += 1 if changed else 0
        report.unchanged += 0 if changed else 1
        services.claim_tags_set(claim=claim, names=entry.get("tags", []), by=user)
    claimants = {c["name"]: _claimant(c, user) for c in data.get("claimants", [])}

    def claimant(name: str) -> Claimant:
        return claimants.get(name) or _claimant({"name": name}, user)

    known_urls = set(claim.sources.values_list("url", flat=True))
    for source_entry in data.get("sources", []):
        if source_entry["url"] not in known_urls:
            services.source_create(
                claim=claim,
                outlet=source_entry["outlet"],
                url=source_entry["url"],
                title=source_entry.get("title", ""),
                by=user,
                published_on=datetime.date.fromisoformat(source_entry["published_on"])
                if source_entry.get("published_on")
                else None,
                archived_url=source_entry.get("archived_url", ""),
            )
    by_url = {s.url: s for s in claim.sources.all()}
    for key, model, create, own in (
        ("attributions", Attribution, services.attribution_create, "role"),
        ("denials", Denial, services.denial_create, "kind"),
    ):
        for stance in data.get(key, []):
            who = claimant(stance["claimant"])
            extra = {own: stance[own]}
            if model.objects.filter(claim=claim, claimant=who, **extra).exists():
                continue
            create(
                claim=claim,
                claimant=who,
                by=user,
                stated=PartialDate.from_json(stance.get("stated")),
                quote=stance.get("quote", ""),
                source=by_url.get(stance.get("source_url")),
                **extra,
            )
    items = {
        e["uuid"]: _evidence(e, source, investigation, user, claimant)
        for e in data.get("evidence", [])
    }
    for link in data.get("links", []):
        item = items.get(link["evidence"])
        if item and not EvidenceLink.objects.filter(claim=claim, evidence=item).exists():
            evidence_link_create(
                claim=claim,
                evidence=item,
                relation=link["relation"],
                strength=link["strength"],
                rationale=link.get("rationale", ""),
                by=user,
            )
    for related in data.get("related_claims", []):
        # Linked now if that claim is here, else when its dossier is restored.
        services.pending_relation_create(claim=claim, target_key=f"uuid:{related['uuid']}")
    services.pending_relations_resolve(by=user)
    return claim


def _evidence(entry: dict, source: _Source, investigation, user, claimant) -> EvidenceItem:
    item = imported_record(EvidenceItem, investigation, uuid.UUID(entry["uuid"]))
    if item is not None:
        return item
    file_entry = entry.get("file")
    if file_entry:
        item = EvidenceItem.objects.filter(
            investigation=investigation, sha256=file_entry["sha256"]
        ).first()
        if item is not None:
            return item  # the same file is already evidence in this investigation
    dates = entry.get("dates", {})
    location = entry.get("location", {})
    fields = dict(
        investigation=investigation,
        uuid=uuid_in(EvidenceItem, investigation, uuid.UUID(entry["uuid"])),
        kind=entry["kind"],
        title=entry["title"],
        description=entry.get("description", ""),
        url=entry.get("url", ""),
        provider=claimant(entry["provider"]) if entry.get("provider") else None,
        event=PartialDate.from_json(dates.get("event")),
        captured=(
            PartialDate.from_json(dates.get("captured_from")),
            PartialDate.from_json(dates.get("captured_to")),
        ),
        published=PartialDate.from_json(dates.get("published")),
        collected_on=datetime.date.fromisoformat(dates["collected_on"])
        if dates.get("collected_on")
        else None,
        location_name=location.get("name", ""),
        latitude=Decimal(location["latitude"]) if location.get("latitude") else None,
        longitude=Decimal(location["longitude"]) if location.get("longitude") else None,
        location_precision=location.get("precision") or "",
        is_graphic=entry.get("graphic", False),
        by=user,
    )
    if file_entry and source.archive is not None:
        with source.open(file_entry["path"]) as member:
            item = evidence_create(
                file=File(member, file_entry["original_filename"] or "original"),
                original_filename=file_entry["original_filename"],
                **fields,
            )
    else:
        item = evidence_create(**fields)
    review = entry.get("review", {})
    if review.get("status") and review["status"] != ReviewStatus.PENDING:
        evidence_review_restore(
            item=item,
            status=review["status"],
            note=review.get("note", ""),
            authenticity=review.get("media_authenticity") or "",
            reviewer=_user(review.get("reviewed_by"), user),
            reviewed_at=parse_datetime(review["reviewed_at"])
            if review.get("reviewed_at")
            else None,
            by=user,
        )
    return item


def import_dossier(path: Path, *, investigation, user, progress=None) -> tuple[Claim, ImportReport]:
    """Restore one dossier into an investigation; all or nothing. `progress` follows the
    file checks."""
    data, source = _read(path)
    try:
        _check(data, source, progress)
        report = ImportReport()
        if source.archive is not None:
            _check_proofs(path, source.archive, report)
        with transaction.atomic():
            claim = _restore(data, source, investigation, user, report)
    finally:
        if source.archive:
            source.archive.close()
    return claim, report
