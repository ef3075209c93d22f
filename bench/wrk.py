"""wrk (C, Debian package `wrk`) as the load driver: it takes a small fraction of the CPU
the Python thread clients take, so the server keeps the cores. `./scripts/ensure-debs wrk`
installs it; without it the harness falls back to the Python clients (bench/load.py).

Each run writes a Lua script holding the requests (method, path, headers, body): the
session and CSRF cookies in the headers, and for POSTs a form body with the CSRF token.
wrk's threads take disjoint slices of the list, each cycling through its own slice, so
a POST that consumes something (a draft) is sent once unless the list runs out. The
script's done() hook prints the summary and latency percentiles as one JSON line."""

import json
import resource
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import load

LUA = r"""
local requests = {
%(requests)s
}
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  mine = {}
  local n = tonumber(%(threads)d)
  for i = id, #requests, n do table.insert(mine, requests[i]) end
  if #mine == 0 then mine = requests end
  next_one = 1
  statuses = {}
end

function request()
  local r = mine[next_one]
  next_one = next_one %% #mine + 1
  return wrk.format(r[1], r[2], r[3], r[4])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests_)
  local seen = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for k, v in pairs(s) do seen[k] = (seen[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(seen) do table.insert(parts, string.format('"%%d": %%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, '
    .. '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}, '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, "statuses": {%%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (done.stdout or done.stderr).splitlines()[0].strip() if available() else "absent"


@dataclass
class Result:
    """Shaped like load.Result where the report reads it (rate, percentile, errors)."""

    name: str
    count: int
    seconds: float
    p50: float
    p95: float
    p99: float
    statuses: Counter
    errors: int = 0
    sent: int = 0
    app_cpu_ms: float = 0.0  # the web workers' CPU per response, filled in by the caller
    wrk_cpu_ms: float = 0.0  # wrk's own CPU per response (user + system)
    latencies: list = field(default_factory=list)  # not kept: wrk gives percentiles

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float | None:
        return {0.5: self.p50, 0.95: self.p95, 0.99: self.p99}.get(fraction)

    @property
    def median(self) -> float:
        return self.p50


def _lua_string(value: str | bytes) -> str:
    if isinstance(value, bytes):
        value = value.decode()
    return json.dumps(value)  # a JSON string is a valid Lua string for this ASCII text


def script(requests: list[load.Request], threads: int) -> str:
    rows = []
    for r in requests:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in r.headers.items())
        body = _lua_string(r.body) if r.body else "nil"
        rows.append(f"  {{{_lua_string(r.method)}, {_lua_string(r.path)}, {{{headers}}}, {body}}},")
    return LUA % {"requests": "\n".join(rows), "threads": threads}


def run(
    name: str,
    port: int,
    requests: list[load.Request],
    *,
    clients: int = 8,
    threads: int = 2,
    seconds: float = 15.0,
    expect: tuple[int, ...] = (200,),
    timeout: float = 30.0,
) -> Result:
    """One wrk run of `seconds` with `clients` connections over `threads` threads."""
    threads = max(1, min(threads, clients))
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        path = Path(tmp) / "requests.lua"
        path.write_text(script(requests, threads))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{clients}",
                f"-d{max(1, round(seconds))}s",
                f"--timeout={timeout:g}s",
                "-s",
                str(path),
                f"http://{load.HOST}:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + timeout + 30,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if done.returncode or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}{done.stdout}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    statuses = Counter({int(k): v for k, v in data["statuses"].items()})
    bad = sum(v for k, v in statuses.items() if k not in expect)
    socket_errors = sum(v for k, v in data["errors"].items() if k != "status")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    count = data["requests"]
    return Result(
        name,
        count=count,
        seconds=data["duration_us"] / 1e6,
        p50=data["p50_us"] / 1e6,
        p95=data["p95_us"] / 1e6,
        p99=data["p99_us"] / 1e6,
        statuses=statuses,
        errors=bad + socket_errors,
        sent=count,
        wrk_cpu_ms=cpu * 1000 / max(1, count),
    )
