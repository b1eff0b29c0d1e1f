"""Highlights made once, in Python, over the stored text of a hit.

Both engines return the text as written; this module finds the query's words and
phrases in its normalised form (so 執行款 or ＡＢＣ is marked for 执行款 or abc), maps
them back to the original characters, escapes everything, wraps matches in <mark>,
and cuts short snippets around them. One implementation means identical highlights
whichever engine answered.
"""

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from django.utils.html import escape

from search.text import RUN_CHAR, ParsedQuery, _to_simplified

RUN = re.compile(RUN_CHAR)

SNIPPET_CONTEXT = 30
MAX_SNIPPETS = 3
# Highlighting looks at the start of long texts only: a hit's page shows snippets,
# not a whole file, and the cost must stay bounded.
MAX_HIGHLIGHT_CHARS = 20_000


def _fold(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold()


def normalized_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """``text`` folded as ``search.text.normalize`` does, and for every character of
    the result the index of the original character it came from."""
    folded_text = _fold(text)
    if len(folded_text) == len(text):
        # The usual case: folding kept one character for one (width, case).
        origins = range(len(text))
    else:
        pieces, origins = [], []
        for index, char in enumerate(text):
            folded = _fold(char)
            pieces.append(folded)
            origins.extend([index] * len(folded))
        folded_text = "".join(pieces)
    simplified = _to_simplified().convert(folded_text)
    if len(simplified) != len(folded_text):
        # Rare multi-character conversions: convert character by character instead.
        simplified = "".join(_to_simplified().convert(char) for char in folded_text)
        if len(simplified) != len(folded_text):
            simplified = folded_text
    return simplified, origins


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        chars = [char for char in term if not char.isspace()]
        if chars:
            # A phrase matches across spaces and punctuation, as the engines do.
            part = r"[\W_]*".join(re.escape(char) for char in chars)
            # Letters and digits match whole tokens: "wage" is not in "wages".
            if RUN.match(chars[0]):
                part = rf"(?<!{RUN_CHAR}){part}"
            if RUN.match(chars[-1]):
                part = rf"{part}(?!{RUN_CHAR})"
            parts.append(part)
    return re.compile("|".join(parts)) if parts else None


def query_terms(parsed: ParsedQuery) -> tuple[str, ...]:
    return tuple(parsed.words) + tuple(parsed.phrases)


def highlight_text(text: str, terms: tuple[str, ...]) -> list[str]:
    """Escaped snippets of ``text`` with every term wrapped in <mark>."""
    pattern = _pattern(terms)
    if not text or pattern is None:
        return []
    text = text[:MAX_HIGHLIGHT_CHARS]
    folded, origins = normalized_with_offsets(text)
    spans: list[list[int]] = []
    for match in pattern.finditer(folded):
        if match.end() == match.start():
            continue
        start, end = origins[match.start()], origins[match.end() - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    snippets: list[list[list[int]]] = []  # groups of spans close enough to share one
    for span in spans:
        if snippets and span[0] - snippets[-1][-1][1] <= 2 * SNIPPET_CONTEXT:
            snippets[-1].append(span)
        else:
            snippets.append([span])
    return [_render(text, group) for group in snippets[:MAX_SNIPPETS]]


def _render(text: str, spans: list[list[int]]) -> str:
    start = max(0, spans[0][0] - SNIPPET_CONTEXT)
    end = min(len(text), spans[-1][1] + SNIPPET_CONTEXT)
    out = ["…" if start else ""]
    position = start
    for span_start, span_end in spans:
        out.append(escape(text[position:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)


def highlight_source(source: dict, kind, parsed: ParsedQuery) -> dict[str, list[str]]:
    """Snippets per text field of a hit, in the kind's field order; empty fields out."""
    terms = query_terms(parsed)
    result = {}
    for name in kind.text_fields:
        value = source.get(name)
        values = value if isinstance(value, list) else [value]
        snippets = []
        for item in values:
            if item:
                snippets.extend(highlight_text(str(item), terms))
        if snippets:
            result[name] = snippets[:MAX_SNIPPETS]
    return result
