"""The workbench in Arabic, right to left, in Chromium: the whole layout mirrors, user text
keeps its own direction, and the main pages pass the axe accessibility checks in Arabic as
in English."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from claims.services import claim_create
from core.dates import PartialDate
from evidence.services import evidence_create, evidence_link_create, evidence_review
from investigations.models import Role
from tests.factories import MembershipFactory, UserFactory, default_investigation

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def case():
    place = default_investigation()
    rita = UserFactory(username="rita")
    MembershipFactory(investigation=place, user=rita, role=Role.LEAD)
    claim = claim_create(
        investigation=place,
        statement="دبابات روسية عبرت الحدود قرب https://example.org/map وفق Аваков",
        made=PartialDate.parse("June 2014"),
        by=rita,
    )
    supporting = evidence_create(
        investigation=place, kind="photo", title="صور الأقمار الصناعية", by=rita
    )
    contradicting = evidence_create(
        investigation=place, kind="official_statement", title="بيان الخارجية", by=rita
    )
    evidence_link_create(claim=claim, evidence=supporting, relation="supports", by=rita)
    evidence_link_create(claim=claim, evidence=contradicting, relation="contradicts", by=rita)
    vera = UserFactory(username="vera")
    MembershipFactory(investigation=place, user=vera, role=Role.REVIEWER)
    evidence_review(item=supporting, by=vera, status="approved")
    return {"claim": claim, "item": supporting}


def _sign_in(open_page, live_server, language: str):
    page = open_page(locale=language)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("rita")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.login button[type=submit], main form button[type=submit]").first.click()
    page.locator(".site-header nav").wait_for()
    return page


def test_arabic_mirrors_the_layout(open_page, live_server, screenshot, case):
    page = _sign_in(open_page, live_server, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.goto(f"{live_server.url}/claims/{case['claim'].pk}/")
    page.get_by_role("heading", name="ميزان الأدلة").wait_for()
    supporting = page.locator(".column.supporting").bounding_box()
    contradicting = page.locator(".column.contradicting").bounding_box()
    # Right to left: the first column (supporting) is on the right.
    assert supporting["x"] > contradicting["x"]
    # The balance bar fills from the right, as the columns read.
    bar = page.locator(".balance-bar")
    assert bar.evaluate("e => getComputedStyle(e).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 640  # the header starts on the right
    # The claim's own text keeps its direction inside the Arabic page.
    assert page.locator("h1").get_attribute("dir") == "auto"
    assert "June" not in page.locator(".record-head .meta").inner_text()
    assert "يونيو 2014" in page.locator(".record-head .meta").inner_text()
    screenshot(page, "claim-ar")
    page.goto(f"{live_server.url}/claims/")
    screenshot(page, "claim-list-ar")


@pytest.mark.parametrize("language", ["ar", "en", "uk"])
def test_the_main_pages_pass_axe(open_page, live_server, case, language):
    page = _sign_in(open_page, live_server, language)
    axe = Axe()
    problems = []
    claim, item = case["claim"].pk, case["item"].pk
    pages = ["/", "/claims/", f"/claims/{claim}/", "/evidence/", f"/evidence/{item}/",
             "/notifications/", "/investigations/"]  # fmt: skip
    for path in pages:
        page.goto(live_server.url + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            problems.append(f"{path}: {violation['id']}: {violation['help']}")
    assert problems == []
