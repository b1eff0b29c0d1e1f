class SearchBackend:
    """The contract both engines keep; later steps add indexing and querying."""

    name: str = ""

    @property
    def location(self) -> str:
        return ""

    def ping(self) -> None:
        """Raise if the engine cannot answer queries now."""
        raise NotImplementedError
