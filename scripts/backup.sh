#!/usr/bin/env bash
# Back up one database: its SQL dump and its filestore (attachments, the brochures' PDFs)
# in ONE zip archive, Odoo's own backup format (dump.sql, filestore/, manifest.json), made
# by Odoo's `odoo db dump` (what the database manager's "Backup" does).
#
#   scripts/backup.sh                      # database jecree -> backups/jecree-<UTC time>.zip
#   scripts/backup.sh DB [ARCHIVE]
#   docker compose exec odoo bash /opt/jecree/scripts/backup.sh jecree
#                                          # -> /var/lib/odoo/backups/ (the odoo-data volume)
#
# Environment: ODOO_RC (an Odoo config file: database host, user, data_dir; the container's
# /etc/odoo/odoo.conf is used when it exists), ODOO_DATA_DIR (the data dir holding
# filestore/<db>, when not in the config), JECREE_BACKUP_DIR (default <repo>/backups).
# The archive holds personal data: it is written readable by its owner only.
# Restore with scripts/restore.sh ARCHIVE NEW_DB.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${1:-${JECREE_DB:-jecree}}"
ARCHIVE="${2:-${JECREE_BACKUP_DIR:-$JC_REPO/backups}/$DB-$(date -u +%Y%m%dT%H%M%SZ).zip}"

umask 077
mkdir -p "$(dirname "$ARCHIVE")"
part="$ARCHIVE.part"
trap 'rm -f "$part"' EXIT
jc_odoo_db_args
odoo db "${JC_DB_ARGS[@]}" dump "$DB" "$part"
# a truncated archive is not a backup: check it before it takes the final name
python3 - "$part" <<'PY'
import sys
import zipfile

with zipfile.ZipFile(sys.argv[1]) as archive:
    names = archive.namelist()
    bad = archive.testzip()
if bad or "dump.sql" not in names:
    sys.exit(f"[jecree] broken backup archive ({bad or 'no dump.sql'})")
files = sum(1 for n in names if n.startswith("filestore/") and not n.endswith("/"))
print(f"[jecree] archive checked: dump.sql and {files} filestore files", file=sys.stderr)
PY
mv "$part" "$ARCHIVE"
jc_log "backup of $DB: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
echo "$ARCHIVE"
