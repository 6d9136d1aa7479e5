"""Imports confirmed on the web run in a task: the request only records what to import.

The task imports all rows or none (claims_csv.save is one transaction, and the import's
own state changes inside it), so a worker killed half-way leaves nothing behind and the
task, delivered again, starts over.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from core.tasks import enqueue
from imports import claims_csv
from imports.models import ImportState, WebImport
from investigations.models import Investigation
from investigations.selectors import writable_investigations

log = logging.getLogger(__name__)
_set = WebImport.set_state  # a row to its next state, with the reason


def import_request(*, text: str, investigation: Investigation, rows: int, by) -> WebImport:
    with transaction.atomic():
        run = WebImport.objects.create(
            requested_by=by, investigation=investigation, text=text, rows=rows
        )
        from imports.tasks import run_import  # the task calls import_run

        enqueue(
            run_import,
            run.pk,
            unavailable=lambda reason: _set(run.pk, ImportState.FAILED, reason),
        )
    return run


def import_run(pk: int) -> None:
    run = WebImport.objects.select_related("requested_by", "investigation").filter(pk=pk).first()
    if run is None or not run.in_progress:
        return
    _set(pk, ImportState.PROCESSING)
    if not writable_investigations(run.requested_by).filter(pk=run.investigation_id).exists():
        _set(pk, ImportState.FAILED, _("You can no longer add claims to this investigation."))
        return
    rows = claims_csv.parse(run.text)
    if any(row.errors for row in rows):  # the preview showed none; the rules may have changed
        _set(pk, ImportState.FAILED, _("Some rows are no longer valid: upload the file again."))
        return
    try:
        with transaction.atomic():
            locked = WebImport.objects.select_for_update().get(pk=pk)
            if not locked.in_progress:  # another run finished first
                return
            created = claims_csv.save(rows, run.investigation, run.requested_by)
            _set(pk, ImportState.DONE, created_count=len(created))
    except Exception as error:
        log.exception("web import %s failed", run.uuid)
        _set(pk, ImportState.FAILED, _("Nothing was imported: %s") % error)


def import_for(user, uuid) -> WebImport:
    from django.http import Http404

    run = WebImport.objects.filter(uuid=uuid, requested_by=user).defer("text").first()
    if run is None:
        raise Http404
    return run
