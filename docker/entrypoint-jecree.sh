#!/bin/bash
# Entry point of the "odoo" service: on first start create the demo database (French,
# demo data, admin/admin) with our addons; on later starts update them; then hand over
# to the official image's /entrypoint.sh.
set -euo pipefail

# shellcheck source=../scripts/lib.sh
. /opt/jecree/scripts/lib.sh

DB="${JECREE_DB:-jecree}"
MODULES="${JECREE_MODULES:-$JC_DEFAULT_MODULES}"
export PGHOST="${PGHOST:-db}" PGUSER="${PGUSER:-odoo}" PGPASSWORD="${PGPASSWORD:-odoo}"

if [ "${1:-odoo}" = "odoo" ] && [ "${JECREE_INIT:-1}" = "1" ]; then
    wait-for-psql.py --db_host "$PGHOST" --db_port 5432 --db_user "$PGUSER" \
        --db_password "$PGPASSWORD" --timeout=60
    addons_path="$(jc_addons_path /mnt/extra-addons),/usr/lib/python3/dist-packages/odoo/addons"
    addons_path="${addons_path#,}"
    modules="$(jc_installable_modules "$addons_path" "$MODULES")"
    if jc_db_exists "$DB"; then
        if [ -n "$modules" ]; then
            jc_log "database $DB exists: updating $modules"
            odoo -d "$DB" --addons-path="$addons_path" -i "$modules" -u "$modules" --stop-after-init
        fi
    else
        jc_log "first start: creating database $DB (demo data, fr_FR, admin/admin)"
        odoo --addons-path="$addons_path" db init --with-demo --language fr_FR --country FR "$DB"
        if [ -n "$modules" ]; then
            odoo -d "$DB" --addons-path="$addons_path" -i "$modules" --stop-after-init
        fi
    fi
    jc_log "Je crée: http://localhost:8069  login admin / password admin"
fi

exec /entrypoint.sh "$@"
