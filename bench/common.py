"""Shared helpers of the benchmarks: a throw-away database, timing, a table of figures.

Each benchmark creates its own database (``jecree_bench_<pid>``), installs the addons it
needs, seeds data in SQL where the ORM would be slow, times the operation in one Odoo
process and prints our figure beside the stock-Odoo baseline as a ratio. Where the
baseline is stock Odoo, it runs in a second database (``jecree_bench_<pid>_base``) with
only stock modules installed, in the same process, in blocks alternating with ours. The
databases are dropped at the end. ``--db``/``--base-db`` copy ready-made databases
instead of creating them (``bench/smoke.sh`` does so for the smoke runs).
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


STOCK_BASELINE = ["crm", "crm_phonecall"]


def drop_database(dbname, check=True):
    """Drop ``dbname`` if it exists (its connections closed)."""
    subprocess.run(
        ["dropdb", "--if-exists", "--force", dbname],
        check=check,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


def create_database(dbname, modules, demo=False):
    """Create ``dbname`` with ``modules`` installed (French loaded), from scratch."""
    drop_database(dbname)
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


def installed_modules(dbname):
    """The names of the modules installed in ``dbname``, sorted."""
    out = subprocess.run(
        ["psql", "-d", dbname, "-Atc"]
        + ["SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()


@contextlib.contextmanager
def bench_database(modules, demo=False, template=None, suffix=""):
    """A throw-away database with ``modules`` installed; yield its name; drop it.

    With ``template`` (a database made by ``create_database``, e.g. by
    ``bench/smoke.sh``), the database is a copy of it (seconds instead of
    minutes); the modules of ``modules`` it lacks are installed in the copy."""
    dbname = f"jecree_bench_{os.getpid()}{suffix}"
    if template:
        drop_database(dbname)
        print(f"[bench] copying {template} to {dbname}…", file=sys.stderr)
        run(["createdb", "-T", template, dbname])
        missing = sorted(set(modules) - set(installed_modules(dbname)))
        if missing:
            print(f"[bench] installing {', '.join(missing)}…", file=sys.stderr)
            run(
                ["odoo", "-d", dbname, f"--addons-path={ADDONS}", "-i"]
                + [",".join(missing), "--stop-after-init", "--log-level=warn"]
                + ["--http-interface=127.0.0.1"]
            )
    else:
        create_database(dbname, modules, demo=demo)
    try:
        yield dbname
    finally:
        with contextlib.suppress(Exception):
            from odoo.modules.registry import Registry

            Registry.delete(dbname)  # close its connections before dropping
        drop_database(dbname, check=False)


_odoo_ready = False


def setup_odoo():
    """Parse Odoo's configuration once per process (no database in it: one
    process may hold the registries of several databases, one cursor each)."""
    global _odoo_ready  # noqa: PLW0603
    if _odoo_ready:
        return
    import odoo
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={ADDONS}", "--log-level=warn", "--http-interface=127.0.0.1"],
        setup_logging=True,
    )
    odoo.modules.module.initialize_sys_path()
    _odoo_ready = True


@contextlib.contextmanager
def odoo_env(dbname, login=None):
    """An Odoo environment on ``dbname`` (as ``login`` if given), rolled back.

    Several may be open at once on different databases (e.g. ours and the stock
    baseline's), each with its own registry and cursor."""
    import odoo
    from odoo.modules.registry import Registry

    setup_odoo()
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


def add_db_arguments(parser):
    """--smoke, --db and --base-db, shared by the benchmarks."""
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny scale, a few seconds of timing: checks the benchmark runs",
    )
    parser.add_argument(
        "--db",
        help="copy this database (made with our addons and demo data, see "
        "bench/smoke.sh) instead of creating one",
    )
    parser.add_argument(
        "--base-db",
        help="copy this database (stock crm + crm_phonecall) for the baseline "
        "instead of creating one",
    )


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


def vacuum(dbname, tables=()):
    """VACUUM ANALYZE `tables` of `dbname` (all of them when none is given)."""
    run(["psql", "-q", "-d", dbname, "-c", f"VACUUM ANALYZE {', '.join(tables)}"])


def close_connections(dbname):
    """Close the process's connections to `dbname` (to copy it with createdb -T)."""
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db

    Registry.delete(dbname)
    close_db(dbname)


def table_maxima(cr, tables):
    """{table: its highest id} of the `tables` that exist: what a run adds is
    above it."""
    maxima = {}
    for table in tables:
        cr.execute("SELECT to_regclass(%s)", [table])
        if cr.fetchone()[0]:
            cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            maxima[table] = cr.fetchone()[0]
    return maxima


def delete_above(cr, maxima):
    """Delete the rows a run added (ids above `table_maxima`'s)."""
    for table, maximum in maxima.items():
        cr.execute(f"DELETE FROM {table} WHERE id > %s", [maximum])  # noqa: S608


if __name__ == "__main__":
    # python3 bench/common.py create DBNAME MODULE,MODULE [--demo]: the databases
    # that bench/smoke.sh hands to the benchmarks with --db / --base-db
    if len(sys.argv) < 4 or sys.argv[1] != "create":
        sys.exit("usage: common.py create DBNAME MODULE[,MODULE…] [--demo]")
    create_database(sys.argv[2], sys.argv[3].split(","), demo="--demo" in sys.argv)
