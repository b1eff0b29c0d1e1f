"""Break the stack under load and count what citizens saw and what was lost.

Run inside the stack:

    bench/stack.sh .venv/bin/python bench/faults.py [--citizens 50] [--seconds 45]
        [--only elasticsearch,redis,worker,postgres]

Each fault gets its own load phase (fresh citizen addresses, so the per-address
limits start clean). Five seconds in, the fault starts:

- elasticsearch: the node is stopped (SIGTERM) for 20 s and started again with the
  same command line, data and port;
- redis: redis-server is stopped for 20 s and started again on the same port;
- worker: an RQ worker is killed with SIGKILL while jobs run, and a new one started;
- postgres: PostgreSQL is restarted (pg_ctl restart -m fast).

Per fault it prints: submissions answered 201, lost (201 but not in the database),
stored without a 201, 5xx answers seen by citizens, notices sent twice or not at all,
and the seconds after recovery until every new notice was sent and staff search found
every new petition (running `search_index --reconcile` once if search had not
caught up by itself 60 s after recovery). Exit status 1 when anything was lost, a
citizen saw a 5xx, a notice went twice or never, or catch-up took over 60 s.
"""

import argparse
import asyncio
import glob
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STACK = Path(os.environ.get("STACK_DIR", "/nonexistent"))
FAULT_SECONDS = 20


def pid_from(path: Path) -> int:
    return int(path.read_text().split()[0])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def wait_gone(pid: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)


# --- faults: each returns when the service is back -------------------------


def elasticsearch_down() -> None:
    """Stop the node, then start it again through its launcher: same data, port."""
    work = Path(os.environ["ES_WORKDIR"])
    pid = pid_from(work / "es.pid")
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    home = next(
        arg.split(b"=", 1)[1].decode()
        for arg in command
        if arg.startswith(b"-Des.path.home=")
    )
    environ = dict(
        item.decode().split("=", 1)
        for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        if b"=" in item
    )
    owner = Path(f"/proc/{pid}").owner()
    os.kill(pid, signal.SIGTERM)
    wait_gone(pid)
    time.sleep(FAULT_SECONDS)
    port = os.environ["ELASTICSEARCH_URL"].rsplit(":", 1)[1]
    launch = [
        f"{home}/bin/elasticsearch",
        "-d",
        "-p",
        str(work / "es.pid"),
        f"-Epath.data={work}/data",
        f"-Epath.logs={work}/logs",
        "-Ediscovery.type=single-node",
        "-Enetwork.host=127.0.0.1",
        f"-Ehttp.port={port}",
        "-Ecluster.routing.allocation.disk.threshold_enabled=false",
        "-Ebootstrap.memory_lock=false",
        "-Expack.security.enabled=false",
    ]
    if os.getuid() == 0 and owner != "root":
        launch = ["runuser", "-u", owner, "--", *launch]
    keep = ("ES_JAVA_HOME", "ES_PATH_CONF", "ES_TMPDIR", "PATH")
    env = {key: environ[key] for key in keep if key in environ}
    heap = os.environ.get("ES_HEAP", "512m")  # as tests/services/elasticsearch.sh
    env["ES_JAVA_OPTS"] = f"-Xms{heap} -Xmx{heap}"
    env.setdefault("ES_TMPDIR", str(work / "tmp"))
    subprocess.run(
        launch,
        env=env,
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=180,
        check=True,
    )
    (STACK / "services" / "elasticsearch.pid").write_text((work / "es.pid").read_text())
    url = os.environ["ELASTICSEARCH_URL"]
    health = f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s"
    for _ in range(120):
        probe = subprocess.run(
            ["curl", "-s", "--max-time", "2", health], capture_output=True, text=True
        )
        if re.search(r'"status":"(green|yellow)"', probe.stdout):
            return
        time.sleep(0.5)


def redis_down() -> None:
    pid = pid_from(STACK / "redis.pid")
    os.kill(pid, signal.SIGTERM)
    wait_gone(pid)
    time.sleep(FAULT_SECONDS)
    log = open(STACK / "logs" / "redis.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            os.environ["REDIS_PORT"],
            "--save",
            "",
            "--appendonly",
            "yes",
            "--dir",
            str(STACK),
        ],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    (STACK / "redis.pid").write_text(f"{process.pid}\n")
    time.sleep(1)


def children(pid: int) -> list[int]:
    try:
        return [
            int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


def worker_killed() -> str:
    """SIGKILL an RQ worker mid-job (it runs its jobs itself: portal.worker), with
    its scheduler process; the stack's loop restarts it. Says whether a job was
    running at the moment of the kill."""
    import django_rq
    from rq import Worker

    loop = pid_from(STACK / "worker-1.pid")
    redis = django_rq.get_connection("default")
    busy = False
    for _ in range(200):  # wait (up to 10 s) until the worker runs a job
        pids = set(children(loop))
        busy = any(
            worker.pid in pids and worker.get_current_job_id()
            for worker in Worker.all(connection=redis)
        )
        if busy:
            break
        time.sleep(0.05)
    for worker in children(loop):
        for child in children(worker):
            os.kill(child, signal.SIGKILL)
        os.kill(worker, signal.SIGKILL)
    time.sleep(3)
    return f"killed {'mid-job' if busy else 'idle (no job came within 10 s)'}"


def postgres_restart() -> None:
    pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    data = os.environ["PG_DATA"]
    command = [pg_ctl, "-D", data, "restart", "-m", "fast", "-w", "-t", "60"]
    if os.getuid() == 0:
        command = ["runuser", "-u", Path(data).owner(), "--", *command]
    # No pipes: the restarted server inherits them and would hold them open for
    # ever, so waiting for pg_ctl's output would never end.
    subprocess.run(
        command,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd="/",
    )


FAULTS = {
    "elasticsearch": elasticsearch_down,
    "redis": redis_down,
    "worker": worker_killed,
    "postgres": postgres_restart,
}


# --- measuring ------------------------------------------------------------------


def sms_counts() -> Counter:
    """(phone, reference) of every SMS the console gateway printed, counted."""
    counts = Counter()
    for path in (STACK / "logs").glob("worker-*.log"):
        text = path.read_text(errors="replace")
        counts.update(re.findall(r"SMS to (\d+): \(([^)]*)\)", text))
    return counts


def catch_up(submitted: set[str], recovered: float, limit: float = 180) -> dict:
    """Wait until every new notice is sent and staff search finds every new
    petition. If search has not caught up by itself 60 s after recovery, run
    ``search_index --reconcile`` once (as an operator would) and keep waiting."""
    from django.db import close_old_connections

    from petitions.models import Notification
    from search import indexing

    how = "by itself"
    unfound = set(submitted)
    pending = None
    reconciled = False
    while time.monotonic() - recovered < limit:
        close_old_connections()
        try:
            pending = (
                Notification.objects.filter(petition__tracking_no__in=submitted)
                .exclude(state=Notification.State.SENT)
                .count()
            )
            unfound -= load.found_by_search(unfound)
        except Exception:  # noqa: BLE001 - a service may still be coming back
            pending = None
        if pending == 0 and not unfound:
            break
        if unfound and not reconciled and time.monotonic() - recovered > 60:
            reconciled = True
            try:
                for kind in ("petitions", "pages"):
                    indexing.reconcile(kind)
                how = "after search_index --reconcile"
            except Exception as error:  # noqa: BLE001
                how = f"reconcile failed: {error}"
        time.sleep(2)
    return {
        "catch-up s after recovery": round(time.monotonic() - recovered, 1),
        "caught up": pending == 0 and not unfound,
        "notices pending at the end": pending,
        "petitions not found by search": len(unfound),
        "how": how,
    }


def phase(name: str, base_number: int, args) -> dict:
    from django.db import close_old_connections, connections

    from petitions.models import Notification, Petition

    close_old_connections()
    before = set(Petition.objects.values_list("tracking_no", flat=True))
    sms_before = sms_counts()
    recorder = load.Recorder()
    deadline = time.monotonic() + args.seconds
    categories = ["other"]
    photo = load.photo_bytes()

    async def citizens():
        await asyncio.gather(
            *(
                load.citizen(
                    base_number + n, args.base, deadline, recorder, photo, categories
                )
                for n in range(args.citizens)
            )
        )

    runner = threading.Thread(target=lambda: asyncio.run(citizens()))
    runner.start()
    time.sleep(5)
    fault_started = time.monotonic()
    detail = FAULTS[name]()
    recovered = time.monotonic()
    # Our own connection did not live through a database restart (a query on it
    # can hang on the dead socket): start afresh, as the portal's processes do.
    connections.close_all()
    fault_took = recovered - fault_started
    runner.join()
    caught_up = catch_up({r["tracking_no"] for r in recorder.submitted}, recovered)
    close_old_connections()
    stored = set(Petition.objects.values_list("tracking_no", flat=True)) - before
    submitted = {r["tracking_no"] for r in recorder.submitted}
    sent = sms_counts() - sms_before
    new_sms = Counter()
    for (phone, _reference), count in sent.items():
        new_sms[phone] += count
    phones = set(
        Petition.objects.filter(tracking_no__in=stored).values_list("phone", flat=True)
    )
    statuses = Counter()
    for counter in recorder.status.values():
        statuses.update(counter)
    return {
        "fault": name,
        "submitted (201)": len(submitted),
        "lost": len(submitted - stored),
        "stored without 201": len(stored - submitted),
        # A 503 says "nothing saved, try again" with Retry-After; any other 5xx
        # is an error page.
        "5xx to citizens": sum(
            c for s, c in statuses.items() if isinstance(s, int) and s >= 500
        ),
        "of them 503 (try again)": statuses.get(503, 0),
        "connection errors": sum(
            c for s, c in statuses.items() if not isinstance(s, int)
        ),
        "notices sent twice": sum(1 for phone, count in new_sms.items() if count > 1),
        # The same message again carries the same Idempotency-Key: a gateway that
        # keeps its keys drops the repeat (petitions/sms.py).
        "of them the same message again": sum(
            1 for count in sent.values() if count > 1
        ),
        "notices never sent": len(phones - set(new_sms)),
        "notices not sent (database)": Notification.objects.filter(
            petition__tracking_no__in=stored
        )
        .exclude(state=Notification.State.SENT)
        .count(),
        "load went on after recovery s": round(args.seconds - 5 - fault_took, 1),
        **caught_up,
        "statuses": dict(sorted(statuses.items(), key=str)),
        **({"fault detail": detail} if detail else {}),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", default=os.environ.get("STACK_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--only", default=",".join(FAULTS))
    args = parser.parse_args(argv)
    load.setup_django()
    results = []
    for index, name in enumerate(args.only.split(",")):
        print(
            f"--- fault: {name} ({args.citizens} citizens, {args.seconds:.0f} s)",
            flush=True,
        )
        result = phase(name, 1000 + index * args.citizens, args)
        results.append(result)
        for key, value in result.items():
            print(f"  {key}: {value}", flush=True)
    bad = [
        r
        for r in results
        if r["lost"]
        or r["5xx to citizens"] - r["of them 503 (try again)"]
        or r["notices sent twice"]
        or r["notices never sent"]
        or not r["caught up"]
        or r["catch-up s after recovery"] > 60
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
