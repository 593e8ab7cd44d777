"""Readings from /proc: process trees, their RSS and CPU time, the whole machine's CPU use.

Each reader has a parser beside it that takes the file's text, so the parsing is testable
without the processes.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def stat_fields(stat: str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, ...

    The command name may hold spaces and parentheses: the fields start after the last ')'.
    """
    return stat[stat.rfind(")") + 2 :].split()


def parent_pid(stat: str) -> int:
    """The parent's pid, from the text of /proc/<pid>/stat."""
    return int(stat_fields(stat)[1])


def cpu_ticks(stat: str) -> int:
    """User + system CPU time in clock ticks (utime + stime), from /proc/<pid>/stat."""
    fields = stat_fields(stat)
    return int(fields[11]) + int(fields[12])


def vmrss_kib(status: str) -> int | None:
    """VmRSS in KiB from the text of /proc/<pid>/status; None where there is none (a kernel
    thread, a zombie)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def busy_ticks(proc_stat: str) -> int:
    """Clock ticks all CPUs spent busy (user, nice, system, irq, softirq, steal), from the first
    line of /proc/stat."""
    values = [int(v) for v in proc_stat.splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return user + nice + system + irq + softirq + steal


def descendants(pid: int) -> list[int]:
    """pid and every process below it, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        children[parent_pid(stat)].append(int(entry.name))
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def rss_kib(pid: int) -> int:
    """VmRSS of pid and its descendants, in KiB."""
    total = 0
    for process in descendants(pid):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        total += vmrss_kib(status) or 0
    return total


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by pid and its descendants."""
    ticks = 0
    for process in descendants(pid):
        try:
            stat = Path(f"/proc/{process}/stat").read_text()
        except OSError:
            continue
        ticks += cpu_ticks(stat)
    return ticks / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time all processes on the machine have used (all cores), from /proc/stat."""
    return busy_ticks(Path("/proc/stat").read_text()) / CLOCK_TICKS


@dataclass
class CpuWindow:
    """CPU use over one load: the server's, and everyone else's beside the server and wrk."""

    wall: float
    server: float
    foreign: float


@contextlib.contextmanager
def cpu_window(pid: int) -> Iterator[list[CpuWindow]]:
    box: list[CpuWindow] = []
    started = time.perf_counter()
    busy, server = machine_busy_seconds(), tree_cpu_seconds(pid)
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has been waited for
    yield box
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    kids_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_used = tree_cpu_seconds(pid) - server
    ours = (own_after.ru_utime + own_after.ru_stime - own.ru_utime - own.ru_stime) + (
        kids_after.ru_utime + kids_after.ru_stime - kids.ru_utime - kids.ru_stime
    )
    foreign = machine_busy_seconds() - busy - server_used - ours
    box.append(CpuWindow(time.perf_counter() - started, server_used, max(0.0, foreign)))


def wait_until_quiet(limit_seconds: float, threshold_cores: float = 0.3) -> float:
    """Wait (at most limit_seconds) for the machine's other CPU use to fall below the threshold.

    Called while no benchmark server runs, so all busy CPU belongs to someone else. Returns the
    cores the last one-second window saw in use.
    """
    deadline = time.perf_counter() + limit_seconds
    while True:
        before, started = machine_busy_seconds(), time.perf_counter()
        time.sleep(1.0)
        busy = (machine_busy_seconds() - before) / (time.perf_counter() - started)
        if busy < threshold_cores or time.perf_counter() >= deadline:
            return busy
