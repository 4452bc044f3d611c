#!/usr/bin/env python3
"""Gathers the rounds of GET, HMAC limit and Python reference into one JSON.

bench/run.sh runs, ROUNDS times, a short sigreq-bench of the GET and its
limit (files cpp-1.json ...) and then reference.py (py-1.json ...), so that
the two sides of each ratio are measured seconds apart. This writes the
rates of each round, for report.py to take the median ratio of.

    python3 bench/rounds.py DIR ROUNDS OUT
"""

import json
import os
import sys


def median_rate(cpp, name, counter):
    for b in cpp["benchmarks"]:
        if b.get("aggregate_name") == "median" and b["run_name"] == name:
            return b[counter]
    sys.exit("rounds.py: %s is missing from a round" % name)


def main():
    folder, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rounds = []
    for i in range(1, count + 1):
        with open(os.path.join(folder, "cpp-%d.json" % i)) as f:
            cpp = json.load(f)
        with open(os.path.join(folder, "py-%d.json" % i)) as f:
            py = json.load(f)
        rounds.append({
            "get_per_second": median_rate(cpp, "BM_verify_get<cubicweb>",
                                          "verifications_per_second"),
            "limit_per_second": median_rate(cpp, "BM_hmac_limit<cubicweb>",
                                            "macs_per_second"),
            "python_per_second": py["verifications_per_second"],
        })
    with open(out, "w") as f:
        json.dump({"python": py["python"], "rounds": rounds}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
