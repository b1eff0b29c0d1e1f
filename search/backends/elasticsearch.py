"""The Elasticsearch engine: a plan becomes an elasticsearch.dsl query.

Readers and writers use the kind's alias; ``rebuild`` loads a new versioned index
(``<alias>-v<milliseconds>``) and moves the alias in one atomic ``update_aliases``
call, so a search running meanwhile sees the old index until the new one is whole.
A search's page and counts name the index behind the alias, not the alias, so both
come from the same version; a search caught on the old index as it is deleted is
refused whole by the engine (no partial results) and asked again, of the new one.
"""

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch import helpers as es_helpers
from elasticsearch.dsl import Q, Search
from elasticsearch.serializer import OrjsonSerializer

from search.documents import KINDS, WEIGHTS, Kind, facet_lines, text_values
from search.text import grams, index_forms, phrase_grams

from .base import (
    Hit,
    SearchBackend,
    SearchPlan,
    SearchResult,
    SearchUnavailable,
    facet_lists,
)

logger = logging.getLogger("search.elasticsearch")
BULK_CHUNK = 1000
LOADING = {"refresh_interval": "-1", "translog.durability": "async"}
# Values counted by the one facets aggregation, of every keyword field; each facet
# asked keeps its FACET_SIZE most frequent afterwards.
FACET_VALUES = 10_000
# How long a search trusts the alias as it last resolved it. A resolved name that
# a rebuild has since deleted makes the search fail whole and resolve again; one
# the rebuild could not delete is read at most this long after the swap.
ALIAS_TRUSTED_SECONDS = 1.0


def engine_document(kind: Kind, document: dict) -> dict:
    """The source plus each text field's segmented words (copied by the engine
    into ``words``), every text's exact form and its runs of ideographs, and the
    facet values."""
    body = dict(document)
    exact = []
    for name in kind.text_fields:
        forms = [index_forms(value) for value in text_values(document.get(name))]
        body[f"{name}_words"] = [words for words, _ in forms]
        exact += [normal for _, normal in forms]
    body["exact"] = exact
    body["grams"] = " ".join(set().union(*map(grams, exact)))
    body["facets"] = facet_lines(kind, document)
    return body


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str):
        from django.conf import settings

        self.url = url
        # A production cluster runs with security on: an API key (or user and
        # password in the URL) and TLS, verified against our own CA if given.
        credentials = {
            "api_key": getattr(settings, "ELASTICSEARCH_API_KEY", "") or None,
            "ca_certs": getattr(settings, "ELASTICSEARCH_CA_CERTS", "") or None,
        }
        # Short timeouts: a search engine that hangs must not hang a page.
        self.client = Elasticsearch(
            url,
            request_timeout=5,
            retry_on_timeout=False,
            max_retries=0,
            # orjson: a rebuild spends a good share of its time writing JSON.
            serializer=OrjsonSerializer(),
            **{name: value for name, value in credentials.items() if value},
        )
        # Bulk loads get longer, and so does every step of a rebuild (at a million
        # petitions its closing flush alone outlasts a page's five seconds, and a
        # timeout at the swap would waste the whole load): batch jobs, not pages.
        self.bulk_client = self.client.options(request_timeout=120)
        # alias -> (when resolved, the indices behind it), for searches; forgotten
        # when this process moves or drops the index behind an alias.
        self._resolved: dict[str, tuple[float, list[str]]] = {}

    @property
    def location(self) -> str:
        return self.url

    def ping(self) -> None:
        health = self.client.options(request_timeout=2).cluster.health()
        if health["status"] == "red":
            raise ConnectionError("cluster health is red")

    # Index life cycle ---------------------------------------------------------

    def _indices_behind(self, kind: Kind) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=kind.alias).keys())
        except NotFoundError:
            return []

    def _search_targets(self, kind: Kind, again: bool) -> list[str]:
        """The indices behind the alias, as resolved less than
        ALIAS_TRUSTED_SECONDS ago unless asked ``again``: saves every search a
        round trip to the engine."""
        resolved = self._resolved.get(kind.alias)
        now = time.monotonic()
        if again or not resolved or now - resolved[0] > ALIAS_TRUSTED_SECONDS:
            indices = self._indices_behind(kind)
            if indices:  # the first write must be found at once
                self._resolved[kind.alias] = (now, indices)
            return indices
        return resolved[1]

    def _create_version(self, kind: Kind, loading: bool = False) -> str:
        name = f"{kind.alias}-v{time.time_ns() // 1_000_000}"
        body = kind.index_body()
        if loading:
            # A rebuild's index is thrown away if anything fails before it is
            # flushed and swapped in: no refreshes, no fsync per bulk request.
            body["settings"] = {**body["settings"], **LOADING}
        self.client.indices.create(index=name, **body)
        return name

    def ensure_index(self, kind: Kind) -> None:
        """The first write of a kind creates its first version behind the alias."""
        if self._indices_behind(kind):
            return
        name = self._create_version(kind)
        self.client.indices.update_aliases(
            actions=[{"add": {"index": name, "alias": kind.alias}}]
        )

    # Writing ------------------------------------------------------------------

    def _bulk(self, actions: Iterable[dict], **options) -> int:
        written = 0
        try:
            for ok, _item in es_helpers.streaming_bulk(
                self.bulk_client, actions, chunk_size=BULK_CHUNK, **options
            ):
                written += ok
        except es_helpers.BulkIndexError as error:
            # A refused document is a bug of ours, not an outage: say which and why.
            logger.error("bulk write refused: %s", error.errors[:1])
            raise SearchUnavailable(str(error)) from error
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(str(error)) from error
        return written

    def _index_actions(self, kind: Kind, index: str, documents: Iterable[dict]):
        for document in documents:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": str(document["id"]),
                "_source": engine_document(kind, document),
            }

    def _versions(self, kind: Kind) -> dict[str, bool]:
        """Every version of the kind's index (the live one and one being rebuilt),
        each with whether the alias points at it: one short request."""
        try:
            found = self.client.indices.get_alias(
                index=f"{kind.alias}-v*",
                ignore_unavailable=True,
                allow_no_indices=True,
            )
        except NotFoundError:
            return {}
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(str(error)) from error
        return {
            name: kind.alias in entry.get("aliases", {})
            for name, entry in found.items()
        }

    def _write_targets(self, kind: Kind) -> list[str]:
        """Every version of the kind's index: the live one and one being rebuilt,
        so that a change made during a rebuild is in the new index too."""
        return sorted(self._versions(kind))

    def upsert(self, kind: str, documents: Iterable[dict]) -> int:
        spec = KINDS[kind]
        versions = self._versions(spec)
        if not any(versions.values()):
            try:
                self.ensure_index(spec)
            except (TransportError, ApiError) as error:
                raise SearchUnavailable(str(error)) from error
            versions = self._versions(spec)
        documents = list(documents)
        targets = sorted(versions)
        for target in targets[1:]:
            self._bulk(self._index_actions(spec, target, documents))
        return self._bulk(self._index_actions(spec, targets[0], documents))

    def delete(self, kind: str, ids: Iterable[str]) -> None:
        spec = KINDS[kind]
        ids = [str(key) for key in ids]
        for target in self._write_targets(spec):
            actions = (
                {"_op_type": "delete", "_index": target, "_id": key} for key in ids
            )
            self._bulk(actions, ignore_status=(404,))

    def _safe_indices(self, kind: Kind) -> list[str]:
        try:
            return self._indices_behind(kind)
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(str(error)) from error

    def versions(self, kind: str, keys: Iterable[str] | None = None) -> dict[str, str]:
        spec = KINDS[kind]
        if not self._safe_indices(spec):
            return {}
        if keys is not None:
            return self._versions_of(spec, list(keys))
        try:
            # Reconcile must see the latest writes, not the last periodic refresh.
            self.client.indices.refresh(index=spec.alias)
            return {
                item["_id"]: item["_source"].get("version", "")
                for item in es_helpers.scan(
                    self.bulk_client,
                    index=spec.alias,
                    query={"query": {"match_all": {}}, "_source": ["version"]},
                    size=2000,
                )
            }
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(str(error)) from error

    def _versions_of(self, spec: Kind, keys: list[str]) -> dict[str, str]:
        """Versions of the given ids by multi-get (real time: no refresh needed)."""
        found = {}
        try:
            for start in range(0, len(keys), BULK_CHUNK):
                response = self.client.mget(
                    index=spec.alias,
                    ids=keys[start : start + BULK_CHUNK],
                    source=["version"],
                )
                for item in response["docs"]:
                    if item.get("found"):
                        found[item["_id"]] = item["_source"].get("version", "")
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(str(error)) from error
        return found

    def rebuild(
        self,
        kind: str,
        documents: Iterable[dict],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        spec = KINDS[kind]
        indices = self.bulk_client.indices
        old = self._safe_indices(spec)
        new = self._create_version(spec, loading=True)
        try:
            written = self._load(self._index_actions(spec, new, documents), progress)
            indices.put_settings(index=new, settings={"index": dict.fromkeys(LOADING)})
            # On disk (a Lucene commit) and searchable before readers see it.
            indices.flush(index=new)
            indices.refresh(index=new)
        except BaseException:
            indices.delete(index=new, ignore_unavailable=True)
            raise
        # One call: readers see the old index or the new one, never neither.
        indices.update_aliases(
            actions=[{"remove": {"index": name, "alias": spec.alias}} for name in old]
            + [{"add": {"index": new, "alias": spec.alias}}]
        )
        self._resolved.pop(spec.alias, None)
        # The old version, and any left by a rebuild that died half-way.
        for name in self._write_targets(spec):
            if name != new:
                indices.delete(index=name, ignore_unavailable=True)
        return written

    def _load(
        self, actions: Iterable[dict], progress: Callable[[int], None] | None
    ) -> int:
        """Send ``actions`` in chunks, two chunks in flight while the next is built.

        The actions are built in this thread (not in the sender threads, as
        ``parallel_bulk`` would), so the database is read on the caller's
        connection and inside its transaction."""
        written = 0
        actions = iter(actions)
        in_flight: deque[Future] = deque()
        with ThreadPoolExecutor(max_workers=2) as senders:
            while chunk := list(islice(actions, BULK_CHUNK)):
                in_flight.append(senders.submit(self._send_chunk, chunk))
                while len(in_flight) > 2:
                    written += in_flight.popleft().result()
                    if progress:
                        progress(written)
            while in_flight:
                written += in_flight.popleft().result()
                if progress:
                    progress(written)
        if progress and not written:
            progress(0)
        return written

    def _send_chunk(self, chunk: list[dict]) -> int:
        ok, _errors = es_helpers.bulk(self.bulk_client, chunk, chunk_size=len(chunk))
        return ok

    def refresh(self, kind: str) -> None:
        spec = KINDS[kind]
        if self._safe_indices(spec):
            self.client.indices.refresh(index=spec.alias)

    def clear(self, kind: str) -> None:
        spec = KINDS[kind]
        for name in self._write_targets(spec):
            self.client.indices.delete(index=name, ignore_unavailable=True)
        self._resolved.pop(spec.alias, None)

    # Searching ----------------------------------------------------------------

    def build_query(self, plan: SearchPlan, ranked: bool = True) -> Q:
        """The plan in the query DSL: required words, phrases, exclusions, filters.

        Ranked, the words are asked of each text field by its weight; unranked (for
        the counts) of the one field holding every text's words."""
        kind = plan.kind
        if ranked:
            words_fields = [
                f"{name}_words^{WEIGHTS[weight]}"
                for name, weight in kind.text_fields.items()
            ]
            word_queries = [
                Q("multi_match", query=word, fields=words_fields, type="best_fields")
                for word in plan.parsed.words
            ]
        else:
            word_queries = [Q("match", words=word) for word in plan.parsed.words]
        must = word_queries
        if plan.match_any and word_queries:
            must = [Q("bool", should=word_queries, minimum_should_match=1)]
        # An exact phrase narrows, it does not rank (as on the database engine).
        phrases = [
            query
            for phrase in plan.parsed.phrases
            for query in self._phrase_queries(phrase)
        ]
        must_not = [Q("match", words=word) for word in plan.parsed.excluded]
        filters = phrases + [
            Q("terms", **{name: values}) for name, values in plan.terms.items()
        ]
        if plan.date_field and (plan.date_gte or plan.date_lt):
            bounds = {}
            if plan.date_gte:
                bounds["gte"] = plan.date_gte
            if plan.date_lt:
                bounds["lt"] = plan.date_lt
            filters.append(Q("range", **{plan.date_field: bounds}))
        query = Q("bool", must=must or [Q("match_all")], must_not=must_not)
        return Q("bool", must=[query], filter=filters)

    @staticmethod
    def _phrase_queries(phrase: str) -> list[Q]:
        """An exact phrase as filters: of four ideographs, one term; longer, its
        runs of four (no positions read) and then the phrase itself, whose
        positions are read only where all the runs are."""
        runs = phrase_grams(phrase)
        queries = [Q("term", grams=run) for run in runs]
        if runs != [phrase]:
            queries.append(Q("match_phrase", exact=phrase))
        return queries

    def build_searches(self, plan: SearchPlan) -> tuple[Search, Search]:
        """Two searches sent together: the page and the counts.

        The page is ranked but not counted, so the engine may skip what cannot
        reach it; the counts (total and facets) need no ranking, so there the query
        is a filter, which the engine can keep between searches. One search doing
        both would rank every match, hundreds of thousands at a million petitions."""
        page = Search().query(self.build_query(plan))
        page = page.extra(track_total_hits=False).sort(*self._sort(plan))
        page = page[plan.offset : plan.offset + plan.limit]
        counts = Search().query(Q("bool", filter=[self.build_query(plan, False)]))
        counts = counts.extra(track_total_hits=True)[0:0]
        if plan.facets:
            # Every value counted, the asked facets picked out after: an include
            # pattern would make the engine count through a hash, twice as slow.
            counts.aggs.bucket("facets", "terms", field="facets", size=FACET_VALUES)
        return page, counts

    @staticmethod
    def _sort(plan: SearchPlan) -> list:
        kind = plan.kind
        tiebreak = [
            {kind.newest_field: {"order": "desc", "missing": "_last"}},
            {"id": {"order": "asc"}},
        ]
        if plan.sort == "newest":
            return tiebreak
        if plan.sort == "deadline":
            return [
                {kind.deadline_field: {"order": "asc", "missing": "_last"}}
            ] + tiebreak
        return ["_score"] + tiebreak

    def _answers(self, plan: SearchPlan) -> tuple[dict, dict] | None:
        """The engine's answers to the page and the counts: both whole, both from
        the same version of the index, or neither.

        The alias is resolved first and both searches name the index behind it:
        a rebuild that moved the alias between the two would otherwise give the
        counts of one version and the page of the other (all found, none shown).
        A rebuild deletes the old index right after it moved the alias; searches
        of the old index then fail (partial results are refused, so they cannot
        come back empty or half), and asked again the alias names the new index.
        None: nothing is indexed yet for this kind."""
        bodies = [search.to_dict() for search in self.build_searches(plan)]
        for last in (False, True):
            indices = self._search_targets(plan.kind, again=last)
            if not indices:
                return None
            header = {"index": ",".join(indices), "allow_partial_search_results": False}
            searches = [part for body in bodies for part in (header, body)]
            answers = self.client.msearch(searches=searches)["responses"]
            errors = [answer["error"] for answer in answers if "error" in answer]
            if not errors:
                return answers[0], answers[1]
            if last:
                raise SearchUnavailable(str(errors[0]))

    def execute(self, plan: SearchPlan) -> SearchResult:
        try:
            answers = self._answers(plan)
        except (TransportError, ApiError) as error:
            raise SearchUnavailable(str(error)) from error
        if answers is None:
            return SearchResult(total=0, hits=[], facets={})
        page, counts = answers
        hits = [
            Hit(
                id=hit["_id"],
                score=float(hit.get("_score") or 0.0),
                source=hit["_source"],
            )
            for hit in page["hits"]["hits"]
        ]
        buckets = counts.get("aggregations", {}).get("facets", {}).get("buckets", [])
        facets = facet_lists(
            {bucket["key"]: bucket["doc_count"] for bucket in buckets}, plan.facets
        )
        return SearchResult(
            total=counts["hits"]["total"]["value"], hits=hits, facets=facets
        )
