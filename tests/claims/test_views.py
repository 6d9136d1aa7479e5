"""The claim pages: create and edit with sources and attributions, conflicts, the list's
filters, the detail page's evidence columns and the timeline."""

import datetime
import re

import pytest
from django.urls import reverse

from claims.models import Claim, Tag
from core.dates import DatePrecision
from evidence.models import Relation
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

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _claim_post(**fields) -> dict:
    data = {
        "statement": "Войска вошли в Украину.",
        "details": "",
        "made": "June 2014",
        "tags": "",
        "verdict": "unverified",
        "verdict_rationale": "",
    }
    data |= _management("sources") | _management("attributions")
    return data | fields


def test_create_a_claim_with_sources_attributions_and_new_tags(client, researcher):
    nato = ClaimantFactory(name="NATO")
    TagFactory(name="Ukraine")
    client.force_login(researcher)
    data = _claim_post(tags="ukraine, Танки, ")
    data |= _management("sources", total=1) | {
        "sources-0-outlet": "BBC",
        "sources-0-url": "bbc.com/news/world-europe-30025138",
        "sources-0-title": "Ukraine crisis",
        "sources-0-published_on": "2014-11-12",
    }
    data |= _management("attributions", total=1) | {
        "attributions-0-claimant": nato.pk,
        "attributions-0-role": "endorser",
        "attributions-0-stated": "12 June 2014",
        "attributions-0-quote": "We agree.",
    }
    response = client.post(reverse("claims:claim_create"), data, follow=True)
    claim = Claim.objects.get()
    assert response.redirect_chain[-1][0] == reverse("claims:claim_detail", args=[claim.pk])
    assert "Claim created." in response.content.decode()
    assert claim.statement == "Войска вошли в Украину."
    assert (claim.made_on, claim.made_on_precision) == (
        datetime.date(2014, 6, 1),
        DatePrecision.MONTH,
    )
    assert sorted(t.name for t in claim.tags.all()) == ["Ukraine", "Танки"]
    assert Tag.objects.count() == 2
    source = claim.sources.get()
    assert source.url == "https://bbc.com/news/world-europe-30025138"
    attribution = claim.attributions.get()
    assert (attribution.claimant, attribution.role, str(attribution.stated)) == (
        nato,
        "endorser",
        "12 June 2014",
    )
    assert claim.created_by == researcher and attribution.created_by == researcher


def test_bad_input_is_shown_on_the_field_and_nothing_is_written(client, researcher):
    client.force_login(researcher)
    data = _claim_post(statement="", made="Juni 2014")
    data |= _management("sources", total=1) | {
        "sources-0-outlet": "BBC",
        "sources-0-url": "not a url",
    }
    response = client.post(reverse("claims:claim_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "Could not read “Juni 2014”" in html
    assert "Enter a valid URL." in html
    assert "The claim was not saved" in html
    assert not Claim.objects.exists()
    # What the researcher typed is still there.
    assert 'value="Juni 2014"' in html


def test_edit_changes_fields_removes_a_source_and_adds_an_attribution(client, researcher):
    claim = ClaimFactory(statement="Old statement.")
    source = SourceFactory(claim=claim)
    claimant = ClaimantFactory()
    client.force_login(researcher)
    page = client.get(reverse("claims:claim_update", args=[claim.pk]))
    form = page.context["form"]
    data = _claim_post(
        statement="New statement.",
        made="2014",
        version=form.initial["version"],
        snapshot=form.initial["snapshot"],
    )
    data |= _management("sources", total=1, initial=1) | {
        "sources-0-id": source.pk,
        "sources-0-claim": claim.pk,
        "sources-0-outlet": source.outlet,
        "sources-0-url": source.url,
        "sources-0-DELETE": "on",
    }
    data |= _management("attributions", total=1) | {
        "attributions-0-claimant": claimant.pk,
        "attributions-0-role": "originator",
    }
    response = client.post(reverse("claims:claim_update", args=[claim.pk]), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "New statement." and str(claim.made) == "2014"
    assert not claim.sources.exists()
    assert claim.attributions.get().claimant == claimant
    assert claim.version == 2


def test_a_colliding_edit_shows_what_changed_and_keeps_the_input(client, researcher, reviewer):
    claim = ClaimFactory(statement="Original statement.")
    client.force_login(researcher)
    form = client.get(reverse("claims:claim_update", args=[claim.pk])).context["form"]
    stale = {"version": form.initial["version"], "snapshot": form.initial["snapshot"]}

    # Meanwhile a reviewer saves a change.
    other = client.__class__()
    other.force_login(reviewer)
    other_form = other.get(reverse("claims:claim_update", args=[claim.pk])).context["form"]
    other.post(
        reverse("claims:claim_update", args=[claim.pk]),
        _claim_post(
            statement="Reviewer's statement.",
            version=other_form.initial["version"],
            snapshot=other_form.initial["snapshot"],
        ),
    )

    response = client.post(
        reverse("claims:claim_update", args=[claim.pk]),
        _claim_post(statement="Researcher's statement.", **stale),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in html
    changes = {c.label: (c.before, c.after) for c in response.context["form"].conflict_changes}
    assert changes["Statement"] == ("Original statement.", "Reviewer's statement.")
    assert 'value="Researcher&#x27;s statement."' in html  # their input is kept
    claim.refresh_from_db()
    assert claim.statement == "Reviewer's statement."

    # Saving again, having seen the conflict, is a deliberate overwrite.
    form = response.context["form"]
    again = _claim_post(
        statement="Researcher's statement.",
        version=form.data["version"],
        snapshot=form.data["snapshot"],
    )
    assert client.post(reverse("claims:claim_update", args=[claim.pk]), again).status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "Researcher's statement."


def test_related_claims_are_set_from_the_form(client, researcher):
    claim, other = ClaimFactory(), ClaimFactory()
    client.force_login(researcher)
    form = client.get(reverse("claims:claim_update", args=[claim.pk])).context["form"]
    data = _claim_post(
        related=[other.pk], version=form.initial["version"], snapshot=form.initial["snapshot"]
    )
    client.post(reverse("claims:claim_update", args=[claim.pk]), data)
    assert list(other.related.all()) == [claim]


def test_detail_page_puts_evidence_in_supporting_and_contradicting_columns(client, researcher):
    claim = ClaimFactory()
    EvidenceLinkFactory(claim=claim, relation=Relation.SUPPORTS, evidence__title="For it")
    EvidenceLinkFactory(claim=claim, relation=Relation.CONTRADICTS, evidence__title="Against it")
    EvidenceLinkFactory(claim=claim, relation=Relation.CONTEXT, evidence__title="Background")
    client.force_login(researcher)
    response = client.get(reverse("claims:claim_detail", args=[claim.pk]))
    assert [link.evidence.title for link in response.context["supporting"]] == ["For it"]
    assert [link.evidence.title for link in response.context["contradicting"]] == ["Against it"]
    assert [link.evidence.title for link in response.context["context"]] == ["Background"]
    html = response.content.decode()
    supporting = html.index('id="supporting-heading"')
    contradicting = html.index('id="contradicting-heading"')
    assert supporting < html.index("For it") < contradicting < html.index("Against it")


def test_timeline_orders_events_and_respects_precision(client, researcher):
    claim = ClaimFactory(made_on=datetime.date(2014, 6, 1), made_on_precision="month")
    AttributionFactory(
        claim=claim,
        claimant=ClaimantFactory(name="NATO"),
        role="endorser",
        stated_on=datetime.date(2014, 6, 14),
    )
    DenialFactory(
        claim=claim, claimant=ClaimantFactory(name="Russia"), stated_on=datetime.date(2014, 1, 1),
        stated_on_precision="year",
    )  # fmt: skip
    item = EvidenceItemFactory(
        title="Rostov image",
        captured_from=datetime.date(2014, 5, 30),
        captured_to=datetime.date(2014, 6, 11),
        published_on=datetime.date(2014, 6, 1),
        published_on_precision="month",
    )
    EvidenceLinkFactory(claim=claim, evidence=item)
    client.force_login(researcher)
    response = client.get(reverse("claims:claim_timeline", args=[claim.pk]))
    events = [(str(e.date), e.text) for e in response.context["timeline"]]
    assert events == [
        ("2014", "Russia: Outright denial"),
        ("30 May 2014", "“Rostov image” captured"),
        ("June 2014", "Claim first made"),
        ("June 2014", "“Rostov image” published"),
        ("14 June 2014", "NATO endorsed the claim"),
    ]
    html = response.content.decode()
    assert "30 May 2014 – 11 June 2014" in html
    assert '<time datetime="2014-06">June 2014</time>' in html
    assert not re.search(r"(?<!\d)1 June 2014", html)  # a month never shows as its 1st


# The list and its filters ------------------------------------------------------------------


def _listed(client, **params) -> list[str]:
    response = client.get(reverse("claims:claim_list"), params)
    assert response.status_code == 200
    return [claim.statement for claim in response.context["page"].object_list]


def test_search_finds_cyrillic_arabic_and_chinese_in_any_case(client, researcher):
    ClaimFactory(statement="Войска вошли в Украину.")
    ClaimFactory(statement="القوات الروسية دخلت أوكرانيا")
    ClaimFactory(statement="俄罗斯军队进入乌克兰")
    ClaimFactory(statement="Nothing to see.")
    client.force_login(researcher)
    assert _listed(client, q="ВОЙСКА") == ["Войска вошли в Украину."]
    assert _listed(client, q="الروسية") == ["القوات الروسية دخلت أوكرانيا"]
    assert _listed(client, q="乌克兰") == ["俄罗斯军队进入乌克兰"]


def test_search_covers_details_and_sources(client, researcher):
    by_details = ClaimFactory(statement="A", details="Seen near Makiivka.")
    by_source = ClaimFactory(statement="B")
    SourceFactory(claim=by_source, outlet="Al Jazeera", title="Tanks")
    ClaimFactory(statement="C")
    client.force_login(researcher)
    assert _listed(client, q="makiivka") == [by_details.statement]
    assert _listed(client, q="jazeera") == [by_source.statement]


def test_filters_by_verdict_tag_and_claimant_in_any_role(client, researcher):
    nato = ClaimantFactory(name="NATO")
    tag = TagFactory(name="Ukraine")
    made = ClaimFactory(statement="Made by NATO", verdict="supported")
    made.tags.add(tag)
    AttributionFactory(claim=made, claimant=nato)
    denied = ClaimFactory(statement="Denied by NATO")
    DenialFactory(claim=denied, claimant=nato)
    ClaimFactory(statement="Unrelated")
    client.force_login(researcher)
    assert _listed(client, verdict="supported") == ["Made by NATO"]
    assert _listed(client, tag=tag.pk) == ["Made by NATO"]
    assert sorted(_listed(client, claimant=nato.pk)) == ["Denied by NATO", "Made by NATO"]
    page = client.get(reverse("claims:claim_list"), {"claimant": nato.pk}).content.decode()
    assert "denied by <a href" in page and ">NATO</a>" in page  # which claimant, and a way out
    assert 'name="claimant_name"' in page and "<option>NATO" not in page  # typed, not listed


def test_filters_by_a_claimant_name_typed_in_any_script_and_case(client, researcher):
    mid = ClaimantFactory(name="МИД России", aliases="Russian MFA\nМИД РФ")
    DenialFactory(claim=ClaimFactory(statement="Denied by the ministry"), claimant=mid)
    AttributionFactory(claim=ClaimFactory(statement="Made by NATO"),
                       claimant=ClaimantFactory(name="NATO"))  # fmt: skip
    client.force_login(researcher)
    for typed in ("мид", "МИД россии", "russian mfa", "мид рф"):
        assert _listed(client, claimant_name=typed) == ["Denied by the ministry"], typed
    assert _listed(client, claimant_name="nowhere") == []


def test_filters_denied_and_contradicted(client, researcher):
    denied = ClaimFactory(statement="Denied")
    DenialFactory(claim=denied)
    contradicted = ClaimFactory(statement="Contradicted")
    EvidenceLinkFactory(claim=contradicted, relation=Relation.CONTRADICTS)
    supported = ClaimFactory(statement="Supported")
    EvidenceLinkFactory(claim=supported, relation=Relation.SUPPORTS)
    client.force_login(researcher)
    assert _listed(client, denied="yes") == ["Denied"]
    assert sorted(_listed(client, denied="no")) == ["Contradicted", "Supported"]
    assert _listed(client, contradicted="yes") == ["Contradicted"]
    assert sorted(_listed(client, contradicted="no")) == ["Denied", "Supported"]


def test_date_range_compares_whole_periods(client, researcher):
    ClaimFactory(
        statement="June 2014", made_on=datetime.date(2014, 6, 1), made_on_precision="month"
    )
    ClaimFactory(statement="12 Nov 2014", made_on=datetime.date(2014, 11, 12))
    ClaimFactory(statement="2013", made_on=datetime.date(2013, 1, 1), made_on_precision="year")
    client.force_login(researcher)
    # A claim known only as "June 2014" was made within 15–30 June as far as we know.
    assert _listed(client, made_from="2014-06-15", made_to="2014-06-30") == ["June 2014"]
    assert _listed(client, made_from="2014-07-01") == ["12 Nov 2014"]
    assert _listed(client, made_to="2013-12-31") == ["2013"]


def test_sorting_and_invalid_filter_values(client, researcher):
    ClaimFactory(statement="Older", made_on=datetime.date(2014, 1, 1))
    ClaimFactory(statement="Newer", made_on=datetime.date(2015, 1, 1))
    client.force_login(researcher)
    assert _listed(client) == ["Newer", "Older"]
    assert _listed(client, sort="made") == ["Older", "Newer"]
    response = client.get(reverse("claims:claim_list"), {"made_from": "not-a-date"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_list_paginates_and_keeps_the_filters_in_page_links(client, researcher):
    for n in range(30):
        ClaimFactory(statement=f"Tank sighting {n}", verdict="disputed")
    client.force_login(researcher)
    response = client.get(reverse("claims:claim_list"), {"verdict": "disputed"})
    assert len(response.context["page"].object_list) == 25
    assert "verdict=disputed&amp;page=2" in response.content.decode()
    second = client.get(reverse("claims:claim_list"), {"verdict": "disputed", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_empty_states(client, researcher):
    client.force_login(researcher)
    assert "No claims yet." in client.get(reverse("claims:claim_list")).content.decode()
    ClaimFactory()
    html = client.get(reverse("claims:claim_list"), {"q": "zzz"}).content.decode()
    assert "No claims match these filters." in html


def test_the_create_form_asks_for_the_investigation_only_when_there_is_a_choice(
    client, researcher, investigation
):
    from investigations.access import SESSION_KEY
    from investigations.models import Investigation, Role
    from tests.factories import MembershipFactory

    client.force_login(researcher)
    url = reverse("claims:claim_create")
    assert "investigation" not in client.get(url).context["form"].fields  # only one
    second = Investigation.objects.create(name="Second", slug="second")
    MembershipFactory(investigation=second, user=researcher, role=Role.RESEARCHER)
    viewer_only = Investigation.objects.create(name="Watched", slug="watched")
    MembershipFactory(investigation=viewer_only, user=researcher, role=Role.VIEWER)
    session = client.session
    session[SESSION_KEY] = second.pk
    session.save()
    field = client.get(url).context["form"]["investigation"]
    assert [str(choice) for choice in field.field.queryset] == ["Casework", "Second"]
    assert field.value() == second.pk  # the current one, preselected
    data = {"statement": "Tanks crossed.", "verdict": "unverified", "investigation": second.pk}
    for prefix in ("sources", "attributions"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    assert client.post(url, data).status_code == 302
    assert Claim.objects.get(statement="Tanks crossed.").investigation == second
