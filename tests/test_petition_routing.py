"""Routing falls back in layers: the category's unit for the region, the
category's own unit, the parent category's, the region's and the system default."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from home.models import Region
from petitions.models import Category, Petition, RoutingRule, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    locale = Locale.get_default()
    for slug, name in (("east", "东区"), ("west", "西区")):
        Region.objects.create(locale=locale, slug=slug, name=name)
    units = {
        code: Unit.add_root(code=f"route-{code}", name=code)
        for code in ("parent", "child", "east", "parent-east", "region", "system")
    }
    parent = Category.add_root(
        code="route-parent", name="上级类别", handling_unit=units["parent"]
    )
    child = Category.objects.get(pk=parent.pk).add_child(
        code="route-child", name="下级类别"
    )
    return {"units": units, "parent": parent, "child": child}


def test_each_layer_of_the_fallback(world, settings):
    """Peeled one layer at a time, routing falls to the next one down."""
    units, parent, child = world["units"], world["parent"], world["child"]
    settings.PETITIONS_DEFAULT_UNIT = "route-system"
    RoutingRule.objects.create(category=None, region="", unit=units["system"])
    RoutingRule.objects.create(category=None, region="east", unit=units["region"])
    RoutingRule.objects.create(
        category=parent, region="east", unit=units["parent-east"]
    )
    child_east = RoutingRule.objects.create(
        category=child, region="east", unit=units["east"]
    )
    child.handling_unit = units["child"]
    child.save()
    assert child.routing_unit("east") == units["east"]  # category + region
    assert child.routing_unit("west") == units["child"]  # the category's own
    assert child.routing_unit() == units["child"]
    child_east.delete()
    child.handling_unit = None
    child.save()
    assert child.routing_unit("east") == units["parent-east"]  # parent + region
    assert child.routing_unit("west") == units["parent"]  # the parent's own
    parent.handling_unit = None
    parent.save()
    RoutingRule.objects.filter(category=parent).delete()
    assert child.routing_unit("east") == units["region"]  # the region's default
    assert child.routing_unit("west") == units["system"]  # the system default
    RoutingRule.objects.all().delete()
    assert child.routing_unit("east") == units["system"]  # the setting
    settings.PETITIONS_DEFAULT_UNIT = ""
    assert child.routing_unit("east") is None


def test_a_category_rule_needs_a_region(world):
    """A category's unit for every region belongs on the category itself."""
    rule = RoutingRule(category=world["child"], region="", unit=world["units"]["east"])
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "region" in refused.value.message_dict
    unknown = RoutingRule(region="north", unit=world["units"]["east"])
    with pytest.raises(ValidationError):
        unknown.full_clean()


PAYLOAD = {
    "category": "litigation-service",
    "name": "王小明",
    "phone": "13812345678",
    "subject": "立案",
    "description": "请问起诉状提交后多久能立案？",
    "consent": True,
}


def test_a_citizen_names_the_region_and_the_region_routes(demo_site, client):
    """The API takes an optional region; the demo routes Dongcheng's filings to
    the Dongcheng court; an unknown region is refused by field."""
    cache.clear()
    regions = client.get("/api/v1/regions", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"slug": "dongcheng", "name": "Dongcheng District"} in regions
    response = client.post(
        "/api/v1/petitions",
        {**PAYLOAD, "region": "dongcheng"},
        content_type="application/json",
    )
    assert response.status_code == 201
    petition = Petition.objects.get(tracking_no=response.json()["tracking_no"])
    assert (petition.region, petition.unit.code) == ("dongcheng", "jn-east")
    refused = client.post(
        "/api/v1/petitions",
        {**PAYLOAD, "region": "atlantis"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["region"] == ["Choose one of the listed regions."]


def test_the_web_form_offers_the_regions(demo_site, client):
    """The form lists the regions by name in the reader's language."""
    page = client.get("/en/petitions/new/litigation-service/").content.decode()
    assert 'name="region"' in page and "Xicheng District" in page


def test_the_demo_routes_unclaimed_categories_to_a_system_default(demo_site):
    """The demo's "other" category names no unit: the system default takes it."""
    other = Category.objects.get(code="other")
    assert other.handling_unit is None
    assert other.routing_unit().code == "jn-city"
