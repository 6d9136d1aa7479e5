"""Provenance in Chromium: a reviewer sees a tampered image's failed credentials in the
queue and on its page, and staff see the signing key; each page passes axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile

from evidence.services import evidence_create
from proofs.keys import current_key
from tests import c2pa_files, files
from tests.browser.conftest import sign_in
from tests.conftest import _member
from tests.factories import UserFactory, default_investigation

pytestmark = pytest.mark.django_db(transaction=True)


def _violations(page) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in Axe().run(page).response["violations"]]


def test_a_reviewer_sees_failed_credentials(open_page, live_server, screenshot, role_groups):
    researcher = _member("rita", "Researchers")
    _member("victor", "Reviewers")
    signed = c2pa_files.signed(files.encode(files.scene(7), "JPEG"), "image/jpeg")
    item = evidence_create(
        investigation=default_investigation(),
        kind="satellite_image",
        title="Staging area near Rostov, 11 June",
        file=ContentFile(c2pa_files.with_changed_byte(signed), name="staging.jpg"),
        by=researcher,
    )
    page = sign_in(open_page, live_server, "victor", "/review/")
    entry = page.locator(f"#item-{item.pk}")
    panel = entry.get_by_role("region", name="Content credentials")
    assert "Credentials failed" in panel.inner_text()
    screenshot(page, "review-queue-credentials-failed")
    assert _violations(page) == []
    page.goto(f"{live_server.url}/evidence/{item.pk}/")
    heading = page.get_by_role("heading", name="Content credentials")
    assert heading.is_visible()
    assert "Test Camera" in page.get_by_role("region", name="Content credentials").inner_text()
    assert _violations(page) == []


def test_staff_see_the_fingerprint(open_page, live_server, screenshot):
    UserFactory(username="sasha", is_staff=True)
    page = sign_in(open_page, live_server, "sasha", "/proofs/")
    page.get_by_role("heading", name="Signing keys and timestamps").wait_for()
    assert current_key().fingerprint in page.inner_text("main")
    screenshot(page, "signing-keys")
    assert _violations(page) == []
