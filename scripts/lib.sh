# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Source it, do not execute it.

JC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JC_DEFAULT_MODULES="jecree_project,jecree_referral,jecree_followup"

JC_ODOO_MISSING_MSG="Odoo 19.0 is not importable: install Odoo 19.0 Community from source \
(https://www.odoo.com/documentation/19.0/administration/on_premise/source.html), \
e.g. pip install -e <odoo-src>, then run make install again"

jc_log() { printf '[jecree] %s\n' "$*" >&2; }

# Exit 1 with the install hint when Odoo is not importable by python3.
jc_require_odoo() {
    if ! python3 -c "import odoo" >/dev/null 2>&1; then
        printf '\n*** %s ***\n\n' "$JC_ODOO_MISSING_MSG" >&2
        exit 1
    fi
}

# jc_addons_path PATHS: keep only the comma-separated directories that hold at least
# one module (a sub-directory with a __manifest__.py). Odoo logs a WARNING for any other
# directory given in --addons-path, which would fail the strict test run.
jc_addons_path() {
    python3 - "$1" <<'PY'
import os
import sys

kept = []
for path in filter(None, (p.strip() for p in sys.argv[1].split(","))):
    path = os.path.abspath(os.path.expanduser(path))
    if os.path.isdir(path) and any(
        os.path.isfile(os.path.join(path, d, "__manifest__.py")) for d in os.listdir(path)
    ):
        kept.append(path)
print(",".join(kept))
PY
}

# jc_installable_modules PATHS MODULES: print the comma-separated MODULES that exist in
# one of PATHS with a manifest whose "installable" is true (the default). Missing or
# non-installable modules are reported on stderr and skipped.
jc_installable_modules() {
    python3 - "$1" "$2" <<'PY'
import ast
import os
import sys

paths = [p for p in sys.argv[1].split(",") if p]
found = []
for module in filter(None, (m.strip() for m in sys.argv[2].split(","))):
    manifest = next(
        (
            os.path.join(p, module, "__manifest__.py")
            for p in paths
            if os.path.isfile(os.path.join(p, module, "__manifest__.py"))
        ),
        None,
    )
    if manifest is None:
        print(f"[jecree] skipping {module}: no __manifest__.py found", file=sys.stderr)
        continue
    try:
        with open(manifest, encoding="utf-8") as f:
            installable = ast.literal_eval(f.read()).get("installable", True)
    except Exception as exc:  # let Odoo report the broken manifest loudly
        print(f"[jecree] {manifest} unreadable ({exc}); passing it to Odoo anyway",
              file=sys.stderr)
        installable = True
    if installable:
        found.append(module)
    else:
        print(f"[jecree] skipping {module}: installable is False", file=sys.stderr)
print(",".join(found))
PY
}

# jc_db_exists NAME: true when the PostgreSQL database exists.
jc_db_exists() {
    [ "$(psql -d postgres -XAtc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]
}

# jc_free_port: print a free TCP port on 127.0.0.1.
jc_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
