"""Shared helpers of the benchmarks: a throw-away database, timing, a table of figures.

Each benchmark creates its own database (``jecree_bench_<pid>``), installs the addons it
needs, seeds data in SQL where the ORM would be slow, times the operation in one Odoo
process and prints our figure beside the stock-Odoo baseline as a ratio. The database is
dropped at the end.
"""

import contextlib
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ADDONS = os.path.join(REPO, "addons")


def run(cmd):
    subprocess.run(cmd, check=True)


@contextlib.contextmanager
def bench_database(modules, demo=False):
    """Create a database with ``modules`` installed; yield its name; drop it."""
    dbname = f"jecree_bench_{os.getpid()}"
    subprocess.run(["dropdb", "--if-exists", dbname], check=True)
    cmd = [
        "odoo",
        "-d",
        dbname,
        f"--addons-path={ADDONS}",
        "-i",
        ",".join(modules),
        "--stop-after-init",
        "--log-level=warn",
        "--http-interface=127.0.0.1",
        "--load-language=fr_FR",
    ]
    if demo:
        cmd.append("--with-demo")
    print(f"[bench] creating {dbname} with {', '.join(modules)}…", file=sys.stderr)
    run(cmd)
    try:
        yield dbname
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", dbname], check=False)


@contextlib.contextmanager
def odoo_env(dbname, login=None):
    """An Odoo environment on ``dbname`` (as ``login`` if given), rolled back."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["-d", dbname, f"--addons-path={ADDONS}", "--log-level=warn"]
        + ["--http-interface=127.0.0.1"],
        setup_logging=True,
    )
    odoo.modules.module.initialize_sys_path()
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if login:
            user = env["res.users"].search([("login", "=", login)])
            env = env(user=user)
        try:
            yield env
        finally:
            cr.rollback()


class QueryCounter:
    """Counts the SQL queries of a cursor between start() and stop()."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.start = self.cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.count = self.cr.sql_log_count - self.start


def timed(fn, repeat):
    """Run fn() ``repeat`` times; return the list of durations in seconds."""
    durations = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        durations.append(time.perf_counter() - t0)
    return durations


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def report(title, rows):
    """Print a table: name, ours, baseline, ratio, goal, verdict."""
    print(f"\n{title}")
    header = ("measure", "ours", "baseline", "ratio", "goal", "")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True))
        )


def median(values):
    return statistics.median(values)
