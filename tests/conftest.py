"""Fixtures every test can use: a fixed cast of users, and media isolated on disk."""

import importlib
import uuid

import pytest
from django.contrib.auth.models import Group

from demo.case import INVESTIGATION_SLUG as DEMO_SLUG
from investigations.models import Investigation, Membership, Role
from tests.factories import MembershipFactory, UserFactory, default_investigation


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """No test writes into the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory):
    """One Ed25519 key for the whole run (a test rotating keys makes its own)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = tmp_path_factory.mktemp("keys") / "signing-key.pem"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


@pytest.fixture(autouse=True)
def _signing_key(settings, signing_key_file):
    """Dossiers are signed with the run's key; no Time-Stamping Authority unless a test
    starts one (tests/proofs/conftest.py)."""
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = signing_key_file
    settings.TIMESTAMP_URL = ""
    settings.TIMESTAMP_CA_FILE = ""
    settings.C2PA_TRUST_ANCHORS = ""  # no content-credential signer trusted unless a test says


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A failed sign-in waits this long before it is answered (tests/accounts checks it).
    settings.SIGN_IN_FAILURE_DELAY = 0


@pytest.fixture
def role_groups(transactional_db):
    """The Researchers and Reviewers groups, made by the data migration's own code.

    A transactional test flushes every table afterwards, groups included.
    """
    from django.apps import apps

    importlib.import_module("evidence.migrations.0002_groups").create_groups(apps, None)


_ROLE_OF_GROUP = {"Researchers": Role.RESEARCHER, "Reviewers": Role.REVIEWER}


def _member(username: str, group: str, **extra):
    """A user in `group`, and a member of the default investigation with its role (and of
    the demo case's, when a test has loaded it)."""
    user = UserFactory(username=username, **extra)
    user.groups.add(Group.objects.get(name=group))
    MembershipFactory(user=user, role=_ROLE_OF_GROUP[group])
    demo = Investigation.objects.filter(slug=DEMO_SLUG).first()
    if demo is not None:
        MembershipFactory(investigation=demo, user=user, role=_ROLE_OF_GROUP[group])
    return user


def join_demo_case() -> None:
    """The fixed cast already made joins the demo case's investigation, each with the role
    they hold in the default one (tests that load the demo call this)."""
    demo = Investigation.objects.get(slug=DEMO_SLUG)
    for membership in Membership.objects.filter(investigation=default_investigation()):
        MembershipFactory(investigation=demo, user=membership.user, role=membership.role)


@pytest.fixture
def investigation(db):
    """The investigation the factories put records in (the cast below are its members)."""
    return default_investigation()


@pytest.fixture
def researcher(db):
    return _member("rita", "Researchers")


@pytest.fixture
def reviewer(db):
    return _member("victor", "Reviewers")


@pytest.fixture
def staff_researcher(db):
    return _member("sam", "Researchers", is_staff=True)


@pytest.fixture
def staff_reviewer(db):
    return _member("vera", "Reviewers", is_staff=True)


@pytest.fixture
def outsider(db):
    """Logged in, but in neither group."""
    return UserFactory(username="olga")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """A SeaweedFS server for the whole session (started on first use) with one bucket."""
    from tests.objectstore import make_bucket, seaweedfs

    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as endpoint:
        make_bucket(endpoint, "evidence")
        yield endpoint


@pytest.fixture
def bucket_storage(settings, object_store):
    """Evidence, previews and dossiers in the bucket, under a prefix of this test's own."""
    from tests.objectstore import s3_options

    prefix = f"t-{uuid.uuid4().hex[:12]}"
    s3 = {"BACKEND": "storages.backends.s3.S3Storage",
          "OPTIONS": s3_options(object_store, "evidence", prefix)}  # fmt: skip
    settings.STORAGES = settings.STORAGES | {"default": s3, "s3": s3}
    return {"endpoint": object_store, "bucket": "evidence", "prefix": prefix}
