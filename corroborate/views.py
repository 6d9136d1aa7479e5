from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claims.models import Claim, Claimant
from corroborate.access import permission_required
from evidence.models import EvidenceItem, ReviewStatus

RECENT = 8


@permission_required("claims.view_claim", "evidence.view_evidenceitem")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts, my recent work, evidence awaiting review, recently changed claims."""
    waiting = Q(review_status__in=[ReviewStatus.PENDING, ReviewStatus.NEEDS_INFO])
    return render(
        request,
        "dashboard.html",
        {
            "counts": {
                "claims": Claim.objects.count(),
                "claimants": Claimant.objects.count(),
                "evidence": EvidenceItem.objects.count(),
                "waiting": EvidenceItem.objects.filter(waiting).count(),
            },
            "my_claims": Claim.objects.filter(created_by=request.user).order_by("-updated")[
                :RECENT
            ],
            "my_evidence": EvidenceItem.objects.filter(created_by=request.user).order_by(
                "-updated"
            )[:RECENT],
            "awaiting_review": EvidenceItem.objects.filter(waiting)
            .select_related("provider", "created_by")
            .order_by("created")[:RECENT],
            "recent_claims": Claim.objects.order_by("-updated")[:RECENT],
        },
    )
