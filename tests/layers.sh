#!/usr/bin/env bash
# The layers the build keeps apart (Makefile: src/ < ui/ < cli/), checked where include
# paths cannot: relative includes across layers, what the dashboard may call, what the core
# may include. Prints each breach and exits 1 when there is one.
cd "$(dirname "$0")/.." || exit 1
bad=0
breach() { echo "layers: $1"; printf '%s\n' "$2" | sed 's/^/  /'; bad=1; }

out=$(grep -nE '#include *"\.\./' src/*.c src/*.h src/jobtypes/* ui/*.c ui/*.h cli/*.c cli/*.h 2>/dev/null)
[[ -n $out ]] && breach "an include climbs out of its folder" "$out"
out=$(grep -nE '#include *[<"](curses|ncurses|ui/|kit\.h|dashboard\.h)' src/*.c src/*.h src/jobtypes/* 2>/dev/null)
[[ -n $out ]] && breach "the core (src/) includes the dashboard or the commands" "$out"
out=$(grep -nE '#include *[<"](json-c/|json\.h)' ui/*.c ui/*.h cli/*.c cli/*.h 2>/dev/null)
[[ -n $out ]] && breach "json-c is included outside the core (src/)" "$out"
out=$(grep -nE '#include *[<"](libpq|libgearman|db\.h|kit\.h|cli/|ui/)' ui/*.c ui/*.h 2>/dev/null)
[[ -n $out ]] && breach "the dashboard (ui/) includes libpq, Gearman, db.h or the commands" "$out"
out=$(grep -nE '\b(db|cli)_[a-z_]+ *\(' ui/*.c ui/*.h 2>/dev/null)
[[ -n $out ]] && breach "the dashboard (ui/) calls db_ or cli_ functions" "$out"
out=$(grep -lE '\b(PQ[a-z]+|gearman_[a-z_]+) *\(' src/*.c src/jobtypes/*.c ui/*.c cli/*.c 2>/dev/null | grep -vE '^src/(db|queue|worker)\.c$')
[[ -n $out ]] && breach "libpq is called outside src/db.c, libgearman outside src/queue.c and src/worker.c" "$out"
((bad)) || echo "layers: src/ < ui/ < cli/ hold"
exit $bad
