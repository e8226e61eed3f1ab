#!/usr/bin/env bash
# Run the Odoo tests of our addons in a throw-away database, strictly.
#
#   make test                              # all our addons, tags below
#   TAGS=/jecree_project make test         # one addon
#   TAGS=/jecree_project:TestIntake.test_x make test   # one class/method (Odoo test-tags syntax)
#   MODULES=jecree_project TAGS=/jecree_project make test
#
# First the set-up (scripts/lib.sh, jc_setup test): Odoo from ODOO_SRC when it is not
# importable, PostgreSQL started, the Python dependencies, wkhtmltopdf and Chromium (the
# browser tours) when missing. JECREE_SETUP=0 skips it, JECREE_NO_APT=1 skips apt-get.
#
# Environment:
#   MODULES      modules to install (default jecree_project,jecree_referral,jecree_followup,
#                jecree_scenarios); those without a __manifest__.py, or with installable
#                False, are skipped
#   TAGS         --test-tags (default /jecree_project,/jecree_referral,/jecree_followup,
#                /jecree_scenarios,/crm,/calendar,/portal: Odoo's own crm, calendar and
#                portal suites run with our addons installed)
#   ADDONS_PATH  our addons directories, comma-separated (default <repo>/addons,<repo>/tests:
#                tests/ holds the test-only addon jecree_scenarios, the end-to-end
#                scenarios, installed by this command only); Odoo's own addons and
#                pip-installed OCA addons are found without it
#   WITH_DEMO=1  create the test database with demo data (default: without, as Odoo 19)
#   ODOO_DATA_DIR  Odoo data dir (default ~/.local/share/Odoo); its filestore/<db> is removed
#   ODOO_TEST_FAILURE_RETRIES  Odoo's own retry of a failed test (default 1, as Odoo's
#                runbot): browser tours time out on a loaded 2-core machine. Every retried test
#                is listed at the end; a test of our addons that is not a tour and failed
#                once fails the run, even when its retry passed. Set 0 to disable.
#
# The run fails (exit 1) when Odoo exits non-zero, when the log holds any WARNING, ERROR or
# CRITICAL line (as OCA's CI does), or when no test ran. The last lines are
# "N passed, N failed" (failed = failures + errors) and the elapsed seconds.
#
# A single test file with pytest-odoo (faster loop, needs a database where the addon is
# already installed, e.g. the one of `make run`; see scripts/pytest_one.sh):
#   pytest --odoo-database=jecree --odoo-addons-path=addons \
#       addons/jecree_project/tests/test_x.py
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start_ns=$(date +%s%N)
MODULES="${MODULES:-$JC_DEFAULT_MODULES,jecree_scenarios}"
TAGS="${TAGS:-/jecree_project,/jecree_referral,/jecree_followup,/jecree_scenarios,/crm,/calendar,/portal}"
ADDONS_PATH="${ADDONS_PATH:-$JC_REPO/addons,$JC_REPO/tests}"
DATA_DIR="${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}"
LOG_DIR="$JC_REPO/.test-logs"

jc_setup test
export ODOO_TEST_FAILURE_RETRIES="${ODOO_TEST_FAILURE_RETRIES:-1}"

addons_path="$(jc_addons_path "$ADDONS_PATH")"
install="$(jc_installable_modules "$addons_path" "$MODULES")"
if [ -z "$install" ]; then
    jc_log "no installable module among MODULES=$MODULES in ADDONS_PATH=$ADDONS_PATH"
    echo "0 passed, 0 failed"
    exit 1
fi

DB="jecree_test_$$"
if jc_db_exists "$DB"; then
    jc_log "database $DB already exists; refusing to reuse (and drop) it"
    exit 1
fi

cleanup() {
    dropdb --if-exists --force "$DB" >/dev/null 2>&1 || jc_log "could not drop database $DB"
    rm -rf "${DATA_DIR:?}/filestore/$DB"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$LOG_DIR"
LOG="$LOG_DIR/test-$DB.log"
port="$(jc_free_port)"
demo_flag=()
if [ "${WITH_DEMO:-0}" = "1" ]; then demo_flag=(--with-demo); fi
addons_arg=()
if [ -n "$addons_path" ]; then addons_arg=(--addons-path="$addons_path"); fi

cmd=(odoo -d "$DB" "${addons_arg[@]}" -i "$install" "${demo_flag[@]}"
    --test-enable --test-tags="$TAGS" --stop-after-init --log-level=test
    --http-interface=127.0.0.1 --http-port="$port" --data-dir="$DATA_DIR"
    --workers=0 --max-cron-threads=0)
jc_log "database $DB, modules $install, tags $TAGS, log $LOG"
jc_log "${cmd[*]}"

set +e
"${cmd[@]}" 2>&1 | tee "$LOG"
odoo_rc=${PIPESTATUS[0]}
set -e

status=0
# Odoo log line: "2026-11-29 20:00:00,123 1234 WARNING dbname logger: message"
level_re='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) '
# One WARNING is Odoo's own and harmless: installed with a plain `pip install -e <odoo-src>`
# (PEP 660), setuptools' import hook is named in odoo.addons.__path__, and Odoo says that
# this name is not a directory before skipping it. Every other line counts.
editable_hook_re=' WARNING [^ ]+ odoo\.modules\.module: addons path is not a directory: __editable__\.[^ ]*\.__path_hook__ *$'
bad_lines="$(grep -E "$level_re" "$LOG" | grep -vE "$editable_hook_re" || true)"
if [ -n "$bad_lines" ]; then
    echo
    echo "=== FAIL: the Odoo log has WARNING/ERROR/CRITICAL lines (full log: $LOG) ==="
    echo "$bad_lines"
    status=1
fi
if [ "$odoo_rc" -ne 0 ]; then
    echo "=== FAIL: odoo exited with code $odoo_rc ==="
    status=1
fi

# Odoo 19 (odoo/service/server.py + odoo/tests/result.py), once per database:
#   ... INFO <db> odoo.tests.result: 0 failed, 0 error(s) of 12 tests when loading database '<db>'
# (at level ERROR when something failed, WARNING when no test ran).
summary_re="odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests when loading database"
summary="$(grep -E "$summary_re" "$LOG" | tail -n 1 || true)"
# Skipped tests are logged by OdooTestResult.addSkip as "<logger>: skipped <test> : <reason>".
skipped="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ INFO [^ ]+ [^ ]+: skipped ' "$LOG" || true)"
if [ -n "$summary" ]; then
    read -r failures errors run < <(echo "$summary" | sed -E "s/.*$summary_re.*/\1 \2 \3/")
    failed=$((failures + errors))
    passed=$((run - failed - skipped))
    if [ "$passed" -lt 0 ]; then passed=0; fi
else
    echo "=== FAIL: Odoo printed no test summary (did it crash before running the tests?) ==="
    run=0
    passed=0
    # count the test failures Odoo did log, at least 1 since the run itself failed
    failed="$(grep -cE "$level_re"'.*: (FAIL|ERROR): ' "$LOG" || true)"
    if [ "$failed" -lt 1 ]; then failed=1; fi
    status=1
fi
if [ "$run" -eq 0 ]; then
    echo "=== FAIL: no test ran (MODULES=$install TAGS=$TAGS) ==="
    status=1
fi

# Per module: the test methods that ran (Odoo logs "Starting Class.method ..." once for each,
# a retry again) and the seconds of Odoo's stats lines (at_install and post_install summed).
python3 - "$LOG" <<'PY'
import re
import sys
from collections import defaultdict

methods = defaultdict(set)
seconds = defaultdict(float)
start_re = re.compile(r" odoo\.addons\.([a-z0-9_]+)\.tests\.[^ ]+: Starting ([^ ]+) \.\.\.")
stats_re = re.compile(r" odoo\.tests\.stats: ([a-z0-9_]+): [0-9]+ tests ([0-9.]+)s ")
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        if match := start_re.search(line):
            methods[match[1]].add(match[2])
        elif match := stats_re.search(line):
            seconds[match[1]] += float(match[2])
for module in sorted(methods, key=lambda m: (not m.startswith("jecree_"), m)):
    print(f"  {module}: {len(methods[module])} test methods, {seconds[module]:.0f} s")
PY

# Odoo retries a failed test once (ODOO_TEST_FAILURE_RETRIES) and then logs its first failure
# below WARNING: a test that fails half the time would pass unseen. Every retry is listed;
# a test of our addons that failed once fails the run, even if its retry passed, unless it
# is a browser tour (HttpCase), which a loaded 2-core machine can time out.
retried="$(grep -E ' odoo\.tests\.common: Retrying a failed test: ' "$LOG" \
    | sed -E 's/.*Retrying a failed test: //' || true)"
if [ -n "$retried" ]; then
    echo "=== $(echo "$retried" | wc -l) test(s) failed once and were retried: ==="
    echo "$retried"
    ours_not_tour="$(echo "$retried" | grep -E '\(odoo\.addons\.jecree_' | grep -viE 'tour' || true)"
    if [ -n "$ours_not_tour" ]; then
        echo "=== FAIL: a test of our addons (not a browser tour) failed at least once: ==="
        echo "$ours_not_tour"
        status=1
    fi
fi

elapsed=$((($(date +%s%N) - start_ns) / 1000000000))
echo "elapsed: ${elapsed}s (log: $LOG)"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
exit "$status"
