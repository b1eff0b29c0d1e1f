"""Staff search for a phone or ID number, or a name: found, yet what was typed
never stands in a URL or a saved search in clear."""

import importlib
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.apps import apps

from petitions.validators import fold_width
from search.models import SavedSearch

from . import test_search_staff

URL = test_search_staff.URL
register = test_search_staff.register  # the fixture: petitions filed and indexed

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
PHONE = "13712345678"
DIGITS = ("110105", "19491231", "1371234", "5678")


def assert_clear_of_identifiers(text: str):
    readable = fold_width(unquote(text))
    for digits in DIGITS:
        assert digits not in readable, readable


def search(client, words: str, **filters):
    """Type into the box and press Search, as a browser does."""
    response = client.post(URL, {"q": words, **filters})
    assert response.status_code == 303
    return response["Location"]


def test_an_id_number_search_finds_the_petition_without_a_url_in_clear(
    demo_site, register, otp_client
):
    """The form posts; the results' address carries the number sealed only."""
    petition = register(id_number=ID_NUMBER)
    register(subject="邻里噪音", description="楼上邻居深夜噪音扰民。")
    location = search(otp_client, ID_NUMBER)
    assert_clear_of_identifiers(location)
    assert "sealed=" in location and "q=" not in location
    page = otp_client.get(location).content.decode()
    assert petition.tracking_no in page and "邻里噪音" not in page
    assert f'value="{ID_NUMBER}"' in page  # the box still shows what was typed
    facet_links = [part.split('"')[0] for part in page.split('href="?')[1:]]
    assert facet_links and all("sealed=" in link for link in facet_links)
    assert_clear_of_identifiers(" ".join(facet_links))


@pytest.mark.parametrize(
    "words", ["执行款 137 1234 5678", "１３７１２３４５６７８", "电话137-1234-5678"]
)
def test_numbers_among_words_or_spaced_out_are_sealed_too(otp_client, words):
    """A phone number split by spaces or dashes, or in full width, is sealed."""
    location = search(otp_client, words)
    assert_clear_of_identifiers(location)
    assert "sealed=" in location


def test_a_name_is_sealed_as_well_and_the_filters_stay_readable(
    demo_site, register, otp_client
):
    """A petitioner's name is personal data too: sealed like a number."""
    petition = register(name="欧阳明")
    location = search(otp_client, "欧阳明", status="received")
    params = parse_qs(urlsplit(location).query)
    assert set(params) == {"sealed", "status"} and params["status"] == ["received"]
    assert "欧阳" not in unquote(location)
    page = otp_client.get(location).content.decode()
    assert petition.tracking_no in page and 'value="欧阳明"' in page


@pytest.mark.parametrize("words", [PHONE, "欧阳明"])
def test_words_typed_into_the_address_are_moved_out_of_it(otp_client, words):
    """A hand-made link with a phone number or a name redirects to its sealed form."""
    response = otp_client.get(URL, {"q": words, "sort": "newest"})
    assert response.status_code == 302
    assert_clear_of_identifiers(response["Location"])
    assert words not in unquote(response["Location"])
    assert "sealed=" in response["Location"] and "sort=newest" in response["Location"]


def test_saved_search_for_an_id_number_is_stored_sealed_and_still_works(
    demo_site, register, otp_client
):
    """Saving keeps the number sealed; the saved link finds the petition."""
    petition = register(id_number=ID_NUMBER)
    otp_client.post(
        URL + "save/", {"name": "同一身份证", "query_string": f"q={ID_NUMBER}"}
    )
    saved = SavedSearch.objects.get(user=otp_client.user)
    assert_clear_of_identifiers(saved.query_string)
    page = otp_client.get(f"{URL}?{saved.query_string}").content.decode()
    assert petition.tracking_no in page


def test_an_unreadable_sealed_link_gets_a_message(otp_client):
    """A damaged or foreign sealed token is explained, never a server error."""
    response = otp_client.get(URL, {"sealed": "gcm1:AAAAbroken"})
    assert response.status_code == 200
    assert "此搜索链接已无法读取" in response.content.decode()


def test_searches_saved_before_are_sealed_by_the_migration(otp_client):
    """An ID number already saved in clear is sealed when the database migrates."""
    SavedSearch.objects.create(
        user=otp_client.user, name="旧", query_string=f"q={ID_NUMBER}&sort=newest"
    )
    SavedSearch.objects.create(user=otp_client.user, name="词", query_string="q=拖欠")
    migration = importlib.import_module(
        "search.migrations.0006_saved_searches_seal_identifiers"
    )
    migration.seal_saved_identifiers(apps, None)
    sealed = SavedSearch.objects.get(name="旧").query_string
    assert_clear_of_identifiers(sealed)
    assert "sort=newest" in sealed and "sealed=" in sealed
    assert SavedSearch.objects.get(name="词").query_string == "q=拖欠"
    # Then every other word is sealed too, and the saved search still works.
    importlib.import_module(
        "search.migrations.0008_saved_searches_seal_all_words"
    ).seal_saved_words(apps, None)
    words = SavedSearch.objects.get(name="词").query_string
    assert words.startswith("sealed=") and "拖欠" not in unquote(words)
    assert 'value="拖欠"' in otp_client.get(f"{URL}?{words}").content.decode()
    page = otp_client.get(f"{URL}?{sealed}").content.decode()
    assert f'value="{ID_NUMBER}"' in page
