"""Load: N users for S seconds against a running `make serve`, then proof that nothing was
lost. It starts nothing itself.

    # a seeded PostgreSQL database (bench/seed.py), the server and one worker:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    export DJANGO_DEBUG=false DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=127.0.0.1
    export DJANGO_SECURE_SSL_REDIRECT=false CELERY_BROKER_URL=redis://127.0.0.1:6379/0
    make serve &  make worker &
    .venv/bin/python bench/load.py --users 20 --seconds 60 --rate 1    # a request a second each
    .venv/bin/python bench/load.py --users 20 --seconds 60 --rate 0    # without pause
    .venv/bin/python bench/load.py --dossier-items 200                 # a 200-item PDF dossier

Each user signs in through the login form (as `bench`, the seeded lead) and gets an API
token, then sends a mix of requests: the claim, evidence and claimant lists, searches in
four scripts, claim pages, API reads, claim creation through the API, edits of one shared
claim by everyone at once (each sends the version it read: 200 or 409), and small image
uploads. It prints requests per second and p50/p95/max milliseconds per kind, and every
error. Afterwards, on the database DATABASE_URL names (the server's), it checks that every
acknowledged claim and upload is stored as acknowledged, that the shared claim's version
moved exactly once per acknowledged edit, and that `verify_log` passes. Exit status 1 on
any error or failed check.

Only a server on this machine (loopback) is driven; users and seconds are bounded.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from _common import setup_django_on_postgresql
from PIL import Image

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_USERS, MAX_SECONDS = 200, 900
SEARCHES = ["tanks", "танки", "دبابات", "北约", "NATO border", "Rostov"]
# kind: weight in the mix
MIX = {
    "page: claim list": 12,
    "page: evidence list": 6,
    "page: claimant list": 4,
    "page: search": 12,
    "page: claim detail": 16,
    "api: claim list": 10,
    "api: claim detail": 10,
    "write: create claim": 12,
    "write: contested edit": 12,
    "write: upload": 6,
}


@dataclass
class Outcome:
    kind: str
    ms: float
    error: str = ""


@dataclass
class Shared:
    base: str
    slug: str
    claims: list[int]
    contested: int
    outcomes: list[Outcome] = field(default_factory=list)
    created: dict[int, str] = field(default_factory=dict)  # claim id: statement
    uploaded: dict[int, str] = field(default_factory=dict)  # item id: sha256
    edits_acknowledged: int = 0
    edits_refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def web_session(base: str, username: str, password: str) -> requests.Session:
    """Signed in through the login form. Debug is off, so the cookies are Secure; this is
    plain HTTP on loopback, so they are sent by hand."""
    web = requests.Session()
    login = web.get(f"{base}/accounts/login/", timeout=30)
    csrf = login.cookies.get("csrftoken")
    answer = web.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf},
        headers={"Cookie": f"csrftoken={csrf}"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "sessionid" not in answer.cookies:
        sys.exit(f"Could not sign in as {username} through the login form ({answer.status_code}).")
    web.headers["Cookie"] = f"sessionid={answer.cookies['sessionid']}; csrftoken={csrf}"
    web.cookies.clear()
    return web


def api_session(base: str, username: str, password: str) -> requests.Session:
    answer = requests.post(
        f"{base}/api/v1/token/", data={"username": username, "password": password}, timeout=30
    )
    if answer.status_code != 200:
        sys.exit(f"Could not get an API token for {username}: {answer.status_code} {answer.text}")
    api = requests.Session()
    api.headers["Authorization"] = f"Token {answer.json()['token']}"
    return api


def small_png() -> bytes:
    """A few kB of noise: every upload is a new file (no duplicate refusals)."""
    image = Image.frombytes("RGB", (48, 32), random.randbytes(48 * 32 * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class User(threading.Thread):
    def __init__(self, shared: Shared, web, api, until: float, rate: float) -> None:
        super().__init__(daemon=True)
        self.shared, self.web, self.api, self.until, self.rate = shared, web, api, until, rate
        self.kinds, self.weights = list(MIX), list(MIX.values())

    def run(self) -> None:
        # Each user keeps their own rhythm from a random moment in the first interval:
        # twenty people do not all press a key in the same millisecond.
        start, sent = time.monotonic() + (random.random() / self.rate if self.rate else 0), 0
        while time.monotonic() < self.until:
            if self.rate:
                due = start + sent / self.rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                if time.monotonic() >= self.until:
                    break
            kind = random.choices(self.kinds, self.weights)[0]
            began = time.perf_counter()
            try:
                error = self.send(kind)
            except requests.RequestException as problem:
                error = f"{type(problem).__name__}: {problem}"
            elapsed = (time.perf_counter() - began) * 1000
            with self.shared.lock:
                self.shared.outcomes.append(Outcome(kind, elapsed, error or ""))
            sent += 1

    def _expect(self, response, *statuses: int) -> str:
        if response.status_code in statuses:
            return ""
        return f"{response.request.method} {urlsplit(response.url).path}: {response.status_code}"

    def send(self, kind: str) -> str:
        base, shared, slug = self.shared.base, self.shared, self.shared.slug
        claim = random.choice(shared.claims)
        if kind == "page: claim list":
            return self._expect(self.web.get(f"{base}/claims/?investigation={slug}"), 200)
        if kind == "page: evidence list":
            return self._expect(self.web.get(f"{base}/evidence/?investigation={slug}"), 200)
        if kind == "page: claimant list":
            return self._expect(self.web.get(f"{base}/claimants/"), 200)
        if kind == "page: search":
            query = random.choice(SEARCHES)
            return self._expect(self.web.get(f"{base}/claims/", params={"q": query}), 200)
        if kind == "page: claim detail":
            return self._expect(self.web.get(f"{base}/claims/{claim}/"), 200)
        if kind == "api: claim list":
            return self._expect(self.api.get(f"{base}/api/v1/claims/?investigation={slug}"), 200)
        if kind == "api: claim detail":
            return self._expect(self.api.get(f"{base}/api/v1/claims/{claim}/"), 200)
        if kind == "write: create claim":
            statement = f"Load benchmark claim {uuid.uuid4()}: tanks seen near Rostov."
            response = self.api.post(
                f"{base}/api/v1/claims/", json={"investigation": slug, "statement": statement}
            )
            if response.status_code == 201:
                with shared.lock:
                    shared.created[response.json()["id"]] = statement
            return self._expect(response, 201)
        if kind == "write: contested edit":
            url = f"{base}/api/v1/claims/{shared.contested}/"
            read = self.api.get(url)
            if read.status_code != 200:
                return self._expect(read, 200)
            response = self.api.patch(
                url, json={"details": f"Edited {uuid.uuid4()}", "version": read.json()["version"]}
            )
            with shared.lock:
                if response.status_code == 200:
                    shared.edits_acknowledged += 1
                elif response.status_code == 409:
                    shared.edits_refused += 1
            return self._expect(response, 200, 409)
        if kind == "write: upload":
            data = small_png()
            response = self.api.post(
                f"{base}/api/v1/evidence/",
                data={"investigation": slug, "kind": "photo", "title": "Load benchmark photo"},
                files={"file": ("photo.png", data, "image/png")},
            )
            if response.status_code == 201:
                with shared.lock:
                    shared.uploaded[response.json()["id"]] = hashlib.sha256(data).hexdigest()
            return self._expect(response, 201)
        raise ValueError(kind)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(shared: Shared, seconds: float) -> int:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in shared.outcomes:
        by_kind[outcome.kind].append(outcome)
    total = len(shared.outcomes)
    errors = [o for o in shared.outcomes if o.error]
    print(
        f"\n{total} requests in {seconds:.1f} s: {total / seconds:.1f} requests/s, "
        f"{len(errors)} errors"
    )
    print(
        f"{'kind':<24}{'count':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}"
    )
    for kind in MIX:
        outcomes = by_kind.get(kind, [])
        if not outcomes:
            continue
        ms = [o.ms for o in outcomes]
        print(
            f"{kind:<24}{len(ms):>7}{len(ms) / seconds:>8.1f}{percentile(ms, 0.5):>9.0f}"
            f"{percentile(ms, 0.95):>9.0f}{max(ms):>9.0f}{sum(1 for o in outcomes if o.error):>8}"
        )
    reads = [o.ms for o in shared.outcomes if not o.kind.startswith("write")]
    if reads:
        print(
            f"{'all pages and API reads':<24}{len(reads):>7}{len(reads) / seconds:>8.1f}"
            f"{percentile(reads, 0.5):>9.0f}{percentile(reads, 0.95):>9.0f}{max(reads):>9.0f}"
        )
    print(
        f"contested edits: {shared.edits_acknowledged} acknowledged, "
        f"{shared.edits_refused} refused as conflicts (409)"
    )
    seen: dict[str, int] = defaultdict(int)
    for outcome in errors:
        seen[outcome.error] += 1
    for error, count in sorted(seen.items(), key=lambda pair: -pair[1])[:20]:
        print(f"  error ×{count}: {error}")
    return len(errors)


def check(shared: Shared, contested_version: int) -> list[str]:
    """What the database holds, against what the server acknowledged."""
    setup_django_on_postgresql(
        "Set DATABASE_URL to the server's PostgreSQL database: the checks read it."
    )
    from django.core.management import CommandError, call_command

    from claims.models import Claim
    from evidence.models import EvidenceItem

    problems = []
    stored = dict(Claim.objects.filter(pk__in=shared.created).values_list("pk", "statement"))
    for pk, statement in shared.created.items():
        if stored.get(pk) != statement:
            problems.append(f"acknowledged claim #{pk} is not stored as acknowledged")
    hashes = dict(EvidenceItem.objects.filter(pk__in=shared.uploaded).values_list("pk", "sha256"))
    for pk, sha256 in shared.uploaded.items():
        if hashes.get(pk) != sha256:
            problems.append(f"acknowledged upload #{pk} is not stored with its SHA-256")
    steps = Claim.objects.get(pk=shared.contested).version - contested_version
    if steps != shared.edits_acknowledged:
        problems.append(
            f"the contested claim moved {steps} versions for {shared.edits_acknowledged} "
            "acknowledged edits: an edit was lost or overwritten in silence"
        )
    try:
        call_command("verify_log", stdout=io.StringIO())
    except CommandError as error:
        problems.append(f"verify_log: {error}")
    print(
        f"checked: {len(shared.created)} claims and {len(shared.uploaded)} uploads stored as "
        f"acknowledged; contested claim +{steps} versions for {shared.edits_acknowledged} "
        f"acknowledged edits; history log checked by verify_log"
    )
    return problems


def dossier(base: str, web, api, slug: str, items: int) -> None:
    """A claim with `items` evidence items; its PDF asked for from the web page."""
    print(f"\npreparing a claim with {items} evidence items through the API ...")
    claim = api.post(
        f"{base}/api/v1/claims/",
        json={
            "investigation": slug,
            "statement": f"Load benchmark: a dossier of {items} items {uuid.uuid4()}",
        },
    ).json()["id"]
    for index in range(items):
        item = api.post(
            f"{base}/api/v1/evidence/",
            data={"investigation": slug, "kind": "photo", "title": f"Dossier photo {index}"},
            files={"file": ("photo.png", small_png(), "image/png")},
        ).json()["id"]
        api.post(
            f"{base}/api/v1/links/", json={"claim": claim, "evidence": item, "relation": "supports"}
        )
    began = time.perf_counter()
    asked = web.get(f"{base}/claims/{claim}/dossier.pdf?unreviewed=1", allow_redirects=False)
    answered = (time.perf_counter() - began) * 1000
    if asked.status_code != 302:
        sys.exit(f"the dossier request answered {asked.status_code}, not a redirect")
    page = web.get(base + asked.headers["Location"])
    print(
        f"PDF dossier of {items} items: the request answered in {answered:.0f} ms "
        f"({asked.status_code} to its page, which answered {page.status_code})"
    )
    status = base + asked.headers["Location"] + "status"
    while True:
        state = web.get(status).json()
        if state["state"] not in ("queued", "processing"):
            break
        time.sleep(0.25)
    ready = time.perf_counter() - began
    print(f"ready after {ready:.1f} s: {state['label']} {state['reason']}".rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--rate",
        type=float,
        default=1.0,
        help="requests per second per user; 0 sends the next at once",
    )
    parser.add_argument("--username", default="bench")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument(
        "--dossier-items",
        type=int,
        default=0,
        help="instead of the load: time a PDF dossier of this many items",
    )
    args = parser.parse_args()
    base = args.url.rstrip("/")
    if urlsplit(base).hostname not in LOOPBACK:
        sys.exit(f"{base} is not on this machine: only a loopback server is driven.")
    if not 1 <= args.users <= MAX_USERS or not 1 <= args.seconds <= MAX_SECONDS:
        sys.exit(f"--users is 1 to {MAX_USERS} and --seconds 1 to {MAX_SECONDS}.")

    try:
        health = requests.get(f"{base}/healthz", timeout=10)
    except requests.ConnectionError:
        sys.exit(f"Nothing answers at {base}: start `make serve` (and `make worker`) first.")
    if health.status_code != 200:
        sys.exit(f"{base}/healthz answers {health.status_code}: {health.text}")
    api = api_session(base, args.username, args.password)
    places = api.get(f"{base}/api/v1/investigations/").json()["results"]
    if not places:
        sys.exit(f"{args.username} is a member of no investigation.")
    slug = places[0]["slug"]
    if args.dossier_items:
        dossier(
            base, web_session(base, args.username, args.password), api, slug, args.dossier_items
        )
        return 0
    listed = api.get(f"{base}/api/v1/claims/?investigation={slug}&page_size=100").json()
    claims = [claim["id"] for claim in listed["results"]]
    contested = api.post(
        f"{base}/api/v1/claims/",
        json={
            "investigation": slug,
            "statement": f"Load benchmark: the contested claim {uuid.uuid4()}",
        },
    ).json()
    shared = Shared(
        base=base, slug=slug, claims=claims or [contested["id"]], contested=contested["id"]
    )
    print(f"signing in {args.users} users ...")
    sessions = [
        (
            web_session(base, args.username, args.password),
            api_session(base, args.username, args.password),
        )
        for _ in range(args.users)
    ]
    rate = f"{args.rate:g} request/s each" if args.rate else "without pause"
    print(f"{args.users} users, {rate}, for {args.seconds:g} s against {base} ...")
    began = time.monotonic()
    users = [
        User(shared, web, user_api, began + args.seconds, args.rate) for web, user_api in sessions
    ]
    for user in users:
        user.start()
    for user in users:
        user.join()
    elapsed = time.monotonic() - began
    errors = report(shared, elapsed)
    problems = check(shared, contested["version"])
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
