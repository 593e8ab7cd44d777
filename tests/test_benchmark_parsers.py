"""The benchmark's parsers (benchmarks/bench), fed text captured from the real tools.

Every sample below was captured on this project's machine: wrk 4.1.0 against loopback servers
(fast, 404, mixed 500, slow, hanging, killed mid-run, refused), py-spy 0.4 on the baked app
under the benchmark's list load and on a thread pool, valgrind 3.19 callgrind, pytest 9 and the
baked suite's own tail, /proc of Linux. The benchmark's heavy dependencies (asyncpg, uvicorn,
...) are not in this environment: importing these modules proves the parsers do without them.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness import REPO_ROOT

sys.path.append(str(REPO_ROOT / "benchmarks"))

from bench import (
    cli,
    instructions,
    measure,
    procfs,
    profiling,
    report,
    servers,
    suite,
    wrk,
)

# --------------------------------------------------------------------------------------------
# wrk

WRK_OK = """\
Running 2s test @ http://127.0.0.1:18431/health/live
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   272.97us  279.79us   6.92ms   97.81%
    Req/Sec    31.61k     5.45k   38.39k    52.38%
  Latency Distribution
     50%  224.00us
     75%  296.00us
     90%  347.00us
     99%    1.40ms
  131980 requests in 2.10s, 10.82MB read
Requests/sec:  62837.71
Transfer/sec:      5.15MB
"""

WRK_ALL_404 = """\
Running 2s test @ http://127.0.0.1:18431/missing
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   239.70us  173.70us   4.51ms   96.71%
    Req/Sec    34.07k     5.14k   39.72k    71.43%
  Latency Distribution
     50%  210.00us
     75%  252.00us
     90%  329.00us
     99%  573.00us
  142347 requests in 2.10s, 12.62MB read
  Non-2xx or 3xx responses: 142347
Requests/sec:  67791.26
Transfer/sec:      6.01MB
"""

WRK_SOME_500 = """\
Running 2s test @ http://127.0.0.1:18431/mixed
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   276.16us  203.95us   4.81ms   97.98%
    Req/Sec    30.07k     5.29k   35.86k    52.38%
  Latency Distribution
     50%  226.00us
     75%  314.00us
     90%  372.00us
     99%  620.00us
  125515 requests in 2.10s, 11.05MB read
  Non-2xx or 3xx responses: 41838
Requests/sec:  59769.87
Transfer/sec:      5.26MB
"""

# wrk pads latencies in seconds with a trailing space.
WRK_SECONDS = """\
Running 4s test @ http://127.0.0.1:18431/slow
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.50s    89.46us   1.50s    62.50%
    Req/Sec     2.00      0.00     2.00    100.00%
  Latency Distribution
     50%    1.50s 
     75%    1.50s 
     90%    1.50s 
     99%    1.50s 
  8 requests in 4.01s, 688.00B read
Requests/sec:      2.00
Transfer/sec:     171.59B
"""  # noqa: W291 - wrk's own trailing spaces, kept

# --timeout=1s against a server that answers after 3 s: the four answers came too late, and
# wrk leaves them out of the latency distribution.
WRK_TIMEOUTS = """\
Running 3s test @ http://127.0.0.1:18431/hang
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     1.00      0.00     1.00    100.00%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  4 requests in 3.01s, 344.00B read
  Socket errors: connect 0, read 0, write 0, timeout 4
Requests/sec:      1.33
Transfer/sec:     114.37B
"""

# The server was killed 1.5 s into a 4 s load.
WRK_SERVER_DIED = """\
Running 4s test @ http://127.0.0.1:18433/health/live
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   124.57us  126.70us   4.98ms   97.57%
    Req/Sec    30.30k     9.10k   37.44k    93.75%
  Latency Distribution
     50%  110.00us
     75%  132.00us
     90%  168.00us
     99%  333.00us
  96480 requests in 4.10s, 7.91MB read
  Socket errors: connect 0, read 8, write 527336, timeout 0
Requests/sec:  23534.53
Transfer/sec:      1.93MB
"""

WRK_NO_ANSWER = """\
Running 1s test @ http://127.0.0.1:18434/hang
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 1.00s, 0.00B read
Requests/sec:      0.00
Transfer/sec:       0.00B
"""

# Without --latency wrk prints no percentiles.
WRK_WITHOUT_LATENCY = """\
Running 1s test @ http://127.0.0.1:18435/health/live
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    80.75us   67.84us   1.76ms   96.67%
    Req/Sec    49.96k     6.52k   56.30k    81.82%
  54610 requests in 1.10s, 4.48MB read
Requests/sec:  49659.77
Transfer/sec:      4.07MB
"""

# Nothing listening: wrk prints this alone (on stdout) and exits 1.
WRK_REFUSED = "unable to connect to 127.0.0.1:18432 Connection refused\n"


def test_wrk_report_in_microseconds_and_milliseconds() -> None:
    result = wrk.parse_wrk(WRK_OK)
    assert result.rps == 62837.71
    assert result.requests == 131980
    assert result.p50_ms == pytest.approx(0.224)
    assert result.p99_ms == pytest.approx(1.40)
    assert result.non_2xx == 0
    assert result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert result.errors == 0
    assert result.describe_errors() == "0 non-2xx, socket errors: none"
    assert result.raw == WRK_OK


@pytest.mark.parametrize(
    ("output", "requests", "non_2xx"),
    [(WRK_ALL_404, 142347, 142347), (WRK_SOME_500, 125515, 41838)],
    ids=["all-404", "one-in-three-500"],
)
def test_wrk_non_2xx_responses_are_errors(output: str, requests: int, non_2xx: int) -> None:
    result = wrk.parse_wrk(output)
    assert (result.requests, result.non_2xx, result.errors) == (requests, non_2xx, non_2xx)
    assert result.describe_errors() == f"{non_2xx} non-2xx, socket errors: none"


def test_wrk_latency_in_seconds_with_wrk_padding() -> None:
    result = wrk.parse_wrk(WRK_SECONDS)
    assert (result.p50_ms, result.p99_ms) == (1500.0, 1500.0)
    assert (result.rps, result.requests, result.errors) == (2.0, 8, 0)


def test_wrk_timeouts_are_socket_errors() -> None:
    result = wrk.parse_wrk(WRK_TIMEOUTS)
    assert result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 4}
    assert result.errors == 4
    assert result.describe_errors() == "0 non-2xx, socket errors: timeout 4"
    assert (result.p50_ms, result.p99_ms) == (0.0, 0.0)


def test_wrk_read_and_write_errors_of_a_dead_server() -> None:
    result = wrk.parse_wrk(WRK_SERVER_DIED)
    assert result.socket_errors == {"connect": 0, "read": 8, "write": 527336, "timeout": 0}
    assert result.errors == 527344
    assert result.describe_errors() == "0 non-2xx, socket errors: read 8, write 527336"
    assert result.p99_ms == pytest.approx(0.333)


def test_wrk_load_without_any_answer() -> None:
    result = wrk.parse_wrk(WRK_NO_ANSWER)
    assert (result.rps, result.requests, result.errors) == (0.0, 0, 0)
    errors = measure.LoadErrors()
    errors.check("baked", "live@64", result)
    assert errors.lines == ["baked live@64: 0 non-2xx, socket errors: none, 0 requests"]


def test_wrk_without_latency_distribution_has_no_percentiles() -> None:
    result = wrk.parse_wrk(WRK_WITHOUT_LATENCY)
    assert math.isnan(result.p50_ms)
    assert math.isnan(result.p99_ms)
    assert (result.rps, result.requests) == (49659.77, 54610)


@pytest.mark.parametrize("output", [WRK_REFUSED, ""], ids=["connection-refused", "empty"])
def test_wrk_output_without_a_report_is_refused(output: str) -> None:
    with pytest.raises(ValueError, match="cannot read wrk output"):
        wrk.parse_wrk(output)


@pytest.mark.parametrize(
    ("text", "milliseconds"),
    [
        ("224.00us", 0.224),
        ("0.00us", 0.0),
        ("1.40ms", 1.4),
        ("597.07ms", 597.07),
        ("1.50s", 1500.0),
        ("1.02m", 61200.0),
        ("1.00h", 3600000.0),
    ],
)
def test_wrk_latency_units(text: str, milliseconds: float) -> None:
    assert wrk.latency_ms(text) == pytest.approx(milliseconds)


@pytest.mark.parametrize("text", ["12.00ns", "1.5 s", "ms", "-nan%", ""])
def test_wrk_latency_in_an_unknown_form_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="unexpected wrk latency"):
        wrk.latency_ms(text)


def test_wrk_command() -> None:
    bearer = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"
    assert wrk.wrk_command(
        8000, "/api/v1/items?limit=20", connections=64, threads=2, seconds=10.0, token=bearer,
        timeout=10.0,
    ) == [
        "wrk", "-t2", "-c64", "-d10s", "--timeout=10s", "--latency",
        "-H", f"Authorization: Bearer {bearer}", "http://127.0.0.1:8000/api/v1/items?limit=20",
    ]  # fmt: skip
    # Never more threads than connections, never less than a second, wrk's own time format.
    assert wrk.wrk_command(
        8000, "/health/live", connections=1, threads=2, seconds=0.2, token=None, timeout=2.5
    ) == ["wrk", "-t1", "-c1", "-d1s", "--timeout=2.5s", "--latency",
          "http://127.0.0.1:8000/health/live"]  # fmt: skip


def test_load_errors_record_only_loads_with_errors() -> None:
    errors = measure.LoadErrors()
    errors.check("reference", "list@64", wrk.parse_wrk(WRK_OK))
    errors.check("baked", "list@256", wrk.parse_wrk(WRK_TIMEOUTS))
    errors.check("fastapi", "list@64", wrk.parse_wrk(WRK_SOME_500))
    assert errors.lines == [
        "baked list@256: 0 non-2xx, socket errors: timeout 4, 4 requests",
        "fastapi list@64: 41838 non-2xx, socket errors: none, 125515 requests",
    ]


# --------------------------------------------------------------------------------------------
# pytest's summary line

MIXED_SUMMARY_TAIL = """\
-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html
=========================== short test summary info ============================
FAILED test_mix.py::test_fail - assert 1 == 2
ERROR test_mix.py::test_error - RuntimeError: fixture
1 failed, 2 passed, 1 skipped, 1 deselected, 1 xfailed, 1 xpassed, 1 warning, 1 error in 0.08s
"""

BAKED_SUITE_TAIL = """\
...............................                                          [100%]
================================ tests coverage ================================
_______________ coverage: platform linux, python 3.11.7-final-0 ________________

Name                    Stmts   Miss Branch BrPart  Cover   Missing
-------------------------------------------------------------------
app/cli.py                 54      2     12      2    94%   63, 73
-------------------------------------------------------------------
TOTAL                     953     14    114     12    97%

29 files skipped due to complete coverage.
Required test coverage of 95.0% reached. Total coverage: 97.38%
175 passed, 34 deselected in 7.73s
"""


@pytest.mark.parametrize(
    ("output", "counts"),
    [
        (
            MIXED_SUMMARY_TAIL,
            {
                "failed": 1,
                "passed": 2,
                "skipped": 1,
                "deselected": 1,
                "xfailed": 1,
                "xpassed": 1,
                "error": 1,
            },
        ),
        (BAKED_SUITE_TAIL, {"passed": 175, "deselected": 34}),
        ("..                                                       [100%]\n2 passed in 0.00s\n",
         {"passed": 2}),
        ("test_ok.py ..                                            [100%]\n\n"
         "============================== 2 passed in 0.01s ===============================\n",
         {"passed": 2}),
        ("ERROR test_errs.py::test_e2 - RuntimeError: fixture\n1 passed, 2 errors in 0.02s\n",
         {"passed": 1, "error": 2}),
        ("ERROR test_collect.py\n!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!\n"
         "1 error in 0.09s\n", {"error": 1}),
        ("-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html\n"
         "8 deselected, 1 warning in 0.01s\n", {}),
        ("", {}),
        ("error: Failed to spawn: `pytest`\n", {}),
    ],
    ids=[
        "every-outcome", "baked-suite-with-coverage", "quiet", "verbose", "errors-plural",
        "collection-error", "nothing-ran", "no-output", "no-pytest",
    ],
)  # fmt: skip
def test_pytest_counts(output: str, counts: dict[str, int]) -> None:
    assert suite.parse_pytest_counts(output) == counts


def test_pytest_counts_come_from_the_last_summary_line() -> None:
    output = "FAILED test_a.py::test_b - AssertionError: 3 passed\n" + BAKED_SUITE_TAIL
    assert suite.parse_pytest_counts(output) == {"passed": 175, "deselected": 34}


def test_run_suite_times_runs_and_keeps_failures(tmp_path: Path) -> None:
    passing = [sys.executable, "-c", "print('3 passed, 1 deselected in 0.01s')"]
    done = suite.run_suite(passing, tmp_path, dict(os.environ), 2, timeout=60)
    assert len(done["walls"]) == 2
    assert all(wall > 0 for wall in done["walls"])
    assert done["counts"] == {"passed": 3, "deselected": 1}
    assert done["failures"] == []

    failing = [sys.executable, "-c", "import sys; print('1 failed, 2 passed in 0.1s'); sys.exit(1)"]
    done = suite.run_suite(failing, tmp_path, dict(os.environ), 1, timeout=60)
    assert done["counts"] == {"failed": 1, "passed": 2}
    assert done["failures"] == ["run 1: exit 1\n1 failed, 2 passed in 0.1s"]

    hanging = [sys.executable, "-c", "import time; time.sleep(30)"]
    done = suite.run_suite(hanging, tmp_path, dict(os.environ), 1, timeout=0.5)
    assert (done["walls"], done["counts"]) == ([], {})
    assert done["failures"] == ["run 1: timed out after 0 s"]


# --------------------------------------------------------------------------------------------
# callgrind

CALLGRIND_TRUE = """\
==11919== Callgrind, a call-graph generating cache profiler
==11919== Copyright (C) 2002-2017, and GNU GPL'd, by Josef Weidendorfer et al.
==11919== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info
==11919== Command: /bin/true
==11919== 
==11919== For interactive control, run 'callgrind_control -h'.
==11919== 
==11919== Events    : Ir
==11919== Collected : 126573
==11919== 
==11919== I   refs:      126,573
"""  # noqa: W291 - valgrind's own trailing spaces, kept

# asgi_driver.py's complaint about a non-200, under callgrind: the count is there all the same.
CALLGRIND_PYTHON_401 = """\
==12082== Callgrind, a call-graph generating cache profiler
==12082== Copyright (C) 2002-2017, and GNU GPL'd, by Josef Weidendorfer et al.
==12082== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info
==12082== Command: /root/.pyenv/versions/3.11.7/bin/python3.11 -S -c import\\ sys;\\ print(...)
==12082== 
==12082== For interactive control, run 'callgrind_control -h'.
app.main:create_app answered [401] on ['/api/v1/items?limit=20', '/health/live']
==12082== 
==12082== Events    : Ir
==12082== Collected : 30707323
==12082== 
==12082== I   refs:      30,707,323
"""  # noqa: W291

# A python that is a shell shim: callgrind follows no exec, and reports no total.
CALLGRIND_SHIM = """\
==12019== Callgrind, a call-graph generating cache profiler
==12019== Copyright (C) 2002-2017, and GNU GPL'd, by Josef Weidendorfer et al.
==12019== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info
==12019== Command: /root/.pyenv/shims/python3 -S -c import\\ sys;\\ print(...)
==12019== 
==12019== For interactive control, run 'callgrind_control -h'.
app.main:create_app answered [401] on ['/api/v1/items?limit=20', '/health/live']
"""  # noqa: W291

CALLGRIND_MISSING = "valgrind: /nonexistent: No such file or directory\n"


@pytest.mark.parametrize(
    ("stderr", "total"),
    [
        (CALLGRIND_TRUE, 126573),
        (CALLGRIND_PYTHON_401, 30707323),
        (CALLGRIND_TRUE + CALLGRIND_PYTHON_401, 30707323),
        (CALLGRIND_SHIM, None),
        (CALLGRIND_MISSING, None),
        ("", None),
    ],
    ids=["true", "python", "last-of-two", "no-total", "no-program", "empty"],
)
def test_callgrind_total(stderr: str, total: int | None) -> None:
    assert instructions.collected_instructions(stderr) == total


def test_instructions_per_request() -> None:
    assert instructions.per_request(30_000_000, 30_700_000, 100) == 7000.0
    assert instructions.per_request(30_000_000, 30_000_000, 5) == 0.0


def test_callgrind_command_sends_the_warm_up_to_every_path(tmp_path: Path) -> None:
    spec = servers.AppSpec("baked", tmp_path / "bin" / "uvicorn", "app.main:create_app",
                           tmp_path, {})  # fmt: skip
    command = instructions.callgrind_command(spec, "/health/live", 0)
    assert command[:4] == [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        str(tmp_path / "bin" / "python"),
    ]
    assert Path(command[4]) == REPO_ROOT / "benchmarks" / "asgi_driver.py"
    assert Path(command[4]).is_file()
    assert command[5:] == ["app.main:create_app", "0", "/health/live", "/api/v1/items?limit=20"]


# --------------------------------------------------------------------------------------------
# py-spy

# `py-spy record --nonblocking --format raw` of a thread pool hashing while its caller waits;
# the Condition.wait stack is a waiting thread that the sampler saw as active.
POOL_STACKS = """\
<module> (pool.py:14);main (pool.py:13) 5
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83);\
_WorkItem.run (concurrent/futures/thread.py:58);work (pool.py:4) 27
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83);\
_WorkItem.run (concurrent/futures/thread.py:64) 1
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83);\
_WorkItem.run (concurrent/futures/thread.py:58);work (pool.py:5) 454
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83);\
_WorkItem.run (concurrent/futures/thread.py:58);work (pool.py:5);\
Condition.__enter__ (threading.py:272) 1
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83);\
_WorkItem.run (concurrent/futures/thread.py:58);\
Future.set_running_or_notify_cancel (concurrent/futures/_base.py:520) 1
<module> (pool.py:14);main (pool.py:11);Future.result (concurrent/futures/_base.py:451);\
Condition.wait (threading.py:327) 8
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83) 1
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:90);\
_WorkItem.run (concurrent/futures/thread.py:64);\
Future.set_result (concurrent/futures/_base.py:547) 1
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:83);\
_WorkItem.run (concurrent/futures/thread.py:64);work (pool.py:6) 1
Thread._bootstrap (threading.py:1002);Thread._bootstrap_inner (threading.py:1045);\
Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:81) 1
"""

# Stacks of the baked app under `--profile` list@64 load (py-spy's non-blocking sampler also
# records stacks cut short, as most of these are).
BAKED_STACKS = """\
PreparedStatement.__do_execute (asyncpg/prepared_stmt.py:257) 3
TypeEngine.Comparator.operate (sqlalchemy/sql/type_api.py:276);\
_boolean_compare (sqlalchemy/sql/default_comparator.py:134);\
expect (sqlalchemy/sql/coercions.py:426) 1
Session.execute (sqlalchemy/orm/session.py:2555);\
Session._execute_internal (sqlalchemy/orm/session.py:2418);\
expect (sqlalchemy/sql/coercions.py:425) 1
get_session (app/core/database.py:92);\
_AsyncGeneratorContextManager.__aexit__ (contextlib.py:217) 2
list_items (app/items/router.py:42);ItemService.list (app/items/service.py:44);\
ItemService.list.<locals>.<listcomp> (app/items/service.py:45);\
BaseModel.model_validate (pydantic/main.py:792) 1
AsyncAdapt_asyncpg_cursor._prepare_and_execute (sqlalchemy/dialects/postgresql/asyncpg.py:588);\
match (re/__init__.py:166) 4
Semaphore.acquire (asyncio/locks.py:387);_LoopBoundMixin._get_loop (asyncio/mixins.py:21) 1
<module> (uvicorn:10);Command.__call__ (click/core.py:1653);Command.main (click/core.py:1560);\
Command.invoke (click/core.py:1414);Context.invoke (click/core.py:911);\
main (uvicorn/main.py:448);run (uvicorn/main.py:632);Server.run (uvicorn/server.py:86);\
asyncio_run (uvicorn/_compat.py:30);Runner.run (asyncio/runners.py:118) 42
"""


@pytest.mark.parametrize(
    ("frame", "package"),
    [
        ("get_session (app/core/database.py)", "app"),
        ("PreparedStatement.__do_execute (asyncpg/prepared_stmt.py)", "asyncpg"),
        ("expect (sqlalchemy/sql/coercions.py)", "sqlalchemy"),
        ("Runner.run (asyncio/runners.py)", "stdlib:asyncio"),
        ("_worker (concurrent/futures/thread.py)", "stdlib:concurrent"),
        ("AsyncExitStack.__aexit__ (contextlib.py)", "stdlib:contextlib"),
        ("_Environ.__getitem__ (<frozen os>)", "stdlib:<frozen os>"),
        ("Mapping.get (<frozen _collections_abc>)", "stdlib:<frozen _collections_abc>"),
        ("NativeTelemetry.enabled (fastapi/telemetry/_asgi.py)", "fastapi"),
    ],
)
def test_frame_package(frame: str, package: str) -> None:
    assert profiling.frame_package(frame) == package


def test_profile_of_a_thread_pool() -> None:
    summary = profiling.summarise_stacks(POOL_STACKS).splitlines()
    # 501 samples less the 8 of a thread waiting; all but main()'s 5 in pool threads.
    assert summary[0] == (
        "493 samples on CPU (idle ones left out, and 8 of pool threads waiting for work); "
        "99.0% of them in thread-pool threads"
    )
    # work() and main() are in a script at the top level, which counts as "stdlib:pool".
    assert summary[1:3] == ["self time by package:", "   98.8%  stdlib:pool"]
    self_time = summary.index("self time (the function itself was on top of the stack):")
    # Line numbers dropped: work (pool.py:4), (pool.py:5) and (pool.py:6) are one function.
    assert summary[self_time + 1] == "   97.8%  work (pool.py)"
    total_time = summary.index("total time (the function was anywhere on the stack):")
    # Equal shares come in no set order (the frames of a stack are counted through a set).
    assert sorted(summary[total_time + 1 : total_time + 5]) == [
        "   99.0%  Thread._bootstrap (threading.py)",
        "   99.0%  Thread._bootstrap_inner (threading.py)",
        "   99.0%  Thread.run (threading.py)",
        "   99.0%  _worker (concurrent/futures/thread.py)",
    ]
    assert "Condition.wait (threading.py)" not in "\n".join(summary)


def test_profile_of_the_baked_app() -> None:
    summary = profiling.summarise_stacks(BAKED_STACKS).splitlines()
    assert summary[0] == (
        "55 samples on CPU (idle ones left out, and 0 of pool threads waiting for work); "
        "0.0% of them in thread-pool threads"
    )
    by_package = summary[2 : summary.index(
        "self time (the function itself was on top of the stack):"
    )]  # fmt: skip
    assert by_package == [
        "   78.2%  stdlib:asyncio",
        "    7.3%  re",
        "    5.5%  asyncpg",
        "    3.6%  sqlalchemy",
        "    3.6%  stdlib:contextlib",
        "    1.8%  pydantic",
    ]
    assert "    3.6%  expect (sqlalchemy/sql/coercions.py)" in summary
    assert "   76.4%  <module> (uvicorn)" in summary
    assert "    3.6%  get_session (app/core/database.py)" in summary


def test_profile_rows_are_capped() -> None:
    summary = profiling.summarise_stacks(BAKED_STACKS, top=1).splitlines()
    self_time = summary.index("self time (the function itself was on top of the stack):")
    total_time = summary.index("total time (the function was anywhere on the stack):")
    assert total_time - self_time == 2
    assert len(summary) - total_time == 3


@pytest.mark.parametrize(
    "collapsed",
    [
        "",
        "<module> (pool.py:14);main (pool.py:11);Future.result (concurrent/futures/_base.py:451);"
        "Condition.wait (threading.py:327) 8\n",
        "py-spy> Sampling process 200 times a second. Press Control-C to exit.\n",
        "a truncated line without a count\n",
    ],
    ids=["empty", "only-waiting", "py-spy-banner", "no-count"],
)
def test_profile_without_samples(collapsed: str) -> None:
    assert profiling.summarise_stacks(collapsed) == "no samples"


def test_profile_from_a_file(tmp_path: Path) -> None:
    raw = tmp_path / "baked-list64.collapsed.txt"
    raw.write_text(BAKED_STACKS)
    assert profiling.summarise_collapsed(raw) == profiling.summarise_stacks(BAKED_STACKS)


# --------------------------------------------------------------------------------------------
# /proc

# A process whose command name holds spaces and parentheses: "a b) (c".
STAT_ODD_NAME = (
    "12194 (a b) (c) S 1 12190 7659 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 439937 2990080 425 "
    "18446744073709551615 94679817502720 94679817520649 140728337844816 0 0 0 0 6 0 1 0 0 17 0 "
    "0 0 0 0 0 94679817534736 94679817536000 94680274743296 140728337849060 140728337849073 "
    "140728337849073 140728337850350 0\n"
)
# python3 after summing 3e7 integers: 54 ticks of user time.
STAT_PYTHON = (
    "16765 (python3) R 16666 16666 7659 0 -1 4194304 2863 6516 0 0 54 0 4 0 20 0 1 0 473729 "
    "16977920 3355 18446744073709551615 93890299224064 93890299224405 140727583747584 0 0 0 0 "
    "16781312 2 0 0 0 17 1 0 0 0 0 0 93890299235760 93890299236376 93890417590272 "
    "140727583750325 140727583750428 140727583750428 140727583752143 0\n"
)
STATUS_SLEEP = """\
Name:\ta b) (c
Umask:\t0022
State:\tS (sleeping)
Tgid:\t12194
Pid:\t12194
PPid:\t1
VmPeak:\t    2920 kB
VmSize:\t    2920 kB
VmHWM:\t    1808 kB
VmRSS:\t    1808 kB
RssAnon:\t      88 kB
"""
STATUS_KERNEL_THREAD = """\
Name:\tkthreadd
Umask:\t0000
State:\tS (sleeping)
Tgid:\t2
Pid:\t2
PPid:\t0
Threads:\t1
"""
PROC_STAT = "cpu  19993 0 6295 848711 436 0 964 24 0 0\ncpu0 9950 0 3170 424280 210 0 520 12 0 0\n"


def test_proc_stat_fields_after_an_odd_command_name() -> None:
    assert procfs.stat_fields(STAT_ODD_NAME)[:3] == ["S", "1", "12190"]
    assert procfs.parent_pid(STAT_ODD_NAME) == 1
    assert procfs.cpu_ticks(STAT_ODD_NAME) == 0


def test_proc_stat_cpu_ticks() -> None:
    assert procfs.parent_pid(STAT_PYTHON) == 16666
    assert procfs.cpu_ticks(STAT_PYTHON) == 54


def test_proc_status_rss() -> None:
    assert procfs.vmrss_kib(STATUS_SLEEP) == 1808
    assert procfs.vmrss_kib(STATUS_KERNEL_THREAD) is None


def test_proc_stat_busy_ticks() -> None:
    # user + nice + system + irq + softirq + steal; idle and iowait left out.
    assert procfs.busy_ticks(PROC_STAT) == 19993 + 0 + 6295 + 0 + 964 + 24


def test_proc_readers_on_a_live_process_tree() -> None:
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert {os.getpid(), child.pid} <= set(procfs.descendants(os.getpid()))
        assert procfs.descendants(child.pid) == [child.pid]
        assert procfs.rss_kib(child.pid) > 0
        assert procfs.rss_kib(os.getpid()) >= procfs.rss_kib(child.pid)
        assert procfs.tree_cpu_seconds(os.getpid()) > 0
        assert procfs.machine_busy_seconds() > 0
    finally:
        child.kill()
        child.wait()


# --------------------------------------------------------------------------------------------
# The apps' pages, the uvicorn command


def page(**changes: object) -> bytes:
    body: dict[str, object] = {
        "items": [
            {
                "id": "8c1e4f0e-2d43-4a57-9c55-0d6b1f1f8a01",
                "owner_id": "0f7f5f7e-8b8e-4a53-8f67-1f4d2c0c6a10",
                "title": "Item 1",
                "description": "Benchmark item number 1, seeded for the list endpoint.",
                "tags": ["tag-1", "bench"],
                "created_at": "2026-11-25T22:06:20.123456Z",
                "updated_at": "2026-11-25T22:06:20.123456Z",
            }
        ],
        "total": 10000,
        "limit": 20,
        "offset": 0,
    }
    body.update(changes)
    return json.dumps(body).encode()


def test_compare_bodies() -> None:
    assert measure.compare_bodies(page(), page()) is None
    assert measure.compare_bodies(page(), page(total=9999)) == (
        "total: baked 10000, reference 9999"
    )
    other = json.loads(page())["items"][0] | {"created_at": "2026-11-25T22:06:20.123456+00:00"}
    difference = measure.compare_bodies(page(), page(items=[other]))
    assert difference is not None
    assert difference.startswith("items[0]: baked {'id': '8c1e4f0e-2d43-4a57-9c55-0d6b1f1f8a01'")
    assert difference.endswith("'created_at': '2026-11-25T22:06:20.123456+00:00', "
                               "'updated_at': '2026-11-25T22:06:20.123456Z'}")  # fmt: skip
    assert measure.compare_bodies(page(), page(items=[])) == (
        "the item lists differ in length or keys"
    )


def test_uvicorn_command(tmp_path: Path) -> None:
    spec = servers.AppSpec(
        "reference",
        tmp_path / "uvicorn",
        "reference_app:create_app",
        tmp_path,
        {},
        extra_args=["--app-dir", "/b"],
    )
    assert servers.uvicorn_command(spec, 8123) == [
        str(tmp_path / "uvicorn"), "reference_app:create_app", "--factory", "--app-dir", "/b",
        "--host", "127.0.0.1", "--port", "8123", "--no-access-log", "--workers", "1",
        "--loop", "uvloop", "--http", "httptools",
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Flags


def test_flags_full_and_quick_defaults() -> None:
    full = cli.parse_args([])
    assert (full.rounds, full.duration, full.sweep_duration, full.warmup, full.suite_runs) == (
        3, 10.0, 5.0, 2.0, 3,
    )  # fmt: skip
    assert (full.sweep, full.threads, full.wrk_timeout, full.wait_quiet, full.items) == (
        [1, 16, 64, 256], 2, 10.0, 0.0, 10_000,
    )  # fmt: skip
    assert (full.instructions, full.profile_dir, full.json_path) == (0, None, None)
    assert not full.keep
    quick = cli.parse_args(["--quick"])
    assert (quick.rounds, quick.duration, quick.sweep_duration, quick.warmup) == (1, 3.0, 2.0, 1.0)
    assert quick.suite_runs == 1


def test_flags_given_beat_quick_defaults() -> None:
    config = cli.parse_args(["--quick", "--rounds", "2", "--duration", "0.5", "--suite-runs", "4"])
    assert (config.rounds, config.duration, config.suite_runs) == (2, 0.5, 4)
    assert cli.parse_args(["--quick", "--skip-suite", "--suite-runs", "4"]).suite_runs == 0


def test_flags_instructions_profile_sweep() -> None:
    assert cli.parse_args(["--instructions"]).instructions == 100
    assert cli.parse_args(["--instructions", "7"]).instructions == 7
    config = cli.parse_args(["--profile", "out/profile", "--sweep", "4, 8,,32"])
    assert config.profile_dir == Path("out/profile").resolve()
    assert config.sweep == [4, 8, 32]


@pytest.mark.parametrize(
    "argv", [["--rounds", "0"], ["--sweep", "1,0"], ["--sweep", "x"], ["--bogus"]]
)
def test_flags_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises((SystemExit, ValueError)) as refused:
        cli.parse_args(argv)
    if isinstance(refused.value, SystemExit):
        assert refused.value.code == 2
        assert "error:" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# The report

# The medians block of a real `run.py --quick` (1 round, so each figure is the round's own).
BEFORE_TABLE = """\
list of 20 @64: req/s                       323        912       1091       0.30        0.84            323..323        1091..1091
list of 20 @64: p50 ms                   180.84      68.36      57.48       3.15        1.19      180.84..180.84      57.48..57.48
list of 20 @64: p99 ms                   597.07     178.81     149.86       3.98        1.19      597.07..597.07    149.86..149.86
liveness @64: req/s                        5177       9256      24082       0.21        0.38          5177..5177      24082..24082
liveness @64: p50 ms                      10.35       6.82       2.53       4.09        2.70        10.35..10.35        2.53..2.53
liveness @64: p99 ms                     311.69     100.36      18.12      17.20        5.54      311.69..311.69      18.12..18.12
list of 20 @64: server CPU ms/req         3.042      0.661      0.515       5.91        1.28        3.042..3.042      0.515..0.515
liveness @64: server CPU ms/req           0.192      0.108      0.041       4.69        2.62        0.192..0.192      0.041..0.041
list @1: req/s (2 s)                        207        509        535       0.39        0.95            207..207          535..535
list @16: req/s (2 s)                       327        973        964       0.34        1.01            327..327          964..964
list @64: req/s (2 s)                       330        986       1088       0.30        0.91            330..330        1088..1088
list @256: req/s (2 s)                      305        831       1043       0.29        0.80            305..305        1043..1043
list: last/peak of sweep                   0.93       0.84       0.96       0.97        0.88          0.93..0.93        0.96..0.96
start to first 200: s                     0.776      0.799      0.168       4.61        4.74        0.776..0.776      0.168..0.168
idle RSS: MB                               79.0       54.7       37.4       2.11        1.46          79.0..79.0        37.4..37.4
loaded RSS (max): MB                       92.2       62.1       44.3       2.08        1.40          92.2..92.2        44.3..44.3
server stdout+stderr under load: MB         0.0        0.0        0.0          -           -            0.0..0.0          0.0..0.0
other processes' CPU (max, cores)          0.67       1.05       1.11       0.60        0.95          0.67..0.67        1.11..1.11
"""  # noqa: E501 - the report's own lines, as printed

BEFORE_TARGETS = """\
Targets from issue 5 (informational; the exit status gates on errors only)
  [MISS] list of 20 @64 >= 0.50 of reference          0.30
  [MISS] liveness @64 >= 0.70 of reference            0.21
  [met ] no error responses under load                0 load(s)
  [met ] start to first 200 <= 1.0 s                  0.776 s
  [MISS] idle RSS <= 70 MB                            79.0 MB
  [met ] list @256 >= 80 % of the sweep's peak        0.93
  [MISS] baked suite <= 8 s wall                      10.23 s
  [met ] baked suite >= 100 tests                     175 passed
"""

ROW_KEYS = [key for key, _, _ in report.ROWS] + [
    f"sweep_{connections}_rps" for connections in (1, 16, 64, 256)
]
ROW_KEYS += [key for key, _, _ in report.TAIL_ROWS]


def rounds_from(table: str) -> dict[str, list[dict[str, float]]]:
    """One round per app with the figures a printed table shows."""
    results: dict[str, list[dict[str, float]]] = {"baked": [{}], "fastapi": [{}], "reference": [{}]}
    for key, line in zip(ROW_KEYS, table.splitlines(), strict=True):
        for app, cell in zip(("baked", "fastapi", "reference"), line[36:].split(), strict=False):
            results[app][0][key] = float(cell)
    return results


def quick_extras(walls: list[float]) -> report.Extras:
    return {
        "bake_s": 0.88,
        "sync_s": 4.99,
        "migrate_s": 0.81,
        "versions": "python 3.11.7",
        "suite": {"walls": walls, "counts": {"passed": 175, "deselected": 34}, "failures": []},
    }


def test_report_reprints_a_real_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    config = cli.parse_args(["--quick"])
    text, data = report.report(
        config, rounds_from(BEFORE_TABLE), quick_extras([10.23]), measure.LoadErrors()
    )
    lines = text.splitlines()
    header = lines.index("-" * 130)
    printed = lines[header + 1 : header + 19]
    for got, want in zip(printed, BEFORE_TABLE.splitlines(), strict=True):
        got_cells, want_cells = got[36:].split(), want[36:].split()
        assert got[:36] == want[:36]
        # The ratios come from the rounded figures here, so they may differ in the last digits.
        assert got_cells[:3] + got_cells[5:] == want_cells[:3] + want_cells[5:]
        for mine, theirs in zip(got_cells[3:5], want_cells[3:5], strict=True):
            assert mine == theirs or math.isclose(float(mine), float(theirs), rel_tol=0.01)
    assert lines[header - 1] == (
        f"{'figure':<36} {'baked':>10} {'fastapi':>10} {'reference':>10} {'baked/ref':>10} "
        f"{'fastapi/ref':>11}   {'baked min..max':>17} {'ref min..max':>17}"
    )
    assert lines[1] == (
        "Medians over 1 interleaved round(s) (baked, fastapi, reference, baked, ...); wrk -t2, "
        "3 s at 64 connections, 10000 items, one uvicorn worker with uvloop + httptools."
    )
    no_errors = lines.index("load errors (non-2xx or socket errors reported by wrk): none")
    assert lines[no_errors + 2] == (
        "WARNING: other processes used up to 1.11 of 2 cores during a load; the req/s and "
        "latency figures are noisy (CPU ms/req much less so). Rerun on a quiet machine for "
        "clean figures."
    )
    assert (
        "  baked suite (uv run pytest -q): median 10.23 s wall over 1 run(s) [10.23]; "
        "175 passed, 34 deselected"
    ) in lines
    assert text.endswith(BEFORE_TARGETS.rstrip("\n"))
    assert data["medians"]["baked"]["list_rps"] == 323.0
    assert [target["met"] for target in data["targets"]] == [
        False, False, True, True, False, True, False, True,
    ]  # fmt: skip
    assert data["config"]["rounds"] == 1
    json.dumps(data)  # as --json writes it


def test_report_medians_spreads_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    config = cli.parse_args(["--sweep", "1,16", "--json", "out/bench.json"])
    base = rounds_from(BEFORE_TABLE)
    results: dict[str, list[dict[str, float]]] = {app: [] for app in base}
    for app, (figures,) in base.items():
        for factor in (1.0, 0.5, 1.5):
            scaled = {key: value * factor for key, value in figures.items()}
            scaled["foreign_cores"] = 0.1
            scaled["output_mb"] = 0.0
            results[app].append(scaled)
    results["reference"][0]["sweep_16_rps"] = 0.0  # a median of 0: no ratio
    for rounds in results.values():
        for figures_of_round in rounds:
            figures_of_round.pop("sweep_64_rps")
            figures_of_round.pop("sweep_256_rps")
    errors = measure.LoadErrors(["baked list@16: 0 non-2xx, socket errors: timeout 2, 96 reqs"])
    extras = quick_extras([9.0, 7.5, 12.0])
    extras["suite"]["failures"] = ["run 3: exit 1\nFAILED tests/test_items.py::test_list"]
    extras["template_suite"] = {"walls": [312.4], "counts": {"passed": 400}, "failures": []}
    extras["instructions"] = {
        "baked": {"list": 4_100_000.0, "live": 900_000.0},
        "fastapi": {"list": 1_200_000.0, "live": 300_000.0},
        "reference": {"list": 800_000.0, "live": 100_000.0},
    }
    text, data = report.report(config, results, extras, errors)
    lines = text.splitlines()
    assert lines[1].startswith("Medians over 3 interleaved round(s)")
    row = next(line for line in lines if line.startswith("list of 20 @64: req/s"))
    assert row.split()[5:] == ["323", "912", "1091", "0.30", "0.84", "162..484", "546..1636"]
    row = next(line for line in lines if line.startswith("list @16: req/s (5 s)"))
    # The reference's median is the scaled 964 (0.5x: 482) and 0 and 1446: 482.
    assert row.split()[5:8] == ["327", "973", "482"]
    assert not any(line.startswith("list @64: req/s") for line in lines)
    assert "load errors (non-2xx or socket errors reported by wrk): 1 load(s) with errors" in lines
    assert "  baked list@16: 0 non-2xx, socket errors: timeout 2, 96 reqs" in lines
    assert not any(line.startswith("WARNING") for line in lines)
    assert (
        "  list of 20  baked   4.100 M   fastapi   1.200 M   reference   0.800 M   "
        "baked/ref  5.12   fastapi/ref  1.50"
    ) in lines
    assert "    FAILED run 3: exit 1\nFAILED tests/test_items.py::test_list" in text
    assert "  template suite (uv run pytest at the repo root): 312.4 s; 400 passed" in lines
    assert "  [MISS] no error responses under load                1 load(s)" in lines
    assert "  [MISS] baked suite <= 8 s wall                      9.00 s" in lines
    assert "  [met ] list @16 >= 80 % of the sweep's peak         0.93" in lines
    assert data["config"]["json_path"] == "out/bench.json"
    assert data["errors"] == errors.lines
    assert data["medians"]["baked"]["list_rps"] == 323.0


def test_report_without_suite() -> None:
    config = cli.parse_args(["--quick", "--skip-suite", "--sweep", "64"])
    extras = quick_extras([])
    del extras["suite"]
    text, data = report.report(config, rounds_from(BEFORE_TABLE), extras, measure.LoadErrors())
    assert "  baked suite: skipped (--skip-suite)" in text.splitlines()
    assert "  template suite: not run (pass --template-suite; it takes minutes)" in text
    assert [target["target"] for target in data["targets"]][-1] == (
        "list @64 >= 80 % of the sweep's peak"
    )
