"""The results table: printed and written to docs/benchmarks.md."""

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench import load

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    measurement: str
    scale: str
    result: str
    baseline: str
    target: str = ""
    verdict: str = ""  # "pass", "MISS" or "" (no target)
    notes: str = ""


@dataclass
class Report:
    header: dict = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    plans: list[tuple[str, str, bool]] = field(default_factory=list)  # title, plan, seq scan?
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(
            f"  {row.measurement} [{row.scale}]: {row.result} | baseline {row.baseline}"
            + (f" | target {row.target}: {row.verdict}" if row.target else ""),
            flush=True,
        )

    def markdown(self) -> str:
        out = ["# Benchmarks", ""]
        out.append(
            "Written by `make bench` (`python -m bench`; see bench/README.md). Latencies are "
            "measured by the load clients from sending a request to reading the whole response; "
            "each figure is median / p95 / p99 over the measured window (after a warm-up), and "
            "each sits beside a baseline measured in the same run on the same data."
        )
        out += ["", "## Machine and configuration", ""]
        out += [f"- **{key}**: {value}" for key, value in self.header.items()]
        if self.loads:
            out += ["", "## Loading the data", ""]
            out += [f"- {line}" for line in self.loads]
        out += ["", "## Results", ""]
        out.append("| Measurement | Referrals | Result | Baseline | Target | |")
        out.append("|---|---|---|---|---|---|")
        for r in self.rows:
            cells = [r.measurement, r.scale, r.result, r.baseline, r.target, r.verdict]
            out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        notes = [f"- {r.measurement} [{r.scale}]: {r.notes}" for r in self.rows if r.notes]
        if notes or self.notes:
            out += ["", "## Notes", ""] + [f"- {n}" for n in self.notes] + notes
        findings = ROOT / "bench" / "findings.md"
        if findings.exists():
            out += ["", findings.read_text().strip()]
        if self.plans:
            out += ["", "## Query plans (EXPLAIN ANALYZE)", ""]
            for title, plan, seq in self.plans:
                verdict = (
                    "sequential scan of the referral table!"
                    if seq
                    else "no sequential scan of the referral table"
                )
                out += [f"### {title}", "", f"{verdict}", "", "```", plan, "```", ""]
        return "\n".join(out) + "\n"

    def table(self) -> str:
        width = [34, 10, 52, 40, 30, 5]
        lines = []
        head = ["Measurement", "Referrals", "Result", "Baseline", "Target", ""]
        lines.append("  ".join(h.ljust(w) for h, w in zip(head, width, strict=True)))
        for r in self.rows:
            cells = [r.measurement, r.scale, r.result, r.baseline, r.target, r.verdict]
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, width, strict=True)))
        return "\n".join(lines)


def machine_header(pg_version: str) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    import django

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except OSError:
        commit = "unknown"
    return {
        "Run": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Code": commit,
        "CPU": f"{os.cpu_count()} cores (nproc), {cpu}",
        "Memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "PostgreSQL": pg_version,
        "Python / Django": f"{platform.python_version()} / {django.get_version()}",
    }


# --- Formatting figures for the table --------------------------------------------------

MS = 1000.0


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value * MS:.1f}"


def latency(result) -> str:
    middle = result.median if hasattr(result, "median") else load.median(result.latencies)
    return f"{ms(middle)} / {ms(result.percentile(0.95))} / {ms(result.percentile(0.99))} ms"


def http_result(result, unit: str = "req/s") -> str:
    text = f"{result.rate:.0f} {unit}, {latency(result)}, {result.app_cpu_ms:.1f} ms app CPU"
    if getattr(result, "wrk_cpu_ms", None) is not None and hasattr(result, "wrk_cpu_ms"):
        text += f" (wrk {result.wrk_cpu_ms:.2f} ms)"
    if result.errors:
        text += f", {result.errors} errors {dict(result.statuses)}"
    return text


def seconds_result(values: list[float]) -> str:
    return (
        f"{load.median(values):.2f} / {load.percentile(values, 0.95):.2f} / "
        f"{load.percentile(values, 0.99):.2f} s"
    )


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def scale_label(n: int) -> str:
    return f"{n:,}"
