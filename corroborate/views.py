from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from claims.models import Claim, Claimant
from core import history
from core.access import permission_required, require_perm
from core.pagination import paginate
from evidence.models import EvidenceItem, ReviewStatus

RECENT = 8


@permission_required("claims.view_claim", "evidence.view_evidenceitem")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts, my recent work, evidence awaiting review, recently changed claims."""
    return render(
        request,
        "dashboard.html",
        {
            "counts": {
                "claims": Claim.objects.count(),
                "claimants": Claimant.objects.count(),
                "evidence": EvidenceItem.objects.count(),
                "waiting": EvidenceItem.objects.awaiting_review().count(),
            },
            "my_claims": Claim.objects.filter(created_by=request.user).order_by("-updated")[
                :RECENT
            ],
            "my_evidence": EvidenceItem.objects.filter(created_by=request.user).order_by(
                "-updated"
            )[:RECENT],
            # The reviewers' questions to me, with their notes.
            "needs_info": EvidenceItem.objects.filter(
                created_by=request.user, review_status=ReviewStatus.NEEDS_INFO
            )
            .select_related("reviewed_by")
            .order_by("reviewed_at")[:RECENT],
            "awaiting_review": EvidenceItem.objects.awaiting_review()
            .select_related("provider", "created_by")
            .order_by("created")[:RECENT],
            "recent_claims": Claim.objects.order_by("-updated")[:RECENT],
        },
    )


_HISTORY_SUBJECTS = {
    # kind: (model, permission, parent field, detail URL name)
    "claim": (Claim, "claims.view_claim", "claim_id", "claims:claim_detail"),
    "claimant": (Claimant, "claims.view_claimant", "claimant_id", "claims:claimant_detail"),
    "evidence": (
        EvidenceItem,
        "evidence.view_evidenceitem",
        "evidence_id",
        "evidence:evidence_detail",
    ),
}


def history_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The full history of a claim, claimant or evidence item, paginated."""
    model, perm, parent, detail = _HISTORY_SUBJECTS[kind]
    require_perm(request, perm)
    subject = get_object_or_404(model, pk=pk)
    page = paginate(request, history.for_page(**{parent: pk}), per_page=50)
    return render(
        request,
        "history.html",
        {"subject": subject, "page": page, "back_url": reverse(detail, args=[pk])},
    )
