"""Dossiers prepared in the background: asking for one, preparing it (a task), handing it
out (to the person who asked, while they may still see every claim in it), and removing
it when its time is up. The custody log records each download of each evidence file."""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import EventKind
from accounts.services import security_event
from claims.models import Claim
from core.storage import open_stream, signed_link, translated_errors
from core.tasks import enqueue
from dossiers import export
from dossiers.build import build as build_dossier
from dossiers.models import DossierKind, Preparation, PreparedDossier
from evidence.models import CustodyAction, EvidenceItem, EvidenceLink, ReviewStatus
from evidence.services import custody_record_many
from investigations.access import visible_ids
from investigations.models import Investigation
from proofs.keys import KeyUnavailable

log = logging.getLogger(__name__)
_set = PreparedDossier.set_state  # a row to its next state, with the reason
CHUNK = 1024 * 1024


def included_count(claim_pk: int, *, include_unreviewed: bool) -> int:
    """How many evidence items a claim's dossier would hold."""
    wanted = [ReviewStatus.APPROVED]
    if include_unreviewed:
        wanted += EvidenceItem.AWAITING_REVIEW
    return EvidenceLink.objects.filter(
        claim_id=claim_pk, evidence__review_status__in=wanted
    ).count()


def dossier_request(
    *,
    by,
    kind: str,
    claims: Iterable[Claim],
    include_unreviewed: bool,
    label: str,
    language: str | None = None,
) -> PreparedDossier:
    """Ask for a dossier to be prepared (in `language`, by default the requester's
    current one); the same request still waiting is not made twice."""
    language = dossier_language(language)
    claims = list(claims)
    if not claims:
        raise ValidationError(_("There are no claims to put in a dossier."), code="empty")
    if len(claims) > settings.DOSSIER_SELECTION_MAX:
        raise ValidationError(
            _(
                "%(n)s claims are selected; a ZIP of dossiers holds at most %(max)s. "
                "Narrow the list with its filters."
            )
            % {"n": f"{len(claims):,}", "max": f"{settings.DOSSIER_SELECTION_MAX:,}"},
            code="too_many",
        )
    claim_ids = [claim.pk for claim in claims]
    with transaction.atomic():
        waiting = PreparedDossier.objects.filter(
            requested_by=by,
            kind=kind,
            include_unreviewed=include_unreviewed,
            language=language,
            state__in=(Preparation.QUEUED, Preparation.PROCESSING),
        )
        for prepared in waiting:
            if prepared.claims == claim_ids:
                return prepared
        prepared = PreparedDossier.objects.create(
            requested_by=by,
            kind=kind,
            label=label[:300],
            claims=claim_ids,
            investigations=sorted({claim.investigation_id for claim in claims}),
            include_unreviewed=include_unreviewed,
            language=language,
        )
        _security_logged(prepared, EventKind.EXPORT, by=by, what=_("asked for"))
        _enqueue(prepared)
    return prepared


def _security_logged(prepared: PreparedDossier, kind: str, *, by, what: str) -> None:
    """One entry per investigation the dossier draws on, so each lead sees their part."""
    for investigation in Investigation.objects.filter(pk__in=prepared.investigations):
        security_event(
            kind,
            actor=by,
            investigation=investigation,
            detail=f"{prepared.get_kind_display()} {prepared.uuid} {what}: {prepared.label}"[:500],
        )


def _enqueue(prepared: PreparedDossier) -> None:
    from dossiers.tasks import prepare_dossier  # the task calls the services

    enqueue(
        prepare_dossier,
        prepared.pk,
        unavailable=lambda reason: _set(prepared.pk, Preparation.FAILED, reason),
    )


def _file_name(prepared: PreparedDossier) -> str:
    if prepared.kind == DossierKind.SELECTION:
        return "dossiers.zip"
    claim = Claim.objects.only("uuid").get(pk=prepared.claims[0])
    return f"claim-{claim.uuid}.{'pdf' if prepared.kind == DossierKind.PDF else 'zip'}"


def dossier_language(asked: str | None) -> str:
    """The language a dossier is written in: one the interface speaks, else the current."""
    languages = dict(settings.LANGUAGES)
    if asked in languages:
        return asked
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in languages else settings.LANGUAGE_CODE


def _write(prepared: PreparedDossier, out, contents: list) -> None:
    """The dossier's bytes into `out`, in its language; `contents` gets [evidence id,
    claim id] per file."""
    with translation.override(prepared.language or settings.LANGUAGE_CODE):
        _write_in_language(prepared, out, contents)


def _write_in_language(prepared: PreparedDossier, out, contents: list) -> None:
    user = prepared.requested_by

    def dossier(pk: int):
        # Found among the claims the requester may see now: 404 if no longer.
        built = build_dossier(pk, include_unreviewed=prepared.include_unreviewed, exported_by=user)
        contents.extend([item.pk, pk] for item in built.items if item.file)
        return built

    if prepared.kind == DossierKind.PDF:
        out.write(export.render_pdf(dossier(prepared.claims[0])))
        return
    if prepared.kind == DossierKind.ZIP:
        members = export.dossier_members(dossier(prepared.claims[0]))
    else:

        def members_of_all():
            for pk in prepared.claims:  # one claim's pages in memory at a time
                built = dossier(pk)
                yield from export.dossier_members(built, prefix=f"{built.file_stem}/")

        members = members_of_all()
    exporter = user.get_username() if user else None
    for data in export.stream_zip(members, exported_by=exporter):
        out.write(data)


def dossier_prepare(pk: int) -> None:
    """Prepare a requested dossier (the task). Safe to run again: the file is written at a
    name of its own, and the record changes once, at the end."""
    prepared = PreparedDossier.objects.select_related("requested_by").filter(pk=pk).first()
    if prepared is None or not prepared.in_progress:
        return
    _set(pk, Preparation.PROCESSING)
    contents: list = []
    name = f"dossiers/{prepared.uuid}/{_file_name(prepared)}"
    try:
        with tempfile.TemporaryFile() as out:
            _write(prepared, out, contents)
            size = out.tell()
            out.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: out.read(CHUNK), b""):
                digest.update(chunk)
            out.seek(0)
            with translated_errors():
                default_storage.delete(name)
                stored = default_storage.save(name, File(out))
    except Http404:
        _set(pk, Preparation.FAILED, _("You can no longer see one of its claims."))
        return
    except (export.PdfUnavailable, KeyUnavailable) as error:
        _set(pk, Preparation.FAILED, str(error))
        return
    except Exception as error:
        log.exception("preparing dossier %s failed", prepared.uuid)
        _set(pk, Preparation.FAILED, _("The dossier could not be prepared: %s") % error)
        return
    finished = timezone.now()
    with transaction.atomic():
        locked = PreparedDossier.objects.select_for_update().get(pk=pk)
        if not locked.in_progress:  # another run finished first
            return
        _set(
            pk,
            Preparation.READY,
            file=stored,
            size_bytes=size,
            sha256=digest.hexdigest(),
            contents=contents,
            expires_at=finished + datetime.timedelta(days=settings.DOSSIER_KEEP_DAYS),
        )


def dossier_retry(*, prepared: PreparedDossier, by) -> PreparedDossier:
    if prepared.requested_by_id != by.pk:
        raise Http404
    if prepared.state != Preparation.FAILED:
        raise ValidationError(_("This dossier is not waiting for a retry."), code="not_failed")
    _set(prepared.pk, Preparation.QUEUED)
    prepared.refresh_from_db()
    with transaction.atomic():
        _enqueue(prepared)
    return prepared


def dossier_for(user, uuid) -> PreparedDossier:
    """A prepared dossier of the user's own while they may still see all of it; 404 for
    anybody else's, and once they have left one of its investigations."""
    prepared = PreparedDossier.objects.filter(uuid=uuid, requested_by=user).first()
    if prepared is None or not set(prepared.investigations) <= set(visible_ids(user)):
        raise Http404
    return prepared


def dossier_open(*, prepared: PreparedDossier, by, link: bool = False):
    """The file for download (or, from an object store and with `link`, a link to it
    signed for at most a minute), entered in the custody log of every evidence file in it."""
    if prepared.state != Preparation.READY or prepared.expires_at <= timezone.now():
        raise Http404
    storage, name = prepared.file.storage, prepared.file.name
    kind = "application/pdf" if prepared.kind == DossierKind.PDF else "application/zip"
    handle = (
        signed_link(
            storage,
            name,
            filename_header=content_disposition_header(True, prepared.file_name),
            content_type=kind,
        )
        if link
        else None
    )
    if handle is None:
        try:
            handle = open_stream(storage, name)
        except FileNotFoundError:
            raise Http404 from None
    what = f"{prepared.get_kind_display()} {prepared.uuid}"
    _security_logged(prepared, EventKind.DOWNLOAD, by=by, what=_("downloaded"))
    custody_record_many(
        entries=[
            (item_pk, CustodyAction.DOWNLOADED, f"{what}, dossier of claim #{claim_pk}")
            for item_pk, claim_pk in prepared.contents
        ],
        by=by,
    )
    return handle


def dossiers_remove_expired() -> int:
    """Delete the files whose time is up (the periodic task); returns how many."""
    expired = PreparedDossier.objects.filter(
        state=Preparation.READY, expires_at__lte=timezone.now()
    )
    removed = 0
    for prepared in expired.iterator():
        with translated_errors():
            default_storage.delete(prepared.file.name)
        _set(prepared.pk, Preparation.EXPIRED, file="")
        removed += 1
    return removed


def describe_selection(count: int) -> str:
    return ngettext("%(n)s claim", "%(n)s claims", count) % {"n": f"{count:,}"}
