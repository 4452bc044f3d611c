#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from real requests.

The requests are those the CubicWeb signedrequest Python client sends:
Content-SHA512 on every request (of the empty body on GET), an IMF-fixdate
Date, "Authorization: Cubicweb <token>:<hex HMAC-SHA512>" over method, URL
and the signed header values; plus multipart bodies, the alternate
X-Cubicweb-Date header and every date form. Signatures use the secret of
fuzz/fuzz_tokens.hpp and the fuzz clock (2024-03-15 12:00:00 UTC).

Run from anywhere: python3 fuzz/make_corpus.py. Rewrites the corpus
directories it owns; file names are the SHA-1 of their content, so a run
over unchanged code writes the same files.
"""
import hashlib
import hmac
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent
SECRET = b"s3cr3t-of-the-fuzz-token"
TOKEN = "tok"
BASE = "https://api.example.org"
NOW = "Fri, 15 Mar 2024 12:00:00 GMT"
EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"
DATES_NOW = {
    "imf": NOW,
    "rfc850": "Friday, 15-Mar-24 12:00:00 GMT",
    "asctime": "Fri Mar 15 12:00:00 2024",
    "rfc5322": "Fri, 15 Mar 2024 13:00:00 +0100",
    "rfc5322-short": "15 Mar 2024 07:00 -0500",
}


def digest(body: bytes) -> str:
    return hashlib.sha512(body).hexdigest()


def sign(method, url, headers):
    def first(*names):
        for n in names:
            for k, v in headers:
                if k.lower() == n.lower():
                    return v
        return ""

    msg = (method + url + first("Content-SHA512") + first("Content-Type")
           + first("X-Cubicweb-Date", "Date"))
    return hmac.new(SECRET, msg.encode("latin-1"), hashlib.sha512).hexdigest()


def render(method, target, headers, body=b""):
    lines = [f"{method} {target} HTTP/1.1"]
    lines += [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def client_request(method, target, body=b"", content_type=None, date=NOW,
                   date_header="Date", extra=(), url_base=BASE, token=TOKEN):
    """A request as the Python client builds it, signed."""
    headers = [("Host", "api.example.org")]
    headers += list(extra)
    if content_type:
        headers.append(("Content-Type", content_type))
    headers.append((date_header, date))
    headers.append(("Content-SHA512", digest(body)))
    sig = sign(method, url_base + target, headers)
    headers.append(("Authorization", f"Cubicweb {token}:{sig}"))
    return method, target, headers, body


MULTIPART = (
    b"--sigreqBoundary7MA4YWxk\r\n"
    b'Content-Disposition: form-data; name="title"\r\n\r\n'
    b"report\r\n"
    b"--sigreqBoundary7MA4YWxk\r\n"
    b'Content-Disposition: form-data; name="file"; filename="a.csv"\r\n'
    b"Content-Type: text/csv\r\n\r\n"
    b"id,name\r\n1,alice\r\n\r\n"
    b"--sigreqBoundary7MA4YWxk--\r\n")
MULTIPART_TYPE = "multipart/form-data; boundary=sigreqBoundary7MA4YWxk"


def real_requests():
    out = [
        client_request("GET", "/"),
        client_request("GET", "/api/v1/users?limit=10&offset=20"),
        client_request("GET", "/CWUser/admin?vid=ejsonexport"),
        client_request("POST", "/api/v1/users", b'{"login":"alice"}',
                       "application/json"),
        client_request("POST", "/upload", MULTIPART, MULTIPART_TYPE),
        client_request("PUT", "/api/v1/users/7", b'{"active":false}',
                       "application/json; charset=utf-8"),
        client_request("DELETE", "/api/v1/users/7"),
        client_request("PATCH", "/doc/1", b"title=x&body=y",
                       "application/x-www-form-urlencoded"),
        client_request("POST", "/q", b"Any X WHERE X is CWUser",
                       'text/plain; charset="utf-8"'),
        client_request("GET", "/near-window",
                       date="Fri, 15 Mar 2024 11:55:01 GMT"),
        client_request("GET", "/future", date="Fri, 15 Mar 2024 12:04:59 GMT"),
        client_request("GET", "/stale", date="Fri, 15 Mar 2024 11:54:59 GMT"),
    ]
    for form, d in DATES_NOW.items():
        out.append(client_request("GET", f"/date/{form}", date=d))
        out.append(client_request("POST", f"/alt/{form}", b"x=1",
                                  "application/x-www-form-urlencoded",
                                  date=d, date_header="X-Cubicweb-Date",
                                  extra=[("Date", EPOCH)]))
    for tok in ("tok-disabled", "tok-expired", "tok-inactive", "nobody"):
        out.append(client_request("GET", "/as/" + tok, token=tok))
    return out


def write(target, blobs):
    d = HERE / "corpus" / target
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for b in blobs:
        (d / hashlib.sha1(b).hexdigest()).write_bytes(b)
    print(f"{target}: {len(blobs)} seeds")


def corpus_verify():
    blobs = [render(*r) for r in real_requests()]
    # Placeholders: filled in by the fuzzer with the real signature/digest.
    for method, target, body, ctype in [
            ("GET", "/ph", b"", None), ("POST", "/ph", b"a=b", "text/plain"),
            ("POST", "/upload", MULTIPART, MULTIPART_TYPE)]:
        h = [("Host", "api.example.org")]
        if ctype:
            h.append(("Content-Type", ctype))
        h += [("Date", NOW), ("Content-SHA512", "BODY"),
              ("Authorization", "Cubicweb tok:SIGN")]
        blobs.append(render(method, target, h, body))
    # Refusals of each kind, from a good request.
    m, t, h, b = client_request("POST", "/api", b"{}", "application/json")
    variants = [
        h + [("Authorization", h[-1][1])],
        [x for x in h if x[0] != "Authorization"],
        [x for x in h if x[0] != "Content-SHA512"],
        [x for x in h if x[0] != "Date"],
        h + [("content-type", "text/plain")],
        [(k, "application/json;;bad") if k == "Content-Type" else (k, v)
         for k, v in h],
        [(k, "Bearer abc") if k == "Authorization" else (k, v)
         for k, v in h],
        [(k, v.upper()) if k == "Content-SHA512" else (k, v) for k, v in h],
    ]
    blobs += [render(m, t, v, b) for v in variants]
    blobs.append(render(m, t, h, b + b"tampered"))
    blobs.append(render("M" * 33, t, h, b))
    blobs.append(render(m, t, [(k, "Cubicweb tok:abc") if k == "Authorization"
                               else (k, v) for k, v in h], b))
    blobs.append(render(m, t, [(k, "xyz") if k == "Content-SHA512"
                               else (k, v) for k, v in h], b))
    g = [x for x in client_request("GET", "/g")[2] if x[0] != "Content-SHA512"]
    blobs.append(render("GET", "/g", g, b"unexpected body"))
    # Over the 4096-byte body limit of the Host-based configuration.
    blobs.append(render("POST", "/big", [
        ("Host", "api.example.org"), ("Content-Type", "text/plain"),
        ("Date", NOW), ("Content-SHA512", "BODY"),
        ("Authorization", "Cubicweb tok:SIGN")], b"z" * 5000))
    blobs.append(render("P\x01ST", t, h, b))
    blobs.append(render(m, "http://evil/", h, b))
    blobs.append(render(m, t, [("Host", "api.example.org/x")] + h[1:], b))
    return blobs


def corpus_roundtrip():
    blobs = []
    for method, target, headers, body in real_requests():
        kept = [(k, v) for k, v in headers
                if k not in ("Authorization", "Content-SHA512", "Date",
                             "X-Cubicweb-Date")]
        blobs.append(render(method, target, kept, body))
    for sel in "0123":
        blobs.append(render("POST", "/form" + sel,
                            [("Content-Type", "text/plain"),
                             ("X-Cubicweb-Date", sel)], b"hello"))
    blobs.append(render("GET", "/a b", []))
    blobs.append(render("GET", "/two-types", [("Content-Type", "a/b"),
                                              ("Content-Type", "c/d")]))
    blobs.append(render("GE(T", "/", []))
    return blobs


def corpus_signed_headers():
    blobs = [render(*r) for r in real_requests()]
    odd = [
        [("Content-SHA512", ""), ("Content-Type", ""), ("Date", "")],
        [("content-sha512", "x"), ("CONTENT-SHA512", "y")],
        [("X-Cubicweb-Date", "a"), ("Date", "b"), ("x-cubicweb-date", "c")],
        [("Date", "b"), ("X-Cubicweb-Date", "a")],
        [("Content-Type", "a\x00b\xff"), ("Content-MD5", "m"),
         ("Content-SHA256", "s"), ("X-Request-Id", "r1"),
         ("X-Request-Id", "r2")],
        [("Host", "h1"), ("Host", "h2")],
        [("Date", "x" * 9000)],
    ]
    blobs += [render("GET", "/", h) for h in odd]
    blobs.append(b"GET /\nContent-Type\nDate:  spaced  \n\n")
    return blobs


def corpus_authorization():
    sig = "0123456789abcdef" * 8
    vals = [
        f"Cubicweb tok:{sig}", f"Cubicweb  tok:{sig}",
        f"\tCubicweb\ttok:{sig} ",
        f"Cubicweb tok: {sig}", "Cubicweb tok:", "Cubicweb :sig",
        "Cubicweb tok", "Cubicweb", "", "Bearer abc.def", "Basic dXNlcjpwYXNz",
        "cubicweb tok:sig", "Cubicweb tok:a:b", "Cubicweb t\x01k:sig",
        "Cubicweb tok:s\x7fg", "Cubicweb " + "t" * 129 + ":sig",
        "Cubicweb " + "t" * 128 + ":sig", "Cubicweb tok :sig",
        "Cubicweb " + "x" * 1100, "Cubicweb t\xc3\xa9k:sig",
    ]
    return [v.encode("latin-1") for v in vals]


def corpus_http_date():
    vals = list(DATES_NOW.values()) + [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994", "Sun, 6 Nov 1994 10:49:37 +0200",
        "6 Nov 1994 08:49 +0000", "06 Nov 1994 08:49:37 -0000",
        "Thu, 29 Feb 2024 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT", "Sat, 01 Jan 0000 00:00:00 GMT",
        "Tuesday, 29-Feb-00 00:00:00 GMT", "Monday, 01-Jan-00 00:00:00 GMT",
        "Wed Dec 31 23:59:59 1969", "Mon Feb 29 12:00:00 2016",
        "Fri, 15 Mar 2024 12:00:00 +2359", "Fri, 15 Mar 2024 12:00:00 -2359",
        "Fri, 15 Mar 2024 12:00:00 +2400", "Fri, 15 Mar 2024 12:00:60 GMT",
        "fri, 15 mar 2024 12:00:00 gmt", "Fri, 15 Mar 2024 12:00:00 UTC",
        "Fri, 30 Feb 2024 12:00:00 GMT", "Sat, 15 Mar 2024 12:00:00 GMT",
        "Fri,  15 Mar 2024 12:00:00 GMT", "Fri, 15 Mar 2024 24:00:00 GMT",
        "Fri, 15 Mar 2024 12:00:00 GMT ", "Friday, 15-Mar-2024 12:00:00 GMT",
        "Fri Mar 5 12:00:00 2024", "Tue Mar  5 12:00:00 2024",
        "Thursday, 01-Jan-70 00:00:00 GMT", "Wednesday, 31-Dec-49 23:59:59 GMT",
        "Friday, 01-Jan-50 00:00:00 GMT", "Saturday, 01-Jan-50 00:00:00 GMT",
        "Fri, 15 Mar 2024 12:00:00 +0099",
    ]
    return [v.encode("latin-1") for v in vals]


def corpus_media_type():
    vals = [
        "application/json", "application/json; charset=utf-8",
        MULTIPART_TYPE, 'text/plain; charset="utf-8"', "text/plain;",
        "text/plain ;  a=b ;; c=\"d\\\"e\"", "a/b;c", "/json", "text/",
        'a/b; c="unterminated', 'a/b; c="\\', "a/b; c=\"\x01\"",
        "a/b; c=\"\xe9\"", "application/x-www-form-urlencoded",
        "GET", "/path?q=1", "/a b", "",
    ]
    return [v.encode("latin-1") for v in vals]


def main():
    write("verify_fuzzer", corpus_verify())
    write("roundtrip_fuzzer", corpus_roundtrip())
    write("signed_headers_fuzzer", corpus_signed_headers())
    write("authorization_fuzzer", corpus_authorization())
    write("http_date_fuzzer", corpus_http_date())
    write("media_type_fuzzer", corpus_media_type())


if __name__ == "__main__":
    main()
