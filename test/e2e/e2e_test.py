#!/usr/bin/env python3
"""End to end: sigreq-server on a loopback port, real HTTP requests.

  e2e_test.py SERVER CLIENT CWCLIENT [CURL]

Starts sigreq-server with a generated token file and sends it requests
two ways: with curl, from the command `sigreq-client --print-curl` writes,
and with the independent Python client test/interop/cwclient.py. Valid
requests must get 200 and the principal; tampered, stale, unknown,
disabled, expired and inactive ones 401 with a body that tells nothing,
and exactly one refusal line in the server log naming the reason. The log
must never hold a secret or a signature. Also: the replay guard, bad
token files, the short-secret warning, keep-alive, hostile bytes, IPv6
and a clean exit on SIGTERM.

Prints one line a check and exits 1 when any check failed. Only loopback
addresses are used; every server started is stopped.
"""

import http.client
import os
import re
import secrets
import select
import shlex
import signal
import socket
import subprocess
import sys
import tempfile

TIMEOUT = 20

failures = []


def check(name, ok, detail=''):
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name,
                       '' if ok or not detail else ': ' + detail))
    sys.stdout.flush()
    if not ok:
        failures.append(name)


class Server:
    """One sigreq-server process; stop() always ends it."""

    def __init__(self, exe, tokens, workdir, name, extra=(),
                 listen='127.0.0.1:0'):
        self.log_path = os.path.join(workdir, name + '.log')
        self.log = open(self.log_path, 'wb')
        self.proc = subprocess.Popen(
            [exe, '--listen', listen, '--tokens', tokens] + list(extra),
            stdout=subprocess.PIPE, stderr=self.log)
        self.host, self.port = None, None
        line = self._first_line()
        m = re.fullmatch(r'listening on (.+):(\d+)\n', line)
        if not m:
            self.stop()
            raise RuntimeError('server did not start: %r, log: %r'
                               % (line, self.log_text()))
        self.host, self.port = m.group(1), int(m.group(2))
        self.base = 'http://%s:%d' % (self.host, self.port)

    def _first_line(self):
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        if not ready:
            return ''
        return self.proc.stdout.readline().decode('utf-8', 'replace')

    def log_text(self):
        with open(self.log_path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')

    def refusals(self):
        return [l for l in self.log_text().splitlines()
                if l.startswith('refused ')]

    def stop(self):
        """SIGTERM, then SIGKILL if it lingers. Returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        return self.proc.returncode


def write(path, data, mode='w'):
    with open(path, mode) as f:
        f.write(data)
    return path


def split_status(out):
    """'STATUS\\nBODY' as printed by both clients."""
    status, _, body = out.partition('\n')
    return int(status), body


def run(argv):
    p = subprocess.run(argv, capture_output=True, timeout=TIMEOUT)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), \
        p.stderr.decode('utf-8', 'replace')


class Clients:
    def __init__(self, client, cwclient, curl, workdir):
        self.client, self.cwclient, self.curl = client, cwclient, curl
        self.workdir = workdir

    def curl_command(self, url, token, secret_file, args=()):
        """The curl argv that sigreq-client prints for this request."""
        rc, out, err = run([self.client, '--print-curl', '--token-id', token,
                            '--secret-file', secret_file] + list(args)
                           + [url])
        if rc != 0:
            raise RuntimeError('sigreq-client --print-curl failed: %s' % err)
        argv = shlex.split(out)
        if not argv or argv[0] != 'curl':
            raise RuntimeError('not a curl command: %r' % out)
        return argv

    def run_curl(self, argv):
        """Runs a printed curl command; (status, body, headers)."""
        headers = os.path.join(self.workdir, 'curl-headers')
        full = ([self.curl, '-sS', '--noproxy', '*', '--max-time', '10',
                 '--dump-header', headers, '-w', '\n%{http_code}']
                + argv[1:])
        rc, out, err = run(full)
        if rc != 0:
            raise RuntimeError('curl failed (%d): %s' % (rc, err))
        body, _, status = out.rpartition('\n')
        with open(headers, 'rb') as f:
            head = f.read().decode('latin-1')
        return int(status), body, head

    def via_curl(self, url, token, secret_file, args=()):
        return self.run_curl(self.curl_command(url, token, secret_file,
                                               args))

    def via_cwclient(self, url, token, secret_file, args=()):
        rc, out, err = run([sys.executable, self.cwclient, 'send', url,
                            '--token-id', token, '--secret-file',
                            secret_file] + list(args))
        if rc != 0:
            raise RuntimeError('cwclient.py failed (%d): %s' % (rc, err))
        status, body = split_status(out)
        return status, body, None


def expect(server, name, send, status, principal=None, reason=None):
    """Sends one request and checks the answer and the log.

    For 200: the body names principal and the log has no new refusal.
    For 401: the body is the generic one, a WWW-Authenticate header is
    sent (when the sender shows headers), and exactly one refusal line was
    logged, with reason when one is given.
    """
    before = len(server.refusals())
    try:
        got, body, head = send()
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        check(name, False, str(e))
        return
    new = server.refusals()[before:]
    if status == 200:
        want = 'authenticated as %s\n' % principal
        check(name, got == 200 and body == want and not new,
              'got %d %r, new refusals %r' % (got, body, new))
        return

    problems = []
    if got != status:
        problems.append('status %d' % got)
    if body != 'unauthorized\n':
        problems.append('body %r' % body)
    if head is not None and not re.search(
            r'(?mi)^WWW-Authenticate: Cubicweb\r?$', head):
        problems.append('no WWW-Authenticate: Cubicweb')
    if len(new) != 1:
        problems.append('%d refusal lines: %r' % (len(new), new))
    else:
        m = re.match(r'refused reason="([^"]*)" token=\S+ '
                     r'request="[^"]*" peer=\S+$', new[0])
        if not m:
            problems.append('log line of the wrong shape: %r' % new[0])
        elif reason is not None and m.group(1) != reason:
            problems.append('reason %r, want %r' % (m.group(1), reason))
        elif m.group(1) in body:
            problems.append('the body tells the reason')
    check(name, not problems, '; '.join(problems))


def token_file(workdir, s):
    lines = [
        '# id\tsecret\tprincipal\texpiry\tflags',
        '',
        'alice\t%s\talice' % s['alice'],
        'bob\t%s\tbob\t-\tdisabled' % s['bob'],
        'carol\t%s\tcarol\t2001-01-31T12:00:00Z' % s['carol'],
        'erin\t%s\terin\t2099-12-31T23:59:59Z\tinactive' % s['erin'],
        'dave\t%s\tdave' % s['dave'],
    ]
    return write(os.path.join(workdir, 'tokens.tsv'), '\n'.join(lines) + '\n')


def secret_files(workdir, s):
    files = {}
    for name, value in s.items():
        files[name] = write(os.path.join(workdir, name + '.secret'), value)
    return files


def check_main_server(exe, clients, workdir, s, sf):
    tokens = token_file(workdir, s)
    server = Server(exe, tokens, workdir, 'main')
    try:
        base = server.base
        body = write(os.path.join(workdir, 'body.json'),
                     '{"title": "hello", "n": 1}\n')
        post = ['--method', 'POST', '--content-type', 'application/json',
                '--body-file', body]
        a = ('alice', sf['alice'])

        print('-- curl, with the headers sigreq-client signed')
        curl_cases = [
            ('curl_accepts_valid_get', '/api/hello?lang=en', a, [], 200,
             None),
            ('curl_accepts_valid_post', '/api/items', a, post, 200, None),
            ('curl_refuses_tampered_body', '/api/items', a,
             post + ['--tamper', 'body'], 401, 'body digest mismatch'),
            ('curl_refuses_tampered_date', '/api/hello', a,
             ['--tamper', 'date'], 401, 'bad signature'),
            ('curl_refuses_tampered_signature', '/api/hello', a,
             ['--tamper', 'signature'], 401, 'bad signature'),
            ('curl_refuses_tampered_url', '/api/hello?x=1', a,
             ['--tamper', 'url'], 401, 'bad signature'),
            ('curl_refuses_date_an_hour_old', '/api/hello', a,
             ['--date-offset', '-3600'], 401,
             'date outside the clock window'),
            ('curl_refuses_date_an_hour_ahead', '/api/hello', a,
             ['--date-offset', '3600'], 401,
             'date outside the clock window'),
            ('curl_refuses_unknown_token', '/api/hello',
             ('mallory', sf['alice']), [], 401, 'unknown token'),
            ('curl_refuses_disabled_token', '/api/hello',
             ('bob', sf['bob']), [], 401, 'disabled token'),
            ('curl_refuses_expired_token', '/api/hello',
             ('carol', sf['carol']), [], 401, 'expired token'),
            ('curl_refuses_inactive_principal', '/api/hello',
             ('erin', sf['erin']), [], 401, 'inactive principal'),
        ]
        for name, path, (tok, f), args, status, reason in curl_cases:
            expect(server, name,
                   lambda: clients.via_curl(base + path, tok, f, args),
                   status, tok, reason)

        expect(server, 'curl_refuses_request_without_authorization',
               lambda: clients.run_curl(['curl', base + '/api/hello']),
               401, reason='missing authorization')

        print('-- the independent Python client')
        py_cases = [
            ('python_accepts_valid_get', '/api/hello', a, [], 200, None),
            ('python_accepts_valid_post', '/api/items', a,
             ['--method', 'POST', '--content-type', 'application/json',
              '--body', '{"n": 2}'], 200, None),
            ('python_accepts_x_cubicweb_date', '/api/view?vid=primary', a,
             ['--date-header', 'X-Cubicweb-Date'], 200, None),
            ('python_refuses_date_an_hour_old', '/api/hello', a,
             ['--date-offset', '-3600'], 401,
             'date outside the clock window'),
            ('python_refuses_unknown_token', '/api/hello',
             ('mallory', sf['alice']), [], 401, 'unknown token'),
            ('python_refuses_disabled_token', '/api/hello',
             ('bob', sf['bob']), [], 401, 'disabled token'),
            ('python_refuses_expired_token', '/api/hello',
             ('carol', sf['carol']), [], 401, 'expired token'),
        ]
        post_py = ['--method', 'POST', '--content-type', 'application/json',
                   '--body', '{"n": 3}']
        for part, reason in [('method', None), ('url', 'bad signature'),
                             ('body', 'body digest mismatch'),
                             ('digest', 'bad signature'),
                             ('content-type', None),
                             ('date', 'bad signature'),
                             ('signature', 'bad signature'),
                             ('token', 'unknown token')]:
            py_cases.append(('python_refuses_tampered_' +
                             part.replace('-', '_'), '/api/items?x=1', a,
                             post_py + ['--tamper', part], 401, reason))
        for name, path, (tok, f), args, status, reason in py_cases:
            expect(server, name,
                   lambda: clients.via_cwclient(base + path, tok, f, args),
                   status, tok, reason)

        print('-- the connection')
        check_keep_alive(server, clients, sf)
        check_expect_continue(server, clients, sf, workdir)
        check_hostile_bytes(server, clients, sf)

        print('-- the log')
        log = server.log_text()
        leaked = [n for n, v in s.items() if v in log]
        check('log_holds_no_secret', not leaked,
              'secrets of %s found' % leaked)
        argv = clients.curl_command(base + '/api/hello', 'alice',
                                    sf['alice'], ['--tamper', 'signature'])
        sig = next(a.split(':')[-1] for a in argv
                   if a.startswith('Authorization:'))
        clients.run_curl(argv)
        check('log_holds_no_signature', sig not in server.log_text())
        warn = [l for l in log.splitlines() if l.startswith('warning:')]
        check('log_warns_of_short_secret_once',
              len(warn) == 1 and 'dave' in warn[0]
              and ' %d bytes' % len(s['dave']) in warn[0], repr(warn))
        check('log_warns_of_no_long_secret',
              not any('alice' in l for l in warn), repr(warn))
    finally:
        code = server.stop()
    check('server_exits_0_on_sigterm', code == 0, 'exit code %r' % code)


def signed_headers(clients, url, token, secret_file, args=()):
    """The headers sigreq-client signs for url, as a dict."""
    argv = clients.curl_command(url, token, secret_file, args)
    headers = {}
    for i, arg in enumerate(argv):
        if arg == '-H':
            name, _, value = argv[i + 1].partition(': ')
            headers[name] = value
    return headers


def check_keep_alive(server, clients, sf):
    conn = http.client.HTTPConnection(server.host, server.port,
                                      timeout=TIMEOUT)
    try:
        statuses = []
        for path in ('/one', '/two'):
            h = signed_headers(clients, server.base + path, 'alice',
                               sf['alice'])
            conn.request('GET', path, headers=h)
            r = conn.getresponse()
            r.read()
            statuses.append(r.status)
        check('keeps_connection_alive_between_requests',
              statuses == [200, 200], repr(statuses))
    except OSError as e:
        check('keeps_connection_alive_between_requests', False, str(e))
    finally:
        conn.close()


def check_expect_continue(server, clients, sf, workdir):
    """Headers first; the body only once the server said 100 Continue."""
    name = 'answers_100_continue_then_accepts_the_body'
    body = b'{"blob": "%s"}' % (b'z' * 100000)
    path = write(os.path.join(workdir, 'big.json'), body, 'wb')
    h = signed_headers(clients, server.base + '/big', 'alice', sf['alice'],
                       ['--method', 'POST', '--content-type',
                        'application/json', '--body-file', path])
    head = ['POST /big HTTP/1.1', 'Host: %s:%d' % (server.host, server.port),
            'Content-Length: %d' % len(body), 'Expect: 100-continue']
    head += ['%s: %s' % (k, v) for k, v in h.items() if v]
    # A client waits a moment for the 100 and then sends anyway; this
    # one does not, so a server that never says 100 fails here.
    with socket.create_connection((server.host, server.port),
                                  timeout=5) as sock:
        sock.sendall(('\r\n'.join(head) + '\r\n\r\n').encode('latin-1'))
        try:
            interim = sock.recv(4096)
        except socket.timeout:
            interim = b'(nothing in 5 s)'
        if not interim.startswith(b'HTTP/1.1 100 '):
            check(name, False, 'first answer %r' % interim[:40])
            return
        sock.sendall(body)
        sock.shutdown(socket.SHUT_WR)
        final = b''
        while True:
            c = sock.recv(65536)
            if not c:
                break
            final += c
    check(name, final.startswith(b'HTTP/1.1 200 ')
          and final.endswith(b'authenticated as alice\n'), repr(final[:60]))


def raw_exchange(server, data):
    """Sends bytes, returns what came back until the server closed."""
    with socket.create_connection((server.host, server.port),
                                  timeout=TIMEOUT) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass
        chunks = []
        while True:
            try:
                c = sock.recv(65536)
            except OSError:
                break
            if not c:
                break
            chunks.append(c)
        return b''.join(chunks)


def check_hostile_bytes(server, clients, sf):
    cases = [
        ('answers_400_to_garbage', b'\x00\xff\r\n\r\n', b' 400 '),
        ('answers_400_to_bad_request_line', b'GET\r\n\r\n', b' 400 '),
        ('answers_400_to_header_over_16k',
         b'GET / HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 20000
         + b'\r\n\r\n', b' 400 '),
        ('answers_413_to_body_over_max_body',
         b'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n'
         + b'a' * 1000, b' 413 '),
        ('answers_400_to_obs_fold_with_nul',
         b'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n \x00b\r\n\r\n', b' 400 '),
    ]
    for name, data, want in cases:
        got = raw_exchange(server, data)
        first = got.split(b'\r\n', 1)[0]
        check(name, want in first, repr(first))
    expect(server, 'still_accepts_after_hostile_bytes',
           lambda: clients.via_curl(server.base + '/after', 'alice',
                                    sf['alice']), 200, 'alice')


def check_replay_guard(exe, clients, workdir, s, sf):
    tokens = token_file(workdir, s)
    server = Server(exe, tokens, workdir, 'replay',
                    ['--replay-guard', '1000'])
    try:
        argv = clients.curl_command(server.base + '/api/once', 'alice',
                                    sf['alice'])
        expect(server, 'replay_guard_accepts_first_send',
               lambda: clients.run_curl(argv), 200, 'alice')
        expect(server, 'replay_guard_refuses_same_request_again',
               lambda: clients.run_curl(argv), 401,
               reason='replayed request')
        expect(server, 'replay_guard_accepts_another_signed_request',
               lambda: clients.via_cwclient(server.base + '/api/other',
                                            'alice', sf['alice']),
               200, 'alice')
    finally:
        server.stop()


def check_bad_token_files(exe, workdir):
    good = 'ok\tgood-secret-of-some-length\tok'
    long_id = 'x' * 129
    cases = [
        ('too_few_fields', 'lonely\tsecret-one-two-three', 'fields'),
        ('too_many_fields', 'a\tsecret-one-two-three\tp\t-\t-\textra',
         'fields'),
        ('empty_id', '\tsecret-one-two-three\tp', 'empty token id'),
        ('id_with_colon', 'a:b\tsecret-one-two-three\tp', "':'"),
        ('id_of_129_bytes', long_id + '\tsecret-one-two-three\tp',
         'longer than 128'),
        ('impossible_expiry', 'a\tsecret-one-two-three\tp\t'
         '2027-02-30T00:00:00Z', 'expiry'),
        ('expiry_without_zone', 'a\tsecret-one-two-three\tp\t'
         '2027-01-31T12:00:00', 'expiry'),
        ('unknown_flag', 'a\tsecret-one-two-three\tp\t-\tsleepy', 'flag'),
        ('duplicate_id', 'ok\tsecret-one-two-three\tp', 'duplicate'),
    ]
    for name, bad, why in cases:
        # The bad line is line 4: a comment, a blank line and a good one
        # come first.
        text = '# tokens\n\n%s\n%s\n' % (good, bad)
        path = write(os.path.join(workdir, 'bad-%s.tsv' % name), text)
        try:
            p = subprocess.run([exe, '--listen', '127.0.0.1:0', '--tokens',
                                path], capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            check('bad_token_file_stops_startup_' + name, False,
                  'the server kept running')
            continue
        err = p.stderr.decode('utf-8', 'replace')
        ok = (p.returncode == 2 and err.startswith('tokens %s:4: ' % path)
              and why in err and b'listening' not in p.stdout
              and 'secret-one-two-three' not in err
              and 'good-secret' not in err)
        check('bad_token_file_stops_startup_' + name, ok,
              'exit %d, stderr %r' % (p.returncode, err))


def ipv6_loopback_available():
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(('::1', 0))
        return True
    except OSError:
        return False


def check_ipv6(exe, clients, workdir, s, sf):
    if not ipv6_loopback_available():
        print('skip ipv6: no ::1 on this machine')
        return
    tokens = token_file(workdir, s)
    server = Server(exe, tokens, workdir, 'ipv6', listen='[::1]:0')
    try:
        check('ipv6_prints_bracketed_host', server.host == '[::1]',
              server.host)
        expect(server, 'ipv6_accepts_valid_get',
               lambda: clients.via_curl(server.base + '/v6', 'alice',
                                        sf['alice']), 200, 'alice')
    finally:
        server.stop()


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    server_exe, client_exe, cwclient = argv[1:4]
    curl = argv[4] if len(argv) == 5 else 'curl'
    for path in (server_exe, client_exe, cwclient):
        if not os.path.exists(path):
            print('missing: %s' % path, file=sys.stderr)
            return 1

    s = {
        'alice': secrets.token_hex(24),
        'bob': secrets.token_hex(24),
        'carol': secrets.token_hex(24),
        'erin': secrets.token_hex(24),
        'dave': secrets.token_hex(4),  # 8 bytes: below the minimum of 16
    }
    with tempfile.TemporaryDirectory(prefix='sigreq-e2e-') as workdir:
        sf = secret_files(workdir, s)
        clients = Clients(client_exe, cwclient, curl, workdir)
        steps = [
            ('the main server', lambda: check_main_server(
                server_exe, clients, workdir, s, sf)),
            ('the replay guard', lambda: check_replay_guard(
                server_exe, clients, workdir, s, sf)),
            ('bad token files', lambda: check_bad_token_files(
                server_exe, workdir)),
            ('IPv6 loopback', lambda: check_ipv6(
                server_exe, clients, workdir, s, sf)),
        ]
        for title, step in steps:
            print('== ' + title)
            try:
                step()
            except (RuntimeError, OSError,
                    subprocess.TimeoutExpired) as e:
                check(title.replace(' ', '_') + '_ran', False, str(e))

    print()
    if failures:
        print('%d check(s) failed: %s' % (len(failures),
                                          ', '.join(failures)))
        return 1
    print('every check passed')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
