from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claims.models import Claim, Claimant
from evidence.models import EvidenceItem, ReviewStatus


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    counts = {
        "claims": Claim.objects.count(),
        "claimants": Claimant.objects.count(),
        "evidence": EvidenceItem.objects.count(),
        "pending": EvidenceItem.objects.filter(review_status=ReviewStatus.PENDING).count(),
    }
    recent = Claim.objects.order_by("-updated")[:10]
    return render(request, "dashboard.html", {"counts": counts, "recent_claims": recent})
