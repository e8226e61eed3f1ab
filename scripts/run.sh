#!/usr/bin/env bash
# Create (or update) a local demo database with our addons, in French, and serve it.
#
#   make run                 # database "jecree" on http://localhost:8069
#   DB=demo2 PORT=8070 make run
#
# New database: `odoo db init --with-demo --language fr_FR --country FR` (Odoo 19 loads demo
# data only when asked at creation; this also sets admin's language to fr_FR, the company
# country to France and the password to "admin"), then `-i` our addons.
# Existing database: `-u` our addons. Addons without a manifest yet are skipped.
# Before that, the set-up (scripts/lib.sh, jc_setup): Odoo from ODOO_SRC when it is not
# importable, PostgreSQL started, the Python dependencies and wkhtmltopdf when missing.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${DB:-jecree}"
PORT="${PORT:-8069}"
MODULES="${MODULES:-$JC_DEFAULT_MODULES}"
ADDONS_PATH="${ADDONS_PATH:-$JC_REPO/addons}"

jc_setup run

addons_path="$(jc_addons_path "$ADDONS_PATH")"
modules="$(jc_installable_modules "$addons_path" "$MODULES")"
addons_arg=()
if [ -n "$addons_path" ]; then addons_arg=(--addons-path="$addons_path"); fi
common=(-d "$DB" "${addons_arg[@]}" --http-interface=127.0.0.1 --http-port="$PORT")

if jc_db_exists "$DB"; then
    if [ -n "$modules" ]; then
        jc_log "database $DB exists: installing or updating $modules"
        odoo "${common[@]}" -i "$modules" -u "$modules" --stop-after-init
    fi
else
    jc_log "creating database $DB with demo data, French (fr_FR), admin/admin"
    odoo "${addons_arg[@]}" db init --with-demo --language fr_FR --country FR "$DB"
    # `db init` only logs its errors: check that base really got installed.
    state="$(psql -d "$DB" -XAtc "SELECT state FROM ir_module_module WHERE name = 'base'" 2>/dev/null || true)"
    if [ "$state" != "installed" ]; then
        jc_log "database $DB was not initialised (see the log above)"
        exit 1
    fi
    if [ -n "$modules" ]; then
        jc_log "installing $modules"
        odoo "${common[@]}" -i "$modules" --load-language=fr_FR --stop-after-init
    fi
fi

# wkhtmltopdf (the brochures' PDF) fetches the report's CSS from Odoo itself: from the
# address served here, whatever address the browser used (web.base.url).
jc_set_param "$DB" report.url "http://127.0.0.1:$PORT"

cat <<MSG

  Je crée is starting on http://localhost:$PORT  (database: $DB)
  Login: admin   Password: admin
  Demo users: agent / agent (call-center agent), manager / manager (manager),
  portal adviser conseiller.cma.arras@example.com / demo
  Stop with Ctrl-C.

MSG
exec odoo "${common[@]}" --db-filter="^${DB}\$"
