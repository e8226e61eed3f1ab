# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Source it, do not execute it.

JC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JC_DEFAULT_MODULES="jecree_project,jecree_referral,jecree_followup"
JC_PIP="${PIP:-python3 -m pip}"

jc_log() { printf '[jecree] %s\n' "$*" >&2; }

# Odoo 19's `odoo` is a namespace package: pip-installed OCA addons alone make
# `import odoo` succeed. Odoo itself is there when odoo.release and odoo.cli import.
jc_odoo_importable() {
    python3 -c "import odoo.release, odoo.cli" >/dev/null 2>&1 && command -v odoo >/dev/null 2>&1
}

jc_odoo_missing() {
    cat >&2 <<MSG

*** Odoo 19.0 Community is not installed (python3 -c "import odoo.release" fails, or no
*** \`odoo\` command). Install it from source, as Odoo's documentation says
*** (https://www.odoo.com/documentation/19.0/administration/on_premise/source.html):
***     pip install -c constraints.txt -r <odoo-src>/requirements.txt
***     pip install -e <odoo-src>
*** or set ODOO_SRC=<odoo-src> (a checkout of Odoo's 19.0 branch) and run this command
*** again: it runs those two commands for you. This repository never downloads Odoo.

MSG
}

# Exit 1 with the install hint when Odoo is not importable by python3.
jc_require_odoo() {
    jc_odoo_importable || { jc_odoo_missing; exit 1; }
}

# jc_ensure_odoo: Odoo importable, else installed from ODOO_SRC (pip, as Odoo's source
# install documentation says; editable, in the pip's default mode), else exit 1.
jc_ensure_odoo() {
    jc_odoo_importable && return 0
    if [ -z "${ODOO_SRC:-}" ]; then jc_odoo_missing; exit 1; fi
    if [ ! -f "$ODOO_SRC/requirements.txt" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        jc_log "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no requirements.txt, odoo/release.py)"
        exit 1
    fi
    jc_log "installing Odoo from ODOO_SRC=$ODOO_SRC"
    (cd "$JC_REPO" && $JC_PIP install -c constraints.txt -r "$ODOO_SRC/requirements.txt" \
        && $JC_PIP install -c constraints.txt -e "$ODOO_SRC") || {
        jc_log "installing Odoo from $ODOO_SRC failed (see above)"; exit 1; }
    hash -r
    jc_odoo_importable || { jc_odoo_missing; exit 1; }
}

# What `make run` and `make test` import, by module name (requirements.txt, plus the
# test runner's openpyxl and websocket-client). The lint tools are checked by make lint.
JC_PY_MODULES="odoo.addons.crm_phonecall odoo.addons.base_location \
odoo.addons.l10n_fr_department odoo.addons.report_xlsx psycopg2 xlsxwriter phonenumbers \
unidecode openpyxl websocket"

# jc_ensure_python_deps: install requirements-dev.txt (with constraints.txt) when one of
# JC_PY_MODULES is not found (importlib.util.find_spec).
jc_ensure_python_deps() {
    local missing
    # shellcheck disable=SC2086
    missing="$(python3 - $JC_PY_MODULES <<'PY'
import importlib.util
import sys


def found(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


print(" ".join(m for m in sys.argv[1:] if not found(m)))
PY
)"
    [ -z "$missing" ] && return 0
    jc_log "missing Python modules: $missing; pip install -c constraints.txt -r requirements-dev.txt"
    (cd "$JC_REPO" && $JC_PIP install -c constraints.txt -r requirements-dev.txt) || {
        jc_log "could not install the Python dependencies: run"
        jc_log "    pip install -c constraints.txt -r requirements-dev.txt"
        exit 1
    }
}

# jc_apt_install PACKAGE: apt-get install PACKAGE when apt is usable (root, or sudo
# without a password); false otherwise.
jc_apt_install() {
    local sudo=()
    command -v apt-get >/dev/null 2>&1 || return 1
    if [ "$(id -u)" != "0" ]; then
        sudo -n true >/dev/null 2>&1 || return 1
        sudo=(sudo -n)
    fi
    jc_log "apt-get install $1"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "$1" >/dev/null 2>&1 && return 0
    "${sudo[@]}" apt-get update -q >/dev/null 2>&1 || return 1
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "$1" >/dev/null 2>&1
}

# jc_ensure_wkhtmltopdf: the PDF renderer of the brochures. Debian's wkhtmltopdf (the
# unpatched-Qt build: one document per run, which is how a brochure is rendered). Without
# it nothing fails: a brochure that cannot be rendered waits with its reason and Retry.
jc_ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null 2>&1 && return 0
    [ "${JECREE_NO_APT:-0}" = "1" ] && return 0
    jc_apt_install wkhtmltopdf || jc_log "wkhtmltopdf is not installed and apt-get is not \
usable: brochures will wait in their queue (install wkhtmltopdf, then Retry)"
}

# jc_setup run|test: everything `make run` (and, with "test", `make test`) needs on a fresh
# machine: Odoo, PostgreSQL, the Python dependencies, wkhtmltopdf (and Chromium for the
# tours). Each step does nothing when its part is there. JECREE_SETUP=0 skips all of it
# (the Docker image brings its own); JECREE_NO_APT=1 skips the apt-get steps.
jc_setup() {
    [ "${JECREE_SETUP:-1}" = "0" ] && { jc_require_odoo; return 0; }
    jc_ensure_odoo
    bash "$JC_REPO/scripts/ensure_postgres.sh"
    jc_ensure_python_deps
    jc_ensure_wkhtmltopdf
    if [ "${1:-}" = "test" ] && [ "${JECREE_NO_APT:-0}" != "1" ] \
        && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
        jc_apt_install chromium || jc_log "chromium is not installed: the browser tours are skipped"
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

# jc_set_param DB KEY VALUE: set an ir.config_parameter of a database that no server is
# serving yet (the server reads it at its start), e.g. report.url.
jc_set_param() {
    psql -d "$1" -XAtq -v ON_ERROR_STOP=1 -v key="$2" -v value="$3" >/dev/null <<'SQL'
INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
VALUES (:'key', :'value', 1, 1, now() at time zone 'UTC', now() at time zone 'UTC')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = EXCLUDED.write_date;
SQL
}

# jc_odoo_db_args: set JC_DB_ARGS, the options of `odoo db` (dump, load): -c ODOO_RC
# (default the container's /etc/odoo/odoo.conf when it exists), -D ODOO_DATA_DIR when set,
# --addons-path ADDONS_PATH (default <repo>/addons when there is no config file).
# In the container (docker compose exec odoo ...), libpq's PG* variables come from the
# POSTGRES_* of .env, as the entry point sets them (odoo.conf holds no password).
jc_odoo_db_args() {
    local rc="${ODOO_RC:-}"
    JC_DB_ARGS=()
    if [ -z "$rc" ] && [ -f /etc/odoo/odoo.conf ]; then rc=/etc/odoo/odoo.conf; fi
    if [ -n "$rc" ]; then JC_DB_ARGS+=(-c "$rc"); fi
    if [ -n "${ODOO_DATA_DIR:-}" ]; then JC_DB_ARGS+=(-D "$ODOO_DATA_DIR"); fi
    # our addons (a restored database loads its registry at the end of `db load`)
    local addons="${ADDONS_PATH:-}"
    if [ -z "$addons" ] && [ -z "$rc" ]; then addons="$JC_REPO/addons"; fi
    if [ -n "$addons" ]; then addons="$(jc_addons_path "$addons")"; fi
    if [ -n "$addons" ]; then JC_DB_ARGS+=(--addons-path "$addons"); fi
    if [ -n "${POSTGRES_USER:-}" ] && [ -f /etc/odoo/odoo.conf ]; then
        export PGHOST="${PGHOST:-db}" PGUSER="${PGUSER:-$POSTGRES_USER}"
        export PGPASSWORD="${PGPASSWORD:-${POSTGRES_PASSWORD:-}}"
    fi
}

# jc_free_port: print a free TCP port on 127.0.0.1.
jc_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
