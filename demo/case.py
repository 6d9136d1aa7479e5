"""The demo case: NATO's claim that Russian troops and tanks entered eastern Ukraine (2014).

Loaded through the same services as every other writer. Each object has a fixed identity
(a UUID derived from a stable key, a claimant's name, a claim and claimant for an
attribution...), so loading twice finds everything already there and changes nothing.

The satellite images are placeholders drawn here with Pillow and say so in their title
and in their pixels: NATO's real imagery is not redistributed.
"""

from __future__ import annotations

import datetime
import io
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from claims.models import (
    Attribution,
    AttributionRole,
    Claim,
    Claimant,
    ClaimantKind,
    Denial,
    DenialKind,
    Source,
    Verdict,
)
from claims.services import (
    attribution_create,
    claim_create,
    claim_related_add,
    claimant_create,
    claimant_get_by_name,
    denial_create,
    source_create,
)
from core.accounts import account_without_login
from core.dates import DatePrecision, PartialDate
from evidence.models import (
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    LocationPrecision,
    Relation,
    ReviewStatus,
    Strength,
)
from evidence.services import evidence_create, evidence_link_create, evidence_review
from investigations.access import role_in
from investigations.models import Investigation, Role
from investigations.services import investigation_create, membership_set

NAMESPACE = uuid.UUID("6f1d3a52-3c0e-4b8e-9a51-2f7d0c4e8b10")
JUNE_2014 = PartialDate(datetime.date(2014, 6, 1), DatePrecision.MONTH)
NOV_12 = PartialDate(datetime.date(2014, 11, 12))
BBC_URL = "http://www.bbc.com/news/world-europe-30025138"

INVESTIGATION_SLUG = "nato-ukraine-2014"
RESEARCHER_USERNAME = "demo-researcher"
REVIEWER_USERNAME = "demo-reviewer"


def _day(year: int, month: int, day: int) -> tuple[PartialDate, PartialDate]:
    """A capture range of one day."""
    date = PartialDate(datetime.date(year, month, day))
    return date, date


def demo_uuid(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _author(username: str, group: str):
    """A demo author who cannot log in (no usable password)."""
    user = account_without_login(username)
    user.groups.add(Group.objects.get(name=group))
    return user


def placeholder_satellite_image(*, day: str, tanks: int, caption: str) -> bytes:
    """A clearly fake 'aerial image': noise terrain, vehicles drawn as blocks, a banner."""
    rng = random.Random(f"{day}-{tanks}")
    width, height = 960, 600
    image = Image.new("RGB", (width, height), (120, 116, 96))
    draw = ImageDraw.Draw(image)
    for _ in range(900):
        x, y = rng.randrange(width), rng.randrange(height)
        shade = rng.randrange(90, 150)
        draw.rectangle(
            (x, y, x + rng.randrange(4, 30), y + rng.randrange(4, 20)),
            fill=(shade, shade - 4, shade - 28),
        )
    draw.rectangle((120, 180, 840, 470), outline=(200, 196, 170), width=3)  # the compound
    for i in range(tanks):
        x = 170 + (i % 5) * 130
        y = 230 + (i // 5) * 120
        draw.rectangle((x, y, x + 44, y + 22), fill=(40, 46, 36))
        draw.line((x + 22, y + 11, x + 70, y + 11), fill=(40, 46, 36), width=4)
    font = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=20)
    draw.rectangle((0, 0, width, 60), fill=(180, 20, 20))
    draw.text((20, 14), "PLACEHOLDER - NOT A REAL SATELLITE IMAGE", fill="white", font=font)
    draw.rectangle((0, height - 70, width, height), fill=(20, 20, 20))
    draw.text((20, height - 60), f"Demo stand-in for NATO imagery, {day}", fill="white", font=small)
    draw.text((20, height - 32), caption, fill="white", font=small)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def demo_investigation() -> Investigation:
    """The demo case's own investigation (made on first load)."""
    existing = Investigation.objects.filter(slug=INVESTIGATION_SLUG).first()
    return existing or investigation_create(
        name="NATO, Ukraine and Russia, 2014",
        slug=INVESTIGATION_SLUG,
        description="The demo case: did Russian troops and tanks enter eastern Ukraine?",
        by=None,
    )


class _Loader:
    def __init__(self) -> None:
        self.report = LoadReport()
        self.investigation = demo_investigation()
        self.researcher = _author(RESEARCHER_USERNAME, "Researchers")
        self.reviewer = _author(REVIEWER_USERNAME, "Reviewers")
        for user, role in ((self.researcher, Role.RESEARCHER), (self.reviewer, Role.REVIEWER)):
            if role_in(user, self.investigation.pk) is None:
                membership_set(investigation=self.investigation, user=user, role=role, by=None)

    def claimant(self, name: str, **fields) -> Claimant:
        existing = claimant_get_by_name(name)
        self.report.count("claimants", existing is None)
        return existing or claimant_create(name=name, by=self.researcher, **fields)

    def claim(self, key: str, *, tags: list[str], **fields) -> Claim:
        existing = Claim.objects.filter(uuid=demo_uuid(f"claim:{key}")).first()
        self.report.count("claims", existing is None)
        return existing or claim_create(
            investigation=self.investigation,
            uuid=demo_uuid(f"claim:{key}"),
            by=self.researcher,
            tags=tags,
            **fields,
        )

    def source(self, claim: Claim, *, url: str, **fields) -> Source:
        existing = Source.objects.filter(claim=claim, url=url).first()
        self.report.count("sources", existing is None)
        return existing or source_create(claim=claim, url=url, by=self.researcher, **fields)

    def attribution(self, claim: Claim, claimant: Claimant, role: str, **fields) -> Attribution:
        existing = Attribution.objects.filter(claim=claim, claimant=claimant, role=role).first()
        self.report.count("attributions", existing is None)
        return existing or attribution_create(
            claim=claim, claimant=claimant, role=role, by=self.researcher, **fields
        )

    def denial(self, claim: Claim, claimant: Claimant, **fields) -> Denial:
        existing = Denial.objects.filter(claim=claim, claimant=claimant).first()
        self.report.count("denials", existing is None)
        return existing or denial_create(
            claim=claim, claimant=claimant, by=self.researcher, **fields
        )

    def evidence(
        self,
        key: str,
        *,
        approve: str = "",
        image: bytes | None = None,
        filename: str = "",
        **fields,
    ) -> EvidenceItem:
        existing = EvidenceItem.objects.filter(uuid=demo_uuid(f"evidence:{key}")).first()
        self.report.count("evidence items", existing is None)
        if existing:
            return existing
        item = evidence_create(
            investigation=self.investigation,
            uuid=demo_uuid(f"evidence:{key}"),
            by=self.researcher,
            file=ContentFile(image, name=filename) if image else None,
            original_filename=filename,
            **fields,
        )
        if approve:
            evidence_review(item=item, by=self.reviewer, status=ReviewStatus.APPROVED, note=approve)
        return item

    def link(self, claim: Claim, item: EvidenceItem, relation: str, **fields) -> EvidenceLink:
        existing = EvidenceLink.objects.filter(claim=claim, evidence=item).first()
        self.report.count("evidence links", existing is None)
        return existing or evidence_link_create(
            claim=claim, evidence=item, relation=relation, by=self.researcher, **fields
        )

    def relate(self, claim: Claim, other: Claim) -> None:
        if not claim.related.filter(pk=other.pk).exists():
            claim_related_add(claim=claim, other=other, by=self.researcher)


@transaction.atomic
def load_demo() -> LoadReport:
    """Load (or complete) the demo case; returns what was created and what was there."""
    load = _Loader()

    # Claimants, with the Avakov → Ministry → Government chain.
    nato = load.claimant(
        "NATO",
        kind=ClaimantKind.MILITARY,
        aliases="North Atlantic Treaty Organization\nOTAN\nНАТО",
        description="The North Atlantic Treaty Organization, a military alliance.",
    )
    united_states = load.claimant(
        "United States",
        kind=ClaimantKind.STATE,
        aliases="U.S.\nUSA\nUnited States of America",
        country="United States",
    )
    government_ua = load.claimant(
        "Government of Ukraine",
        kind=ClaimantKind.STATE,
        aliases="Уряд України\nCabinet of Ministers of Ukraine",
        country="Ukraine",
    )
    ministry_ua = load.claimant(
        "Ministry of Internal Affairs of Ukraine",
        kind=ClaimantKind.GOVERNMENT_BODY,
        parent=government_ua,
        aliases="Міністерство внутрішніх справ України\nInterior Ministry of Ukraine",
        country="Ukraine",
    )
    avakov = load.claimant(
        "Arsen Avakov",
        kind=ClaimantKind.OFFICIAL,
        parent=ministry_ua,
        aliases="Арсен Аваков\nArsen Borysovych Avakov",
        country="Ukraine",
        description="Ukraine's Interior Minister in 2014.",
    )
    government_ru = load.claimant(
        "Government of the Russian Federation",
        kind=ClaimantKind.STATE,
        aliases="Russia\nПравительство Российской Федерации",
        country="Russia",
    )
    foreign_ministry_ru = load.claimant(
        "Ministry of Foreign Affairs of the Russian Federation",
        kind=ClaimantKind.GOVERNMENT_BODY,
        parent=government_ru,
        aliases=(
            "Russian foreign ministry\nМИД России\n"
            "Министерство иностранных дел Российской Федерации"
        ),
        country="Russia",
    )

    # 12 November 2014: NATO says Russian troops and equipment have entered Ukraine.
    troops = load.claim(
        "troops-entered-ukraine",
        statement="Russian Army troops and military equipment have entered Ukraine.",
        details=(
            "NATO claims that Russian Army troops and military equipment have entered "
            "Ukraine. Russia denies it."
        ),
        made=NOV_12,
        tags=["NATO", "Ukraine"],
        verdict=Verdict.UNDER_REVIEW,
    )
    bbc = load.source(
        troops,
        outlet="BBC",
        url=BBC_URL,
        title="Ukraine crisis: 'Russian troops' cross border, Nato says",
        published_on=NOV_12.value,
    )
    load.attribution(troops, nato, AttributionRole.ORIGINATOR, stated=NOV_12, source=bbc)
    load.denial(troops, government_ru, kind=DenialKind.OUTRIGHT, stated=NOV_12, source=bbc)

    # June 2014: the three unmarked tanks.
    tanks = load.claim(
        "unmarked-tanks-from-russia",
        statement=(
            "The three unmarked tanks seen in eastern Ukraine on 12 June 2014 came from Russia."
        ),
        details=(
            "Ukraine's Interior Minister Arsen Avakov says the unmarked tanks came from Russia "
            "and blames President Vladimir Putin for not securing the border. NATO and the "
            "U.S. agree. NATO implies that three tanks shown loaded on heavy equipment "
            "transporters at the Rostov staging area on 11 June are the three tanks Ukrainian "
            "officials spotted in eastern Ukraine on 12 June."
        ),
        made=JUNE_2014,
        tags=["NATO", "Ukraine", "Russia"],
        verdict=Verdict.UNDER_REVIEW,
        verdict_rationale=(
            "NATO imagery places ten T-64s at the Rostov staging area on 11 June, three of "
            "them loaded for transport; the videos that would tie them to the tanks seen in "
            "Ukraine are unconfirmed."
        ),
    )
    load.attribution(tanks, avakov, AttributionRole.ORIGINATOR, stated=JUNE_2014)
    load.attribution(tanks, nato, AttributionRole.ENDORSER, stated=JUNE_2014)
    load.attribution(
        tanks,
        united_states,
        AttributionRole.ENDORSER,
        stated=JUNE_2014,
    )
    load.denial(
        tanks,
        foreign_ministry_ru,
        kind=DenialKind.OUTRIGHT,
        stated=JUNE_2014,
        quote="another fake piece of information",
    )

    misleading = load.claim(
        "russian-officials-misleading",
        statement=(
            "Russian officials have been repeatedly misleading and evasive regarding their "
            "roles in both Crimea and eastern Ukraine."
        ),
        details="From NATO's press release accompanying the aerial images, June 2014.",
        made=JUNE_2014,
        tags=["NATO", "Russia", "Crimea", "Ukraine"],
    )
    load.attribution(
        misleading,
        nato,
        AttributionRole.ORIGINATOR,
        stated=JUNE_2014,
        quote=(
            "Russian officials have been repeatedly misleading and evasive regarding their "
            "roles in both Crimea and eastern Ukraine."
        ),
    )

    captured = load.claim(
        "separatists-captured-tanks",
        statement=(
            "The tanks seen in eastern Ukraine were captured by separatists "
            "from the Ukrainian Army."
        ),
        details=(
            "The counter-claim that NATO's press release sets out to rebut, by comparing a T-64 "
            "in an unconfirmed video reportedly shot in Makiivka, Donetsk, with the Ukrainian "
            "Army's T-64s. Who first made it is not recorded in the source documents."
        ),
        made=JUNE_2014,
        tags=["Ukraine"],
        verdict=Verdict.DISPUTED,
    )
    load.relate(troops, tanks)
    load.relate(tanks, misleading)
    load.relate(tanks, captured)

    # Evidence: NATO's imagery of the Rostov staging area (placeholders), its statement,
    # two videos known by description only, and Russia's rejection.
    rostov = {
        "location_name": (
            "Russian military staging area near Rostov, about 74 km (46 miles) from the "
            "Ukrainian border"
        ),
        "latitude": Decimal("47.235700"),
        "longitude": Decimal("39.701500"),
        "location_precision": LocationPrecision.REGION,
        "provider": nato,
        "kind": EvidenceKind.SATELLITE_IMAGE,
        "published": JUNE_2014,
    }
    approved_note = "Demo: NATO-published imagery, provenance checked against NATO's release."
    may30 = load.evidence(
        "rostov-2014-05-30",
        title="PLACEHOLDER: Rostov staging area, 30 May 2014 (no tanks)",
        description=(
            "NATO aerial image of the Rostov staging area on 30 May 2014: no tanks present."
        ),
        captured=_day(2014, 5, 30),
        image=placeholder_satellite_image(day="30 May 2014", tanks=0, caption="No tanks present."),
        filename="rostov-2014-05-30-placeholder.png",
        approve=approved_note,
        **rostov,
    )
    jun6 = load.evidence(
        "rostov-2014-06-06",
        title="PLACEHOLDER: Rostov staging area, 6 June 2014 (most equipment gone)",
        description=(
            "NATO aerial image of 6 June 2014: most equipment has moved away, as part of an "
            "announced withdrawal."
        ),
        captured=_day(2014, 6, 6),
        image=placeholder_satellite_image(
            day="6 June 2014", tanks=2, caption="Most equipment moved away (announced withdrawal)."
        ),
        filename="rostov-2014-06-06-placeholder.png",
        approve=approved_note,
        **rostov,
    )
    jun11 = load.evidence(
        "rostov-2014-06-11",
        title="PLACEHOLDER: Rostov staging area, 11 June 2014 (ten T-64 tanks)",
        description=(
            "NATO aerial image of 11 June 2014: ten T-64 main battle tanks, three of them "
            "loaded on heavy equipment transporters."
        ),
        captured=_day(2014, 6, 11),
        image=placeholder_satellite_image(
            day="11 June 2014",
            tanks=10,
            caption="Ten T-64 tanks; three on heavy equipment transporters.",
        ),
        filename="rostov-2014-06-11-placeholder.png",
        approve=approved_note,
        **rostov,
    )
    release = load.evidence(
        "nato-press-release-2014-06",
        kind=EvidenceKind.OFFICIAL_STATEMENT,
        title="NATO press release with aerial images of the Rostov staging area",
        description=(
            '"Russian officials have been repeatedly misleading and evasive regarding their '
            'roles in both Crimea and eastern Ukraine." The release compares a T-64 in an '
            "unconfirmed video reportedly shot in Makiivka, Donetsk, with Ukrainian Army T-64s."
        ),
        provider=nato,
        published=JUNE_2014,
        approve="Demo: statement text checked against the source documents.",
    )
    makiivka = load.evidence(
        "video-makiivka-t64",
        kind=EvidenceKind.VIDEO,
        title="Unconfirmed video of a T-64 reportedly in Makiivka, Donetsk",
        description=(
            "Known by description only. NATO compares the T-64 in this video with the "
            "Ukrainian Army's T-64s and finds differences."
        ),
        provider=nato,
        event=JUNE_2014,
        location_name="Makiivka, Donetsk Oblast, Ukraine",
        latitude=Decimal("48.047800"),
        longitude=Decimal("37.925800"),
        location_precision=LocationPrecision.LOCALITY,
    )
    second_video = load.evidence(
        "video-second-t64",
        kind=EvidenceKind.VIDEO,
        title="Second video that NATO says shows Russian T-64 tanks in eastern Ukraine",
        description="Known by description only; no copy or URL is held.",
        provider=nato,
        event=JUNE_2014,
    )
    rejection = load.evidence(
        "russian-mfa-rejection",
        kind=EvidenceKind.OFFICIAL_STATEMENT,
        title="Russian foreign ministry rejects the tank accusations",
        description='The ministry calls the accusations "another fake piece of information".',
        provider=foreign_ministry_ru,
        published=JUNE_2014,
    )

    load.link(
        tanks,
        may30,
        Relation.CONTEXT,
        strength=Strength.MODERATE,
        rationale="Baseline: no tanks at the site on 30 May.",
    )
    load.link(
        tanks,
        jun6,
        Relation.CONTEXT,
        strength=Strength.WEAK,
        rationale="Most equipment left on 6 June in an announced withdrawal.",
    )
    load.link(
        tanks,
        jun11,
        Relation.SUPPORTS,
        strength=Strength.MODERATE,
        rationale=(
            "Three tanks loaded on transporters the day before three tanks were seen in Ukraine."
        ),
    )
    load.link(
        tanks,
        release,
        Relation.SUPPORTS,
        strength=Strength.MODERATE,
        rationale="NATO's own analysis of its imagery.",
    )
    load.link(
        tanks,
        makiivka,
        Relation.SUPPORTS,
        strength=Strength.WEAK,
        rationale="Unconfirmed; location reported, not verified.",
    )
    load.link(
        tanks,
        second_video,
        Relation.SUPPORTS,
        strength=Strength.WEAK,
        rationale="Unconfirmed video.",
    )
    load.link(
        tanks,
        rejection,
        Relation.CONTRADICTS,
        strength=Strength.WEAK,
        rationale="A denial, with no evidence offered.",
    )
    load.link(
        misleading,
        release,
        Relation.CONTEXT,
        strength=Strength.STRONG,
        rationale="Where the claim was made.",
    )
    load.link(
        captured,
        makiivka,
        Relation.CONTRADICTS,
        strength=Strength.MODERATE,
        rationale="NATO finds the T-64 in the video differs from the Ukrainian Army's T-64s.",
    )
    load.link(
        troops,
        jun11,
        Relation.CONTEXT,
        strength=Strength.WEAK,
        rationale="Earlier movements near the border.",
    )
    return load.report
