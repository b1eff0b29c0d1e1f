"""Each of the portal's admin pages is named in its header, not headed "Home"."""

import re

import pytest
from django.urls import reverse

from tests import loop_fixtures
from tests.loop_fixtures import make_petition

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


def header(html: str) -> str:
    """The header's current item: the last (bold) breadcrumb, as read aloud."""
    items = re.findall(
        r'<li\s+class="[^"]*w-font-bold[^"]*"[^>]*>(.*?)</li>', html, re.S
    )
    assert items, "no breadcrumbs in the header"
    text = re.sub(r"<[^>]+>", " ", items[-1])
    return " ".join(text.split())


@pytest.mark.parametrize(
    "url, title",
    [
        (reverse("petitions_admin_queue", args=["all"]), "范围内全部"),
        (reverse("petitions_admin_queue", args=["overdue"]), "已超期"),
        (reverse("petitions_admin_register"), "登记诉求"),
        (reverse("petitions_admin_latest"), "最新诉求"),
        (reverse("search_petitions_staff"), "检索信访事项"),
        (reverse("petitions_dashboard"), "数据统计"),
    ],
)
def test_a_page_is_headed_with_its_own_name(otp_client, tree, url, title):
    response = otp_client.get(url)
    assert response.status_code == 200
    assert header(response.content.decode()) == title


def test_a_petition_is_headed_with_its_number(otp_client, tree):
    petition = make_petition(tree["a"])
    response = otp_client.get(reverse("petitions_admin_detail", args=[petition.pk]))
    assert petition.tracking_no in header(response.content.decode())


def test_the_admins_tab_names_the_portal_with_its_icon(otp_client, tree):
    """The browser tab reads "<page> - 法律服务门户" with the portal's icon,
    not Wagtail's name and bird."""
    html = otp_client.get(reverse("petitions_admin_queue", args=["all"])).content
    html = html.decode()
    assert re.search(r"<title>\s*范围内全部\s*-\s*法律服务门户\s*</title>", html)
    assert "Wagtail</title>" not in html
    (icon,) = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert icon.startswith("/static/") and icon.endswith(".svg")
    assert "wagtailadmin/images/favicon.ico" not in html
