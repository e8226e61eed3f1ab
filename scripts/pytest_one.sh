#!/usr/bin/env bash
# Run one test file (or node id) with pytest-odoo against a kept database: a fast loop
# for a developer, not the CI gate (that is scripts/test.sh).
#
#   scripts/pytest_one.sh addons/jecree_project/tests/test_intake.py
#   scripts/pytest_one.sh addons/jecree_project/tests/test_intake.py::TestIntake::test_x
#   UPDATE=1 scripts/pytest_one.sh ...     # -u the addon first (after model/view changes)
#
# It boils down to:
#   pytest --odoo-database=jecree_pytest --odoo-addons-path=<repo>/addons <test file>
# The database (DB, default jecree_pytest) is created on first use with the addon that
# owns the test file installed, and kept between runs. Drop it with `dropdb jecree_pytest`.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ $# -lt 1 ]; then
    echo "usage: $0 <path/to/addon/tests/test_x.py[::Class::method]> [pytest args...]" >&2
    exit 2
fi
DB="${DB:-jecree_pytest}"
ADDONS_PATH="${ADDONS_PATH:-$JC_REPO/addons}"

jc_setup test
addons_path="$(jc_addons_path "$ADDONS_PATH")"

# the addon owning the test file: the directory right above "tests/"
target="${1%%::*}"
module="$(basename "$(dirname "$(dirname "$(realpath "$target")")")")"
common=(-d "$DB" --addons-path="$addons_path" --http-interface=127.0.0.1
    --http-port="$(jc_free_port)" --stop-after-init --log-level=warn)
if ! jc_db_exists "$DB"; then
    jc_log "creating database $DB with $module installed"
    odoo "${common[@]}" -i "$module"
elif [ "${UPDATE:-0}" = "1" ]; then
    jc_log "updating $module in $DB"
    odoo "${common[@]}" -u "$module"
fi

exec pytest --odoo-database="$DB" --odoo-addons-path="$addons_path" \
    --odoo-log-level=warn --odoo-extra=http-interface=127.0.0.1 -p no:cacheprovider "$@"
