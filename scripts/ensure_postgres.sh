#!/usr/bin/env bash
# Make sure a local PostgreSQL is up and that the current OS user has a superuser role
# (Odoo connects over the local socket without password). Used by scripts/test.sh,
# scripts/run.sh and .ci/run. Safe to run many times.
set -euo pipefail

me="$(id -un)"

pg_ok() { psql -d postgres -XAtc 'SELECT 1' >/dev/null 2>&1; }

if pg_ok; then
    exit 0
fi

# A fresh Debian/Ubuntu machine: no PostgreSQL server yet. Install it when apt is usable.
if ! command -v pg_lsclusters >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
    && [ "$(id -u)" = "0" ] && [ "${JECREE_NO_APT:-0}" != "1" ]; then
    echo "[jecree] installing PostgreSQL (apt-get install postgresql)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null 2>&1; } \
        || echo "[jecree] apt-get install postgresql failed" >&2
fi

if command -v pg_lsclusters >/dev/null 2>&1; then
    # Start every cluster that is down (normally just "15 main").
    while read -r ver name _port status _rest; do
        if [ "$status" != "online" ]; then
            echo "[jecree] starting PostgreSQL cluster $ver/$name" >&2
            pg_ctlcluster "$ver" "$name" start
        fi
    done < <(pg_lsclusters --no-header)
    for _ in $(seq 1 30); do
        pg_isready -q && break
        sleep 1
    done
else
    echo "[jecree] pg_lsclusters not found: install and start PostgreSQL yourself" >&2
fi

if ! pg_ok; then
    # Server up but no role for us yet: create a superuser role named after the OS user.
    if [ "$(id -u)" = "0" ] && id postgres >/dev/null 2>&1; then
        if ! su postgres -c "psql -XAtc \"SELECT 1 FROM pg_roles WHERE rolname = '$me'\"" | grep -q 1; then
            echo "[jecree] creating PostgreSQL superuser role $me" >&2
            su postgres -c "createuser -s $me"
        fi
    fi
fi

if ! pg_ok; then
    echo "[jecree] PostgreSQL is not reachable as role '$me' over the local socket" >&2
    exit 1
fi
