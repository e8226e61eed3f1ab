#!/usr/bin/env bash
# Smoke run of every benchmark: tiny scale, a few seconds of timing each, so that a
# broken benchmark is seen at once (CI). Two databases are created once (ours: our
# addons with demo data; baseline: stock crm + crm_phonecall) and each benchmark
# works on copies of them (--db / --base-db). Fails on the first error.
#
#     bench/smoke.sh            # all benchmarks
#     bench/smoke.sh intake pack   # some of them
set -euo pipefail
cd "$(dirname "$0")/.."
OURS="jecree_smoke_$$"
BASE="jecree_smoke_$$_base"
cleanup() {
    dropdb --if-exists --force "$OURS" || true
    dropdb --if-exists --force "$BASE" || true
}
trap cleanup EXIT
BENCHES=("$@")
if [ ${#BENCHES[@]} -eq 0 ]; then
    BENCHES=(intake referral pack callback_cron ladder portal load_jsonrpc telephony)
fi
start=$(date +%s)
# both at once (two processes); wait for each and fail if either failed
python3 bench/common.py create "$OURS" jecree_project,jecree_followup,jecree_referral --demo &
ours_pid=$!
python3 bench/common.py create "$BASE" crm,crm_phonecall &
base_pid=$!
wait "$ours_pid"
wait "$base_pid"
echo "[smoke] databases created in $(($(date +%s) - start)) s" >&2
for bench in "${BENCHES[@]}"; do
    t0=$(date +%s)
    script="bench/bench_$bench.py"
    [ -f "$script" ] || script="bench/$bench.py"
    echo "[smoke] $script" >&2
    python3 "$script" --smoke --db "$OURS" --base-db "$BASE"
    echo "[smoke] $script passed in $(($(date +%s) - t0)) s" >&2
done
echo "[smoke] all passed in $(($(date +%s) - start)) s" >&2
