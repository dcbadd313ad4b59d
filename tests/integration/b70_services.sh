#!/usr/bin/env bash
# The private services start again after /tmp was cleared (a reboot): a link to a cluster
# folder that is gone gives way to a new cluster instead of a failed start.
source "$(dirname "$0")/../lib.sh"

d=$(jd_tmp)/svc
mkdir -p "$d"
gone=/tmp/jobdeck-pg.gone-$$
ln -s "$gone" "$d/pg"
rc=0; JD_TOP=$JD_TOP "$JD_TOP/tests/services.sh" start "$d" >"$d/start.out" 2>&1 || rc=$?
t_eq "services start although their cluster folder is gone" 0 "$rc"
t_ok "PostgreSQL answers" bash -c ". '$d/env' && PGUSER=postgres psql -X -At -c 'SELECT 1' | grep -qx 1"
t_nomatch "the new cluster is not the vanished one" "$gone" "$(readlink -f "$d/pg")"
"$JD_TOP/tests/services.sh" stop "$d" >/dev/null 2>&1
pg=$(readlink -f "$d/pg")
[[ $pg == /tmp/jobdeck-pg.* ]] && rm -rf "$pg"
