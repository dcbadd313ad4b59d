#!/usr/bin/env python3
"""capture.py OUTDIR SCENARIO... < server-log

Finds, in a PostgreSQL server log written with log_min_duration_statement = 0, the
statements jobdeck ran for one page fetch of each scenario, and writes them to
OUTDIR/SCENARIO.sql, one a line, each ending in ";", with their parameters spliced in as
literals, so psql can replay exactly the same statements.

For each scenario, in order, the log holds: jdbench's marker statement
(SELECT 'bench-capture:NAME'), the statements of one page fetch (extended-protocol executes,
unnamed or prepared, each followed by a DETAIL line with its parameters: a filtered page is
two, the candidate ids and the page, or three for a common filter, whose page goes with a
planner setting in one round trip), and run.sh's SELECT 'bench-scenario-done:SCENARIO'. A
setting and the statement after it are written as one line joined by psql's \;, so psql too
sends them together, in one transaction.
"""
import re
import sys

EXEC = re.compile(r"execute [^:]+: (.*)$")
PARAMS = re.compile(r"DETAIL:  parameters: (.*)$")
SETTING = re.compile(r"^SELECT pg_catalog\.set_config\(")
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
        lines_out, pending = [], ""
        for x in stmts:
            if SETTING.search(x):
                pending += x + " \\; "
                continue
            lines_out.append(pending + x + ";\n")
            pending = ""
        with open(f"{outdir}/{s}.sql", "w") as f:
            f.write("".join(lines_out))

main()
