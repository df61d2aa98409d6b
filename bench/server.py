"""The server and the clients of `bench.rush`: `stportal serve` in a process group of its
own, and bursts of HTTP requests from many threads released together by a barrier."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.world import ROOT, stportal_command

HTTP_TIMEOUT = 120.0  # seconds per request; the whole rush takes a few seconds
SERVER_START_TIMEOUT = 180.0


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`stportal serve` in its own process group, logging to a file; stopped by its id."""

    def __init__(self, *, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        started = time.perf_counter()
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                *stportal_command(),
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start:\n{self.log_tail()}")
            status, _body, _seconds = http_request(self.port, "GET", "/healthz", timeout=5)
            if status == 200:
                return time.perf_counter() - started
            time.sleep(0.25)
        raise RuntimeError(f"the server did not answer /healthz:\n{self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # gunicorn's arbiter stops its workers
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group this bench started
            process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def tracebacks(self) -> int:
        try:
            return self.log_path.read_text(errors="replace").count("Traceback (most recent")
        except OSError:
            return 0


# --- the clients --------------------------------------------------------------------------


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    token: str | None = None,
    timeout: float = HTTP_TIMEOUT,
) -> tuple[int, bytes, float]:
    """One request on a fresh connection: (status, body, seconds). Status 0: no answer."""
    headers = {"Connection": "close", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started
    except (OSError, http.client.HTTPException) as exc:
        return 0, repr(exc).encode(), time.perf_counter() - started
    finally:
        conn.close()


@dataclass(frozen=True)
class Job:
    method: str
    path: str
    body: dict[str, Any] | None = None
    token: str | None = None


@dataclass
class Outcome:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class Burst:
    name: str
    clients: int
    outcomes: list[Outcome]
    wall: float
    statuses: Counter[int] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.statuses = Counter(o.status for o in self.outcomes)

    @property
    def per_second(self) -> float:
        return len(self.outcomes) / self.wall if self.wall else 0.0

    def latency_ms(self, q: float) -> float:
        ordered = sorted(o.seconds for o in self.outcomes)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


def fire(name: str, port: int, jobs: Sequence[Job], *, clients: int) -> Burst:
    """Run `jobs` from `clients` threads released together by a barrier; each thread takes
    the next job until none is left. Wall time runs from the release to the last answer."""
    results: list[Outcome | None] = [None] * len(jobs)
    next_job = iter(range(len(jobs)))
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        while True:
            with lock:
                index = next(next_job, None)
            if index is None:
                return
            job = jobs[index]
            status, body, seconds = http_request(
                port, job.method, job.path, body=job.body, token=job.token
            )
            results[index] = Outcome(status, body, seconds)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT * (len(jobs) // clients + 2))
    wall = time.perf_counter() - started
    outcomes = [r if r is not None else Outcome(0, b"no answer", 0.0) for r in results]
    return Burst(name=name, clients=clients, outcomes=outcomes, wall=wall)


def fire_paced(
    name: str, port: int, jobs: Sequence[Job], *, clients: int, per_second: float
) -> Burst:
    """Open-loop arrivals: job i is due `i / per_second` seconds after the start, whatever
    the server's pace, and is sent by the next free one of `clients` threads. A job's time
    runs from when it was due to its answer, so a server that falls behind shows in the
    latency (queueing included), not as fewer requests sent."""
    results: list[Outcome | None] = [None] * len(jobs)
    next_job = iter(range(len(jobs)))
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    start: list[float] = []

    def client() -> None:
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        while True:
            with lock:
                index = next(next_job, None)
            if index is None:
                return
            due = start[0] + index / per_second
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            job = jobs[index]
            status, body, _seconds = http_request(
                port, job.method, job.path, body=job.body, token=job.token
            )
            results[index] = Outcome(status, body, time.perf_counter() - due)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.append(time.perf_counter() + 0.05)
    barrier.wait(timeout=60)
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT + len(jobs) / per_second + 10)
    wall = time.perf_counter() - start[0]
    outcomes = [r if r is not None else Outcome(0, b"no answer", 0.0) for r in results]
    return Burst(name=name, clients=clients, outcomes=outcomes, wall=wall)
