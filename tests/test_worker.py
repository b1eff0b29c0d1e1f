"""The RQ worker runs jobs in its own process, keeps its database connection between
jobs, and still replaces a broken one and stops a job at its timeout (real Redis)."""

import os
import shutil
import subprocess
import time

import django_rq.settings
import pytest
from django.db import DatabaseError, connection
from redis import Redis
from rq import Queue
from rq.job import JobStatus

from portal.queues import PortalQueue
from portal.settings.services import tasks_settings
from portal.worker import PortalWorker
from tests.test_healthz import closed_port

pytestmark = pytest.mark.django_db(transaction=True)

CONNECTIONS = []  # every raw connection a job used, kept so none is collected


def start_redis(port, folder):
    """A throw-away Debian redis-server on the given loopback port, answering."""
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: tests/run.sh installs it"
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
        + ["--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    client = Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except OSError:
            time.sleep(0.05)
    return process


@pytest.fixture
def redis(tmp_path):
    port = closed_port()
    process = start_redis(port, tmp_path)
    yield Redis(port=port)
    process.terminate()
    process.wait(10)


@pytest.fixture(autouse=True)
def fresh_connection():
    """The test's own clean-up must not meet a connection a job broke or kept."""
    yield
    connection.close()


def query_and_tell():
    """A job: one query, then which process ran it on which raw connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    CONNECTIONS.append(connection.connection)
    return os.getpid(), len(CONNECTIONS) - 1


def lose_the_database():
    """A job that meets a database restart: its connection dies under it."""
    query_and_tell()
    connection.connection.close()
    with pytest.raises(DatabaseError):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


def overrun():
    time.sleep(5)


def run(redis, *jobs):
    queue = Queue("default", connection=redis)
    queued = [queue.enqueue(job, job_timeout=timeout) for job, timeout in jobs]
    PortalWorker([queue], connection=redis).work(burst=True)
    for job in queued:
        job.refresh()
    return queued


def test_jobs_run_in_the_worker_and_share_its_connection(redis, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    first, second = run(redis, (query_and_tell, 30), (query_and_tell, 30))
    assert first.get_status() == second.get_status() == JobStatus.FINISHED
    (pid_1, used_1), (pid_2, used_2) = first.return_value(), second.return_value()
    assert pid_1 == pid_2 == os.getpid()  # no work horse forked per job
    assert CONNECTIONS[used_1] is CONNECTIONS[used_2]  # no new connection per job


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="a SQLite file has no server to restart"
)
def test_a_broken_connection_is_replaced_before_the_next_job(redis, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    broken, after = run(redis, (lose_the_database, 30), (query_and_tell, 30))
    assert broken.get_status() == JobStatus.FINISHED
    assert after.get_status() == JobStatus.FINISHED
    assert CONNECTIONS[after.return_value()[1]] is not CONNECTIONS[-2]


def test_a_job_is_stopped_at_its_timeout_and_the_next_one_runs(redis):
    started = time.monotonic()
    slow, after = run(redis, (overrun, 1), (query_and_tell, 30))
    assert time.monotonic() - started < 4
    assert slow.get_status() == JobStatus.FAILED
    assert after.get_status() == JobStatus.FINISHED


def connections_received(redis):
    return redis.info("stats")["total_connections_received"]


def test_enqueueing_reuses_one_connection_and_survives_a_redis_restart(
    redis, tmp_path, monkeypatch
):
    """django-rq hands out a new client per queue, so without the portal's queue
    class every job enqueued opened a TCP connection of its own."""
    port = redis.connection_pool.connection_kwargs["port"]
    url = f"redis://127.0.0.1:{port}/0"
    # The queues as the settings configure them when REDIS_URL is set.
    monkeypatch.setattr(django_rq.settings, "QUEUES", tasks_settings(url)[1])
    assert isinstance(django_rq.get_queue("default"), PortalQueue)
    before = connections_received(redis)
    for _ in range(5):
        django_rq.get_queue("default").enqueue(overrun)
    assert connections_received(redis) - before == 1
    assert Queue("default", connection=redis).count == 5

    # Redis restarts (its queue is gone: no persistence here): the kept
    # connection is dead, and the next enqueue opens a new one by itself.
    redis.shutdown(nosave=True)
    again = start_redis(port, tmp_path)
    try:
        django_rq.get_queue("default").enqueue(overrun)
        assert Queue("default", connection=redis).count == 1
    finally:
        again.terminate()
        again.wait(10)


def test_the_cache_keeps_one_client_and_survives_a_redis_restart(
    redis, tmp_path, monkeypatch
):
    """Django's Redis cache built a new client (and its table of reply handlers)
    for every call: about a quarter of a cached page's CPU. The portal's keeps one per
    pool, and that one still finds Redis again after a restart."""
    import redis as redis_library
    from django.utils.module_loading import import_string

    from portal.settings.services import cache_settings

    port = redis.connection_pool.connection_kwargs["port"]
    config = cache_settings(f"redis://127.0.0.1:{port}/0")["default"]
    cache = import_string(config["BACKEND"])(config["LOCATION"], config)
    built = []
    make_client = redis_library.Redis.__init__

    def counted(self, *args, **kwargs):
        built.append(self)
        make_client(self, *args, **kwargs)

    monkeypatch.setattr(redis_library.Redis, "__init__", counted)
    for number in range(10):
        cache.set(f"page-{number}", number)
        assert cache.get(f"page-{number}") == number
        cache.add(f"count-{number}", 0)
        assert cache.incr(f"count-{number}") == 1
    assert len(built) == 1

    redis.shutdown(nosave=True)
    assert cache.get("page-1", "missed") == "missed"  # a miss, not an error
    again = start_redis(port, tmp_path)
    try:
        cache.set("page-1", "back")
        assert cache.get("page-1") == "back"
        assert redis.exists("portal:1:page-1")
    finally:
        again.terminate()
        again.wait(10)
