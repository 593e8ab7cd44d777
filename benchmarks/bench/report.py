"""The report: the table of medians, ratios and spreads, the other figures, the issue's targets,
and the same as JSON."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict

from bench.config import APPS, Config
from bench.measure import LoadErrors
from bench.suite import SuiteResult

ROWS: list[tuple[str, str, str]] = [
    # key, label, format
    ("list_rps", "list of 20 @64: req/s", "{:.0f}"),
    ("list_p50_ms", "list of 20 @64: p50 ms", "{:.2f}"),
    ("list_p99_ms", "list of 20 @64: p99 ms", "{:.2f}"),
    ("live_rps", "liveness @64: req/s", "{:.0f}"),
    ("live_p50_ms", "liveness @64: p50 ms", "{:.2f}"),
    ("live_p99_ms", "liveness @64: p99 ms", "{:.2f}"),
    ("list_cpu_ms", "list of 20 @64: server CPU ms/req", "{:.3f}"),
    ("live_cpu_ms", "liveness @64: server CPU ms/req", "{:.3f}"),
]
TAIL_ROWS: list[tuple[str, str, str]] = [
    ("sweep_last_share", "list: last/peak of sweep", "{:.2f}"),
    ("start_s", "start to first 200: s", "{:.3f}"),
    ("idle_rss_mb", "idle RSS: MB", "{:.1f}"),
    ("loaded_rss_mb", "loaded RSS (max): MB", "{:.1f}"),
    ("output_mb", "server stdout+stderr under load: MB", "{:.1f}"),
    ("foreign_cores", "other processes' CPU (max, cores)", "{:.2f}"),
]


class Extras(TypedDict, total=False):
    """The figures beside the table, as the run collects them (and writes them to the JSON)."""

    bake_s: float
    sync_s: float
    migrate_s: float
    versions: str
    suite: SuiteResult
    template_suite: SuiteResult
    instructions: dict[str, dict[str, float]]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(
    config: Config,
    results: dict[str, list[dict[str, float]]],
    extras: Extras,
    errors: LoadErrors,
) -> tuple[str, dict[str, Any]]:
    """The printed report and the JSON document, from every round's figures of every app."""
    rows = list(ROWS)
    rows += [
        (f"sweep_{c}_rps", f"list @{c}: req/s ({config.sweep_duration:g} s)", "{:.0f}")
        for c in config.sweep
    ]
    rows += TAIL_ROWS
    medians: dict[str, dict[str, float]] = {app: {} for app in APPS}
    width = 36 + 5 * 11 + 2 * 18 + 3
    lines = [
        "",
        f"Medians over {len(results['baked'])} interleaved round(s) (baked, fastapi, reference, "
        f"baked, ...); wrk -t{config.threads}, {config.duration:g} s at 64 connections, "
        f"{config.items} items, one uvicorn worker with uvloop + httptools.",
        "fastapi: the reference's endpoints served through a bare FastAPI app (the framework's "
        "own floor).",
        "",
        f"{'figure':<36} {'baked':>10} {'fastapi':>10} {'reference':>10} {'baked/ref':>10} "
        f"{'fastapi/ref':>11}   {'baked min..max':>17} {'ref min..max':>17}",
        "-" * width,
    ]
    for key, label, fmt in rows:
        cells = {}
        for app in APPS:
            values = [r[key] for r in results[app] if key in r]
            medians[app][key] = median(values)
            cells[app] = values
        base, floor, ref = (medians[app][key] for app in APPS)
        ratio = f"{base / ref:.2f}" if ref else "-"
        floor_ratio = f"{floor / ref:.2f}" if ref else "-"

        def spread(values: list[float], fmt: str = fmt) -> str:
            if not values:
                return "-"
            return f"{fmt.format(min(values))}..{fmt.format(max(values))}"

        lines.append(
            f"{label:<36} {fmt.format(base):>10} {fmt.format(floor):>10} {fmt.format(ref):>10} "
            f"{ratio:>10} {floor_ratio:>11}   {spread(cells['baked']):>17} "
            f"{spread(cells['reference']):>17}"
        )
    total_errors = len(errors.lines)
    lines.append("-" * width)
    lines.append(
        "load errors (non-2xx or socket errors reported by wrk): "
        + ("none" if not total_errors else f"{total_errors} load(s) with errors")
    )
    lines.extend(f"  {line}" for line in errors.lines)
    lines.append(
        "A ratio above 1 is worse than the reference in the ms, s and MB rows, better in req/s."
    )
    busiest = max((r.get("foreign_cores", 0.0) for app in APPS for r in results[app]), default=0.0)
    if busiest > 0.25:
        lines.append(
            f"WARNING: other processes used up to {busiest:.2f} of {os.cpu_count()} cores during "
            "a load; the req/s and latency figures are noisy (CPU ms/req much less so). "
            "Rerun on a quiet machine for clean figures."
        )

    instructions = extras.get("instructions")
    if instructions:
        lines += [
            "",
            "Instructions per request (callgrind, in-process ASGI calls, no server; "
            "deterministic, unlike req/s)",
        ]
        for name, label in (("list", "list of 20"), ("live", "liveness")):
            base, floor, ref = (instructions[app][name] / 1e6 for app in APPS)
            lines.append(
                f"  {label:<11} baked {base:7.3f} M   fastapi {floor:7.3f} M   reference "
                f"{ref:7.3f} M   baked/ref {base / ref:5.2f}   fastapi/ref {floor / ref:5.2f}"
            )

    lines += ["", "Other figures"]
    lines.append(f"  bake (cookiecutter):           {extras['bake_s']:.2f} s")
    lines.append(f"  install (uv sync, with dev):   {extras['sync_s']:.2f} s")
    lines.append(f"  migrate (alembic upgrade head): {extras['migrate_s']:.2f} s")
    suite = extras.get("suite")
    if suite:
        walls = suite["walls"]
        counts = suite["counts"]
        counted = ", ".join(f"{n} {word}" for word, n in counts.items()) or "no count found"
        lines.append(
            f"  baked suite (uv run pytest -q): median {median(walls):.2f} s wall over "
            f"{len(walls)} run(s) [{', '.join(f'{w:.2f}' for w in walls)}]; {counted}"
        )
        lines.extend(f"    FAILED {failure}" for failure in suite["failures"])
    else:
        lines.append("  baked suite: skipped (--skip-suite)")
    template = extras.get("template_suite")
    if template:
        counted = ", ".join(f"{n} {word}" for word, n in template["counts"].items())
        wall = template["walls"][0] if template["walls"] else float("nan")
        lines.append(f"  template suite (uv run pytest at the repo root): {wall:.1f} s; {counted}")
        lines.extend(f"    FAILED {failure}" for failure in template["failures"])
    else:
        lines.append("  template suite: not run (pass --template-suite; it takes minutes)")
    lines.append(f"  versions: {extras['versions']}")

    # The issue's targets, judged on the medians above. Informational: only errors gate.
    b, r = medians["baked"], medians["reference"]

    def verdict(ok: bool) -> str:
        return "met " if ok else "MISS"

    targets = [
        (
            "list of 20 @64 >= 0.50 of reference",
            b["list_rps"] / r["list_rps"] >= 0.50,
            f"{b['list_rps'] / r['list_rps']:.2f}",
        ),
        (
            "liveness @64 >= 0.70 of reference",
            b["live_rps"] / r["live_rps"] >= 0.70,
            f"{b['live_rps'] / r['live_rps']:.2f}",
        ),
        ("no error responses under load", not errors.lines, f"{total_errors} load(s)"),
        ("start to first 200 <= 1.0 s", b["start_s"] <= 1.0, f"{b['start_s']:.3f} s"),
        ("idle RSS <= 70 MB", b["idle_rss_mb"] <= 70, f"{b['idle_rss_mb']:.1f} MB"),
    ]
    if config.sweep:
        share = b.get("sweep_last_share", float("nan"))
        targets.append(
            (f"list @{config.sweep[-1]} >= 80 % of the sweep's peak", share >= 0.80, f"{share:.2f}")
        )
    if suite and suite["walls"]:
        wall = median(suite["walls"])
        passed = suite["counts"].get("passed", 0)
        targets.append(("baked suite <= 8 s wall", wall <= 8.0, f"{wall:.2f} s"))
        targets.append(("baked suite >= 100 tests", passed >= 100, f"{passed} passed"))
    lines += ["", "Targets from issue 5 (informational; the exit status gates on errors only)"]
    for label, ok, value in targets:
        lines.append(f"  [{verdict(ok)}] {label:<44} {value}")
    text = "\n".join(lines)
    data = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(config).items()},
        "rounds": results,
        "medians": medians,
        "extras": extras,
        "errors": errors.lines,
        "targets": [{"target": t, "met": ok, "value": v} for t, ok, v in targets],
    }
    return text, data
