#!/usr/bin/env python3
"""capture.py OUTDIR SCENARIO... < server-log

Finds, in a PostgreSQL server log written with log_min_duration_statement = 0, the
statements jobdeck ran for one page fetch of each scenario, and writes them to
OUTDIR/SCENARIO.sql, one a line, each ending in ";", with their parameters spliced in as
literals, so psql can replay exactly the same statements.

For each scenario, in order, the log holds: jdbench's marker statement
(SELECT 'bench-capture:NAME'), the statements of one page fetch (extended-protocol executes,
each followed by a DETAIL line with its parameters: a filtered page is two, the candidate
ids and the page), and run.sh's SELECT 'bench-scenario-done:SCENARIO'.
"""
import re
import sys

EXEC = re.compile(r"execute <unnamed>: (.*)$")
PARAMS = re.compile(r"DETAIL:  parameters: (.*)$")
ONE = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")


def main():
    outdir, scenarios = sys.argv[1], sys.argv[2:]
    lines = sys.stdin.read().split("\n")
    pos = 0
    for s in scenarios:
        done = next((i for i in range(pos, len(lines)) if f"bench-scenario-done:{s}'" in lines[i]), None)
        if done is None:
            sys.exit(f"capture: no log entries for scenario {s}")
        seg = lines[pos:done]
        pos = done + 1
        mark = next((i for i, l in enumerate(seg) if "'bench-capture:" in l and "execute" in l), None)
        if mark is None:
            sys.exit(f"capture: no marker for scenario {s}")
        stmts = []
        for i in range(mark + 1, len(seg)):
            m = EXEC.search(seg[i])
            if not m:
                continue
            sql, params = m.group(1), {}
            if i + 1 < len(seg):
                p = PARAMS.search(seg[i + 1])
                if p:
                    params = {int(k): v for k, v in ONE.findall(p.group(1))}
            # $10 before $1: splice the highest numbers first
            for k in sorted(params, reverse=True):
                sql = sql.replace(f"${k}", params[k])
            stmts.append(sql)
        if not stmts:
            sys.exit(f"capture: no page query for scenario {s}")
        with open(f"{outdir}/{s}.sql", "w") as f:
            f.write("".join(x + ";\n" for x in stmts))

main()
