from elasticsearch import Elasticsearch

from .base import SearchBackend


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str):
        self.url = url
        # Short timeouts: a search engine that hangs must not hang a page.
        self.client = Elasticsearch(
            url, request_timeout=5, retry_on_timeout=False, max_retries=0
        )

    @property
    def location(self) -> str:
        return self.url

    def ping(self) -> None:
        health = self.client.options(request_timeout=2).cluster.health()
        if health["status"] == "red":
            raise ConnectionError("cluster health is red")
