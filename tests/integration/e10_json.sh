#!/usr/bin/env bash
# --json for scripts: list, show (and its output), export --format json, workers, queues.
# Parsed with Python's json module and checked against the database; hostile bytes round-trip
# exactly; the same permissions as the tables; memory stays flat over many jobs.
source "$(dirname "$0")/q_common.bash"
jd_db e10 || exit 1
dir=$(jd_tmp)
cd "$dir" || exit 1

rec=$(sql "INSERT INTO jobdeck.records (identifier, title) VALUES ('F-7', 'Fonds \"seven\"') RETURNING id")
# ESC, other control bytes, quotes, backslashes, a slash and UTF-8 in a name and a note
evil=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, object_id, params, info, download_path,
		download_size, created_at, started_at, completed_at, worker, attempts)
	VALUES (E'Evil \x1b[31mred\x1b[0m \"q\" \\\\ back\x01\x07\x7f é/✓', 'csv-import', 'Completed', 'alice', $rec,
		'{\"file\": \"a \\\"b\\\" \\\\ c.csv\", \"n\": \"3\"}', ARRAY[E'one\x1b]0;title\x07', 'two \"x\"'],
		'/srv/x.csv', 1234, '2026-01-02 03:04:05+00', '2026-01-02 03:04:06+00', '2026-01-02 03:05:06+00', 'w1', 2)
	RETURNING id")
run=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, created_at) VALUES ('Waiting', 'csv-import', 'Running', 'alice',
	'2026-01-03 00:00:00+00') RETURNING id")
bobs=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, created_at, completed_at) VALUES ('Bob job', 'sleep',
	'Error', 'bob', '2026-01-01 00:00:00+00', '2026-01-01 00:00:01+00') RETURNING id")
cl=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, params, created_at, completed_at) VALUES ('ls -l', 'command',
	'Completed', NULL, '{\"command\": [\"ls\", \"-l\"]}', '2026-01-01 01:00:00+00', '2026-01-01 01:00:01+00') RETURNING id")
# the output in two chunks cut inside é and inside an emoji; invalid UTF-8 (a lone 0xff, a
# truncated sequence, an encoded surrogate, an overlong), NUL, ESC, quotes, backslashes, CRLF
hex1='1b5b33316d72656400ff22 5c 0d0a c3 41 eda080 c0af 2f c3'
hex2='a9 f09f98 80 f09f 0a 01 7f c2 85'
hex1=${hex1// /}
hex2=${hex2// /}
sql "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES
	($evil, 0, decode('$hex1', 'hex')), ($evil, $((${#hex1} / 2)), decode('$hex2', 'hex'));
     UPDATE jobdeck.jobs SET output_bytes = $(((${#hex1} + ${#hex2}) / 2)) WHERE id = $evil" >/dev/null

# Every line of standard input parsed; each object's fields compared with the database's row.
cat >check.py <<'PY'
import datetime, json, os, subprocess, sys
lines = sys.stdin.buffer.read().split(b"\n")
assert lines[-1] == b"", "the last line ends with a newline"
bad = 0
for raw in lines[:-1]:
    o = json.loads(raw)
    want = json.loads(subprocess.run(["psql", "-X", "-At", "-c", """
      SELECT json_build_object(
        'id', id, 'name', name, 'type', type, 'status', status, 'user', username,
        'record', CASE WHEN object_id IS NULL THEN NULL ELSE json_build_object('id', object_id,
                   'identifier', (SELECT identifier FROM jobdeck.records r WHERE r.id = object_id),
                   'title', (SELECT title FROM jobdeck.records r WHERE r.id = object_id)) END,
        'created', extract(epoch FROM created_at), 'started', extract(epoch FROM started_at),
        'ended', extract(epoch FROM completed_at), 'info', jobdeck.job_notes(info, started_at),
        'worker', worker, 'attempts', attempts,
        'download', CASE WHEN download_path IS NULL THEN NULL ELSE download_size END,
        'parameters', params)
      FROM jobdeck.jobs WHERE id = %d""" % o["id"]], env={**os.environ, "PGUSER": "postgres"},
        capture_output=True, check=True).stdout)
    for k in ("created", "started", "ended"):
        if o[k] is not None:
            o[k] = datetime.datetime.fromisoformat(o[k]).timestamp()
    o.pop("output", None)
    if o != want:
        bad += 1
        print("differs:", o, want, file=sys.stderr)
print(len(lines) - 1, bad)
PY
check() { python3 check.py; }

out=$(as admin jd list --json --limit 0 | check)
t_eq "list --json: one line per job, each field as the database has it" "4 0" "$out"
t_eq "…newest first" "$run $evil $cl $bobs" "$(as admin jd list --json --limit 0 | python3 -c '
import json, sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin))')"
t_eq "…and --limit holds" "2" "$(as admin jd list --json --limit 2 | wc -l)"
t_eq "list --json as alice: only her jobs" "$run $evil" "$(as alice jd list --json | python3 -c '
import json, sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin))')"
t_eq "…checked field by field" "2 0" "$(as alice jd list --json | check)"
t_eq "--failed and --filter apply" "$bobs" "$(as admin jd list --json --failed --filter bob | python3 -c '
import json, sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin))')"
t_eq "no job: no line, exit 0" "" "$(as alice jd list --json --filter nothing-like-this)"

j=$(as alice jd show --json "$evil")
t_eq "show --json: one object, as the database has it" "1 0" "$(check <<<"$j")"
t_eq "the name's bytes are exact (never sanitised)" "1" "$(python3 -c '
import json, sys; print(int(json.loads(sys.argv[1])["name"] == "Evil \x1b[31mred\x1b[0m \"q\" \\ back\x01\x07\x7f é/✓"))' "$j")"
t_match "control bytes are escaped by json-c, not raw" '"Evil \\u001b\[31mred' "$j"
t_nomatch "…nothing raw below 0x20 on the line" $'[\x01-\x1f]' "$j"
t_eq "the fields, in their documented order" \
	"id name type status user record created started ended info worker attempts download parameters" \
	"$(python3 -c 'import json, sys; print(" ".join(json.loads(sys.argv[1])))' "$j")"
t_match "times are ISO 8601 with their offset" '"created":"2026-01-02T03:04:05\+00:00"' "$j"
t_match "the waiting job's start and end are null" '"started":null,"ended":null' "$(as admin jd show --json "$run")"
t_match "a command-line run's user is null" '"user":null' "$(as admin jd show --json "$cl")"
t_nomatch "no output unless --output" '"output"' "$j"

wanthex=$(q_output_hex "$evil")
t_eq "show --json --output: the output's exact bytes, invalid UTF-8 and NUL included" "$wanthex" \
	"$(as alice jd show --json --output "$evil" | python3 -c '
import json, sys
print(json.loads(sys.stdin.read())["output"].encode("utf-8", "surrogateescape").hex())')"
line=$(as alice jd show --json --output "$evil")
t_eq "…a byte outside UTF-8 as \\udcXX, cut sequences rejoined, NUL escaped, the last field" \
	'\u001b[31mred\u0000\udcff\"\\\r\n\udcc3A\udced\udca0\udc80\udcc0\udcaf/é😀\udcf0\udc9f\n\u0001'$'\x7f\xc2\x85''"}' \
	"${line#*\"output\":\"}"
t_eq "…the rest as the database has it" "1 0" "$(as alice jd show --json --output "$evil" | check)"
t_eq "an empty output is an empty string" '""' "$(as admin jd show --json --output "$cl" | python3 -c '
import json, sys; print(json.dumps(json.loads(sys.stdin.read())["output"]))')"

# permissions and errors: the same as show's
plain=$(as alice jd show "$bobs" 2>&1); rc1=$?
json=$(as alice jd show --json "$bobs" 2>&1); rc2=$?
t_eq "bob's job through alice's --json: the same error as show" "$rc1 $plain" "$rc2 $json"
t_eq "…one line on standard error, nothing on standard output" "1 0" \
	"$(as alice jd show --json "$bobs" 2>&1 >/dev/null | wc -l) $(as alice jd show --json "$bobs" 2>/dev/null | wc -c)"
t_exit "a job that does not exist: exit 1" 1 as admin jd show --json 999999
t_exit "--output without --json is a usage error" 2 as admin jd show --output "$evil"
t_exit "--raw with --json is a usage error" 2 as admin jd show --raw --json "$evil"

# export --format json: the same objects, to a file or standard output
t_ok "export --format json to a file" as admin jd export --format json -o all.ndjson
t_eq "…one line per job, each as the database has it" "4 0" "$(check <all.ndjson)"
t_eq "…the same lines as list --json" "$(as admin jd list --json --limit 0)" "$(cat all.ndjson)"
t_eq "export as alice: her jobs only" "2 0" "$(as alice jd export --format json -o - | check)"
as admin jd export --format json >/dev/null
t_ok "the default name ends in .ndjson" test -s "jobdeck-job-history-$(date +%Y-%m-%d).ndjson"
t_exit "an unknown format is a usage error" 2 as admin jd export --format xml -o x

# workers and queues
q_worker e10w --types sleep
t_poll "a worker registers" 10 bash -c "[[ \$(PGUSER=admin '$JD_BIN' workers --json) == *e10w* ]]"
t_eq "workers --json: the worker's fields as the table has them" "e10w idle sleep True 0" \
	"$(as admin jd workers --json | python3 -c '
import json, sys
w = [json.loads(l) for l in sys.stdin]
w = [x for x in w if x["id"] == "e10w"][0]
print(w["id"], w["state"], " ".join(w["routes"]), w["pid"] > 0, len(w["jobs"]))')"
t_eq "…and as the database has them" "$(sql "SELECT host || ' ' || namespace || ' ' || concurrency FROM jobdeck.workers WHERE id = 'e10w'")" \
	"$(as admin jd workers --json | python3 -c '
import json, sys
w = [json.loads(l) for l in sys.stdin if json.loads(l)["id"] == "e10w"][0]
print(w["host"], w["namespace"], w["processes"])')"
t_exit "a user may not see the workers, --json or not" 1 as alice jd workers --json
t_poll "gearmand knows the worker" 10 q_served jobdeck:sleep
as admin jd pause sleep >/dev/null
t_eq "queues --json: one object per function, with its counts and pause" "jobdeck:sleep sleep 0 0 True True" \
	"$(as admin jd queues --json | python3 -c '
import json, sys
q = [json.loads(l) for l in sys.stdin if json.loads(l)["function"] == "jobdeck:sleep"][0]
print(q["function"], q["route"], q["queued"], q["running"], q["paused"], q["server"] != "")')" 2>/dev/null
out=$(JOBDECK_GEARMAN=127.0.0.1:1 as admin jd queues --json 2>err); rc=$?
t_eq "queues --json with no gearmand: exit 1, nothing on standard output" "1 " "$rc $out"
t_eq "…and one line on standard error" "1" "$(wc -l <err)"

# memory stays flat: max RSS of list --json over 10,000 and 200,000 jobs
many() {
	sql "INSERT INTO jobdeck.jobs (name, type, status, username, info, params, created_at, completed_at)
	     SELECT 'Job ' || i, 'sleep', 'Completed', 'alice', ARRAY['note ' || i, 'second'], '{\"seconds\": \"1\"}',
	            now() - i * interval '1 second', now()
	       FROM generate_series(1, $1) i" >/dev/null
}
# (under AddressSanitizer, freed memory sits in a quarantine that would look like growth)
rss() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
		/usr/bin/time -f %M -o rss "$JD_BIN" list --json --limit 0 >lines && cat rss
}
many 10000
r1=$(PGUSER=admin rss)
t_eq "list --json over 10,000 jobs: a line each" "10004" "$(wc -l <lines)"
many 190000
r2=$(PGUSER=admin rss)
t_eq "…over 200,000: a line each" "200004" "$(wc -l <lines)"
echo "  max RSS of list --json: ${r1} kB at 10,000 jobs, ${r2} kB at 200,000"
t_ok "…and its memory stays flat (under 1.3 times)" test $((r2 * 10)) -lt $((r1 * 13))
