"""No staff URL answers a password-only session; with a verified code, they open."""

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portal.security.middleware import is_staff_path

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
