"""One round of one app: start-up, idle RSS, the wrk loads, CPU per request, loaded RSS; and
the check that every app answers the bake's page."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from bench.config import LIST_PATH, LIVE_PATH, Config, SetupError
from bench.procfs import CpuWindow, cpu_window, rss_kib
from bench.servers import AppSpec, RssSampler, Servers, http_request
from bench.wrk import WrkResult, run_wrk


@dataclass
class LoadErrors:
    lines: list[str] = field(default_factory=list)

    def check(self, app: str, label: str, result: WrkResult) -> None:
        if result.errors or result.requests == 0:
            self.lines.append(
                f"{app} {label}: {result.describe_errors()}, {result.requests} requests"
            )


def measure_app(
    servers: Servers, spec: AppSpec, config: Config, token: str, errors: LoadErrors
) -> tuple[dict[str, float], bytes]:
    """One round for one app: start-up, idle RSS, then the loads. Returns figures and a body."""
    figures: dict[str, float] = {}
    foreign: list[float] = []
    server = servers.start(spec)
    try:
        figures["start_s"] = server.start_seconds
        time.sleep(0.5)  # let start-up settle: the idle RSS is read before any other request
        figures["idle_rss_mb"] = rss_kib(server.process.pid) / 1024
        status, body = http_request(
            server.port, "GET", LIST_PATH, headers={"Authorization": f"Bearer {token}"}
        )
        if status != 200:
            raise SetupError(f"{spec.name} list answered {status}: {body[:500]!r}")

        def load(
            label: str, path: str, connections: int, seconds: float, auth: bool
        ) -> tuple[WrkResult, CpuWindow]:
            with cpu_window(server.process.pid) as box:
                result = run_wrk(
                    server.port,
                    path,
                    connections=connections,
                    threads=config.threads,
                    seconds=seconds,
                    token=token if auth else None,
                    timeout=config.wrk_timeout,
                )
            window = box[0]
            foreign.append(window.foreign / window.wall)
            errors.check(spec.name, label, result)
            if not server.alive():
                errors.lines.append(f"{spec.name} died during {label}:\n{server.log_tail()}")
                raise SetupError(f"{spec.name} app died under load")
            return result, window

        output_before = server.output.total_bytes
        with RssSampler(server.process.pid) as sampler:
            if config.warmup > 0:
                load("warm-up", LIST_PATH, 64, config.warmup, auth=True)
            listing, list_cpu = load("list@64", LIST_PATH, 64, config.duration, auth=True)
            live, live_cpu = load("live@64", LIVE_PATH, 64, config.duration, auth=False)
            for connections in config.sweep:
                swept, _ = load(
                    f"list@{connections}", LIST_PATH, connections, config.sweep_duration, True
                )
                figures[f"sweep_{connections}_rps"] = swept.rps
        figures["loaded_rss_mb"] = sampler.peak_kib / 1024
        figures["list_rps"] = listing.rps
        figures["list_p50_ms"] = listing.p50_ms
        figures["list_p99_ms"] = listing.p99_ms
        figures["list_cpu_ms"] = 1000 * list_cpu.server / max(1, listing.requests)
        figures["live_rps"] = live.rps
        figures["live_p50_ms"] = live.p50_ms
        figures["live_p99_ms"] = live.p99_ms
        figures["live_cpu_ms"] = 1000 * live_cpu.server / max(1, live.requests)
        sweep = [figures[f"sweep_{c}_rps"] for c in config.sweep]
        if sweep:
            figures["sweep_last_share"] = sweep[-1] / max(sweep)
        figures["output_mb"] = (server.output.total_bytes - output_before) / 1e6
        figures["foreign_cores"] = max(foreign) if foreign else 0.0
        return figures, body
    finally:
        servers.stop(server)


def compare_bodies(baked: bytes, reference: bytes) -> str | None:
    """None when both apps answered the same page; otherwise what differs."""
    left, right = json.loads(baked), json.loads(reference)
    if left == right:
        return None
    for key in ("total", "limit", "offset"):
        if left.get(key) != right.get(key):
            return f"{key}: baked {left.get(key)!r}, reference {right.get(key)!r}"
    for index, (one, two) in enumerate(
        zip(left.get("items", []), right.get("items", []), strict=False)
    ):
        if one != two:
            return f"items[{index}]: baked {one!r}, reference {two!r}"
    return "the item lists differ in length or keys"
