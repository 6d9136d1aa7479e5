"""Claims from a CSV upload, previewed row by row before anything is saved."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from imports import claims_csv, web
from investigations.access import current_investigation, role_required
from investigations.forms import InvestigationChoiceMixin
from investigations.models import Role
from investigations.selectors import writable_investigations


class _CsvUploadForm(InvestigationChoiceMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row. Columns: ") + ", ".join(claims_csv.COLUMNS),
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.RESEARCHER)
def claim_import_csv(request: HttpRequest) -> HttpResponse:
    """Upload, preview with per-row errors, then confirm: nothing is saved before that."""
    chooser = {"user": request.user, "current": current_investigation(request)}
    form = _CsvUploadForm(**chooser)
    rows, token, problem, investigation = None, "", "", None
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                text, chosen = claims_csv.unsign(request.POST.get("token", ""))
                investigation = writable_investigations(request.user).filter(pk=chosen).first()
                if investigation is None:
                    raise claims_csv.CsvError(_("You can no longer add claims there."))
            else:
                form = _CsvUploadForm(request.POST, request.FILES, **chooser)
                if not form.is_valid():
                    raise claims_csv.CsvError(
                        " ".join(e for errors in form.errors.values() for e in errors)
                    )
                text = claims_csv.read_upload(form.cleaned_data["file"])
                investigation = form.investigation
            rows = claims_csv.parse(text)
        except claims_csv.CsvError as error:
            problem = str(error)
        else:
            bad = [row for row in rows if row.errors]
            if "confirm" in request.POST and not bad:
                run = web.import_request(
                    text=text, investigation=investigation, rows=len(rows), by=request.user
                )
                return redirect("claims:claim_import_status", uuid=run.uuid)
            token = claims_csv.sign(text, investigation)
            if bad:
                messages.error(
                    request,
                    _("%(n)d of %(total)d rows need fixing; nothing was saved.")
                    % {"n": len(bad), "total": len(rows)},
                )
    return render(
        request,
        "imports/claim_import.html",
        {
            "form": form,
            "rows": rows,
            "token": token,
            "problem": problem,
            "has_errors": any(r.errors for r in rows or []),
            "investigation": investigation,
        },
    )


@role_required(Role.VIEWER)
def claim_import_status(request: HttpRequest, uuid) -> HttpResponse:
    """A confirmed import, run in the background: its state, then what it created."""
    return render(
        request, "imports/import_status.html", {"run": web.import_for(request.user, uuid)}
    )


@require_GET
@role_required(Role.VIEWER)
def claim_import_state(request: HttpRequest, uuid) -> JsonResponse:
    run = web.import_for(request.user, uuid)
    response = JsonResponse(
        {"state": run.state, "label": run.get_state_display(), "reason": run.error}
    )
    response["Cache-Control"] = "no-store"
    return response
