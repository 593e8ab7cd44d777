"""The benchmark of the baked service against a bare limit, as a package (see ../README.md).

`benchmarks/run.py` is the entry point; `cli.main` runs the benchmark. The modules:

    cli          the command line: flags, the run from bake to report, exit statuses, clean-up
    config       paths, PostgreSQL address, endpoint paths, app names, Config, SetupError
    console      the benchmark's log lines on stderr
    processes    child processes: their environment, commands run to completion, versions
    database     PostgreSQL through asyncpg: create and drop databases, seed the items
    bake         bake with cookiecutter, install with uv sync, migrate, register and log in
    servers      start and stop the apps under uvicorn, capture their output, sample their RSS
    procfs       /proc readers and parsers: process trees, RSS, CPU time, the machine's load
    wrk          run wrk and parse its output
    measure      one round of one app: start-up, RSS, the loads; compare the apps' answers
    suite        time the baked (and template) test suites, parse pytest's summary line
    instructions count one request's instructions under callgrind, parse its totals
    profiling    py-spy the baked app under load, summarise the collapsed stacks
    report       the table of medians and ratios, the other figures, the targets, the JSON

The parsers (wrk, procfs, suite, instructions, profiling, report, cli's flags) need only the
standard library, so the template's own test environment imports and tests them; only
`database` needs asyncpg, and imports it when it first talks to PostgreSQL.
"""
