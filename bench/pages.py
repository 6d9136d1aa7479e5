"""Time every list, search and detail page against the Django admin on the same data.

Run it on a database filled by bench/seed.py:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/pages.py                 # median of 5 runs per page
    .venv/bin/python bench/pages.py --runs 3

Each page is fetched through the Django test client, logged in (the workbench as `bench`,
the investigation's lead; the admin as `bench-admin`, a superuser), once to warm up and then
--runs times; it prints the median milliseconds, the number of SQL queries, and the ratio
to the admin's changelist for the same list where the admin has one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings

from _common import setup_django_on_postgresql


def pages(place, claim, item, claimant, deep: int, admin_deep: int) -> list[tuple]:
    """(label, our URL, the admin's URL or None)."""
    admin_claims = "/admin/claims/claim/"
    scope = f"investigation={place.slug}"
    return [
        ("claim list", f"/claims/?{scope}", admin_claims),
        ("claim list, search “tanks”", f"/claims/?{scope}&q=tanks", f"{admin_claims}?q=tanks"),
        ("claim list, search “танки”", f"/claims/?{scope}&q=танки", f"{admin_claims}?q=танки"),
        ("claim list, search “دبابات”", f"/claims/?{scope}&q=دبابات", f"{admin_claims}?q=دبابات"),
        ("claim list, search “北约”", f"/claims/?{scope}&q=北约", f"{admin_claims}?q=北约"),
        (
            "claim list, deep page",
            f"/claims/?{scope}&page={deep}",
            f"{admin_claims}?p={admin_deep}",
        ),
        (
            "claim list, verdict + denied",
            f"/claims/?{scope}&verdict=supported&denied=yes",
            f"{admin_claims}?verdict__exact=supported",
        ),
        ("claim list, a flag", f"/claims/?{scope}&flags=disagrees", None),
        ("claim list, assigned to me", f"/claims/?{scope}&assigned=me", None),
        ("evidence list", f"/evidence/?{scope}", "/admin/evidence/evidenceitem/"),
        (
            "evidence list, search",
            f"/evidence/?{scope}&q=снимок",
            "/admin/evidence/evidenceitem/?q=снимок",
        ),
        ("claimant list", "/claimants/", "/admin/claims/claimant/"),
        ("review queue", "/review/", None),
        ("dashboard", "/", "/admin/"),
        ("notifications", "/notifications/", None),
        ("API claims", f"/api/v1/claims/?investigation={place.slug}", None),
        ("API claims, search", f"/api/v1/claims/?investigation={place.slug}&q=tanks", None),
        ("claim detail", f"/claims/{claim.pk}/", f"/admin/claims/claim/{claim.pk}/change/"),
        ("evidence detail", f"/evidence/{item.pk}/", None),
        ("claimant detail", f"/claimants/{claimant.pk}/", None),
    ]


def measure(client, url: str, runs: int) -> tuple[float, int]:
    """Median milliseconds over `runs` fetches (after one to warm up), and the queries."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # (CaptureQueriesContext sees nothing: each request starts by resetting the query log.)
    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="only the pages whose label contains this")
    args = parser.parse_args()
    setup_django_on_postgresql("Set DATABASE_URL to the database bench/seed.py filled.")
    from django.conf import settings

    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise, no static root
    # Production settings want collected static files; the pages only need their names.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    from django.contrib.auth import get_user_model
    from django.test import Client

    from claims.models import Claim, Claimant
    from evidence.models import EvidenceItem
    from investigations.models import Investigation

    place = Investigation.objects.filter(slug__startswith="bench-").order_by("-pk").first()
    if place is None:
        sys.exit("No benchmark investigation: run bench/seed.py first.")
    users = get_user_model()
    ours, theirs = Client(), Client()
    ours.force_login(users.objects.get(username="bench"))
    theirs.force_login(users.objects.get(username="bench-admin"))
    claims = place.claims.count()
    claim = place.claims.order_by("pk")[claims // 2]
    item = place.evidence_items.order_by("pk")[place.evidence_items.count() // 2]
    claimant = Claimant.objects.filter(attributions__claim=claim).first()
    last = max(1, (claims + 24) // 25)
    admin_last = max(1, (Claim.objects.count() + 99) // 100)
    print(
        f"{claims:,} claims, {EvidenceItem.objects.filter(investigation=place).count():,} "
        f"evidence items, {Claimant.objects.count():,} claimants; median of {args.runs}\n"
    )
    print("| page | Corroborate ms | queries | admin ms | queries | ratio |")
    print("|---|---|---|---|---|---|")
    for label, url, admin_url in pages(place, claim, item, claimant, last, admin_last):
        if args.only and args.only not in label:
            continue
        ms, queries = measure(ours, url, args.runs)
        row = f"| {label} | {ms:,.0f} | {queries} |"
        if admin_url:
            admin_ms, admin_queries = measure(theirs, admin_url, args.runs)
            row += f" {admin_ms:,.0f} | {admin_queries} | {ms / admin_ms:.2f} |"
        else:
            row += " | | |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
