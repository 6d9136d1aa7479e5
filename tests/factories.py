"""factory_boy factories for every model; tests override only what they are about."""

import datetime

import factory
from django.contrib.auth import get_user_model

from claims.models import Attribution, Claim, Claimant, Denial, Source, Tag, name_key
from claims.services import claims_search_refresh
from core.dates import PartialDate
from evidence.models import EvidenceItem, EvidenceKind, EvidenceLink, Relation
from evidence.tally import claims_tally_refresh
from investigations.models import Investigation, Membership, Role

# The investigation every factory puts its records in unless told otherwise; the fixed cast
# of users in conftest.py are members of it.
DEFAULT_SLUG = "casework"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class InvestigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investigation
        django_get_or_create = ("slug",)

    slug = DEFAULT_SLUG
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


def default_investigation() -> Investigation:
    return InvestigationFactory()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("investigation", "user")

    investigation = factory.SubFactory(InvestigationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.RESEARCHER


class _KeepsOwnSearchDocument(factory.django.DjangoModelFactory):
    """Factories save past clean(), which derives a record's search document."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = super()._create(model_class, *args, **kwargs)
        instance.clean()
        model_class.objects.filter(pk=instance.pk).update(search_text=instance.search_text)
        return instance


class ClaimantFactory(_KeepsOwnSearchDocument):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    name_key = factory.LazyAttribute(lambda o: name_key(o.name))
    created_by = factory.SubFactory(UserFactory)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    name_key = factory.LazyAttribute(lambda o: name_key(o.name))


class _KeepsClaimUpToDate(factory.django.DjangoModelFactory):
    """Factories write past the services; these refresh what the claim stores about its
    parts (search document, tally) as the services do, so that searches, columns and flag
    filters in tests see what the factories made."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = super()._create(model_class, *args, **kwargs)
        claim_id = instance.pk if model_class is Claim else instance.claim_id
        claims_search_refresh([claim_id])
        # And the tally the claim stores, as the services keep it.
        claims_tally_refresh([claim_id])
        Claim.objects.filter(pk=claim_id).update(
            denial_count=Denial.objects.filter(claim_id=claim_id).count()
        )
        return instance


class ClaimFactory(_KeepsClaimUpToDate):
    class Meta:
        model = Claim

    # Saved even when the claim is only built: a built claim is still validated against it.
    investigation = factory.LazyFunction(default_investigation)
    statement = factory.Sequence(lambda n: f"Claim number {n} is true.")
    made_on = datetime.date(2014, 6, 12)
    made_on_precision = "day"
    made_until = factory.LazyAttribute(
        lambda o: PartialDate(o.made_on, o.made_on_precision).end if o.made_on else None
    )
    created_by = factory.SubFactory(UserFactory)


class SourceFactory(_KeepsClaimUpToDate):
    class Meta:
        model = Source

    claim = factory.SubFactory(ClaimFactory)
    outlet = "BBC"
    url = factory.Sequence(lambda n: f"https://example.org/news/{n}")


class AttributionFactory(_KeepsClaimUpToDate):
    class Meta:
        model = Attribution

    claim = factory.SubFactory(ClaimFactory)
    claimant = factory.SubFactory(ClaimantFactory)
    created_by = factory.SubFactory(UserFactory)


class DenialFactory(_KeepsClaimUpToDate):
    class Meta:
        model = Denial

    claim = factory.SubFactory(ClaimFactory)
    claimant = factory.SubFactory(ClaimantFactory)
    created_by = factory.SubFactory(UserFactory)


class EvidenceItemFactory(_KeepsOwnSearchDocument):
    class Meta:
        model = EvidenceItem

    investigation = factory.LazyFunction(default_investigation)
    kind = EvidenceKind.PHOTO
    title = factory.Sequence(lambda n: f"Evidence {n}")
    created_by = factory.SubFactory(UserFactory)


class EvidenceLinkFactory(_KeepsClaimUpToDate):
    class Meta:
        model = EvidenceLink

    claim = factory.SubFactory(ClaimFactory)
    evidence = factory.SubFactory(
        EvidenceItemFactory, investigation=factory.SelfAttribute("..claim.investigation")
    )
    relation = Relation.SUPPORTS
    created_by = factory.SubFactory(UserFactory)
