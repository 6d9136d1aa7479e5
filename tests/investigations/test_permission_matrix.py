"""Every route of the URLconf and the API router, for every role, for a member of another
investigation and for someone in no investigation: each answers what it should. A route
missing from ROUTES fails the test, so a new view cannot be forgotten."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from claims import services as claims
from dossiers.services import dossier_request
from evidence import services as evidence
from evidence.resumable import upload_create
from imports.web import import_request
from investigations.models import Investigation, Role
from teamwork import services as teamwork
from teamwork.models import Notification
from tests import files
from tests.factories import ClaimantFactory, MembershipFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

V, R, RV, L = Role.VIEWER, Role.RESEARCHER, Role.REVIEWER, Role.LEAD
# name: (what the route shows, the role it needs or None for any logged-in user, its
# arguments: keys of the record set below, or "=text" for the text itself).
# "record": one of the investigation's records (404 to outsiders); "list": the user's own
# investigations (outsiders see theirs); "shared": the instance's claimants, tags and
# pages; "post": POST only (405 to a GET).
ROUTES = {
    "dashboard": ("list", V, {}),
    "history": ("record", V, {"kind": "=claim", "pk": "claim"}),
    "login": ("shared", None, {}),
    "healthz": ("shared", None, {}),
    "javascript-catalog": ("shared", None, {}),
    "logout": ("post", None, {}),
    "api_token": ("post", None, {}),
    "api_schema": ("shared", None, {}),
    "api_docs": ("shared", None, {}),
    "api-root": ("shared", None, {}),
    "investigation-list": ("list", None, {}),
    "investigation-detail": ("record", V, {"slug": "slug"}),
    "claim-list": ("list", V, {}),
    "claim-detail": ("record", V, {"pk": "claim"}),
    "claimant-list": ("list", V, {}),
    "claimant-detail": ("shared", V, {"pk": "claimant"}),
    "tag-list": ("shared", V, {}),
    "tag-detail": ("shared", V, {"pk": "tag"}),
    "source-list": ("list", V, {}),
    "source-detail": ("record", V, {"pk": "source"}),
    "attribution-list": ("list", V, {}),
    "attribution-detail": ("record", V, {"pk": "attribution"}),
    "denial-list": ("list", V, {}),
    "denial-detail": ("record", V, {"pk": "denial"}),
    "evidenceitem-list": ("list", V, {}),
    "evidenceitem-detail": ("record", V, {"pk": "item"}),
    "evidenceitem-review": ("post", None, {"pk": "item"}),
    "evidenceitem-retry": ("post", None, {"pk": "item"}),
    "upload-list": ("post", None, {}),
    "upload-detail": ("mine", V, {"uuid": "upload"}),
    "evidencelink-list": ("list", V, {}),
    "evidencelink-detail": ("record", V, {"pk": "link"}),
    "tokens": ("shared", None, {}),
    "token_revoke": ("post", None, {"pk": "claim"}),
    "claims:claim_list": ("list", V, {}),
    "claims:claim_list_csv": ("list", V, {}),
    "claims:claim_detail": ("record", V, {"pk": "claim"}),
    "claims:claim_timeline": ("record", V, {"pk": "claim"}),
    "claims:claimant_detail": ("shared", V, {"pk": "claimant"}),
    "claims:claim_create": ("list", R, {}),
    "claims:claim_update": ("record", R, {"pk": "claim"}),
    "claims:denial_create": ("record", R, {"pk": "claim"}),
    "claims:denial_update": ("record", R, {"pk": "claim", "denial_pk": "denial"}),
    "claims:denial_delete": ("record", R, {"pk": "claim", "denial_pk": "denial"}),
    "claims:claimant_list": ("list", V, {}),
    "claims:claimant_list_csv": ("list", V, {}),
    "claims:claimant_create": ("list", R, {}),
    "claims:claimant_update": ("shared", R, {"pk": "claimant"}),
    "claims:claim_list_dossiers": ("list", V, {}),
    "claims:claim_dossier": ("record", V, {"pk": "claim", "fmt": "=json"}),
    "claims:claim_import_csv": ("list", R, {}),
    "claims:claim_import_status": ("mine", V, {"uuid": "web_import"}),
    "claims:claim_import_state": ("mine", V, {"uuid": "web_import"}),
    "claims:prepared_list": ("list", V, {}),
    "claims:prepared_dossier": ("mine", V, {"uuid": "prepared"}),
    "claims:prepared_status": ("mine", V, {"uuid": "prepared"}),
    "claims:prepared_download": ("mine", V, {"uuid": "prepared"}),
    "claims:prepared_retry": ("post", None, {"uuid": "prepared"}),
    "evidence:evidence_list": ("list", V, {}),
    "evidence:evidence_list_csv": ("list", V, {}),
    "evidence:evidence_create": ("list", R, {}),
    "evidence:evidence_detail": ("record", V, {"pk": "item"}),
    "evidence:evidence_update": ("record", R, {"pk": "item"}),
    "evidence:evidence_thumbnail": ("record", V, {"pk": "item"}),
    "evidence:evidence_preview": ("record", V, {"pk": "item"}),
    "evidence:evidence_strip": ("record", V, {"pk": "video"}),
    "evidence:evidence_file": ("record", V, {"pk": "item"}),
    "evidence:evidence_processing": ("record", V, {"pk": "video"}),
    "evidence:evidence_processing_retry": ("post", None, {"pk": "video"}),
    "evidence:evidence_accept_suggestion": ("post", None, {"pk": "item", "what": "=coordinates"}),
    "evidence:link_create": ("record", R, {"pk": "claim"}),
    "evidence:link_update": ("record", R, {"pk": "link"}),
    "evidence:link_delete": ("record", R, {"pk": "link"}),
    "evidence:review_queue": ("list", RV, {}),
    "evidence:integrity": ("staff", None, {}),
    "proofs:proofs": ("staff", None, {}),
    "proofs:signing_keys": ("shared", None, {}),
    "investigations:investigation_list": ("shared", None, {}),
    "investigations:investigation_switch": ("post", None, {}),
    "investigations:investigation_members": ("record", L, {"slug": "slug"}),
    "security_log": ("list", L, {}),
    "personal_token_revoke": ("post", None, {}),
    "accounts:security": ("shared", None, {}),
    "accounts:language": ("post", None, {}),
    "accounts:two_factor_setup": ("shared", None, {}),
    "accounts:two_factor_qr": ("shared", None, {}),
    "accounts:two_factor_verify": ("flow", None, {}),
    "accounts:backup_codes_make": ("post", None, {}),
    "accounts:two_factor_remove": ("post", None, {}),
    "accounts:sign_out_everywhere": ("post", None, {}),
    "accounts:password_change": ("shared", None, {}),
    "accounts:password_reset": ("shared", None, {}),
    "accounts:password_reset_done": ("shared", None, {}),
    "accounts:password_reset_confirm": ("shared", None, {"uidb64": "=MQ", "token": "=x-y"}),
    "accounts:password_reset_complete": ("shared", None, {}),
    "accounts:lockouts": ("staff", None, {}),
    "accounts:lockout_lift": ("staff", None, {}),
    "accounts:user_security": ("staff", None, {"pk": "claim"}),
    "teamwork:claim_comment": ("post", None, {"pk": "claim"}),
    "teamwork:evidence_comment": ("post", None, {"pk": "item"}),
    "teamwork:comment_update": ("author", V, {"pk": "comment"}),
    "teamwork:comment_delete": ("author", V, {"pk": "comment"}),
    "teamwork:claim_assign": ("post", None, {"pk": "claim"}),
    "teamwork:evidence_assign": ("post", None, {"pk": "item"}),
    "teamwork:assignment_remove": ("post", None, {"pk": "assignment"}),
    "teamwork:claim_watch": ("post", None, {"pk": "claim"}),
    "teamwork:evidence_watch": ("post", None, {"pk": "item"}),
    "teamwork:inbox": ("shared", None, {}),
    "teamwork:notification_settings": ("shared", None, {}),
    "teamwork:notifications_read_all": ("post", None, {}),
    "teamwork:notification_open": ("mine", V, {"pk": "notification"}),
    "teamwork:notification_read": ("post", None, {"pk": "notification"}),
    "teamwork:saved_search_list": ("shared", None, {}),
    "teamwork:saved_search_create": ("post", None, {}),
    "teamwork:saved_search_update": ("mine", V, {"pk": "search"}),
    "teamwork:saved_search_delete": ("post", None, {"pk": "search"}),
    "teamwork:activity": ("record", V, {"slug": "slug"}),
    "comment-list": ("list", V, {}),
    "comment-detail": ("record", V, {"pk": "comment"}),
    "assignment-list": ("list", V, {}),
    "assignment-detail": ("record", V, {"pk": "assignment"}),
    "notification-list": ("shared", None, {}),
    "notification-detail": ("mine", V, {"pk": "notification"}),
    "notification-read": ("post", None, {"pk": "notification"}),
    "notification-read-all": ("post", None, {}),
    "savedsearch-list": ("shared", None, {}),
    "savedsearch-detail": ("mine", V, {"pk": "search"}),
    "oidc_authentication_init": ("off", None, {}),
    "oidc_authentication_callback": ("off", None, {}),
}


def _route_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            if inner != "admin:":
                names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_route_has_an_expectation():
    assert _route_names(get_resolver().url_patterns) == set(ROUTES)


@pytest.fixture
def records(investigation, researcher, tmp_path, django_capture_on_commit_callbacks):
    claim = claims.claim_create(investigation=investigation, statement="Tanks.", by=researcher)
    claimant = ClaimantFactory()
    source = claims.source_create(claim=claim, outlet="BBC", url="https://bbc.com/1", by=researcher)
    attribution = claims.attribution_create(claim=claim, claimant=claimant, by=researcher)
    denial = claims.denial_create(claim=claim, claimant=claimant, by=researcher)
    item = evidence.evidence_create(
        investigation=investigation, kind="photo", title="Column",
        file=ContentFile(files.png(), name="c.png"), by=researcher,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # its keyframes, by the task
        video = evidence.evidence_create(
            investigation=investigation, kind="video", title="Clip",
            file=ContentFile(files.video(tmp_path / "clip.mp4"), name="clip.mp4"), by=researcher,
        )  # fmt: skip
    link = evidence.evidence_link_create(
        claim=claim, evidence=item, relation="supports", by=researcher
    )
    prepared = dossier_request(
        by=researcher, kind="pdf", claims=[claim], include_unreviewed=False, label="Tanks."
    )
    web_import = import_request(text="statement\nX.\n", investigation=investigation, rows=1,
                                by=researcher)  # fmt: skip
    upload = upload_create(by=researcher, investigation=investigation, length=10)
    comment = teamwork.comment_create(record=claim, by=researcher, text="Checked.").comment
    assignment = teamwork.assignment_add(record=claim, user=researcher, by=researcher)
    notification = Notification.objects.create(
        recipient=researcher, kind="mention", claim=claim, investigation=investigation,
        updated=timezone.now(),
    )  # fmt: skip
    search = teamwork.saved_search_create(owner=researcher, name="Mine", target="claims", query="")
    return {
        "comment": comment.pk, "assignment": assignment.pk, "notification": notification.pk,
        "search": search.pk,
        "upload": str(upload.uuid),
        "web_import": str(web_import.uuid),
        "prepared": str(prepared.uuid), "claim": claim.pk, "claimant": claimant.pk,
        "source": source.pk,
        "attribution": attribution.pk, "denial": denial.pk, "item": item.pk,
        "video": video.pk, "link": link.pk, "tag": TagFactory().pk,
        "slug": investigation.slug,
    }  # fmt: skip


def _url(name: str, arguments: dict, records: dict) -> str:
    # A value "=text" is the text itself; any other names a record of the set.
    kwargs = {
        key: value[1:] if value.startswith("=") else records[value]
        for key, value in arguments.items()
    }
    return reverse(name, kwargs=kwargs)


def _people(investigation):
    people = {}
    for role in Role:
        user = UserFactory(username=f"as-{role}")
        MembershipFactory(investigation=investigation, user=user, role=role)
        people[role] = user
    elsewhere = Investigation.objects.create(name="Elsewhere", slug="elsewhere")
    people["outsider"] = UserFactory(username="outsider")
    MembershipFactory(investigation=elsewhere, user=people["outsider"], role=Role.LEAD)
    people["nobody"] = UserFactory(username="nobody")  # logged in, member of nothing
    return people


def _expected(kind: str, needed, who) -> set[int]:
    if kind == "staff":  # nobody here is staff
        return {403}
    if kind == "flow":  # a step of signing in: shown, or sent on to the step it needs
        return {200, 302}
    if kind == "off":  # single sign-on, not configured here
        return {404}
    if kind == "author" and who != "nobody":  # the researcher's own comment
        return {404} if who == "outsider" else {403}
    if who == "nobody":
        # Refused before anything is looked up (403), or not found (404): never shown.
        return {405, 403} if kind == "post" else {200} if needed is None else {403, 404}
    if kind == "post":
        return {405}
    if kind == "mine":  # one person's own (the researcher's): nobody else's to open
        return {404}
    if who == "outsider":
        if kind == "record":
            return {404}
        return {200}  # lead of their own investigation: every page of theirs opens
    return {200} if needed is None or Role(who).allows(needed) else {403}


def test_every_route_answers_each_role_and_outsiders(client, investigation, records):
    people = _people(investigation)
    wrong = []
    for who, user in people.items():
        client.force_login(user)
        for name, (kind, needed, arguments) in ROUTES.items():
            url = _url(name, arguments, records)
            status = client.get(url).status_code
            expected = _expected(kind, needed, who)
            if name == "login" and status == 200:
                continue
            if status not in expected:
                wrong.append(f"{who} GET {url} ({name}): {status}, expected {expected}")
    assert wrong == []
