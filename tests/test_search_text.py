"""Chinese segmentation and query parsing behave as a reader expects."""

import re
import time
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from search import text as search_text
from search.text import compact_normal, normalize, parse_query, segment, tokens

# Full-width forms, CJK punctuation, ideographs (traditional ones too), combining
# marks, compatibility characters, controls: where a shortcut could go wrong.
ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),
        st.sampled_from("執訴處財產ﬁ①㈱\u0301\u0308\u200b\x85\xa0 _/-,.Aa9"),
        st.characters(),
    ),
    max_size=60,
)


def test_legal_terms_stay_whole_and_keep_their_parts():
    """失信被执行人 is one word, and 被执行人 inside it is findable too."""
    words = tokens("申请人要求将其列为失信被执行人")
    assert "失信被执行人" in words
    assert "被执行人" in words


def test_query_and_text_meet_on_the_same_words():
    """A query for 执行款 拖欠 shares its words with text that says 拖欠执行款."""
    text_words = set(tokens("被执行人长期拖欠执行款，至今未履行。"))
    query = parse_query("执行款 拖欠")
    assert set(query.words) <= text_words


def test_traditional_and_full_width_text_match_simplified_queries():
    """執行款 (traditional) and ＡＢＣ１２３ (full width) fold to what people search."""
    assert normalize("執行款") == "执行款"
    assert normalize("ＡＢＣ１２３") == "abc123"
    assert set(tokens("訴源治理")) >= {"诉源治理"}


def test_phrases_and_exclusions_are_understood():
    """Quotes make a phrase, a leading minus excludes a word."""
    query = parse_query('"财产 处置" 拍卖 -车辆')
    assert query.phrases == ["财产 处置"]
    assert "拍卖" in query.words
    assert query.excluded == ["车辆"]


def test_a_word_or_phrase_typed_again_is_asked_once():
    """Pasting the same word fifty times makes one condition, not fifty."""
    query = parse_query('工资 工资 "财产处置" "财产处置" -仲裁 -仲裁 ' + "拖欠 " * 50)
    assert query.words == ["工资", "拖欠"]
    assert query.phrases == ["财产处置"]
    assert query.excluded == ["仲裁"]


def test_odd_queries_are_forgiven():
    """Unbalanced quotes, lone minus and engine syntax give words, not errors."""
    assert parse_query('"执行款').phrases == ["执行款"]
    assert parse_query("-").is_empty
    query = parse_query("title:(执行 OR 信访)^2 AND *")
    assert "信访" in query.words
    assert parse_query("\x00\x01\x02").is_empty


def test_a_megabyte_of_one_character_costs_under_a_second():
    """Pathological input is bounded before the segmenter sees it."""
    started = time.perf_counter()
    segment("执" * 1_000_000)
    parse_query("执" * 1_000_000)
    assert time.perf_counter() - started < 1.0


@given(st.text(max_size=300))
def test_any_text_segments_and_parses(text):
    """Segmentation and parsing accept any string and give only non-blank words."""
    assert all(word.strip() for word in tokens(text))
    query = parse_query(text)
    assert all(word.strip() for word in query.words + query.excluded)


@given(ODD_TEXT)
def test_normalising_folds_exactly_as_nfkc_then_simplified_and_lower_case(text):
    """Full-width characters are folded before NFKC to skip it where it would
    change nothing more: the result is the same as NFKC's, whatever the text."""
    expected = unicodedata.normalize("NFKC", text)
    expected = search_text.CONTROL.sub(" ", expected)
    expected = search_text.LONG_RUN.sub(lambda m: m.group(1) * 8, expected)
    expected = search_text._to_simplified().convert(expected).casefold()
    assert normalize(text) == expected


@given(ODD_TEXT)
def test_the_compact_form_is_the_tokens_side_by_side(text):
    """An exact phrase compares with the text's tokens as Elasticsearch's standard
    analyser makes them: each ideograph alone, each run of letters or digits whole
    (between slashes), nothing else."""
    normal = normalize(text)
    one = search_text.ONE_CHAR_TOKENS
    token = re.compile(rf"[{one}]|{search_text.RUN_CHAR}+")
    expected = "".join(
        part if re.fullmatch(f"[{one}]", part) else f"/{part}/"
        for part in token.findall(normal)
    )
    assert compact_normal(normal) == expected


@given(ODD_TEXT, st.data())
def test_a_phrase_s_runs_of_four_are_in_every_text_that_holds_it(text, data):
    """The runs of four ideographs that narrow an exact phrase are all among the
    text's own whenever the text holds the phrase, so narrowing never loses a
    match; a phrase of exactly four is a run of the text exactly when the text
    holds it."""
    normal = normalize(text)
    held = search_text.grams(normal)
    start = data.draw(st.integers(0, len(normal)))
    phrase = normal[start : start + data.draw(st.integers(4, 12))]
    runs = search_text.phrase_grams(phrase)
    assert set(runs) <= held
    for gram in held:
        assert gram in normal and search_text.phrase_grams(gram) == [gram]
    if runs:
        covered = {
            start + offset
            for start in range(len(phrase))
            for offset in range(4)
            if phrase[start : start + 4] in runs
        }
        assert covered == set(range(len(phrase)))


def test_runs_of_four_cover_a_long_phrase_and_skip_other_phrases():
    """失信被执行人 is narrowed by 失信被执 and 被执行人; phrases with a space,
    letters, or fewer than four ideographs are left to positions alone."""
    assert search_text.phrase_grams("失信被执行人") == ["失信被执", "被执行人"]
    assert search_text.phrase_grams("财产处置") == ["财产处置"]
    for phrase in ("执行款", "财产 处置", "wage", "2024年工资"):
        assert search_text.phrase_grams(phrase) == []
    assert search_text.grams("被执行人,执行款") == {"被执行人"}
