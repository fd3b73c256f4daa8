#!/usr/bin/env python3
"""Reads the call log of `POLL_LOG=FILE testdata/bench.sh poll ...` (mixsandbox -log) and says
where a run's API calls went: polls that found P by phase (while orders were still being
placed, after), by which poll of the order it was, and by age; how late the polls that saw S
came after the report was ready; and when the last order, the last ready report and the
last S poll fell.

    python3 testdata/tools/pollstats/pollstats.py calls.csv
"""
import csv
import statistics
import sys
from collections import defaultdict


def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")


def main(path):
    rows = list(csv.DictReader(open(path)))
    creates = [r for r in rows if r["kind"] == "create"]
    polls = [r for r in rows if r["kind"] == "poll"]
    t0 = min(int(r["at_ms"]) for r in rows)
    last_order = max(int(r["at_ms"]) for r in creates)
    n = len(creates)
    print(f"{n} orders, {len(polls)} polls, {len(rows)} calls = {len(rows) / n:.3f} per company")
    print(f"orders placed over {(last_order - t0) / 1000:.1f}s = {n / ((last_order - t0) / 1000):.1f}/s")

    per = defaultdict(list)
    for r in polls:
        per[r["order_no"]].append(r)
    p_during = p_after = 0
    during = 0
    by_index = defaultdict(lambda: [0, 0])  # poll index -> [P, all]
    p_ages = []
    late = []
    first_age = []
    for no, ps in per.items():
        ps.sort(key=lambda r: int(r["at_ms"]))
        for k, r in enumerate(ps):
            at = int(r["at_ms"])
            idx = min(k + 1, 4)
            by_index[idx][1] += 1
            if at <= last_order:
                during += 1
            if r["status"] == "P":
                by_index[idx][0] += 1
                p_ages.append((at - int(r["ordered_ms"])) / 1000)
                if at <= last_order:
                    p_during += 1
                else:
                    p_after += 1
            else:
                late.append((at - int(r["ready_ms"])) / 1000)
        first_age.append((int(ps[0]["at_ms"]) - int(ps[0]["ordered_ms"])) / 1000)
    print(f"polls while ordering: {during} ({p_during} found P); after: {len(polls) - during} ({p_after} found P)")
    for idx in sorted(by_index):
        pp, a = by_index[idx]
        label = f"poll #{idx}" if idx < 4 else "poll #4+"
        print(f"  {label}: {a} polls, {pp} found P ({100 * pp / a:.0f}%)")
    print(f"age of the first poll: median {statistics.median(first_age):.1f}s, p10 {q(first_age, .1):.1f}s, p90 {q(first_age, .9):.1f}s")
    if p_ages:
        print(f"age of the polls that found P: p10 {q(p_ages, .1):.1f}s, median {statistics.median(p_ages):.1f}s, p90 {q(p_ages, .9):.1f}s")
    print(f"S seen after ready: median {statistics.median(late):.1f}s, p90 {q(late, .9):.1f}s, max {max(late):.1f}s")
    last_ready = max(int(r["ready_ms"]) for r in creates)
    last_s = max(int(r["at_ms"]) for r in polls if r["status"] != "P")
    print(f"last ready +{(last_ready - t0) / 1000:.1f}s, last S poll +{(last_s - t0) / 1000:.1f}s "
          f"({(last_s - t0) / (last_ready - t0):.3f}x)")
    # budget use by 10 s window
    win = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        w = (int(r["at_ms"]) - t0) // 10000
        win[w][0 if r["kind"] == "create" else (1 if r["status"] == "P" else 2)] += 1
    print("calls per 10 s (orders / polls P / polls S or F):")
    print("  " + "  ".join(f"{w * 10}s:{c[0]}/{c[1]}/{c[2]}" for w, c in sorted(win.items())))


if __name__ == "__main__":
    main(sys.argv[1])
