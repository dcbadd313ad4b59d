# q_common.bash — sourced by the q*.sh tests (Gearman, workers, job types): starts workers
# as background processes with their logs in a scratch folder, and stops them on exit.
# shellcheck disable=SC1091
source "$(dirname "$0")/../lib.sh"

export JOBDECK_HEARTBEAT_TIMEOUT=${JOBDECK_HEARTBEAT_TIMEOUT:-3}
Q_TMP=$(jd_tmp)
Q_PIDS=()
GM_HOST=${JOBDECK_GEARMAN%%:*}
GM_PORT=${JOBDECK_GEARMAN##*:}

q_cleanup() {
	local p
	for p in "${Q_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	return 0
}
trap q_cleanup EXIT

# q_worker NAME [worker options...]: a worker as role `worker`; its pid in Q_PID.
q_worker() {
	local name=$1; shift
	PGUSER=worker "$JD_BIN" worker --id "$name" "$@" >>"$Q_TMP/$name.log" 2>&1 &
	Q_PID=$!
	Q_PIDS+=("$Q_PID")
}

# q_served FUNCTION: true when gearmand has a worker registered for it.
q_served() {
	local n
	n=$(gearadmin -h "$GM_HOST" -p "$GM_PORT" --status 2>/dev/null | awk -F'\t' -v f="$1" '$1 == f { print $4 }')
	[[ -n $n && $n -gt 0 ]]
}

q_col() { sql "SELECT $2 FROM jobdeck.jobs WHERE id = $1"; }
# The file job ID produced, out of the database (db/054) into the scratch folder, by
# `jobdeck download` as the administrator; prints where it went (nothing when it failed).
q_file() {
	local f=$Q_TMP/file-$1
	rm -f "$f"
	PGUSER=admin "$JD_BIN" download "$1" -o "$f" >/dev/null && echo "$f"
}
q_is() { [[ $(q_col "$1" status) == "$2" ]]; }
q_running_on() { [[ $(q_col "$1" "status = 'Running' AND worker IS NOT NULL AND started_at IS NOT NULL") == t ]]; }
# The whole console output of a job, as hex.
q_output_hex() { sql "SELECT encode(coalesce(string_agg(data, ''::bytea ORDER BY offset_), ''), 'hex') FROM jobdeck.job_output WHERE job_id = $1"; }
q_output() { sql "SELECT convert_from(coalesce(string_agg(data, ''::bytea ORDER BY offset_), ''), 'UTF8') FROM jobdeck.job_output WHERE job_id = $1"; }
