"""The RQ queue class the portal configures (``RQ_QUEUES``' ``QUEUE_CLASS``)."""

import threading

from django_rq.queues import DjangoRQ

#: What tells one Redis server and database from another in a client's settings.
ADDRESS = ("host", "port", "path", "db", "username", "password")
_clients: dict = {}
_clients_lock = threading.Lock()


def shared_client(connection):
    """One Redis client, and so one pool of connections, per process and address.

    django-rq builds a new client for every queue it hands out, that is for every
    job enqueued, and each new client opens its own TCP connection (and sends its
    greeting) before the job can be written. The first client for an address is
    kept and every later queue uses its pool; redis-py's pools are thread-safe and
    start afresh in a forked child."""
    if connection is None:
        return None
    pool = connection.connection_pool
    where = pool.connection_kwargs
    key = (type(connection), pool.connection_class, *map(where.get, ADDRESS))
    with _clients_lock:
        return _clients.setdefault(key, connection)


class PortalQueue(DjangoRQ):
    """django-rq's queue on the process's shared client (``shared_client``)."""

    def __init__(self, name="default", connection=None, *args, **kwargs):
        super().__init__(name, shared_client(connection), *args, **kwargs)
