#!/usr/bin/env python3
"""Reads one run's JSON (sigreq-bench and reference.py) and states the targets.

Prints a table of every target with its measured ratio and PASS or FAIL,
writes it as JSON, and refreshes the tables of docs/performance.md and
docs/tuning.md that sit between `<!-- bench:NAME:begin -->` and
`<!-- bench:NAME:end -->` markers, so that the docs always show the figures
of the committed results. Standard library only.

    python3 bench/report.py bench/results/bench.json \
        bench/results/reference.json --machine bench/results/machine.json \
        --out bench/results/targets.json --docs docs
"""

import argparse
import json
import os
import re
import sys

STAT = "median"  # of the repetitions; the mean is in the JSON too


def load_runs(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == STAT:
            runs[b["run_name"]] = b
    if not runs:  # a run without repetitions has no aggregates
        for b in data["benchmarks"]:
            runs.setdefault(b["run_name"], b)
    return data, runs


def rate(run):
    for k, v in run.items():
        if (k.endswith("_per_second") and k != "bytes_per_second"
                and k != "items_per_second"):
            return v
    raise KeyError("no rate in " + run["run_name"])


def find(runs, name):
    if name not in runs:
        sys.exit("report.py: %s is missing from the run" % name)
    return runs[name]


def targets(runs, reference):
    get = find(runs, "BM_verify_get<cubicweb>")
    rows = []

    def row(name, measured, op, goal, detail):
        ok = measured >= goal if op == ">=" else measured == goal
        rows.append({"target": name, "measured": measured, "op": op,
                     "goal": goal, "pass": ok, "detail": detail})

    limit = find(runs, "BM_hmac_limit<cubicweb>")
    row("GET verification / HMAC limit", get["ratio_to_limit"], ">=", 0.90,
        "%.0f vs %.0f per s" % (rate(get), rate(limit)))
    naive = find(runs, "BM_naive_baseline")
    row("GET verification / naive Crypto++ baseline", get["ratio_to_naive"],
        ">=", 1.3, "%.0f vs %.0f per s" % (rate(get), rate(naive)))

    allocating = [r for r in runs.values()
                  if "heap_allocs_per_verification" in r
                  and r["run_name"].startswith("BM_verify")]
    worst = max(allocating, key=lambda r: r["heap_allocs_per_verification"])
    row("heap allocations per verification (in-memory store)",
        worst["heap_allocs_per_verification"], "==", 0,
        "worst of %d verify benchmarks: %s" % (len(allocating),
                                               worst["run_name"]))

    post = find(runs, "BM_verify_post/1048576")
    raw = find(runs, "BM_sha512_raw/1048576")
    row("POST 1 MiB / raw SHA-512 of 1 MiB", post["ratio_to_sha512_raw"],
        ">=", 0.95, "%.0f vs %.0f MiB/s" % (post["bytes_per_second"] / 2**20,
                                            raw["bytes_per_second"] / 2**20))

    date = find(runs, "BM_parse_http_date")
    best_date = find(runs, "BM_date_parse")
    row("sigreq date parser / date::parse", date["ratio_to_date_parse"],
        ">=", 20, "%.1f ns vs %.1f ns (date::parse on a reused stream; "
        "%.0fx a fresh istringstream)" % (
            1e9 / rate(date), 1e9 / rate(best_date),
            date["ratio_to_date_parse_istringstream"]))

    two = find(runs, "BM_verify_get_threads<cubicweb>/real_time/threads:2")
    one = find(runs, "BM_verify_get_threads<cubicweb>/real_time/threads:1")
    row("two threads / one thread", two["ratio_to_one_thread"], ">=", 1.8,
        "%.0f vs %.0f per s" % (rate(two), rate(one)))

    py = reference["verifications_per_second"]
    row("GET verification / Python reference", rate(get) / py, ">=", 8,
        "%.0f vs %.0f per s (%s); HMAC limit alone / Python = %.2f" % (
            rate(get), py, reference["python"], rate(limit) / py))
    return rows


def fmt(v):
    return "%d" % v if float(v).is_integer() and v < 1000 else "%.3g" % v


def table_text(rows):
    lines = ["%-52s %9s  %-8s %s" % ("target", "measured", "goal", "")]
    for r in rows:
        lines.append("%-52s %9s  %-8s %s  %s" % (
            r["target"], fmt(r["measured"]), r["op"] + " " + fmt(r["goal"]),
            "PASS" if r["pass"] else "FAIL", r["detail"]))
    return "\n".join(lines)


def table_markdown(rows):
    out = ["| Target | Goal | Measured | Result | Figures |",
           "|---|---|---|---|---|"]
    for r in rows:
        out.append("| %s | %s %s | %s | %s | %s |" % (
            r["target"], r["op"], fmt(r["goal"]), fmt(r["measured"]),
            "PASS" if r["pass"] else "**FAIL**", r["detail"]))
    return "\n".join(out)


def per_second(v):
    return "{:,.0f}".format(v)


def tuning_markdown(runs, reference):
    out = ["| Request | Verifications/s on one core | us each |",
           "|---|---|---|"]
    names = [
        ("GET, cubicweb (HMAC-SHA512)", "BM_verify_get<cubicweb>"),
        ("GET, legacy MD5", "BM_verify_get<md5_legacy>"),
        ("GET, SHA-256 + X-Request-Id", "BM_verify_get<sha256_request_id>"),
        ("POST, empty body", "BM_verify_post/0"),
        ("POST, 1 KiB body", "BM_verify_post/1024"),
        ("POST, 64 KiB body", "BM_verify_post/65536"),
        ("POST, 1 MiB body", "BM_verify_post/1048576"),
        ("GET, token among 1", "BM_verify_get_store/1"),
        ("GET, token among 10,000", "BM_verify_get_store/10000"),
        ("GET, token among 1,000,000", "BM_verify_get_store/1000000"),
        ("GET, cubicweb, 1 thread",
         "BM_verify_get_threads<cubicweb>/real_time/threads:1"),
        ("GET, cubicweb, 2 threads (both cores)",
         "BM_verify_get_threads<cubicweb>/real_time/threads:2"),
    ]
    for label, name in names:
        r = find(runs, name)
        out.append("| %s | %s | %.2f |" % (label, per_second(rate(r)),
                                          1e6 / rate(r)))
    out.append("")
    out.append("| Part | Per second | ns each |")
    out.append("|---|---|---|")
    parts = [
        ("Authorization split", "BM_parse_authorization"),
        ("IMF-fixdate, sigreq", "BM_parse_http_date"),
        ("IMF-fixdate, date::parse (reused stream)", "BM_date_parse"),
        ("IMF-fixdate, date::parse (new istringstream)",
         "BM_date_parse_istringstream"),
        ("token lookup, store of 1", "BM_token_lookup/1"),
        ("token lookup, store of 10,000", "BM_token_lookup/10000"),
        ("token lookup, store of 1,000,000", "BM_token_lookup/1000000"),
        ("128-byte compare, constant time", "BM_constant_time_equal"),
        ("128-byte compare, memcmp", "BM_memcmp"),
        ("HMAC-SHA512 limit (key state ready)", "BM_hmac_limit<cubicweb>"),
        ("naive Crypto++ verification", "BM_naive_baseline"),
    ]
    for label, name in parts:
        r = find(runs, name)
        out.append("| %s | %s | %.1f |" % (label, per_second(rate(r)),
                                          1e9 / rate(r)))
    py = reference["verifications_per_second"]
    out.append("| Python reference verification (%s) | %s | %.1f |" % (
        reference["python"], per_second(py), 1e9 / py))
    return "\n".join(out)


def machine_markdown(machine, data):
    ctx = data.get("context", {})
    return "\n".join([
        "- CPU: %s, %s cores (%s threads per core), %s MHz as Google "
        "Benchmark reads it" % (machine.get("model", "?"),
                               machine.get("cpus", "?"),
                               machine.get("threads_per_core", "?"),
                               fmt(ctx.get("mhz_per_cpu", 0))),
        "- Load average before the run: %s; after: %s" % (
            machine.get("load_before", "?"), machine.get("load_after", "?")),
        "- Compiler: %s; Crypto++ %s; Google Benchmark %s (Debian's build, "
        "which calls itself DEBUG: that concerns the timing loop, not the "
        "code measured)" % (machine.get("compiler", "?"),
                            machine.get("cryptopp", "?"),
                            machine.get("benchmark", "?")),
        "- Run: %s" % ctx.get("date", "?"),
    ])


def replace_block(text, name, body):
    pattern = re.compile(r"(<!-- bench:%s:begin -->\n).*?"
                         r"(<!-- bench:%s:end -->)" % (name, name), re.S)
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def refresh_docs(docs, blocks):
    for doc in ("performance.md", "tuning.md"):
        path = os.path.join(docs, doc)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            text = f.read()
        new = text
        for name, body in blocks.items():
            new = replace_block(new, name, body)
        if new != text:
            with open(path, "w") as f:
                f.write(new)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("bench")
    p.add_argument("reference")
    p.add_argument("--machine")
    p.add_argument("--out")
    p.add_argument("--docs")
    args = p.parse_args()

    data, runs = load_runs(args.bench)
    with open(args.reference) as f:
        reference = json.load(f)
    machine = {}
    if args.machine:
        with open(args.machine) as f:
            machine = json.load(f)

    rows = targets(runs, reference)
    print(table_text(rows))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"statistic": STAT, "targets": rows}, f, indent=2)
            f.write("\n")
    if args.docs:
        refresh_docs(args.docs, {
            "targets": table_markdown(rows),
            "machine": machine_markdown(machine, data),
            "rates": tuning_markdown(runs, reference),
        })
    return 0 if all(r["pass"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
