"""Chinese text for search: one normalisation and one segmentation, used alike when
indexing and when querying, so that both engines see the same words.

- Normalisation folds full-width to half-width (NFKC), traditional to simplified
  (OpenCC), and case; control characters and lone surrogates become spaces.
- Segmentation is jieba (rjieba) with our dictionary of legal terms
  (``legal_terms.txt``). Indexed text keeps each word and every dictionary word
  inside it (失信被执行人 also gives 失信, 执行, 被执行人 …); a query is cut into
  whole words, so it meets the text however either side was split.
- A guard keeps pathological input cheap: text is cut to a maximum length and long
  runs of one character are shortened before segmentation.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import opencc
import rjieba

DICTIONARY = Path(__file__).with_name("legal_terms.txt")
MAX_INDEX_CHARS = 100_000
MAX_QUERY_CHARS = 200
MAX_RUN = 8
# Controls, invisible separators, and lone surrogates (which no encoder takes).
CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff\ud800-\udfff]"
)
LONG_RUN = re.compile(rf"(.)\1{{{MAX_RUN},}}", re.DOTALL)
# A token worth indexing has at least one letter, digit or ideograph.
WORDLIKE = re.compile(r"\w", re.UNICODE)


@cache
def _segmenter() -> rjieba.Jieba:
    jieba = rjieba.Jieba()
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, frequency = line.partition(" ")
        jieba.add_word(word, int(frequency) if frequency.strip() else None, None)
    return jieba


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Full-width ASCII and the ideographic space, and what NFKC makes of them. Folded
# first (a few per text), Chinese text, whose commas and brackets are full-width,
# is then usually NFKC already, and the slower normalisation is skipped.
FULL_WIDTH = re.compile("[\u3000\uff01-\uff5e]")
HALF_WIDTH = {"\u3000": " "} | {
    chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)
}


def _half_width(match: re.Match) -> str:
    return HALF_WIDTH[match[0]]


def normalize(text: str, limit: int = MAX_INDEX_CHARS) -> str:
    """Fold width, script and case; drop control characters; bound the length."""
    text = FULL_WIDTH.sub(_half_width, (text or "")[:limit])
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = CONTROL.sub(" ", text)
    text = LONG_RUN.sub(lambda match: match.group(1) * MAX_RUN, text)
    return _to_simplified().convert(text).casefold()


# Characters Elasticsearch's standard analyser makes one token each (Han ideographs
# and hiragana); every other run of letters and digits is one token there.
ONE_CHAR_TOKENS = (
    "\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
RUN_CHAR = rf"[^\W_{ONE_CHAR_TOKENS}]"
RUN = re.compile(rf"{RUN_CHAR}+")
# What is in no token: neither a run's letter or digit nor a one-character token.
NOT_TOKEN = re.compile(rf"(?:[^\w{ONE_CHAR_TOKENS}]|_)+")
RUN_EDGE = "/"


def compact_normal(normal: str) -> str:
    """Normalised text as exact phrases compare it: spaces and punctuation gone,
    ideographs side by side, each run of letters or digits between slashes.

    An exact phrase is a substring of this form, which matches as Elasticsearch's
    standard analyser does: "处置" inside 财产处置, but "2024" not inside 12024
    and "wage" not inside "wages" (whole tokens, as on the other engine)."""
    # Three passes in C: whatever is no token becomes a gap, runs get their edges,
    # the gaps go.
    spaced = NOT_TOKEN.sub(" ", normal)
    return RUN.sub(rf"{RUN_EDGE}\g<0>{RUN_EDGE}", spaced).replace(" ", "")


# Every run of GRAM one-token characters is indexed whole too (``grams``): an exact
# phrase of GRAM such characters is then one term, and a longer one is narrowed by
# its runs before any positions are read.
GRAM = 4
GRAM_RUN = re.compile(rf"[{ONE_CHAR_TOKENS}]{{{GRAM},}}")


def grams(normal: str) -> set[str]:
    """Each run of GRAM characters that are one token each, inside ``normal``."""
    return {
        run[start : start + GRAM]
        for run in GRAM_RUN.findall(normal)
        for start in range(len(run) - GRAM + 1)
    }


def phrase_grams(phrase: str) -> list[str]:
    """The runs of GRAM characters that cover an exact phrase made only of
    one-token characters (none for any other phrase): a text holds the phrase
    only if it holds them all, and, at GRAM characters, exactly then."""
    if not GRAM_RUN.fullmatch(phrase):
        return []
    starts = sorted({*range(0, len(phrase) - GRAM + 1, GRAM), len(phrase) - GRAM})
    return [phrase[start : start + GRAM] for start in starts]


def _expansions(normal: str):
    """For each piece jieba cuts: () for punctuation or space, else the word first
    and the dictionary words inside it after."""
    return map(_expansion, _segmenter().cut(normal, True))


def _words_of(normal: str) -> list[str]:
    return [expansion[0] for expansion in _expansions(normal) if expansion]


def words(text: str, limit: int = MAX_INDEX_CHARS) -> list[str]:
    """The whole words of ``text`` (jieba's precise mode), as a query uses them."""
    return _words_of(normalize(text, limit))


def _inner_words(word: str) -> tuple[str, ...]:
    """Every dictionary word inside ``word``, longest first."""
    jieba = _segmenter()
    size = len(word)
    return tuple(
        word[start : start + length]
        for length in range(size - 1, 1, -1)
        for start in range(size - length + 1)
        if jieba.has_word(word[start : start + length])
    )


@lru_cache(maxsize=200_000)
def _expansion(cut: str) -> tuple[str, ...]:
    """What one piece jieba cut gives the index: nothing for punctuation or space,
    else the word and every dictionary word inside it (pieces repeat a lot:
    remembered)."""
    if not WORDLIKE.search(cut):
        return ()
    word = cut.strip()
    return (word, *_inner_words(word)) if len(word) > 2 else (word,)


def _tokens_of(normal: str) -> list[str]:
    return [token for expansion in _expansions(normal) for token in expansion]


def tokens(text: str, limit: int = MAX_INDEX_CHARS) -> list[str]:
    """Index tokens: each word, then every dictionary word inside it."""
    return _tokens_of(normalize(text, limit))


def segment(text: str, limit: int = MAX_INDEX_CHARS) -> str:
    """The words of ``text`` joined by spaces, for a whitespace-analysed field."""
    return " ".join(tokens(text, limit))


def index_forms(text: str) -> tuple[str, str]:
    """What an index keeps of a text: its segmented words and its normalised text,
    normalising once."""
    normal = normalize(text)
    return " ".join(_tokens_of(normal)), normal


@dataclass
class ParsedQuery:
    """What a person typed, understood: words, exact phrases and exclusions."""

    text: str
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases)


QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def parse_query(raw: str) -> ParsedQuery:
    """Split a query into words, "exact phrases" and -exclusions, forgivingly.

    An unbalanced quote runs to the end; a lone minus is ignored; search-engine
    syntax is plain text. Nothing here raises, whatever was typed.
    """
    text = normalize(raw, MAX_QUERY_CHARS).strip()
    query = ParsedQuery(text=text)
    for match in QUERY_PART.finditer(text):
        minus_phrase, phrase, minus_word, word = match.groups()
        if phrase is not None:
            phrase = " ".join(phrase.split())
            if not WORDLIKE.search(phrase):
                continue
            if minus_phrase:
                query.excluded.extend(words(phrase, MAX_QUERY_CHARS))
            else:
                query.phrases.append(phrase)
            continue
        if minus_word and not word.startswith("-"):
            query.excluded.extend(words(word, MAX_QUERY_CHARS))
        else:
            query.words.extend(words(word, MAX_QUERY_CHARS))
    # Typed twice, a word or phrase asks for nothing more: each is matched once
    # (a query of one word pasted 300 times took a second on 100,000 petitions).
    for parts in (query.words, query.phrases, query.excluded):
        parts[:] = dict.fromkeys(parts)
    return query
