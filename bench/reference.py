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
"""

import argparse
import calendar
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--request", required=True,
                        help="JSON written by sigreq-bench "
                             "--sigreq_request_out")
    parser.add_argument("--out", help="where to write the rate as JSON")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.3,
                        help="rough duration of one repetition")
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
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    print("python reference (%s): %.0f verifications/s, %.2f us each"
          % (result["python"], 1.0 / median, median * 1e6))


if __name__ == "__main__":
    main()
