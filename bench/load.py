"""A closed-loop HTTP load generator: N threads, each with its own keep-alive
connection to 127.0.0.1, sending requests back to back for a bounded time and count."""

import http.client
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # loopback only, whatever the caller asks


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class Result:
    name: str
    latencies: list[float]  # seconds, requests that started inside the measured window
    seconds: float
    statuses: Counter
    errors: int = 0
    sent: int = 0  # every response, warm-up included
    app_cpu_ms: float = 0.0  # the web workers' CPU per response, filled in by the caller

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float | None:
        return percentile(self.latencies, fraction)


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (no interpolation: p99 of 100 samples is the 99th)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.4999)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


class _Client(threading.Thread):
    def __init__(self, port, next_request, expect, start_at, stop_at, max_requests, timeout):
        super().__init__(daemon=True)
        self.port, self.next_request, self.expect = port, next_request, expect
        self.start_at, self.stop_at, self.max_requests = start_at, stop_at, max_requests
        self.timeout = timeout
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.errors = 0
        self.sent = 0
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return self.conn

    def _close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def run(self) -> None:
        sent = 0
        while sent < self.max_requests and time.monotonic() < self.stop_at:
            request = self.next_request()
            if request is None:  # the caller's work ran out (e.g. no drafts left)
                break
            sent += 1
            began = time.monotonic()
            try:
                conn = self._connection()
                conn.request(request.method, request.path, request.body, request.headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    self._close()
            except (OSError, http.client.HTTPException):
                self._close()
                self.errors += 1
                continue
            ended = time.monotonic()
            self.sent += 1
            if began >= self.start_at and ended <= self.stop_at:
                self.latencies.append(ended - began)
                self.statuses[status] += 1
            if self.expect and status not in self.expect:
                self.errors += 1
        self._close()


def run(
    name: str,
    port: int,
    next_request: Callable[[], Request | None],
    *,
    clients: int = 8,
    seconds: float = 15.0,
    warmup: float = 3.0,
    max_requests: int = 100_000,
    expect: tuple[int, ...] = (200,),
    timeout: float = 30.0,
) -> Result:
    """Send requests from `clients` threads for `warmup` + `seconds`; only requests that
    start after the warm-up and end inside the window are measured."""
    begin = time.monotonic()
    start_at, stop_at = begin + warmup, begin + warmup + seconds
    per_client = max(1, max_requests // clients)
    threads = [
        _Client(port, next_request, expect, start_at, stop_at, per_client, timeout)
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(warmup + seconds + timeout + 5)
    latencies = [x for t in threads for x in t.latencies]
    statuses = sum((t.statuses for t in threads), Counter())
    # If the work ran out before the window closed, measure up to the last response.
    window = min(stop_at, time.monotonic()) - start_at
    return Result(
        name,
        latencies,
        window,
        statuses,
        sum(t.errors for t in threads),
        sent=sum(t.sent for t in threads),
    )
