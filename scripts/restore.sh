#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh (database dump and filestore, one zip archive) into
# a NEW database, with Odoo's `odoo db load` (what the database manager's "Restore" does,
# as a copy: the restored database gets its own UUID). An existing database is never
# overwritten: restore under a new name, check it, then point JECREE_DB at it.
#
#   scripts/restore.sh ARCHIVE NEW_DB
#   NEUTRALIZE=1 scripts/restore.sh ARCHIVE NEW_DB   # a copy for tests: Odoo's neutralize
#                                                    # (no outgoing mail, crons off)
#   docker compose exec odoo bash /opt/jecree/scripts/restore.sh \
#       /var/lib/odoo/backups/jecree-<time>.zip jecree_restored
#
# Environment: as scripts/backup.sh (ODOO_RC, ODOO_DATA_DIR).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ $# -ne 2 ]; then
    echo "usage: $0 ARCHIVE NEW_DB" >&2
    exit 2
fi
ARCHIVE="$1"
DB="$2"
if [ ! -f "$ARCHIVE" ]; then
    jc_log "no such archive: $ARCHIVE"
    exit 1
fi
jc_odoo_db_args
if jc_db_exists "$DB"; then
    jc_log "database $DB exists: restore into a new database"
    exit 1
fi
neutralize=()
if [ "${NEUTRALIZE:-0}" = "1" ]; then neutralize=(--neutralize); fi
odoo db "${JC_DB_ARGS[@]}" load "${neutralize[@]}" "$DB" "$ARCHIVE"
state="$(psql -d "$DB" -XAtc "SELECT state FROM ir_module_module WHERE name = 'base'" 2>/dev/null || true)"
if [ "$state" != "installed" ]; then
    jc_log "database $DB was not restored (see the log above)"
    exit 1
fi
jc_log "restored $ARCHIVE into database $DB"
