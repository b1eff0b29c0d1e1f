"""One contract, two engines: the same corpus gives the same answers on both.

The suite runs on the database engine always (SQLite FTS5 in round 1, PostgreSQL
tsvector in round 2) and on Elasticsearch when ELASTICSEARCH_URL is set.
"""

from datetime import date

import pytest
from django.conf import settings

from petitions.identifiers import format_tracking_no
from search.backends.base import SearchRequest, case_key, id_number_key, phone_key

CITY, EAST, WEST = "0001", "00010001", "00010002"
EAST_PATH, WEST_PATH = [CITY, EAST], [CITY, WEST]


def tracking(sequence: int) -> str:
    return format_tracking_no(date(2026, 3, 1), sequence)


def petition(number: int, **fields) -> dict:
    document = {
        "id": str(number),
        "version": "1",
        "tracking_no": tracking(number),
        "subject": "",
        "description": "",
        "replies": [],
        "notes": [],
        "unit_path": EAST_PATH,
        "unit": EAST,
        "status": "accepted",
        "channel": "web",
        "category": ["enforcement"],
        "overdue": False,
        "received": f"2026-03-{number:02d}T09:00:00+08:00",
        "received_month": "2026-03",
        "name_masked": "张*",
        "phone_masked": "138****5678",
    }
    document.update(fields)
    return document


CORPUS = [
    petition(
        1,
        subject="被执行人长期拖欠执行款",
        description="申请人要求法院将其纳入失信被执行人名单。",
        status="new",
        overdue=True,
        due="2026-03-20T00:00:00+08:00",
        case_no="（2024）京0105执1234号",
    ),
    petition(
        2,
        subject="房屋财产处置进展查询",
        description="法院对房屋进行拍卖，执行款尚未到账。",
        unit_path=WEST_PATH,
        unit=WEST,
        due="2026-03-10T00:00:00+08:00",
    ),
    petition(
        3,
        subject="咨询诉讼费用",
        description="想了解诉讼费用的缴纳方式。",
        notes=["当事人称对方拖欠执行款已有两年"],
        status="closed",
        channel="phone",
        category=["litigation-service"],
    ),
    petition(
        4,
        subject="車輛處置異議",
        description="对车辆处置了财产有异议，<script>alert(1)</script> 请求复查。",
        unit_path=WEST_PATH,
        unit=WEST,
        status="closed",
        channel="letter",
        due="2026-03-30T00:00:00+08:00",
    ),
    petition(
        5,
        subject="诉源治理工作建议",
        description="建议加强诉源治理，减少执行难问题。",
        replies=["感谢您的建议，我院已转交相关部门。"],
        channel="wechat",
        category=["consultation"],
    ),
    petition(
        6,
        subject="工资拖欠纠纷",
        description="公司拖欠工资三个月，请求帮助。",
        unit_path=WEST_PATH,
        unit=WEST,
        flags=["joint"],
    ),
]
PHONE = "138 1234 5678"
ID_NUMBER = "11010519491231002X"

PAGES = [
    {
        "id": "p1",
        "version": "1",
        "title": "劳动者被拖欠工资怎么办",
        "summary": "讨薪的途径与证据",
        "body": "用人单位拖欠工资的，劳动者可以申请劳动仲裁。",
        "section": "labour",
        "language": "zh-hans",
        "url": "/guides/wages/",
        "published": "2026-01-05T00:00:00+08:00",
    },
    {
        "id": "p2",
        "version": "1",
        "title": "申请强制执行指南",
        "summary": "执行款如何领取",
        "body": "被执行人拖欠执行款的，可以申请强制执行。",
        "section": "enforcement",
        "language": "zh-hans",
        "url": "/guides/enforcement/",
        "published": "2026-02-05T00:00:00+08:00",
    },
    {
        "id": "p3",
        "version": "1",
        "title": "Unpaid wages: what to do",
        "summary": "Ways to recover wages",
        "body": "Employees whose wages are unpaid can apply for labour arbitration.",
        "section": "labour",
        "language": "en",
        "url": "/en/guides/wages/",
        "published": "2026-01-05T00:00:00+08:00",
    },
]


def engines():
    names = ["database"]
    if settings.ELASTICSEARCH_URL:
        names.append("elasticsearch")
    return names


@pytest.fixture(params=engines())
def engine(request, db):
    """Each engine in turn, loaded with the corpus, emptied afterwards."""
    if request.param == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        backend = ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    else:
        from search.backends.database import DatabaseBackend

        backend = DatabaseBackend()
    load_corpus(backend)
    yield backend
    for kind in ("petitions", "pages"):
        backend.clear(kind)


def load_corpus(backend) -> None:
    """The corpus above (identifiers as intake keys them) and the pages, searchable."""
    corpus = [dict(document) for document in CORPUS]
    corpus[0]["case_key"] = case_key(corpus[0]["case_no"])
    corpus[0]["phone_hash"] = phone_key(PHONE)
    corpus[0]["id_hash"] = id_number_key(ID_NUMBER)
    corpus[1]["phone_hash"] = phone_key("13900001111")
    for kind in ("petitions", "pages"):
        backend.clear(kind)
    backend.upsert("petitions", corpus)
    backend.upsert("pages", PAGES)
    backend.refresh("petitions")
    backend.refresh("pages")


def ids(engine, query="", **options):
    request = SearchRequest(kind=options.pop("kind", "petitions"), query=query)
    for name, value in options.items():
        setattr(request, name, value)
    return [hit.id for hit in engine.search(request).hits]


def test_words_split_differently_in_query_and_text_still_meet(engine):
    """执行款 拖欠 finds 拖欠执行款, the subject match first, the note match after."""
    assert ids(engine, "执行款 拖欠") == ["1", "3"]


def test_a_legal_term_finds_its_parts_and_itself(engine):
    """被执行人 finds the text that says 失信被执行人; the whole term finds it too."""
    assert "1" in ids(engine, "被执行人")
    assert ids(engine, "失信被执行人") == ["1"]
    assert ids(engine, "诉源治理") == ["5"]


def test_traditional_and_full_width_queries_match_simplified_text(engine):
    """執行款 finds what 执行款 finds; 车辆 finds text written 車輛."""
    assert ids(engine, "執行款") == ids(engine, "执行款")
    assert ids(engine, "车辆") == ["4"]


def test_exact_phrases_in_quotes(engine):
    """ "财产处置" needs the characters together; the words apart do not match."""
    assert ids(engine, '"财产处置"') == ["2"]
    assert ids(engine, '"财产 处置"') == ["2"]
    assert set(ids(engine, "财产 处置")) == {"2", "4"}


def test_an_exact_phrase_narrows_and_the_newest_comes_first(engine):
    """Phrases do not rank (a subject match is not worth more than a note's): with
    no words to rank by, the matches come newest first, alike on both engines."""
    assert ids(engine, '"拖欠"') == ["6", "3", "1"]
    assert ids(engine, '"处置"') == ["4", "2"]


def test_an_exact_phrase_with_words_or_other_phrases_needs_every_part(engine):
    """A phrase beside words, or beside another phrase, narrows like a word does."""
    assert ids(engine, '"财产处置" 拍卖') == ["2"]
    assert ids(engine, '"财产处置" 诉讼') == []
    assert set(ids(engine, '"拖欠执行款"')) == {"1", "3"}
    assert ids(engine, '"拖欠执行款" "失信被执行人"') == ["1"]


def test_a_phrase_never_spans_two_texts(engine):
    """The end of a subject (…执行款) and the start of its description (申请人…) are
    not side by side: no match for a phrase made of both, on either engine."""
    assert ids(engine, '"申请人"') == ["1"]
    assert ids(engine, '"款申请"') == []
    assert ids(engine, '"执行款申请人"') == []


def test_a_long_phrase_needs_its_characters_in_one_run(engine):
    """ "失信被执行人" is not found where its two halves stand apart, nor in a text
    holding one half and another holding the other; "被执行人" still is."""
    scattered = petition(
        7,
        subject="失信被执法人员",
        description="另一名被执行人已履行。",
        notes=["列入失信被执"],
    )
    engine.upsert("petitions", [scattered])
    engine.refresh("petitions")
    assert ids(engine, '"失信被执行人"') == ["1"]
    assert "7" in ids(engine, '"被执行人"')
    assert ids(engine, '"失信被执法人员"') == ["7"]
    assert ids(engine, '"列入失信被执"') == ["7"]


def test_short_phrases_of_one_or_two_characters(engine):
    """ "处置" and "異" match inside longer words, as a reader expects of quotes."""
    assert set(ids(engine, '"处置"')) == {"2", "4"}
    assert ids(engine, '"異"') == ["4"]


def test_exclusions_with_a_minus(engine):
    """执行款 -拍卖 drops the petition that mentions an auction."""
    assert "2" in ids(engine, "执行款")
    assert "2" not in ids(engine, "执行款 -拍卖")
    assert set(ids(engine, "-拖欠")) == {"2", "4", "5"}


def test_exact_lookup_by_tracking_number_typed_any_way(engine):
    """A tracking number in the box, lower case and full width, finds its petition."""
    assert ids(engine, tracking(3)) == ["3"]
    assert ids(engine, tracking(3).lower()) == ["3"]
    full_width = tracking(3).translate({code: code + 0xFEE0 for code in range(48, 58)})
    assert ids(engine, full_width) == ["3"]
    assert ids(engine, tracking_no=tracking(5)) == ["5"]


def test_exact_lookup_by_case_number_phone_and_id_number(engine):
    """Case number with half-width brackets, spaced phone, ID number: one hit each."""
    assert ids(engine, "(2024)京0105执1234号") == ["1"]
    assert ids(engine, PHONE) == ["1"]
    assert ids(engine, "139-0000-1111") == ["2"]
    assert ids(engine, ID_NUMBER.lower()) == ["1"]
    assert ids(engine, phone="13800000000") == []


def test_sibling_units_see_disjoint_results_and_the_parent_sees_both(engine):
    """East and West never share a hit; the city sees the union."""
    east = set(ids(engine, "", scope=[EAST]))
    west = set(ids(engine, "", scope=[WEST]))
    assert east and west and not east & west
    assert set(ids(engine, "", scope=[CITY])) == east | west
    assert ids(engine, "拖欠", scope=[WEST]) == ["6"]
    assert ids(engine, "拖欠", scope=[]) == []


def test_facets_count_the_matching_petitions(engine):
    """Status and channel counts cover every match, most frequent first."""
    result = engine.search(
        SearchRequest(kind="petitions", facets=["status", "channel", "overdue"])
    )
    assert result.total == 6
    assert result.facets["status"] == [("accepted", 3), ("closed", 2), ("new", 1)]
    assert dict(result.facets["channel"]) == {
        "web": 3,
        "phone": 1,
        "letter": 1,
        "wechat": 1,
    }
    assert dict(result.facets["overdue"]) == {"true": 1, "false": 5}
    narrowed = engine.search(
        SearchRequest(kind="petitions", query="拖欠", facets=["status"])
    )
    assert dict(narrowed.facets["status"]) == {"new": 1, "closed": 1, "accepted": 1}


def test_a_month_facet_counts_and_narrows(engine):
    """Received month: counts per month over the matches, and a month filters."""
    engine.upsert(
        "petitions",
        [
            dict(
                CORPUS[number],
                received=f"2026-02-2{number}T09:00:00+08:00",
                received_month="2026-02",
            )
            for number in (0, 1)
        ],
    )
    engine.refresh("petitions")
    result = engine.search(SearchRequest(kind="petitions", facets=["received_month"]))
    assert result.facets["received_month"] == [("2026-03", 4), ("2026-02", 2)]
    narrowed = engine.search(
        SearchRequest(kind="petitions", query="拖欠", facets=["received_month"])
    )
    assert dict(narrowed.facets["received_month"]) == {"2026-03": 2, "2026-02": 1}
    assert set(ids(engine, "", filters={"received_month": ["2026-02"]})) == {"1", "2"}


LATIN = [
    petition(
        7,
        subject="Appeal filed in 2024",
        description="The wages are unpaid since March, 2024年起拖欠。",
    ),
    petition(8, subject="Case 12024", description="About unpaid-wage claims."),
]


def test_latin_and_digit_phrases_match_whole_tokens(engine):
    """ "2024" is not inside 12024, "wage" not inside wages: whole tokens on both
    engines, while Chinese phrases still match inside words."""
    engine.upsert("petitions", LATIN)
    engine.refresh("petitions")
    assert ids(engine, '"2024"') == ["7"]
    assert ids(engine, '"2024年"') == ["7"]
    assert ids(engine, '"12024"') == ["8"]
    assert ids(engine, '"wages are unpaid"') == ["7"]
    assert ids(engine, '"WAGES,  are unpaid"') == ["7"]
    assert ids(engine, '"wage"') == ["8"]
    assert ids(engine, '"are unp"') == []
    assert ids(engine, '"年起拖"') == ["7"]
    [hit] = engine.search(SearchRequest(kind="petitions", query='"wage"')).hits
    assert hit.highlights["description"] == ["About unpaid-<mark>wage</mark> claims."]


def test_keyword_filters_narrow(engine):
    """Filtering by status and by flag keeps only those petitions."""
    assert set(ids(engine, "", filters={"status": ["closed"]})) == {"3", "4"}
    assert ids(engine, "", filters={"flags": ["joint"]}) == ["6"]
    assert ids(engine, "", filters={"overdue": ["true"]}) == ["1"]


def test_date_ranges_include_both_ends(engine):
    """Received from the 2nd to the 4th of March: petitions 2, 3 and 4."""
    found = ids(
        engine,
        "",
        date_field="received",
        date_from=date(2026, 3, 2),
        date_to=date(2026, 3, 4),
    )
    assert found == ["4", "3", "2"]


def test_sorting_newest_and_by_deadline(engine):
    """Newest first by receipt; by deadline the nearest first, none last."""
    assert ids(engine, "", sort="newest") == ["6", "5", "4", "3", "2", "1"]
    assert ids(engine, "", sort="deadline") == ["2", "1", "4", "6", "5", "3"]


def test_pages_of_results_cover_everything_once(engine):
    """Two per page: three pages, every petition once, the total told each time."""
    seen = []
    for page in (1, 2, 3):
        result = engine.search(
            SearchRequest(kind="petitions", sort="newest", page=page, per_page=2)
        )
        assert result.total == 6
        seen += [hit.id for hit in result.hits]
    assert seen == ["6", "5", "4", "3", "2", "1"]
    assert ids(engine, "", page=99, per_page=2) == []


def test_pages_with_facets_cover_everything_once_and_count_every_match(
    engine, monkeypatch
):
    """With facets asked for, each page is the right slice of the same order and
    the counts cover every match, however the engine reads the matches (the
    database engine reads them in chunks, made tiny here to cross pages)."""
    monkeypatch.setattr("search.backends.database.CHUNK", 3)
    for query, per_page in (("", 2), ("拖欠", 1)):
        seen = []
        for page in (1, 2, 3):
            result = engine.search(
                SearchRequest(
                    kind="petitions",
                    query=query,
                    page=page,
                    per_page=per_page,
                    facets=["status"],
                )
            )
            assert result.total == (6 if not query else 3)
            assert sum(count for _, count in result.facets["status"]) == result.total
            seen += [hit.id for hit in result.hits]
        assert seen == ids(engine, query)


def test_highlights_are_escaped_and_marked(engine):
    """Markup typed by a petitioner is shown as text; the match is in <mark>."""
    result = engine.search(SearchRequest(kind="petitions", query="异议"))
    [hit] = result.hits
    snippet = hit.highlights["description"][0]
    assert "<mark>异议</mark>" in snippet
    assert "&lt;script&gt;" in snippet
    assert "<script>" not in snippet
    traditional = engine.search(SearchRequest(kind="petitions", query="车辆"))
    assert traditional.hits[0].highlights["subject"] == ["<mark>車輛</mark>處置異議"]


def test_highlights_cover_replies_and_notes(engine):
    """A match in a reply or an internal note is shown where it is."""
    [reply_hit] = engine.search(SearchRequest(kind="petitions", query="转交")).hits
    assert "<mark>转交</mark>" in reply_hit.highlights["replies"][0]
    hits = engine.search(SearchRequest(kind="petitions", query="两年")).hits
    assert "<mark>两年</mark>" in hits[0].highlights["notes"][0]


@pytest.mark.parametrize(
    "query",
    [
        '"执行款',
        "-",
        "- -- ---",
        '""',
        "执" * 10_000,
        "执行\x00款\x1b[31m\u202e",
        'subject:(执行 OR "x") AND {"query": 1} [* TO *] \\ / ~2 ^3',
        "' OR 1=1 --",
        'NEAR(a b) a* "',
        "ⅰ㈱ﬁ",
    ],
)
def test_odd_queries_give_results_or_nothing_never_an_error(engine, query):
    """Unbalanced quotes, lone minus, 10,000 characters, controls, engine syntax."""
    result = engine.search(SearchRequest(kind="petitions", query=query))
    assert result.total >= 0
    assert len(result.hits) <= result.total


def test_versions_and_deletions(engine):
    """Versions list every id; a deleted id is gone from versions and results."""
    assert engine.versions("petitions") == {str(number): "1" for number in range(1, 7)}
    engine.delete("petitions", ["3", "does-not-exist"])
    engine.refresh("petitions")
    assert "3" not in engine.versions("petitions")
    assert ids(engine, "诉讼费用") == []
    # Asked by id (the 30 s catch-up): only the indexed ones answer, no refresh.
    engine.upsert("petitions", [dict(CORPUS[4], version="2")])
    assert engine.versions("petitions", ["5", "3", "2", "99"]) == {"5": "2", "2": "1"}


def test_upsert_replaces_a_document(engine):
    """Writing the same id again replaces its text and its version."""
    changed = dict(CORPUS[4], subject="新的标题", version="2")
    engine.upsert("petitions", [changed])
    engine.refresh("petitions")
    assert ids(engine, "新的标题") == ["5"]
    assert engine.versions("petitions")["5"] == "2"
    assert len(engine.versions("petitions")) == 6


def test_pages_by_language_and_section(engine):
    """Public pages: language and section filters, the title match first."""
    assert ids(engine, "拖欠", kind="pages", filters={"language": ["zh-hans"]}) == [
        "p1",
        "p2",
    ]
    assert ids(engine, "wages", kind="pages", filters={"language": ["en"]}) == ["p3"]
    assert ids(engine, "工资", kind="pages", filters={"section": ["enforcement"]}) == []


def test_any_word_matching_ranks_guides_for_a_long_text(engine):
    """Suggestions from what a citizen writes: any word counts, the best guide first."""
    request = SearchRequest(
        kind="pages",
        query="公司 拖欠 工资 三个月 怎么办",
        match_any=True,
        filters={"language": ["zh-hans"]},
    )
    found = [hit.id for hit in engine.search(request).hits]
    assert found == ["p1", "p2"]
