#!/bin/bash
# Entry point of the "odoo" service: write the master password (ODOO_ADMIN_PASSWD, hashed)
# into odoo.conf; on first start create the database with our addons (JECREE_DEMO=1: demo
# data, admin / admin, the quick start; JECREE_DEMO=0: production, no demo data, the
# admin user's password JECREE_ADMIN_PASSWORD); on later starts update them; point
# report.url at Odoo itself (wkhtmltopdf fetches the report's CSS there, not through the
# reverse proxy); then hand over to the official image's /entrypoint.sh.
set -euo pipefail

# shellcheck source=../scripts/lib.sh
. /opt/jecree/scripts/lib.sh

DB="${JECREE_DB:-jecree}"
MODULES="${JECREE_MODULES:-$JC_DEFAULT_MODULES}"
DEMO="${JECREE_DEMO:-1}"
ODOO_RC="${ODOO_RC:-/etc/odoo/odoo.conf}"
# libpq's variables, for psql and for the odoo commands below (odoo.conf has no password)
export PGHOST="${PGHOST:-db}" PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-${POSTGRES_USER:-odoo}}" PGPASSWORD="${PGPASSWORD:-${POSTGRES_PASSWORD:-}}"

if [ -n "${ODOO_ADMIN_PASSWD:-}" ]; then
    python3 - "$ODOO_RC" <<'PY'
import os
import sys

from passlib.context import CryptContext

path = sys.argv[1]
hashed = CryptContext(["pbkdf2_sha512"]).hash(os.environ["ODOO_ADMIN_PASSWD"])
with open(path, encoding="utf-8") as f:
    lines = [line for line in f if not line.lstrip().startswith("admin_passwd")]
out = []
for line in lines:
    out.append(line)
    if line.strip() == "[options]":
        out.append(f"admin_passwd = {hashed}\n")
with open(path, "w", encoding="utf-8") as f:
    f.writelines(out)
PY
elif [ "$DEMO" != "1" ]; then
    jc_log "ODOO_ADMIN_PASSWD is not set: refusing to start a production database without it"
    exit 1
fi

if [ "${1:-odoo}" = "odoo" ] && [ "${JECREE_INIT:-1}" = "1" ]; then
    wait-for-psql.py --db_host "$PGHOST" --db_port "$PGPORT" --db_user "$PGUSER" \
        --db_password "$PGPASSWORD" --timeout=60
    addons_path="$(jc_addons_path /mnt/extra-addons),/usr/lib/python3/dist-packages/odoo/addons"
    addons_path="${addons_path#,}"
    modules="$(jc_installable_modules "$addons_path" "$MODULES")"
    # odoo reads ODOO_RC (the image's /etc/odoo/odoo.conf) by itself; one process, no
    # worker, for these one-off commands
    odoo_args=(--addons-path="$addons_path" --workers=0 --max-cron-threads=0)
    if jc_db_exists "$DB"; then
        if [ -n "$modules" ]; then
            jc_log "database $DB exists: updating $modules"
            odoo "${odoo_args[@]}" -d "$DB" -i "$modules" -u "$modules" --stop-after-init
        fi
    else
        if [ "$DEMO" = "1" ]; then
            jc_log "first start: creating database $DB (demo data, fr_FR, admin/admin)"
            odoo --addons-path="$addons_path" db init --with-demo --language fr_FR --country FR "$DB"
        else
            if [ "${JECREE_ADMIN_PASSWORD:-admin}" = "admin" ]; then
                jc_log "JECREE_DEMO=0: set JECREE_ADMIN_PASSWORD (not 'admin') in .env"
                exit 1
            fi
            jc_log "first start: creating database $DB (no demo data, fr_FR)"
            odoo --addons-path="$addons_path" db init --language fr_FR --country FR \
                --password "$JECREE_ADMIN_PASSWORD" "$DB"
        fi
        if [ -n "$modules" ]; then
            odoo "${odoo_args[@]}" -d "$DB" -i "$modules" --stop-after-init
        fi
    fi
    jc_set_param "$DB" report.url "http://127.0.0.1:8069"
    jc_log "Je crée: database $DB ready on port 8069"
fi

# Odoo's HTTP workers take their connections from a socket opened here with the
# system's connection queue (socket activation, Odoo's systemd protocol), not from their
# own, whose queue holds 8 connections a worker: a phone system posting 20 ringing calls
# at once would see the ones past it dropped and retried a second later
# (docs/telephony.md, "Performance of the screen pop"). JECREE_SOCKET_ACTIVATION=0: off.
if [ "${1:-odoo}" = "odoo" ] && [ "${JECREE_SOCKET_ACTIVATION:-1}" = "1" ]; then
    exec python3 /opt/jecree/scripts/socket_activate.py "0.0.0.0:8069" /entrypoint.sh "$@"
fi
exec /entrypoint.sh "$@"
