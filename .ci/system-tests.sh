#!/usr/bin/env bash
# System test: replays the README's walkthrough against the built distribution jar, as a user would, with curl,
# the backplane CLI and the Python emitter; fails loudly on anything unexpected. Needs `mvn install` (or verify) done.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/distribution/target/backplane.jar
[ -f "$jar" ] || { echo "FAIL: $jar is missing: build first (mvn -B verify)" >&2; exit 1; }
"$root/.ci/install-system-deps.sh"

passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1" >&2; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d); trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/routes"
# the rule exactly as the README shows it
sed -n '/cat > routes\/high-load.yaml/,/^   EOF/p' "$root/README.md" | sed '1d;$d' | sed 's/^   //' > "$work/routes/high-load.yaml"
grep -q 'id: high-load' "$work/routes/high-load.yaml" || { echo "FAIL: could not extract the README rule" >&2; exit 1; }
# a monitoring source next to it: Alertmanager's webhook, as an operator would add it
cat > "$work/routes/monitoring.yaml" <<'EOF'
- route:
    id: alertmanager-in
    from:
      uri: "alertmanager:/hooks/alertmanager?token={{am.token}}"
      steps:
        - to: bus
- route:
    id: page-on-firing
    from:
      uri: kamelet:backplane-alert-firing-source?severity=critical
      steps:
        - log: "firing ${body[data][labels][alertname]} on ${header.CamelCloudEventSubject}"
# the facts a deploy gate reads: firing alerts per service, set on firing and deleted on resolved
- route:
    id: alert-facts
    from:
      uri: kamelet:backplane-alert-facts-source
      steps:
        - log: "fact ${header.CamelCloudEventType}"
EOF
cat > "$work/gates.yaml" <<'EOF'
gates:
  deploy-db:
    description: no firing alert for the db service
    require:
      - absent: alerts/firing/db/
EOF

http=$(free_port); pub=$(free_port); sub=$(free_port)
cd "$work"
start_backplane() { # $1: log file
  java -Dam.token=am-token -Dbackplane.http.port=$http -Dbackplane.bus.zeromq.publish-port=$pub \
    -Dbackplane.bus.zeromq.subscribe-port=$sub -jar "$jar" > "$1" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q 'Backplane started in' "$1" && break; sleep 0.1; done
  grep -q 'Backplane started in' "$1" && ok "starts: $(grep -o 'Backplane started in [0-9]* ms' "$1")" \
    || { cat "$1"; fail "did not start"; exit 1; }
}
start_backplane "$work/backplane.log"

wait_log() { for _ in $(seq 1 100); do grep -qF -- "$1" "$work/backplane.log" && return 0; sleep 0.1; done; return 1; }
post() { curl -s -o "$work/resp" -w '%{http_code}' -X POST "http://127.0.0.1:$http/events$1" -H "Content-Type: $2" --data-binary "$3"; }

code=$(post '?type=app/shop/client-load&subject=web01' application/json '{"load": 0.3}')
[ "$code" = 202 ] && ok "low load accepted (202)" || fail "low load: HTTP $code $(cat "$work/resp")"
code=$(post '?type=app/shop/client-load&subject=web01' application/json '{"load": 0.93}')
id=$(sed -n 's/.*"accepted":\["\([^"]*\)".*/\1/p' "$work/resp")
[ "$code" = 202 ] && [ -n "$id" ] && ok "high load accepted as $id" || fail "high load: HTTP $code $(cat "$work/resp")"
wait_log "high load on web01: 0.93" && ok "rule fired" || fail "rule did not fire"
wait_log "action action/demo/high-load caused by $id" && ok "result event back on the bus, caused by $id" || fail "no result event"
grep -q "high load on web01: 0.3" "$work/backplane.log" && fail "rule fired for the low load" || ok "low load left alone"

code=$(post '' application/cloudevents+json '{"specversion":"1.0","id":"e-42","source":"/shop","type":"app/shop/client-load","subject":"web02","data":{"load":0.99}}')
[ "$code" = 202 ] && wait_log "high load on web02: 0.99" && ok "structured CloudEvent" || fail "structured CloudEvent: $code"

java -jar "$jar" emit app/shop/client-load --subject web03 --data '{"load": 0.95}' --zeromq "tcp://127.0.0.1:$pub" > "$work/cli" 2>&1 \
  && wait_log "high load on web03: 0.95" && ok "backplane emit" || fail "backplane emit: $(cat "$work/cli")"
/usr/bin/python3 "$root/examples/emitters/emit_zmq.py" app/shop/client-load web04 '{"load": 0.97}' "tcp://127.0.0.1:$pub" > "$work/py" 2>&1 \
  && wait_log "high load on web04: 0.97" && ok "python emitter (pyzmq)" || fail "python emitter: $(cat "$work/py")"

[ "$(curl -s "http://127.0.0.1:$http/observe/health")" = '{"status":"UP"}' ] && ok "health UP" || fail "health"
# to a file first: `curl | grep -q` fails under pipefail when grep exits before curl has written everything
curl -s -o "$work/metrics" "http://127.0.0.1:$http/observe/metrics" && grep -q '^app_info' "$work/metrics" && ok "metrics" \
  || fail "metrics: $(head -c 300 "$work/metrics" 2>/dev/null)"

code=$(post '' application/cloudevents+json '{oops')
[ "$code" = 400 ] && grep -q 'malformed JSON' "$work/resp" && ok "malformed JSON -> 400" || fail "malformed: $code $(cat "$work/resp")"
code=$(post '' text/plain 'hello')
[ "$code" = 415 ] && ok "wrong content type -> 415" || fail "content type: $code"
head -c 1100000 /dev/zero | tr '\0' 'x' | sed 's/^/{"specversion":"1.0","id":"big","source":"s","type":"a\/b","data":{"p":"/; s/$/"}}/' > "$work/big.json"
code=$(curl -s -o "$work/resp" -w '%{http_code}' -X POST "http://127.0.0.1:$http/events" -H 'Content-Type: application/cloudevents+json' --data-binary @"$work/big.json")
[ "$code" = 413 ] && ok "oversized -> 413" || fail "oversized: $code"
code=$(post '?type=app/x/y' application/json '{"cmd":"$(touch /tmp/pwned); `id`"}')
[ "$code" = 202 ] && [ ! -e /tmp/pwned ] && ok "shell metacharacters in data stay data" || fail "injection probe: $code"

am() { curl -s -o "$work/resp" -w '%{http_code}' -X POST "http://127.0.0.1:$http/hooks/alertmanager" \
  -H 'Content-Type: application/json' -H "Authorization: Bearer $1" --data-binary "$2"; }
alert='{"version":"4","groupKey":"{}:{alertname=\"DiskFull\"}","truncatedAlerts":0,"status":"firing","receiver":"backplane",
 "groupLabels":{"alertname":"DiskFull"},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093",
 "alerts":[{"status":"firing","labels":{"alertname":"DiskFull","instance":"db01:9100","service":"db","severity":"critical"},
 "annotations":{},"startsAt":"2026-11-24T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"f1"}]}'
code=$(am am-token "$alert")
[ "$code" = 200 ] && wait_log "firing DiskFull on db01:9100" && ok "Alertmanager webhook -> firing rule" || fail "alertmanager: $code $(cat "$work/resp")"
code=$(am wrong "$alert")
[ "$code" = 401 ] && ok "Alertmanager webhook with a wrong token -> 401" || fail "alertmanager wrong token: $code"
code=$(am am-token '{"version":"4","alerts":[')
[ "$code" = 400 ] && ok "malformed webhook -> 400" || fail "alertmanager malformed: $code $(cat "$work/resp")"

gate() { curl -s -o "$work/gate" -w '%{http_code}' "http://127.0.0.1:$http/gates/deploy-db"; }
code=$(gate)
[ "$code" = 423 ] && grep -q 'alerts/firing/db/DiskFull' "$work/gate" && ok "deploy gate closed by the firing alert (423)" \
  || fail "gate while firing: $code $(cat "$work/gate")"

# facts survive a restart of the distribution: the gate is still closed afterwards
kill -TERM $pid; wait $pid || true
start_backplane "$work/backplane2.log"
code=$(gate)
[ "$code" = 423 ] && ok "gate still closed after a restart (facts in data/state.json)" || fail "gate after restart: $code $(cat "$work/gate")"
code=$(am am-token "$(echo "$alert" | sed 's/"firing"/"resolved"/g')")
for _ in $(seq 1 50); do [ "$(gate)" = 200 ] && break; sleep 0.1; done
[ "$code" = 200 ] && [ "$(gate)" = 200 ] && grep -q '"open":true' "$work/gate" && ok "resolved alert opens the gate (200)" \
  || fail "gate after resolved: $code $(cat "$work/gate")"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/gates/no-such-gate")
[ "$code" = 404 ] && ok "unknown gate -> 404" || fail "unknown gate: $code"

kill -TERM $pid; wait $pid || true
grep -q 'is shutdown' "$work/backplane2.log" && ok "clean shutdown" || fail "no clean shutdown"

# the README's rule tests, as a user runs them, and what a wrong expectation and a broken rule get
mkdir -p "$work/cases" "$work/broken" "$work/readme-routes" && cp "$work/routes/high-load.yaml" "$work/readme-routes/"
sed -n '/cat > cases\/high-load.yaml/,/^   EOF/p' "$root/README.md" | sed '1d;$d' | sed 's/^   //' > "$work/cases/high-load.yaml"
java -jar "$jar" test readme-routes cases > "$work/test.out" 2>&1 && grep -q '2 passed, 0 failed' "$work/test.out" \
  && ok "backplane test: the README's cases pass" || fail "backplane test: $(cat "$work/test.out")"
sed 's/count: 1/count: 2/' "$work/cases/high-load.yaml" > "$work/broken/wrong-count.yaml"
code=0; java -jar "$jar" test readme-routes broken > "$work/test2.out" 2>&1 || code=$?
[ "$code" = 1 ] && grep -q 'FAIL' "$work/test2.out" && ok "backplane test: a wrong expectation fails (exit 1)" || fail "wrong expectation: exit $code $(cat "$work/test2.out")"
mkdir -p "$work/badrules" && printf -- '- route:\n    from:\n      uri: bus:app/**\n      steps:\n        - fliter:\n            simple: "true"\n' > "$work/badrules/bad.yaml"
code=0; java -jar "$jar" validate badrules > "$work/validate.out" 2>&1 || code=$?
[ "$code" = 1 ] && grep -q 'bad.yaml:5' "$work/validate.out" && ok "backplane validate: a misspelt step is reported with file:line" || fail "validate: exit $code $(cat "$work/validate.out")"

echo "system tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
