import pytest

from investigations.models import Role
from tests.factories import InvestigationFactory, MembershipFactory, UserFactory


@pytest.fixture
def member(db, investigation):
    """Make a member of the default investigation: member("name", role)."""

    def make(username: str, role: str = Role.RESEARCHER, email: str | None = None):
        user = UserFactory(username=username, email=email or f"{username}@example.org")
        MembershipFactory(investigation=investigation, user=user, role=role)
        return user

    return make


@pytest.fixture
def elsewhere(db):
    """Another investigation, with a member of its own."""
    other = InvestigationFactory(slug="elsewhere")
    MembershipFactory(investigation=other, user=UserFactory(username="eve"), role=Role.LEAD)
    return other
