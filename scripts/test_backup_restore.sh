#!/usr/bin/env bash
# Check scripts/backup.sh and scripts/restore.sh end to end, on this machine (no Docker
# needed): a small database with our addons and a few porteurs, referrals and a file in
# the filestore is backed up, restored into a new database and checked there (row counts
# of crm_lead, jecree_referral and stored attachments; the file read back through Odoo,
# byte for byte, from the restored database's own filestore). Everything it creates
# (two databases, a data dir, the archive) is dropped at the end, on failure too.
#
#   bash scripts/test_backup_restore.sh        # last line: "N passed, N failed"
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

jc_setup run
DB="jecree_backup_test_$$"
RESTORED="${DB}_restored"
WORK="$(mktemp -d)"
export ODOO_DATA_DIR="$WORK/data"
unset ODOO_RC
ARCHIVE="$WORK/backups/$DB.zip"
cleanup() {
    for db in "$DB" "$RESTORED"; do
        dropdb --if-exists --force "$db" >/dev/null 2>&1 || jc_log "could not drop $db"
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

addons_path="$(jc_addons_path "$JC_REPO/addons")"
odoo_args=(--addons-path="$addons_path" -D "$ODOO_DATA_DIR" --log-level=warn)
passed=0
failed=0
check() { # check DESCRIPTION COMMAND...
    if "${@:2}"; then
        passed=$((passed + 1))
        echo "ok: $1"
    else
        failed=$((failed + 1))
        echo "FAILED: $1"
    fi
}

jc_log "creating $DB with jecree_referral (and jecree_project)"
odoo -d "$DB" "${odoo_args[@]}" -i jecree_referral --stop-after-init --workers=0 \
    --max-cron-threads=0 --http-interface=127.0.0.1 --http-port="$(jc_free_port)"

# porteurs, a structure, referrals and a file of random bytes in the filestore
seed="$(odoo shell -d "$DB" "${odoo_args[@]}" --no-http <<'PY'
import hashlib
import os

env = env(context=dict(env.context, tracking_disable=True))
Partner = env["res.partner"]
structure = Partner.create({
    "name": "CMA Sauvegarde",
    "is_company": True,
    "jecree_structure_type_id": env.ref("jecree_referral.jecree_structure_type_cma").id,
})
antenna = Partner.create({
    "name": "CMA Sauvegarde, Arras",
    "type": "other",
    "parent_id": structure.id,
    "jecree_is_antenna": True,
    "city": "Arras",
    "zip": "62000",
})
leads = env["crm.lead"].create([
    {"name": f"Porteur sauvegarde {i}", "contact_name": f"Porteur {i}",
     "is_porteur": True, "email_from": f"porteur{i}@example.com"}
    for i in range(3)
])
env["jecree.referral"].create([
    {"lead_id": lead.id, "structure_id": structure.id, "antenna_id": antenna.id}
    for lead in leads[:2]
])
data = os.urandom(4096)
attachment = env["ir.attachment"].create({
    "name": "jecree-backup-check.bin", "raw": data,
    "res_model": "crm.lead", "res_id": leads[0].id,
})
env.cr.commit()
print("SEED", attachment.store_fname, hashlib.sha256(data).hexdigest())
PY
)"
seed="$(echo "$seed" | grep '^SEED ' || true)"
read -r _ store_fname sha_before <<<"${seed:-SEED - -}"
check "the file is in $DB's filestore" test -s "$ODOO_DATA_DIR/filestore/$DB/$store_fname"

counts() {
    psql -d "$1" -XAtc "SELECT (SELECT count(*) FROM crm_lead) || ' leads, '
        || (SELECT count(*) FROM jecree_referral) || ' referrals, '
        || (SELECT count(*) FROM ir_attachment WHERE store_fname IS NOT NULL)
        || ' stored attachments'"
}
before="$(counts "$DB")"
jc_log "$DB: $before"
check "the database holds 3 porteurs and 2 referrals" \
    test "$(psql -d "$DB" -XAtc "SELECT count(*) FROM crm_lead WHERE is_porteur")/$(
        psql -d "$DB" -XAtc "SELECT count(*) FROM jecree_referral")" = "3/2"

bash "$JC_REPO/scripts/backup.sh" "$DB" "$ARCHIVE" >/dev/null
check "one archive, readable by its owner only" test "$(stat -c %a "$ARCHIVE")" = 600
check "the archive holds dump.sql and the file" python3 -c "
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(not ('dump.sql' in names and 'filestore/' + sys.argv[2] in names))" \
    "$ARCHIVE" "$store_fname"

bash "$JC_REPO/scripts/restore.sh" "$ARCHIVE" "$RESTORED" 2>&1 | tee "$WORK/restore.log"
check "the restore logged no ERROR (our addons loaded in the restored database)" \
    bash -c "! grep -E ' (ERROR|CRITICAL) ' '$WORK/restore.log'"
check "restore refuses an existing database" \
    bash -c "! bash '$JC_REPO/scripts/restore.sh' '$ARCHIVE' '$DB' 2>/dev/null"
after="$(counts "$RESTORED")"
jc_log "$RESTORED: $after"
check "same row counts after the restore ($before)" test "$before" = "$after"

readback="$(odoo shell -d "$RESTORED" "${odoo_args[@]}" --no-http <<'PY'
import hashlib

attachment = env["ir.attachment"].search([("name", "=", "jecree-backup-check.bin")])
print("READ", attachment._full_path(attachment.store_fname), hashlib.sha256(attachment.raw).hexdigest())
PY
)"
read -r _ path sha_after <<<"$(echo "$readback" | grep '^READ ' || echo "READ - -")"
check "the file is read back from $RESTORED's own filestore" \
    test "${path#"$ODOO_DATA_DIR/filestore/$RESTORED/"}" != "$path"
check "the file has the same bytes (sha256 ${sha_before:0:12})" \
    test -n "$sha_before" -a "$sha_before" = "$sha_after"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
