#!/usr/bin/python3
"""Draws the docs' figures from one run of sigreq-bench and reference.py.

    /usr/bin/python3 bench/plot.py bench/results/bench.json \
        bench/results/reference.json docs

Writes docs/bench_profiles.png (verifications per second per profile,
beside the HMAC limit, the naive baseline and the Python reference) and
docs/bench_body_size.png (POST throughput against body size, with raw
SHA-512 as a line). Needs matplotlib (Debian: python3-matplotlib).
"""

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STAT = "median"


def medians(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == STAT:
            runs[b["run_name"]] = b
    if not runs:
        for b in data["benchmarks"]:
            runs.setdefault(b["run_name"], b)
    return data, runs


def rate(run):
    for k, v in run.items():
        if (k.endswith("_per_second") and k != "bytes_per_second"
                and k != "items_per_second"):
            return v
    raise KeyError(run["run_name"])


def machine_line(data):
    ctx = data.get("context", {})
    return "%d CPUs at %d MHz, %s" % (ctx.get("num_cpus", 0),
                                      ctx.get("mhz_per_cpu", 0),
                                      ctx.get("date", "")[:10])


def plot_profiles(data, runs, reference, out):
    profiles = [("cubicweb\n(SHA-512)", "cubicweb"),
                ("md5_legacy\n(MD5)", "md5_legacy"),
                ("sha256_request_id\n(SHA-256)", "sha256_request_id")]
    verify = [rate(runs["BM_verify_get<%s>" % p]) / 1e3 for _, p in profiles]
    limit = [rate(runs["BM_hmac_limit<%s>" % p]) / 1e3 for _, p in profiles]

    fig, ax = plt.subplots(figsize=(8, 4.5))
    xs = range(len(profiles))
    w = 0.38
    b1 = ax.bar([x - w / 2 for x in xs], verify, w, label="full verification")
    b2 = ax.bar([x + w / 2 for x in xs], limit, w, color="#bbbbbb",
                label="HMAC limit (key state ready, no parsing)")
    for bars in (b1, b2):
        for b in bars:
            ax.annotate("%.0fk" % b.get_height(),
                        (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=8)
    naive = rate(runs["BM_naive_baseline/filters:0"]) / 1e3
    python = reference["verifications_per_second"] / 1e3
    ax.axhline(naive, color="#d62728", ls="--", lw=1,
               label="naive Crypto++ HMAC<SHA512> (CalculateDigest): %.0fk/s"
               % naive)
    ax.axhline(python, color="#2ca02c", ls=":", lw=1.5,
               label="Python reference (%s): %.0fk/s"
               % (reference["python"], python))
    ax.set_xticks(list(xs))
    ax.set_xticklabels([name for name, _ in profiles])
    ax.set_ylabel("GET verifications per second (thousands), one core")
    ax.set_title("sigreq GET verification per profile (%s)"
                 % machine_line(data), fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_ylim(0, max(verify + limit) * 1.25)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_body_size(data, runs, out):
    sizes = [0, 1024, 65536, 1048576]
    labels = ["0 B", "1 KiB", "64 KiB", "1 MiB"]
    post = [runs["BM_verify_post/%d" % s] for s in sizes]
    raw = [runs["BM_sha512_raw/%d" % s] for s in sizes]

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    xs = range(len(sizes))
    left.plot(xs, [rate(r) for r in post], "o-", label="POST verification")
    left.plot(xs, [rate(r) for r in raw], "s--", color="#888888",
              label="raw SHA-512 of the body")
    left.set_yscale("log")
    left.set_xticks(list(xs))
    left.set_xticklabels(labels)
    left.set_xlabel("body size")
    left.set_ylabel("per second, one core (log)")
    left.set_title("requests per second", fontsize=10)
    left.legend(fontsize=8)

    xs2 = range(1, len(sizes))
    mib = 2.0 ** 20
    right.plot(xs2, [post[i]["bytes_per_second"] / mib for i in xs2], "o-",
               label="POST verification")
    right.plot(xs2, [raw[i]["bytes_per_second"] / mib for i in xs2], "s--",
               color="#888888", label="raw SHA-512 (the limit)")
    right.set_xticks(list(xs2))
    right.set_xticklabels(labels[1:])
    right.set_xlabel("body size")
    right.set_ylabel("MiB of body per second, one core")
    right.set_ylim(0, max(r["bytes_per_second"] for r in raw) / mib * 1.15)
    right.set_title("body throughput", fontsize=10)
    right.legend(fontsize=8, loc="lower right")
    fig.suptitle("sigreq POST verification against body size (%s)"
                 % machine_line(data), fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: plot.py BENCH_JSON REFERENCE_JSON DOCS_DIR")
    data, runs = medians(sys.argv[1])
    with open(sys.argv[2]) as f:
        reference = json.load(f)
    docs = sys.argv[3]
    plot_profiles(data, runs, reference,
                  os.path.join(docs, "bench_profiles.png"))
    plot_body_size(data, runs, os.path.join(docs, "bench_body_size.png"))
    print("plots written to %s/bench_profiles.png, bench_body_size.png"
          % docs)


if __name__ == "__main__":
    main()
