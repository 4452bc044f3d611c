#!/usr/bin/env bash
# The demo: builds sigreq-server and sigreq-client, starts the server on
# loopback with a freshly generated token, sends five requests with the
# client and prints how each one fared, with the reason the server logged
# for each refusal. Exits non-zero when a request did not get the status
# it should. Installs nothing: the packages come first (see README.md).
#
#   bash examples/demo.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build-demo"

echo "== building the examples into $build"
build_log=$(mktemp)
if ! {
  if [ -f "$build/build.ninja" ]; then
    meson configure "$build" -Dexamples=true -Dtest=false -Dbench=false
  else
    meson setup "$build" "$root" -Dexamples=true -Dtest=false -Dbench=false
  fi && meson compile -C "$build" sigreq-server sigreq-client
} >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  echo "demo: the build failed" >&2
  exit 1
fi
rm -f "$build_log"
server="$build/examples/sigreq-server"
client="$build/examples/sigreq-client"

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A random 32-byte secret, as hex; it lives in the temporary folder only.
secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
printf '%s' "$secret" >"$work/alice.secret"
printf '%s' "not-a-known-secret-at-all" >"$work/mallory.secret"
{
  echo "# id	secret	principal	expiry	flags"
  printf 'alice\t%s\talice\t-\t-\n' "$secret"
} >"$work/tokens.tsv"
printf '{"greeting": "hello", "n": 1}\n' >"$work/body.json"

echo "== starting sigreq-server on 127.0.0.1, a free port"
"$server" --listen 127.0.0.1:0 --tokens "$work/tokens.tsv" \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
port=
for _ in $(seq 1 100); do
  if grep -q '^listening on ' "$work/server.out" 2>/dev/null; then
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/server.out")
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "sigreq-server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
url="http://127.0.0.1:$port"
echo "   listening on port $port"
echo

failures=0

# run LABEL EXPECTED_STATUS CLIENT_ARGS...
run() {
  local label=$1 expected=$2
  shift 2
  local before out status rest outcome
  before=$(wc -l <"$work/server.log")
  if ! out=$("$client" "$@"); then
    printf '%-16s -> no response (client failed)\n' "$label"
    failures=$((failures + 1))
    return
  fi
  status=${out%%$'\n'*}
  rest=${out#*$'\n'}
  rest=${rest%%$'\n'*}
  if [ "$status" = 200 ]; then
    outcome="$status $rest"
  else
    # The client is told nothing; the reason is in the server's log.
    local reason
    reason=$(awk -v from="$((before + 1))" '
      NR >= from && sub(/^refused reason="/, "") {
        sub(/".*/, ""); print; exit
      }' "$work/server.log")
    outcome="$status (server log: reason=\"$reason\")"
  fi
  if [ "$status" = "$expected" ]; then
    printf '%-16s -> %s\n' "$label" "$outcome"
  else
    printf '%-16s -> %s, expected %s\n' "$label" "$outcome" "$expected"
    failures=$((failures + 1))
  fi
}

alice=(--token-id alice --secret-file "$work/alice.secret")
run "valid GET" 200 "${alice[@]}" "$url/api/hello?lang=en"
run "valid POST" 200 "${alice[@]}" --method POST \
  --content-type application/json --body-file "$work/body.json" "$url/api/items"
run "tampered body" 401 "${alice[@]}" --method POST \
  --content-type application/json --body-file "$work/body.json" \
  --tamper body "$url/api/items"
run "stale date" 401 "${alice[@]}" --date-offset -3600 "$url/api/hello"
run "unknown token" 401 --token-id mallory \
  --secret-file "$work/mallory.secret" "$url/api/hello"

echo
if grep -qF "$secret" "$work/server.log"; then
  echo "the server log holds the secret" >&2
  failures=$((failures + 1))
fi
if [ "$failures" -ne 0 ]; then
  echo "demo: $failures case(s) did not go as expected" >&2
  exit 1
fi
echo "demo: every case got the status it should"
