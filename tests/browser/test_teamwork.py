"""Working together in Chromium: a mention suggested as one types, the comment posted,
and the person mentioned finding it in their inbox."""

import pytest

from investigations.models import Role
from tests.browser.conftest import sign_in
from tests.factories import ClaimFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mention_typed_with_suggestions_reaches_the_member(open_page, live_server, screenshot):
    claim = ClaimFactory(statement="Three unmarked tanks came from Russia")
    for name in ("alice", "bob", "boris"):
        user = UserFactory(username=name, first_name=name.capitalize())
        MembershipFactory(investigation=claim.investigation, user=user, role=Role.RESEARCHER)

    page = sign_in(open_page, live_server, "alice", f"/claims/{claim.pk}/")
    box = page.get_by_role("textbox", name="Comment")
    box.click()
    box.press_sequentially("Please check the hull numbers, @bo")
    options = page.get_by_role("listbox", name="Members to mention").get_by_role("option")
    options.first.wait_for()
    assert options.all_inner_texts() == ["@bob (Bob)", "@boris (Boris)"]
    page.keyboard.press("Enter")  # takes the first: bob
    assert box.input_value() == "Please check the hull numbers, @bob "
    box.press_sequentially("thanks")
    screenshot(page, "comment-mention")
    page.get_by_role("button", name="Add comment").click()
    page.get_by_text("Comment added.").wait_for()
    assert page.locator(".comment .mention").inner_text() == "@bob"

    bob = sign_in(open_page, live_server, "bob", "/")
    bob.locator(".unread-count").wait_for()
    assert bob.locator(".unread-count").inner_text() == "1"
    bob.get_by_role("link", name="Notifications").click()
    bob.get_by_text("alice mentioned you in a comment on").click()
    bob.get_by_role("heading", name="Three unmarked tanks came from Russia").wait_for()
    assert bob.locator(".unread-count").count() == 0
    screenshot(bob, "comment-seen-by-bob")
