"""No input gives a server error: Schemathesis generates requests from our own OpenAPI schema
for every operation and sends them through the application, as a reviewer with a token.

Seeded and bounded (40 examples per operation: enough to find the flag filter's old
FieldError, which 12 did not), so it runs the same way every time and in under a minute.
Half of the generated ids are swapped for records that exist, so that updates, reviews
and deletions reach the services rather than stopping at 404.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from tests.factories import (
    AttributionFactory,
    ClaimantFactory,
    ClaimFactory,
    DenialFactory,
    EvidenceItemFactory,
    EvidenceLinkFactory,
    SourceFactory,
    TagFactory,
)

EXAMPLES_PER_OPERATION = 40

# The parts of a resumable upload are raw bytes (tus): any bytes will do.
schemathesis.openapi.media_type("application/offset+octet-stream", st.binary(max_size=256))


def _existing_records(author) -> dict[str, int]:
    """One record of each kind, by the first segment of its API path."""
    claim = ClaimFactory(created_by=author)
    claim.tags.add(TagFactory())
    claimant = ClaimantFactory(created_by=author)
    return {
        "claims": claim.pk,
        "claimants": claimant.pk,
        "tags": claim.tags.get().pk,
        "sources": SourceFactory(claim=claim).pk,
        "attributions": AttributionFactory(claim=claim, claimant=claimant).pk,
        "denials": DenialFactory(claim=claim, claimant=claimant).pk,
        "evidence": EvidenceItemFactory().pk,  # someone else's: reviewable
        "links": EvidenceLinkFactory(claim=claim).pk,
    }


def _exercise(operation, record_id: int | None, *, app, headers: dict) -> list[str]:
    """Send the operation's generated examples; the ones answered with a 5xx."""
    server_errors: list[str] = []

    @seed(20261201)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), use_existing=st.booleans())
    def call(case, use_existing):
        if use_existing and case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = record_id
        response = case.call(app=app, headers=headers)
        if response.status_code >= 500:
            body = case.body if isinstance(case.body, dict | list | str) else ""
            server_errors.append(
                f"{case.method} {case.formatted_path} {case.query or ''} "
                f"{body!r:.200} -> {response.status_code}"
            )

    call()
    return server_errors


# Transactional: a request whose SQL fails must not poison the rest of the run (PostgreSQL
# aborts a whole transaction on an error).
@pytest.mark.django_db(transaction=True)
def test_no_generated_request_gets_a_server_error(role_groups, reviewer):
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    app = get_wsgi_application()
    headers = {"Authorization": f"Token {Token.objects.create(user=reviewer).key}"}
    existing = _existing_records(reviewer)
    server_errors = []
    for result in schema.get_all_operations():
        operation = result.ok()
        resource = operation.path.strip("/").split("/")[2]  # /api/v1/<resource>/...
        server_errors += _exercise(operation, existing.get(resource), app=app, headers=headers)
    assert server_errors == []
