#!/usr/bin/env python3
"""proccpu.py — the CPU time of process trees, from /proc, for tests/bench/stream.sh.

  proccpu.py snap FILE ROOT...        what every process under the ROOTs has used so far
  proccpu.py snap FILE:ROOT,... ...   the same for several files from one reading of /proc
  proccpu.py diff A B [LABELS]        what was used between two snapshots, in seconds

A tree's CPU is each live process's utime + stime plus its cutime + cstime (children it has
reaped), so a process that ends between two snapshots is still counted: in its parent's
cutime. diff prints key=value pairs: total=S, and one per group: a process is grouped by its
label when LABELS (a file of "PID LABEL" lines) names it, else by its command name; what
processes that ended in between used goes to the group "reaped". Seconds, to 3 places.
"""
import json
import os
import sys
import time


def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    comm = s[s.index("(") + 1:s.rindex(")")]
    f = s[s.rindex(")") + 2:].split()
    # fields from state (3rd of stat): ppid 4, utime 14, stime 15, cutime 16, cstime 17, starttime 22
    return {"ppid": int(f[1]), "comm": comm, "self": int(f[11]) + int(f[12]),
            "reaped": int(f[13]) + int(f[14]), "start": int(f[19])}


def snap(outs):
    procs, children = {}, {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = stat(int(d))
            if st:
                procs[int(d)] = st
                children.setdefault(st["ppid"], []).append(int(d))
    t = time.monotonic()
    for out, roots in outs:
        keep, todo = {}, [r for r in roots if r in procs]
        while todo:
            p = todo.pop()
            if p in keep:
                continue
            keep[p] = procs[p]
            todo.extend(children.get(p, []))
        with open(out, "w") as f:
            json.dump({"t": t, "procs": {str(k): v for k, v in keep.items()}}, f)


def diff(a, b, labels):
    tick = os.sysconf("SC_CLK_TCK")
    groups = {}

    def add(g, ticks):
        groups[g] = groups.get(g, 0) + ticks

    for pid, pb in b["procs"].items():
        pa = a["procs"].get(pid)
        if pa and pa["start"] != pb["start"]:
            pa = None   # the pid was reused
        add(labels.get(pid, pb["comm"]), pb["self"] - (pa["self"] if pa else 0))
        add("reaped", pb["reaped"] - (pa["reaped"] if pa else 0))
    # what ended processes had used by the first snapshot is in their parent's cutime now
    for pid, pa in a["procs"].items():
        pb = b["procs"].get(pid)
        if not pb or pb["start"] != pa["start"]:
            add("reaped", -(pa["self"] + pa["reaped"]))
    total = sum(groups.values())
    # a process that ended and was reaped by one outside the trees is not seen: rare here
    out = [f"total={total / tick:.3f}", f"wall={b['t'] - a['t']:.3f}"]
    out += [f"{g}={v / tick:.3f}" for g, v in sorted(groups.items()) if v]
    print(" ".join(out))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "snap" and ":" in sys.argv[2]:
        snap([(a.rsplit(":", 1)[0], [int(r) for r in a.rsplit(":", 1)[1].split(",")])
              for a in sys.argv[2:]])
    elif len(sys.argv) >= 3 and sys.argv[1] == "snap":
        snap([(sys.argv[2], [int(r) for r in sys.argv[3:]])])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "diff":
        with open(sys.argv[2]) as f:
            a = json.load(f)
        with open(sys.argv[3]) as f:
            b = json.load(f)
        labels = {}
        if len(sys.argv) == 5:
            with open(sys.argv[4]) as f:
                for line in f:
                    w = line.split()
                    if len(w) == 2:
                        labels[w[0]] = w[1]
        diff(a, b, labels)
    else:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
