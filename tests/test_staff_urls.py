"""No staff URL answers a password-only session; with a verified code, they open."""

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from petitions import attachments
from petitions.models import Attachment
from portal.security.middleware import is_sign_in_path, is_staff_path

from .loop_fixtures import make_petition

pytestmark = pytest.mark.django_db

SAMPLES = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "uuid": str(uuid.UUID(int=1)),
    "path": "sample/path",
}
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?[^()]*\)")


def sample_path(route: str) -> str:
    """Fill converters and regex groups with plausible values."""
    route = CONVERTER.sub(lambda m: SAMPLES.get(m["converter"] or "str", "1"), route)
    route = REGEX_GROUP.sub("1", route)
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    route = re.sub(r"[?*+]", "", route)
    return "/" + route.lstrip("/")


def walk(patterns=None, prefix="", namespace=""):
    """Every URL pattern in the project as (sample path, name, is from the admin)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield sample_path(route), f"{namespace}:{entry.name or ''}".lstrip(":")


ALL_URLS = sorted(set(walk()))
STAFF_URLS = [(path, name) for path, name in ALL_URLS if is_staff_path(path)]
# Everything else but the sign-in steps: public pages, the public API, documents.
PUBLIC_URLS = [
    (path, name)
    for path, name in ALL_URLS
    if not is_staff_path(path) and not is_sign_in_path(path)
]


def test_the_walk_finds_the_whole_admin():
    """The walk reaches Wagtail admin's pages, snippets, users and images."""
    paths = {path for path, _name in STAFF_URLS}
    assert len(STAFF_URLS) > 200
    for expected in ("/admin/", "/admin/users/", "/admin/snippets/", "/admin/images/"):
        assert expected in paths


def test_staff_named_urls_live_under_a_staff_prefix():
    """A URL named or namespaced as staff or admin sits under STAFF_URL_PREFIXES."""
    staffish = re.compile(r"(^|:)(staff|wagtailadmin)")
    misplaced = [
        (path, name)
        for path, name in ALL_URLS
        if staffish.search(name) and not is_staff_path(path)
    ]
    assert misplaced == []


@pytest.mark.parametrize("path,name", STAFF_URLS)
def test_password_alone_opens_no_staff_url(password_only_client, path, name):
    """Signed in with a password only, a staff URL sends to verification."""
    response = password_only_client.get(path)
    assert response.status_code in {302, 401, 403}, (path, name)
    if response.status_code == 302:
        assert response["Location"].startswith("/account/"), (path, name)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path,name", STAFF_URLS[:: max(len(STAFF_URLS) // 40, 1)])
def test_anonymous_visitors_reach_no_staff_url(client, path, name):
    """Anonymous visitors are sent to sign-in from a spread of staff URLs."""
    response = client.get(path)
    assert response.status_code in {302, 401}
    if response.status_code == 302:
        assert response["Location"].startswith("/account/sign-in/")


@pytest.mark.parametrize("path,name", PUBLIC_URLS)
def test_password_alone_gets_what_an_anonymous_visitor_gets(
    password_only_client, path, name
):
    """Outside the staff URLs a password-only session is served as anonymous."""
    anonymous = Client().get(path)
    half = password_only_client.get(path)
    assert half.status_code == anonymous.status_code, (path, name)
    assert half.get("Location") == anonymous.get("Location"), (path, name)
    if not getattr(half, "streaming", False):
        body = half.content.decode("utf-8", errors="replace")
        assert "half-signed-in" not in body and 'href="/admin/' not in body, path


def test_the_walk_reaches_the_public_api_and_pages():
    """The public side is walked too: the JSON API, search, petitions, documents."""
    names = {name for _path, name in PUBLIC_URLS}
    for expected in (
        "api_v1:lookup_petition",
        "search_suggest",
        "petitions:track",
        "wagtaildocs_serve",
        "wagtail_serve",
    ):
        assert expected in names
    assert not any(is_sign_in_path(path) for path, _name in PUBLIC_URLS)


def test_a_page_for_signed_in_readers_wants_both_factors(
    demo_site, password_only_client, otp_client
):
    """A page restricted to signed-in users does not open with a password alone."""
    from wagtail.models import PageViewRestriction

    page = demo_site.get_children().live().first()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    url = page.url
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    half = password_only_client.get(url)
    assert half.status_code == 302 and half["Location"] == anonymous["Location"]
    assert otp_client.get(url).status_code == 200


def test_no_staff_json_endpoint_lives_outside_the_staff_prefixes():
    """JSON views outside the staff prefixes are the public API, suggestions and
    health only; a staff JSON view would have to sit under /api/v1/staff/."""
    public_json = {
        name
        for path, name in PUBLIC_URLS
        if name.startswith("api_v1:") or path.endswith(".json") or name == "healthz"
    }
    assert public_json == {
        "api_v1:api-root",
        "api_v1:list_categories",
        "api_v1:openapi-json",
        "api_v1:submit_petition",
        "api_v1:lookup_petition",
        "api_v1:rate_petition",
        "api_v1:review_petition",
        "api_v1:list_regions",
        "search_suggest",
        "healthz",
    }


def test_verified_staff_open_snippets_an_export_and_an_attachment(otp_client):
    """With both factors: the snippets, a CSV export and a petition's file open."""
    for path in ("/admin/snippets/home/office/", "/admin/snippets/home/topic/"):
        assert otp_client.get(path).status_code == 200, path
    export = otp_client.get("/admin/petitions/figures/export.csv")
    assert export.status_code == 200 and export["Content-Type"] == "text/csv"
    assert "no-store" in export["Cache-Control"]
    petition = make_petition(None)
    stored = attachments.private_path(f"walk/{petition.pk}.pdf")
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"%PDF-1.4 walk")
    attachment = Attachment.objects.create(
        petition=petition,
        original_name="letter.pdf",
        stored_name=f"walk/{petition.pk}.pdf",
        content_type="application/pdf",
        size=13,
        sha256="0" * 64,
    )
    download = otp_client.get(f"/staff/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 walk"
    assert "no-store" in download["Cache-Control"]


def test_staff_prefix_rule_covers_language_prefixes_and_api():
    """The rule is the setting: language-prefixed copies count as staff too."""
    assert settings.STAFF_URL_PREFIXES == ["/admin/", "/api/v1/staff/", "/staff/"]
    assert is_staff_path("/en/staff/attachments/1/download")
    assert is_staff_path("/api/v1/staff/petitions/")
    assert not is_staff_path("/en/guides/")
    assert not is_staff_path("/staffing-news/")


def test_staff_api_answers_json_401_and_403(password_only_client):
    """The staff API answers JSON: 401 when signed out, 403 without a code."""
    response = Client().get("/api/v1/staff/petitions/")
    assert response.status_code == 401
    assert "detail" in response.json()
    response = password_only_client.get("/api/v1/staff/petitions/")
    assert response.status_code == 403
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/reports/site-history/",
    ],
)
def test_verified_staff_open_admin_pages(otp_client, path):
    """With a verified code the admin works, and is never cached."""
    response = otp_client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
