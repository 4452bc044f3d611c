#!/usr/bin/env python3
"""An independent client of the Cubicweb signed-request scheme.

Signs requests the way the Python client library cwclientlib does, using
only the standard library, so that the C++ verifier can be checked against
a second implementation written from the scheme's description:

  Content-SHA512  sha512(body).hexdigest(), on every request, GET included
  Date            email.utils.formatdate(usegmt=True)
  string to sign  method + url + Content-SHA512 + Content-Type + Date
                  (X-Cubicweb-Date instead of Date when that one is used;
                  a missing header counts as '')
  signature       hex HMAC-SHA512 keyed with the secret's UTF-8 bytes
  Authorization   Cubicweb <token_id>:<signature>

Commands:
  send URL --token-id ID --secret-file F [--method GET]
       [--body STR | --body-file F] [--content-type T]
       [--date-offset SECONDS] [--tamper PART] [--date-header NAME]
      Sends one request (no proxy), prints the HTTP status on the first
      line and the response body after it. Exit 0 on any HTTP status, 2 on
      a connection error. --tamper alters one part after signing.
  dump DIR --base-url URL --token-id ID --secret-file F --now EPOCH
       [--principal NAME]
      Writes raw HTTP/1.1 requests to DIR and DIR/manifest.json, which
      gives for each file the byte ranges of its signed parts and the
      principal the verifier should answer.

The secret file holds the secret as UTF-8; one trailing line break is
ignored.
"""

import argparse
import email.utils
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

DIGEST_HEADER = 'Content-SHA512'
SCHEME = 'Cubicweb'
TAMPERS = ('none', 'method', 'url', 'body', 'digest', 'content-type', 'date',
           'signature', 'token')
DATE_HEADERS = ('Date', 'X-Cubicweb-Date')


def read_secret(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data.endswith(b'\r\n'):
        data = data[:-2]
    elif data.endswith(b'\n'):
        data = data[:-1]
    return data.decode('utf-8')


def body_digest(body):
    return hashlib.sha512(body).hexdigest()


def string_to_sign(method, url, headers, date_header):
    parts = [method, url]
    for name in (DIGEST_HEADER, 'Content-Type', date_header):
        parts.append(headers.get(name, ''))
    return ''.join(parts)


def signature(secret, to_sign):
    return hmac.new(secret.encode('utf-8'), to_sign.encode('utf-8'),
                    hashlib.sha512).hexdigest()


def authorization(token_id, sig):
    return '%s %s:%s' % (SCHEME, token_id, sig)


def sign(method, url, body, content_type, date_value, date_header,
         token_id, secret):
    """The headers a client sends, in the order it sends them."""
    headers = {DIGEST_HEADER: body_digest(body)}
    if content_type is not None:
        headers['Content-Type'] = content_type
    headers[date_header] = date_value
    sig = signature(secret, string_to_sign(method, url, headers,
                                           date_header))
    headers['Authorization'] = authorization(token_id, sig)
    return headers


# --- one-part changes, applied after signing -------------------------------

def other_hex_digit(c):
    return '0' if c != '0' else '1'


def other_char(c):
    return 'b' if c == 'a' else 'a'


def other_method(m):
    return {'GET': 'POST', 'POST': 'PUT', 'PUT': 'POST',
            'DELETE': 'GET'}.get(m, 'GET')


def tamper_url(url):
    """One byte of the path or query changed (a byte added to a bare '/')."""
    parts = urllib.parse.urlsplit(url)
    if parts.query:
        q = parts.query[:-1] + other_char(parts.query[-1])
        return urllib.parse.urlunsplit(parts._replace(query=q))
    path = parts.path
    if path in ('', '/'):
        path = '/x'
    else:
        path = path[:-1] + other_char(path[-1])
    return urllib.parse.urlunsplit(parts._replace(path=path))


def tamper_last_hex(value):
    return value[:-1] + other_hex_digit(value[-1])


def tamper_token(token_id):
    return token_id[:-1] + other_char(token_id[-1])


def apply_tamper(part, method, url, body, headers, date_header, when):
    headers = dict(headers)
    if part == 'method':
        method = other_method(method)
    elif part == 'url':
        url = tamper_url(url)
    elif part == 'body':
        body = body[:-1] + bytes([body[-1] ^ 0x01]) if body else b'x'
    elif part == 'digest':
        headers[DIGEST_HEADER] = tamper_last_hex(headers[DIGEST_HEADER])
    elif part == 'content-type':
        ct = headers.get('Content-Type', '')
        headers['Content-Type'] = ct[:-1] + other_char(ct[-1]) if ct else 'x'
    elif part == 'date':
        headers[date_header] = email.utils.formatdate(when + 1, usegmt=True)
    elif part == 'signature':
        scheme, cred = headers['Authorization'].split(' ', 1)
        token_id, sig = cred.split(':', 1)
        headers['Authorization'] = authorization(token_id,
                                                 tamper_last_hex(sig))
    elif part == 'token':
        scheme, cred = headers['Authorization'].split(' ', 1)
        token_id, sig = cred.split(':', 1)
        headers['Authorization'] = authorization(tamper_token(token_id), sig)
    return method, url, body, headers


# --- send ------------------------------------------------------------------

def normalise_url(url):
    """The URL as sent: an empty path is '/', as a client library makes it."""
    parts = urllib.parse.urlsplit(url)
    if not parts.path:
        parts = parts._replace(path='/')
    return urllib.parse.urlunsplit(parts)


def read_body(args):
    if args.body is not None:
        return args.body.encode('utf-8')
    if args.body_file is not None:
        with open(args.body_file, 'rb') as f:
            return f.read()
    return b''


def cmd_send(args):
    secret = read_secret(args.secret_file)
    body = read_body(args)
    method = args.method.upper()
    url = normalise_url(args.url)
    content_type = args.content_type
    # urllib adds a form Content-Type to any request with data and none of
    # its own; sign the header that will really be sent.
    if body and content_type is None:
        content_type = 'application/x-www-form-urlencoded'
    when = time.time() + args.date_offset
    date_value = email.utils.formatdate(when, usegmt=True)
    headers = sign(method, url, body, content_type, date_value,
                   args.date_header, args.token_id, secret)
    method, url, body, headers = apply_tamper(
        args.tamper, method, url, body, headers, args.date_header, when)

    req = urllib.request.Request(url, data=body if body else None,
                                 headers=headers, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=args.timeout) as resp:
            status, payload = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, payload = e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        print('connection error: %s' % e, file=sys.stderr)
        return 2
    sys.stdout.write('%d\n' % status)
    sys.stdout.flush()
    sys.stdout.buffer.write(payload)
    sys.stdout.flush()
    return 0


# --- dump ------------------------------------------------------------------

def multipart_body(boundary):
    """A multipart/form-data body with a text field and a small file."""
    crlf = b'\r\n'
    b = boundary.encode('ascii')
    lines = [
        b'--' + b,
        b'Content-Disposition: form-data; name="title"',
        b'',
        b'quarterly report',
        b'--' + b,
        b'Content-Disposition: form-data; name="file"; filename="r.bin"',
        b'Content-Type: application/octet-stream',
        b'',
        bytes(range(0, 256, 17)) + b'\x00\xff',
        b'--' + b + b'--',
        b'',
    ]
    return crlf.join(lines)


def dump_cases():
    """(file name, method, target, content type, body, date header)."""
    boundary = 'sigreq-interop-boundary-7d3f'
    form = urllib.parse.urlencode(
        [('name', 'Zoë & co'), ('tags', 'a,b'), ('n', '42')]).encode('ascii')
    json_body = json.dumps({'rql': 'Any X WHERE X is CWUser',
                            'limit': 10}).encode('utf-8')
    text = 'Grüße, 東京, naïve café ✓\n'.encode('utf-8')
    return [
        ('get.http', 'GET', '/api/entity/12', None, b'', 'Date'),
        ('get_query.http', 'GET', '/api/search?q=a%20b&sort=-date&page=2',
         None, b'', 'Date'),
        ('post_form.http', 'POST', '/api/form',
         'application/x-www-form-urlencoded', form, 'Date'),
        ('post_multipart.http', 'POST', '/api/upload',
         'multipart/form-data; boundary=' + boundary,
         multipart_body(boundary), 'Date'),
        ('post_json_query.http', 'POST', '/api/rql?vid=json&debug=0',
         'application/json', json_body, 'Date'),
        ('put.http', 'PUT', '/api/entity/12', 'application/json',
         b'{"title": "renamed"}', 'Date'),
        ('delete.http', 'DELETE', '/api/entity/12', None, b'', 'Date'),
        ('get_xcubicweb_date.http', 'GET', '/api/view?vid=primary', None,
         b'', 'X-Cubicweb-Date'),
        ('post_utf8.http', 'POST', '/api/note',
         'text/plain; charset=utf-8', text, 'Date'),
    ]


def cmd_dump(args):
    secret = read_secret(args.secret_file)
    base = args.base_url.rstrip('/')
    host = urllib.parse.urlsplit(base).netloc
    date_value = email.utils.formatdate(args.now, usegmt=True)
    os.makedirs(args.dir, exist_ok=True)
    manifest = {'base_url': base, 'token_id': args.token_id,
                'now': args.now, 'requests': []}

    for name, method, target, ctype, body, date_header in dump_cases():
        headers = sign(method, base + target, body, ctype, date_value,
                       date_header, args.token_id, secret)
        out = bytearray()
        ranges = []

        def put(data, part=None):
            start = len(out)
            out.extend(data)
            if part is not None:
                ranges.append({'part': part, 'offset': start,
                               'length': len(data)})

        put(method.encode('ascii'), 'method')
        put(b' ')
        put(target.encode('ascii'), 'target')
        put(b' HTTP/1.1\r\nHost: ' + host.encode('ascii') + b'\r\n')
        for field, value in headers.items():
            put(field.encode('ascii') + b': ')
            part = 'authorization' if field == 'Authorization' else field
            put(value.encode('utf-8'), part)
            put(b'\r\n')
        if body or method not in ('GET', 'HEAD', 'DELETE'):
            put(b'Content-Length: %d\r\n' % len(body))
        put(b'\r\n')
        put(body, 'body')

        with open(os.path.join(args.dir, name), 'wb') as f:
            f.write(out)
        manifest['requests'].append({
            'file': name,
            'principal': args.principal,
            'token_id': args.token_id,
            # 'authorization' is not signed; it is listed so that changes
            # to the credentials can be tried too.
            'signed': [r for r in ranges if r['part'] != 'authorization'],
            'authorization': [r for r in ranges
                              if r['part'] == 'authorization'],
        })

    with open(os.path.join(args.dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='command', required=True)

    s = sub.add_parser('send', help='sign and send one request')
    s.add_argument('url')
    s.add_argument('--token-id', required=True)
    s.add_argument('--secret-file', required=True)
    s.add_argument('--method', default='GET')
    g = s.add_mutually_exclusive_group()
    g.add_argument('--body')
    g.add_argument('--body-file')
    s.add_argument('--content-type')
    s.add_argument('--date-offset', type=float, default=0.0)
    s.add_argument('--tamper', choices=TAMPERS, default='none')
    s.add_argument('--date-header', choices=DATE_HEADERS, default='Date')
    s.add_argument('--timeout', type=float, default=10.0)

    d = sub.add_parser('dump', help='write signed raw requests to files')
    d.add_argument('dir')
    d.add_argument('--base-url', required=True)
    d.add_argument('--token-id', required=True)
    d.add_argument('--secret-file', required=True)
    d.add_argument('--now', type=int, required=True)
    d.add_argument('--principal', default='interop-user')

    args = p.parse_args(argv)
    if args.command == 'send':
        return cmd_send(args)
    return cmd_dump(args)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
