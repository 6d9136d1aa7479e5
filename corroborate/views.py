from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.filters import SecurityEventFilterSet
from assessment.selectors import history_visible
from claims.models import Claim, Claimant
from core import history
from core.csv_export import csv_response
from core.pagination import paginate, total_of
from evidence.models import EvidenceItem, IntegrityCheck, ReviewStatus
from evidence.selectors import review_queue
from investigations.access import role_required, scoped
from investigations.models import Role
from investigations.selectors import security_log_of
from teamwork.selectors import assigned_to

RECENT = 8


def _broker_answers() -> bool:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
    return True


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors, without a login: 200 when the database, the
    evidence storage and the task queue's broker (when there is one) answer, 503 naming
    the parts that do not. Nothing else is said."""
    failing = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # whatever the driver raises, the answer is the same
        failing.append("database")
    try:
        default_storage.exists("healthz")  # a question the storage must answer; no file
    except Exception:
        failing.append("storage")
    if settings.CELERY_BROKER_URL:
        try:
            _broker_answers()
        except Exception:
            failing.append("broker")
    response = JsonResponse({"ok": not failing, "failing": failing}, status=503 if failing else 200)
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.VIEWER)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts, my recent work, evidence awaiting review, recently changed claims: all of it
    from the investigations the user belongs to."""
    claims = scoped(Claim.objects, request.user)
    items = scoped(EvidenceItem.objects, request.user)
    return render(
        request,
        "dashboard.html",
        {
            "counts": {  # exact up to 1,000, "about" beyond
                "claims": total_of(claims),
                "claimants": total_of(Claimant.objects.all()),
                "evidence": total_of(items),
                "waiting": total_of(items.awaiting_review()),
            },
            "my_claims": claims.filter(created_by=request.user).order_by("-updated")[:RECENT],
            "assigned": assigned_to(request.user, limit=RECENT),
            "my_evidence": items.filter(created_by=request.user).order_by("-updated")[:RECENT],
            # The reviewers' questions to me, with their notes.
            "needs_info": items.filter(
                created_by=request.user, review_status=ReviewStatus.NEEDS_INFO
            )
            .select_related("reviewed_by")
            .order_by("reviewed_at")[:RECENT],
            "awaiting_review": review_queue(request.user)
            .select_related("provider", "created_by")
            .order_by("created")[:RECENT],
            "recent_claims": claims.order_by("-updated")[:RECENT],
            # Staff: the latest re-hash of the stored originals, when it found a problem.
            "integrity": IntegrityCheck.objects.exclude(finished_at=None).first()
            if request.user.is_staff
            else None,
        },
    )


_HISTORY_SUBJECTS = {
    # kind: (records the user may see, parent field, detail URL name)
    "claim": (lambda user: scoped(Claim.objects, user), "claim_id", "claims:claim_detail"),
    "claimant": (lambda user: Claimant.objects, "claimant_id", "claims:claimant_detail"),
    "evidence": (
        lambda user: scoped(EvidenceItem.objects, user),
        "evidence_id",
        "evidence:evidence_detail",
    ),
}


@role_required(Role.VIEWER)
def history_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The full history of a claim, claimant or evidence item, paginated: only what the
    user may see (a claimant's entries about other investigations' claims are left out)."""
    visible, parent, detail = _HISTORY_SUBJECTS[kind]
    subject = get_object_or_404(visible(request.user), pk=pk)
    entries = history_visible(history.for_page(**{parent: pk}), request.user)
    page = paginate(request, entries, per_page=50)
    return render(
        request,
        "history.html",
        {"subject": subject, "page": page, "back_url": reverse(detail, args=[pk])},
    )


SECURITY_LOG_COLUMNS = [
    "when",
    "event",
    "by",
    "account",
    "investigation_id",
    "investigation",
    "address",
    "detail",
]


@require_GET
def security_log(request: HttpRequest) -> HttpResponse:
    """The security log: all of it for staff, their investigations' part for a lead;
    filtered, paginated, and as CSV (?format=csv) with the same filters."""
    events, investigations = security_log_of(request.user)
    filterset = SecurityEventFilterSet(request.GET, queryset=events, investigations=investigations)
    if request.GET.get("format") == "csv":
        rows = (
            [
                event.created.isoformat(),
                event.kind,
                event.actor_name,
                event.subject_name,
                event.investigation_id or "",
                event.investigation_name,
                event.ip_address or "",
                event.detail,
            ]
            for event in filterset.qs.iterator(chunk_size=1000)
        )
        return csv_response("security-log.csv", SECURITY_LOG_COLUMNS, rows)
    return render(
        request,
        "security_log.html",
        {"filter": filterset, "page": paginate(request, filterset.qs)},
    )
