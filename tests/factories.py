"""factory_boy factories for every model; tests override only what they are about."""

import datetime

import factory
from django.contrib.auth import get_user_model

from claims.models import Attribution, Claim, Claimant, Denial, Source, Tag, name_key
from core.dates import PartialDate
from evidence.models import EvidenceItem, EvidenceKind, EvidenceLink, Relation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class ClaimantFactory(factory.django.DjangoModelFactory):
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


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"Claim number {n} is true.")
    made_on = datetime.date(2014, 6, 12)
    made_on_precision = "day"
    made_until = factory.LazyAttribute(
        lambda o: PartialDate(o.made_on, o.made_on_precision).end if o.made_on else None
    )
    created_by = factory.SubFactory(UserFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    claim = factory.SubFactory(ClaimFactory)
    outlet = "BBC"
    url = factory.Sequence(lambda n: f"https://example.org/news/{n}")


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    claim = factory.SubFactory(ClaimFactory)
    claimant = factory.SubFactory(ClaimantFactory)
    created_by = factory.SubFactory(UserFactory)


class DenialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Denial

    claim = factory.SubFactory(ClaimFactory)
    claimant = factory.SubFactory(ClaimantFactory)
    created_by = factory.SubFactory(UserFactory)


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    kind = EvidenceKind.PHOTO
    title = factory.Sequence(lambda n: f"Evidence {n}")
    created_by = factory.SubFactory(UserFactory)


class EvidenceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceLink

    claim = factory.SubFactory(ClaimFactory)
    evidence = factory.SubFactory(EvidenceItemFactory)
    relation = Relation.SUPPORTS
    created_by = factory.SubFactory(UserFactory)
