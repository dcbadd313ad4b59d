#!/usr/bin/env bash
# Sorted by a column with many equal values, the newest job comes first among them in both
# directions, and paging through them (keyset pages in both directions) shows each once.
. "$(dirname "$0")/lib.sh"

s_db jd_s15
sql "INSERT INTO jobdeck.jobs (name, type, username, status, created_at, completed_at)
     SELECT 'Same name', 'sleep', 'admin', 'Completed', '2026-02-20 00:00+00'::timestamptz + n * interval '1 minute',
            '2026-02-20 00:00+00'::timestamptz + n * interval '1 minute'
       FROM generate_series(1, 300) n" >/dev/null

# the Start cells of the "Same name" rows on the screen
starts() { s_screen | grep -E "^2026-[0-9: -]+ Same name" | cut -c1-16; }

# pages down from the top, collecting every Start cell seen, in order; each page is read
# once the screen has moved (or after two seconds at the end)
collect() {
	local seen="" now prev="" i end
	for i in $(seq 1 25); do
		end=$((SECONDS + 2))
		now=$(starts)
		while [[ $now == "$prev" ]] && ((SECONDS < end)); do
			sleep 0.1
			now=$(starts)
		done
		seen+=$now$'\n'
		prev=$now
		s_keys PageDown
	done
	printf '%s' "$seen" | awk 'NF && !s[$0]++'
}

# the first rows, once the order asked for is on the screen
settle() { sleep 1; s_keys g; sleep 1; }

s_start 120 40 admin
s_wait "Job "
s_keys s s
s_see "sorted by name, descending" "Sorted by Job name, descending."
settle
desc=$(collect)
t_eq "descending: every one of the 300 equal names is seen once" 300 "$(wc -l <<<"$desc")"
t_eq "…newest first" "$(sort -r <<<"$desc")" "$desc"
s_keys S
s_see "ascending" "Sorted by Job name, ascending."
settle
asc=$(collect)
t_eq "ascending: every one of the 300 equal names is seen once" 300 "$(wc -l <<<"$asc")"
t_eq "…still newest first among them" "$(sort -r <<<"$asc")" "$asc"
s_stop
