#!/usr/bin/env python3
"""The Python cube's verification path, with the standard library only.

Re-states what the CubicWeb signedrequest cube does for each request: split
the Authorization header, read the date with email.utils.parsedate and check
its window, find the token's secret in a dict, check the body digest, then
compute HMAC-SHA512 over method + URL + signed header values and compare it
with hmac.compare_digest. Times that with timeit over the very GET that
BM_verify_get<cubicweb> verifies (written by
`sigreq-bench --sigreq_request_out=FILE`), in process CPU time as the C++
benchmarks measure theirs, and writes the rate as JSON.

    python3 bench/reference.py --request get.json --out reference.json

With --paired LIB (build/bench/libsigreq-bench-ffi.so), it then times
Python's verification and sigreq's (through ctypes) in alternation, about
a millisecond of each a turn, and adds the median ratio over the pairs:
two separate runs measure rates that move by a third within seconds on a
shared VM, while two batches side by side share whatever the machine is
doing.
"""

import argparse
import calendar
import ctypes
import email.utils
import hashlib
import hmac
import json
import platform
import statistics
import sys
import time
import timeit

SIGNED_HEADERS = ("Content-SHA512", "Content-Type", "Date")


class Request:
    """A request as a web framework hands it over: headers by lower name."""

    def __init__(self, method, url, headers, body):
        self.method = method
        self.url = url
        self.body = body
        self._headers = {name.lower(): value for name, value in headers}

    def get_header(self, name, default=None):
        return self._headers.get(name.lower(), default)


def header_to_sign(req, name):
    if name == "Date":
        return req.get_header("X-Cubicweb-Date") or req.get_header("Date", "")
    return req.get_header(name, "")


def verify(req, secrets, now, max_past, max_future):
    """The token id when req is authentic, else None."""
    header = req.get_header("Authorization")
    if header is None:
        return None
    try:
        scheme, credentials = header.split(None, 1)
        token_id, signature = credentials.split(":", 1)
    except ValueError:
        return None
    if scheme != "Cubicweb":
        return None

    date = req.get_header("X-Cubicweb-Date") or req.get_header("Date")
    if date is None:
        return None
    parsed = email.utils.parsedate(date)
    if parsed is None:
        return None
    when = calendar.timegm(parsed)
    # The cube reads the clock for every request; so does sigreq's
    # benchmark verifier, which then answers the instant of the request.
    time.time()
    if when < now - max_past or when > now + max_future:
        return None

    secret = secrets.get(token_id)
    if secret is None:
        return None

    digest = req.get_header("Content-SHA512", "")
    if not hmac.compare_digest(hashlib.sha512(req.body).hexdigest(), digest):
        return None

    text = req.method + req.url + "".join(
        header_to_sign(req, name) for name in SIGNED_HEADERS)
    expected = hmac.new(secret.encode("utf-8"), text.encode("utf-8"),
                        hashlib.sha512).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return None
    return token_id


def time_batch(fn, n):
    """Seconds for n calls of fn, on the clock both sides of a pair use."""
    t0 = time.perf_counter()
    fn(n)
    return time.perf_counter() - t0


def batch_size(fn, seconds):
    """Calls of fn that take about the given seconds."""
    n = 1
    while True:
        t = time_batch(fn, n)
        if t >= seconds / 4:
            return max(1, int(n * seconds / t))
        n *= 4


def paired(lib_path, spec, verify_python, pairs, seconds):
    """Python batches, sigreq GET batches and limit batches in turn."""
    try:
        lib = ctypes.CDLL(lib_path)
    except OSError as e:
        sys.exit("reference.py: cannot load %s (%s); build it with "
                 "ninja -C BUILD bench/libsigreq-bench-ffi.so" % (lib_path, e))
    lib.sigreq_bench_authorization.restype = ctypes.c_char_p
    lib.sigreq_bench_verify.argtypes = [ctypes.c_long]
    lib.sigreq_bench_verify.restype = None
    lib.sigreq_bench_limit.argtypes = [ctypes.c_long]
    lib.sigreq_bench_limit.restype = None
    lib.sigreq_bench_accepts.restype = ctypes.c_int
    wanted = dict((n.lower(), v) for n, v in spec["headers"])["authorization"]
    if lib.sigreq_bench_authorization().decode() != wanted:
        sys.exit("reference.py: the library verifies another GET than %s"
                 % "the one in --request")
    if lib.sigreq_bench_accepts() != 1:
        sys.exit("reference.py: the library refuses its GET")

    def python_side(n):
        for _ in range(n):
            verify_python()

    sides = [python_side, lib.sigreq_bench_verify, lib.sigreq_bench_limit]
    sizes = [batch_size(f, seconds) for f in sides]
    per_call = [[], [], []]
    for _ in range(pairs):
        for i, f in enumerate(sides):
            per_call[i].append(time_batch(f, sizes[i]) / sizes[i])
    py, get, limit = per_call
    return {
        "pairs": pairs,
        "batch_calls": {"python": sizes[0], "get": sizes[1],
                        "limit": sizes[2]},
        "clock": "wall (time.perf_counter), the same for both sides",
        "get_ratio_median": statistics.median(
            p / g for p, g in zip(py, get)),
        "limit_ratio_median": statistics.median(
            p / m for p, m in zip(py, limit)),
        "get_over_limit_median": statistics.median(
            m / g for g, m in zip(get, limit)),
        "python_per_second_median": 1.0 / statistics.median(py),
        "get_per_second_median": 1.0 / statistics.median(get),
        "limit_per_second_median": 1.0 / statistics.median(limit),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--request", required=True,
                        help="JSON written by sigreq-bench "
                             "--sigreq_request_out")
    parser.add_argument("--out", help="where to write the rate as JSON")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.3,
                        help="rough duration of one repetition")
    parser.add_argument("--paired", metavar="LIB",
                        help="libsigreq-bench-ffi.so: also time sigreq's "
                             "GET in alternation with Python's")
    parser.add_argument("--pairs", type=int, default=600)
    args = parser.parse_args()

    with open(args.request) as f:
        spec = json.load(f)
    req = Request(spec["method"], spec["base_url"] + spec["target"],
                  spec["headers"], spec["body"].encode("utf-8"))
    # As many tokens as the C++ store holds; only the one used is real.
    secrets = {"tok-%07d" % i: "0" * 64 for i in range(spec["store_size"])}
    secrets[spec["token_id"]] = spec["secret"]
    now, past, future = spec["now"], spec["max_past"], spec["max_future"]

    if verify(req, secrets, now, past, future) != spec["token_id"]:
        sys.exit("reference.py: the reference refuses the benchmark's GET")
    forged = Request(req.method, req.url + "&x=1", spec["headers"], req.body)
    if verify(forged, secrets, now, past, future) is not None:
        sys.exit("reference.py: the reference accepts a changed URL")

    # CPU time, as the C++ benchmarks it is compared with measure, so
    # that other jobs on the machine do not count against either side.
    def call():
        verify(req, secrets, now, past, future)

    timer = timeit.Timer(call, timer=time.process_time)
    number, elapsed = timer.autorange()
    number = max(1, int(number * args.seconds / max(elapsed, 1e-9)))
    per_call = [t / number for t in timer.repeat(args.repeat, number)]
    median = statistics.median(per_call)
    wall = timeit.Timer(call, timer=time.perf_counter)
    wall_median = statistics.median(
        t / number for t in wall.repeat(args.repeat, number))

    result = {
        "name": "python_reference",
        "python": platform.python_implementation() + " " +
                  platform.python_version(),
        "executable": sys.executable,
        "repetitions": args.repeat,
        "calls_per_repetition": number,
        "clock": "process CPU time",
        "seconds_per_verification": per_call,
        "median_seconds_per_verification": median,
        "verifications_per_second": 1.0 / median,
        "wall_clock_verifications_per_second": 1.0 / wall_median,
    }
    if args.paired:
        result["paired"] = paired(args.paired, spec, call, args.pairs, 0.001)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    print("python reference (%s): %.0f verifications/s, %.2f us each"
          % (result["python"], 1.0 / median, median * 1e6))
    if args.paired:
        pr = result["paired"]
        print("paired with sigreq: GET %.2fx Python, HMAC limit %.2fx "
              "Python (medians over %d pairs)"
              % (pr["get_ratio_median"], pr["limit_ratio_median"],
                 pr["pairs"]))


if __name__ == "__main__":
    main()
