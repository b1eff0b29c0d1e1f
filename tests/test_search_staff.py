"""Staff search in the admin: one box, facets, highlights, masked people, saved
searches, a clear message when the engine is down."""

import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils.timezone import localtime

from petitions import actions
from search.backends import get_backend
from search.backends.base import SearchRequest
from search.models import SavedSearch

pytestmark = pytest.mark.django_db
URL = "/admin/petition-search/"
FIELDS = {
    "category": "other",
    "name": "欧阳明",
    "phone": "13712345678",
    "subject": "执行款拖欠三年",
    "description": "法院判决后被执行人一直拖欠执行款，申请强制执行也没有结果。",
    "consent": "on",
}


@pytest.fixture
def register(db, django_capture_on_commit_callbacks):
    get_backend().clear("petitions")

    def submit(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            petition = actions.submit({**FIELDS, **changes}).petition
        get_backend().refresh("petitions")
        return petition

    yield submit
    get_backend().clear("petitions")


def test_words_are_highlighted_and_people_masked(demo_site, register, otp_client):
    petition = register()
    register(subject="邻里噪音", description="楼上邻居深夜噪音扰民，多次沟通无果。")
    page = otp_client.get(URL, {"q": "执行款 拖欠"}, follow=True).content.decode()
    assert petition.tracking_no in page
    marked = "".join(re.findall(r"<mark>(.*?)</mark>", page))
    assert "执行款" in marked and "拖欠" in marked
    assert "欧**" in page and "137****5678" in page
    assert "欧阳明" not in page and "13712345678" not in page
    assert "邻里噪音" not in page
    assert f'href="/admin/petitions/petition/{petition.pk}/"' in page


def test_a_facet_link_narrows_the_list(demo_site, register, otp_client):
    """Both match; the category facet lists both categories; one click keeps one."""
    other = register()
    asset = register(category="asset-disposal", subject="执行款何时到账", name="李四")
    page = otp_client.get(URL, {"q": "执行款"}, follow=True).content.decode()
    assert page.count('<li class="petition-hit') == 2
    month = localtime(asset.received_at).strftime("%Y-%m")
    assert f"received_month={month}" in page and f"{month} (2)" in page
    link = re.search(r'href="\?([^"]*category=asset-disposal[^"]*)"', page).group(1)
    narrowed = otp_client.get(URL + "?" + link.replace("&amp;", "&")).content.decode()
    assert narrowed.count('<li class="petition-hit') == 1
    assert asset.tracking_no in narrowed and other.tracking_no not in narrowed


def test_odd_input_gives_results_or_a_message_never_an_error(
    demo_site, register, otp_client
):
    register()
    for params in (
        {"q": '"执行款 -'},
        {"q": "x" * 10_000},
        {"q": "\x00\x1f拖欠"},
        {"q": "status:(a OR b) AND *"},
        {"q": "拖欠", "from": "yesterday"},
        {"q": "拖欠", "page": "-4", "sort": "drop table"},
    ):
        response = otp_client.get(URL, params, follow=True)
        assert response.status_code == 200, params
    page = otp_client.get(
        URL, {"q": "拖欠", "from": "yesterday"}, follow=True
    ).content.decode()
    assert "YYYY-MM-DD" in page


def test_saved_searches_belong_to_their_owner(
    demo_site, register, otp_client, staff_client_for, django_user_model
):
    register()
    response = otp_client.post(
        URL + "save/",
        {"name": "每周执行款", "query_string": "q=执行款&status=received"},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=otp_client.user)
    assert saved.query_string.startswith("sealed=")  # the words never in clear
    assert saved.query_string.endswith("&status=received")
    page = otp_client.get(URL).content.decode()
    assert "每周执行款" in page
    link = re.search(r'href="\?([^"]*)"[^>]*>每周执行款', page).group(1)
    assert (
        'value="执行款"' in otp_client.get(f"{URL}?{unescape(link)}").content.decode()
    )
    other = django_user_model.objects.create_superuser(
        "other", "o@example.invalid", "x"
    )
    other_client = staff_client_for(other)
    assert "每周执行款" not in other_client.get(URL).content.decode()
    assert other_client.post(f"{URL}saved/{saved.pk}/forget/").status_code == 404
    otp_client.post(f"{URL}saved/{saved.pk}/forget/")
    assert not SavedSearch.objects.exists()


def test_a_nameless_save_changes_nothing(demo_site, otp_client):
    otp_client.post(URL + "save/", {"name": " ", "query_string": "q=拖欠"})
    assert not SavedSearch.objects.exists()


def test_engine_down_shows_a_clear_message(demo_site, register, otp_client):
    register()
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = otp_client.get(URL, {"q": "拖欠"}, follow=True)
    assert response.status_code == 503
    assert "try again shortly" in response.content.decode() or "稍后" in (
        response.content.decode()
    )


def test_people_without_a_petition_role_are_turned_away(
    demo_site, staff_client_for, django_user_model
):
    editor = django_user_model.objects.create_user("editor", password="x")
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editor"))
    assert staff_client_for(editor).get(URL, {"q": "拖欠"}).status_code in (302, 403)


def test_the_engine_sees_only_the_scope_given(demo_site, register):
    petition = register()
    scoped = SearchRequest(kind="petitions", query="执行款", scope=["no-such-path"])
    assert get_backend().search(scoped).total == 0
    assert (
        get_backend()
        .search(SearchRequest(kind="petitions", query="执行款"))
        .hits[0]
        .source["tracking_no"]
        == petition.tracking_no
    )


def test_handlers_of_sibling_units_see_disjoint_results(
    demo_site, register, staff_client_for, django_user_model
):
    """East and west each find only their own; the city's head finds both."""
    from django.contrib.auth.models import Group

    from petitions.models import Petition, Unit, UnitMembership
    from search.indexing import index_now

    east, west = register(), register(name="李四")
    Petition.objects.filter(pk=east.pk).update(unit=Unit.objects.get(code="jn-east"))
    Petition.objects.filter(pk=west.pk).update(unit=Unit.objects.get(code="jn-west"))
    index_now("petitions", [str(east.pk), str(west.pk)])
    get_backend().refresh("petitions")

    def found_by(username, unit_code, role, group):
        user = django_user_model.objects.create_user(username, password="x")
        user.groups.add(Group.objects.get(name=group))
        UnitMembership.objects.create(
            user=user, unit=Unit.objects.get(code=unit_code), role=role
        )
        page = (
            staff_client_for(user)
            .get(URL, {"q": "执行款"}, follow=True)
            .content.decode()
        )
        return {p.tracking_no for p in (east, west) if p.tracking_no in page}

    assert found_by("east", "jn-east", "handler", "Handler") == {east.tracking_no}
    assert found_by("west", "jn-west", "handler", "Handler") == {west.tracking_no}
    assert found_by("head", "jn-city", "head", "Unit head") == {
        east.tracking_no,
        west.tracking_no,
    }


def test_a_petition_submitted_while_elasticsearch_is_down_is_found_after_reconcile(
    demo_site, otp_client, django_capture_on_commit_callbacks, settings
):
    """Engine stopped: the submission succeeds and staff search says it is
    unavailable (503, not 500); engine back, reconcile: found by its number."""
    if not settings.ELASTICSEARCH_URL:
        pytest.skip(
            "Elasticsearch only: the database engine lives in the database that "
            "takes the petition, so it cannot be down while saving works"
        )
    get_backend().clear("petitions")
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        with django_capture_on_commit_callbacks(execute=True):
            petition = actions.submit(FIELDS).petition
        down = otp_client.get(URL, {"q": petition.tracking_no}, follow=True)
    assert petition.pk and down.status_code == 503
    assert "try again shortly" in down.content.decode() or "稍后" in (
        down.content.decode()
    )
    link = f'href="/admin/petitions/petition/{petition.pk}/"'
    again = otp_client.get(URL, {"q": petition.tracking_no}, follow=True)
    assert link not in again.content.decode()
    call_command(
        "search_index", "--reconcile", "--kind", "petitions", stdout=io.StringIO()
    )
    found = otp_client.get(URL, {"q": petition.tracking_no}, follow=True)
    assert found.status_code == 200 and link in found.content.decode()
    get_backend().clear("petitions")
