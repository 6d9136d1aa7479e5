"""The main researcher journeys, in a real browser against a live server."""

import re

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from claims.models import Claim
from investigations.models import Role
from tests.factories import ClaimantFactory, ClaimFactory, MembershipFactory, UserFactory

# A live server needs committed data, so these tests are transactional.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

PASSWORD = "correct horse battery staple"


_ROLES = {"Researchers": Role.RESEARCHER, "Reviewers": Role.REVIEWER}


def _member(username: str, group: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    MembershipFactory(user=user, role=_ROLES[group])
    return user


def _log_in(open_page, live_server, username: str):
    page = open_page()
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url  # anonymous: sent to log in
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    return page


def _nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def _png(path) -> str:
    Image.new("RGB", (320, 200), (40, 90, 140)).save(path, format="PNG")
    return str(path)


def test_researcher_records_a_claim_with_its_claimants_denial_and_evidence(
    open_page, live_server, screenshot, tmp_path
):
    _member("rita", "Researchers")
    ClaimFactory(statement="An unrelated claim about something else.")
    page = _log_in(open_page, live_server, "rita")
    screenshot(page, "01-dashboard")

    # Two claimants: who made the claim and who denied it.
    for name, kind in (("Арсен Аваков", "Official"), ("МИД России", "Government body")):
        _nav(page, "Claimants")
        page.get_by_role("link", name="New claimant").click()
        # The list has a Name and a Kind filter too: fill the form's, once it is there.
        page.get_by_role("heading", name="New claimant").wait_for()
        page.get_by_label("Name").fill(name)
        page.get_by_label("Kind").select_option(label=kind)
        page.get_by_role("button", name="Add claimant").click()
        page.get_by_text("Claimant added.").wait_for()
        assert page.get_by_role("heading", name=name).is_visible()
    screenshot(page, "02-claimant")

    # A claim in Cyrillic, with a source and an attribution on the same page.
    _nav(page, "Claims")
    page.get_by_role("link", name="New claim").click()
    page.get_by_role("heading", name="New claim", exact=True).wait_for()
    page.get_by_label("Statement").fill("Три немаркированных танка пришли из России.")
    page.get_by_label("First made").fill("June 2014")
    page.get_by_label("Tags").fill("Украина, NATO")
    page.get_by_label("Outlet").fill("BBC")
    page.get_by_label(re.compile(r"^URL")).fill("https://www.bbc.com/news/world-europe-30025138")
    page.get_by_role("button", name="Add another source").click()
    assert page.locator("input[name=sources-1-outlet]").count() == 1  # the JS added a row
    attribution = page.locator("fieldset", has_text="Attribution 1")
    attribution.get_by_label("Claimant").select_option(label="Арсен Аваков")
    attribution.get_by_label("When").fill("12 June 2014")
    screenshot(page, "03-claim-form")
    page.get_by_role("button", name="Create claim").click()
    page.get_by_text("Claim created.").wait_for()
    claim = Claim.objects.get(statement__startswith="Три")
    assert page.get_by_role("heading", name="Три немаркированных танка пришли из России.")
    assert page.get_by_text("First made: June 2014").is_visible()
    assert page.get_by_role("link", name="Арсен Аваков").is_visible()

    # A denial.
    page.get_by_role("link", name="Add denial").click()
    page.get_by_label("Claimant").select_option(label="МИД России")
    page.get_by_label("When").fill("June 2014")
    page.get_by_label("Verbatim quote").fill("another fake piece of information")
    page.get_by_role("button", name="Add denial").click()
    page.get_by_text("Denial added.").wait_for()
    denials = page.get_by_role("region", name="Denials")
    assert denials.get_by_text("another fake piece of information").is_visible()

    # New evidence with an image, linked as contradicting in the same step.
    page.get_by_role("link", name="Add new evidence").click()
    page.get_by_label("Relation").select_option("contradicts")
    page.get_by_label("Strength").select_option("strong")
    page.get_by_label("Kind").select_option("photo")
    page.get_by_label("Title").fill("Фото колонны у Ростова")
    page.get_by_label("File").set_input_files(_png(tmp_path / "column.png"))
    page.get_by_label("Captured from").fill("11 June 2014")
    page.get_by_role("button", name="Add and link evidence").click()
    page.get_by_text("Evidence added and linked as contradicts.").wait_for()
    contradicting = page.locator("section.contradicting")
    card = contradicting.get_by_role("article", name="Фото колонны у Ростова")
    card.wait_for()
    preview = card.get_by_role("img")
    preview.scroll_into_view_if_needed()  # it loads lazily; decode() waits for it, or fails
    assert preview.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)") > 0
    assert page.locator("section.supporting").get_by_text("No supporting evidence").is_visible()
    screenshot(page, "04-claim-with-contradicting-evidence")

    # Filter the list down to this claim; the filter lives in the URL.
    _nav(page, "Claims")
    assert page.get_by_text("An unrelated claim").is_visible()
    page.get_by_label("Search", exact=True).fill("НЕМАРКИРОВАННЫХ")
    page.get_by_label("Denied").select_option("yes")
    page.get_by_label("Has contradicting evidence").select_option("yes")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/claims/?*q=*")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1
    assert "Три немаркированных танка" in rows.first.inner_text()
    screenshot(page, "05-filtered-claim-list")
    page.goto(page.url)  # a shared link gives the same view
    assert page.locator("table.list tbody tr").count() == 1
    assert claim.denials.count() == 1 and claim.evidence_links.count() == 1


def test_an_edit_conflict_is_shown_with_what_changed(open_page, live_server, screenshot):
    _member("rita", "Researchers")
    _member("victor", "Reviewers")
    claim = ClaimFactory(statement="Танки пересекли границу.")
    ClaimantFactory(name="NATO")
    edit = f"{live_server.url}/claims/{claim.pk}/edit/"

    rita = _log_in(open_page, live_server, "rita")
    rita.goto(edit)
    victor = _log_in(open_page, live_server, "victor")
    victor.goto(edit)
    victor.get_by_label("Statement").fill("Танки пересекли границу 12 июня.")
    victor.get_by_role("button", name="Save claim").click()
    victor.get_by_text("Claim saved.").wait_for()

    rita.get_by_label("Details").fill("Seen near Makiivka.")
    rita.get_by_role("button", name="Save claim").click()
    rita.get_by_text("Someone else saved this while you were editing").wait_for()
    conflict = rita.locator("table.conflict")
    assert "Танки пересекли границу 12 июня." in conflict.inner_text()
    assert rita.get_by_label("Details").input_value() == "Seen near Makiivka."
    screenshot(rita, "06-edit-conflict")
    claim.refresh_from_db()
    assert claim.statement == "Танки пересекли границу 12 июня." and claim.details == ""

    # Having seen the conflict, saving again is a deliberate choice and goes through.
    rita.get_by_role("button", name="Save claim").click()
    rita.get_by_text("Claim saved.").wait_for()
    claim.refresh_from_db()
    assert claim.details == "Seen near Makiivka."


def test_an_items_page_updates_itself_when_its_file_is_processed(
    open_page, live_server, screenshot, settings, monkeypatch, tmp_path
):
    from django.core.files.base import ContentFile

    from evidence import services
    from tests.factories import default_investigation

    rita = _member("rita", "Researchers")
    rita.set_password(PASSWORD)
    rita.save()
    settings.EVIDENCE_INLINE_IMAGE_PIXELS = 100  # its previews are a task's work
    monkeypatch.setattr(services, "_processing_enqueue", lambda item: None)  # no worker yet
    with open(_png(tmp_path / "staging.png"), "rb") as image:
        item = services.evidence_create(
            investigation=default_investigation(), kind="satellite_image",
            title="Staging area near Rostov, 11 June", by=rita,
            file=ContentFile(image.read(), name="staging.png"),
        )  # fmt: skip
    page = _log_in(open_page, live_server, "rita")
    page.goto(f"{live_server.url}/evidence/{item.pk}/")
    page.get_by_role("heading", name="Queued for processing").wait_for()
    assert page.locator(".preview-large img").count() == 0
    screenshot(page, "evidence-queued")

    services.evidence_file_process(item.pk)  # the worker's part
    page.locator(".preview-large img").wait_for(timeout=30_000)  # the page reloaded itself
    assert page.get_by_role("heading", name="Queued for processing").count() == 0
    assert "Metadata extracted" in page.content()
    screenshot(page, "evidence-processed")


def test_a_large_file_goes_in_parts_and_survives_a_dropped_connection(
    open_page, live_server, screenshot, tmp_path
):
    import hashlib

    from evidence.models import EvidenceItem, Upload

    rita = _member("rita", "Researchers")
    rita.set_password(PASSWORD)
    rita.save()
    line = "Intercepted radio traffic near Makiivka; перехват радиосвязи.\n".encode()
    data = line * (20 * 1024 * 1024 // len(line))  # 20 MiB of text: three parts
    big = tmp_path / "intercepts.txt"
    big.write_bytes(data)

    page = _log_in(open_page, live_server, "rita")
    dropped = []

    def drop_the_second_part(route):
        offset = route.request.headers.get("upload-offset")
        if route.request.method == "PATCH" and not dropped and offset not in (None, "0"):
            dropped.append(offset)
            route.abort("connectionreset")  # the train went into a tunnel
        else:
            route.continue_()

    page.route("**/api/v1/uploads/**", drop_the_second_part)
    _nav(page, "Evidence")
    page.get_by_role("link", name="New evidence").click()
    page.get_by_role("heading", name="New evidence", exact=True).wait_for()
    page.get_by_label("Kind").select_option(label="Document")
    page.get_by_label("Title").fill("Intercepts, June 2014")
    page.get_by_label("File").set_input_files(str(big))
    page.get_by_role("button", name="Add evidence").click()
    page.get_by_text("Evidence added. It is pending review.").wait_for(timeout=60_000)
    screenshot(page, "evidence-resumed-upload")

    assert dropped, "the connection was never dropped"
    item = EvidenceItem.objects.get(title="Intercepts, June 2014")
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size_bytes == len(data)
    assert item.file.open("rb").read() == data  # byte for byte, after the resume
    assert Upload.objects.get().state == "used"
