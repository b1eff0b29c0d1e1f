"""Heads read the figures of their subtree in the admin, follow each number to its
petitions and export both; bad input in the URL is answered, never a 500."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from freezegun import freeze_time
from openpyxl import load_workbook

from petitions.models import Petition, Unit, UnitMembership
from portal.security.models import AuditEntry

from .dashboard_fixtures import register_fixture  # noqa: F401

URL = "/admin/petitions/figures/"
MARCH = "from=2026-03-01&to=2026-03-31"

pytestmark = pytest.mark.usefixtures("register")


@pytest.fixture(autouse=True)
def frozen():
    import portal.urls  # noqa: F401  (the API schema is built before time stops)

    with freeze_time("2026-03-18 12:00:00+08:00"):
        yield


def staff(django_user_model, name, group, unit_code, role):
    user = django_user_model.objects.create_user(name, f"{name}@example.invalid", "x")
    user.groups.add(Group.objects.get(name=group))
    UnitMembership.objects.create(
        user=user, unit=Unit.objects.get(code=unit_code), role=role
    )
    return user


@pytest.fixture
def city_head(django_user_model, staff_client_for):
    return staff_client_for(
        staff(django_user_model, "cityhead", "Unit head", "jn-city", "head")
    )


@pytest.fixture
def east_handler(django_user_model, staff_client_for):
    return staff_client_for(
        staff(django_user_model, "easthandler", "Handler", "jn-east", "handler")
    )


def panel(html: str, key: str) -> str:
    """The number in the headline panel of figure ``key``."""
    after = html.split(f"?figure={key}&amp;", 1)[1]
    return after.split('<span class="figures-number">', 1)[1].split("<")[0]


def test_superuser_sees_every_unit(otp_client, django_assert_max_num_queries):
    """All units: 4 received in March, 3 closed; a bounded number of queries."""
    with django_assert_max_num_queries(40):
        response = otp_client.get(f"{URL}?{MARCH}")
    html = response.content.decode()
    assert response.status_code == 200
    assert panel(html, "received") == "4"
    assert panel(html, "closed") == "3"
    assert "66.7%" in html
    assert "<svg" in html and 'role="img"' in html
    assert "T2" in html  # the overdue list


def test_head_sees_only_the_subtree(city_head):
    """The city court's head starts at the city court: 3 received, not the bureau's."""
    html = city_head.get(f"{URL}?{MARCH}").content.decode()
    assert panel(html, "received") == "3"
    assert "江南市司法局" not in html
    assert "江南市西城区人民法院" in html


def test_a_unit_outside_the_scope_is_not_found(city_head):
    response = city_head.get(f"{URL}?{MARCH}&unit=jn-justice")
    assert response.status_code == 404
    assert "jn-justice" in response.content.decode()
    assert city_head.get(f"{URL}?{MARCH}&unit=nowhere").status_code == 404


@pytest.mark.parametrize(
    "query", ["period=decade", "from=2026-02-30&to=2026-03-01", "from=2026-03-01"]
)
def test_a_bad_period_is_refused_with_a_message(otp_client, query):
    response = otp_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_an_empty_period_shows_zeros_and_says_why(otp_client):
    Petition.objects.update(status="closed")
    html = otp_client.get(f"{URL}?from=2020-01-01&to=2020-01-31").content.decode()
    assert panel(html, "received") == "0"
    assert "help-info" in html


def test_each_number_links_to_its_petitions(otp_client):
    """The overdue panel links to a list holding exactly the overdue petition."""
    html = otp_client.get(f"{URL}?{MARCH}").content.decode()
    href = html.split('<a href="/admin/petitions/figures/petitions/?figure=overdue')[1]
    href = "/admin/petitions/figures/petitions/?figure=overdue" + href.split('"')[0]
    href = href.replace("&amp;", "&")
    assert listed(otp_client, href) == ["T2"]
    assert otp_client.get(href.replace("overdue", "nonsense")).status_code == 400


def test_figures_export_is_audited(otp_client):
    response = otp_client.get(f"{URL}export.csv?{MARCH}")
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["已接收", "4"] in rows
    assert AuditEntry.objects.filter(action="petition.figures_exported").count() == 1
    assert otp_client.get(f"{URL}export.pdf?{MARCH}").status_code == 404


def test_list_export_masks_identifiers(east_handler):
    """A handler's XLSX shows masked phones, and full identifiers are refused."""
    Petition.objects.filter(tracking_no="T1").update(phone="13812345678")
    query = f"figure=received&{MARCH}"
    response = east_handler.get(f"{URL}petitions/export.xlsx?{query}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert {row[0] for row in rows[1:]} == {"T1", "T5"}
    assert "138****5678" in rows[1] + rows[2]
    assert "13812345678" not in str(rows)
    entry = AuditEntry.objects.get(action="petition.list_exported")
    assert entry.detail["rows"] == 2
    full = east_handler.get(f"{URL}petitions/export.csv?{query}&identifiers=full")
    assert full.status_code == 403


def test_head_may_export_full_identifiers(city_head):
    Petition.objects.filter(tracking_no="T1").update(phone="13812345678")
    query = f"figure=received&{MARCH}&unit=jn-city&identifiers=full"
    body = city_head.get(f"{URL}petitions/export.csv?{query}").content.decode()
    assert "13812345678" in body


def test_staff_without_a_petition_role_are_turned_away(
    django_user_model, staff_client_for
):
    user = django_user_model.objects.create_user("editor", "e@example.invalid", "x")
    user.groups.add(Group.objects.get(name="Editor"))
    assert staff_client_for(user).get(URL).status_code in {302, 403}


def test_cached_figures_never_cross_scopes(otp_client, city_head):
    """Figures kept for a superuser are not what the city court's head is shown."""
    assert panel(otp_client.get(f"{URL}?{MARCH}").content.decode(), "received") == "4"
    assert panel(city_head.get(f"{URL}?{MARCH}").content.decode(), "received") == "3"


LIST = "/admin/petitions/figures/petitions/"


def listed(client, href: str) -> list[str]:
    """The tracking numbers a drill-down list shows."""
    page = client.get(href.replace("&amp;", "&"))
    assert page.status_code == 200, href
    return re.findall(r"<td>(T\d+)</td>", page.content.decode())


def test_every_count_on_the_page_links_to_that_many_petitions(otp_client):
    """Panels, trend cells, breakdowns, satisfaction and unit comparison: each
    count leads to a list of exactly that many petitions."""
    html = otp_client.get(f"{URL}?{MARCH}").content.decode()
    links = set(
        re.findall(
            rf'<a href="({LIST}\?[^"]+)">(?:<span class="figures-number">)?(\d+)<',
            html,
        )
    )
    figures_linked = {re.search(r"figure=(\w+)", href).group(1) for href, _n in links}
    assert {"received", "closed", "late", "on_time", "supervision_overdue"} <= (
        figures_linked
    )
    assert {"rated", "followed_up", "open", "overdue"} <= figures_linked
    assert len(links) > 40
    for href, count in links:
        assert len(listed(otp_client, href)) == int(count), href


def test_days_trend_and_splits_lead_to_their_lists(otp_client):
    """Handling days lead to the closures; a week's cells to that week's petitions;
    a verdict to the petitions rated so; an overdue number to its petition."""
    html = otp_client.get(f"{URL}?{MARCH}").content.decode()
    days = re.search(
        r'<a href="([^"]+)"><span class="figures-number">14.4</span>', html
    ).group(1)
    assert sorted(listed(otp_client, days)) == ["T1", "T3", "T4"]
    closed_week = html.split('<th scope="row">03-09</th>', 1)[1].split("</tr>")[0]
    closed_href = re.findall(r'<a href="([^"]+)">', closed_week)[1]
    assert sorted(listed(otp_client, closed_href)) == ["T1", "T4"]
    satisfied = re.search(r'href="([^"]+figure=rated[^"]+value=satisfied)"', html)
    assert listed(otp_client, satisfied.group(1)) == ["T1"]
    overdue = Petition.objects.get(tracking_no="T2")
    assert f'<a href="/admin/petitions/petition/{overdue.pk}/">T2</a>' in html


def test_a_drill_down_list_names_its_figure_and_value(otp_client):
    """The list of one verdict says which figure and which verdict it lists."""
    href = f"{LIST}?figure=rated&value=not_satisfied&{MARCH}"
    assert listed(otp_client, href) == ["T3"]
    assert "群众评价: 不满意" in otp_client.get(href).content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_spreadsheet_formulas(otp_client, fmt):
    """A name typed as a formula is exported as text: a leading apostrophe."""
    hostile = {
        "T1": '=HYPERLINK("http://evil.invalid","x")',
        "T2": "+1+1",
        "T3": "@SUM(A1)",
        "T5": "-2+3",
    }
    for number, name in hostile.items():
        Petition.objects.filter(tracking_no=number).update(name=name)
    response = otp_client.get(f"{LIST}export.{fmt}?figure=received&{MARCH}")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    names = {row[0]: row[7] for row in rows[1:]}
    assert names == {number: "'" + name for number, name in hostile.items()}
