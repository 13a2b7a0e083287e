#!/usr/bin/env bash
# Start-up time of the distribution jar: N cold starts in an empty directory, each timed from launch to the first
# 200 from /observe/health (wall clock) and by the JVM uptime Backplane logs at "Backplane started in". Prints one
# JSON line with the median and the worst of each. Usage: benchmarks/startup.sh [N=5]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/distribution/target/backplane.jar
[ -f "$jar" ] || { echo "missing $jar: mvn -B -q install -DskipTests first" >&2; exit 1; }
n=${1:-5}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
walls=(); logged=()
for i in $(seq 1 "$n"); do
  http=$(free_port)
  start=$(date +%s%N)
  (cd "$work" && exec java -Dbackplane.http.port=$http -Dbackplane.bus.zeromq.publish-port=$(free_port) \
     -Dbackplane.bus.zeromq.subscribe-port=$(free_port) -jar "$jar" > "$work/log" 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$http/observe/health" > /dev/null; do sleep 0.01; done
  walls+=($(( ($(date +%s%N) - start) / 1000000 )))
  until grep -q 'Backplane started in' "$work/log"; do sleep 0.01; done
  logged+=($(sed -n 's/.*Backplane started in \([0-9]*\) ms.*/\1/p' "$work/log"))
  kill -TERM $pid; wait $pid || true
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
worst() { printf '%s\n' "$@" | sort -n | tail -1; }
echo "{\"name\":\"startup\",\"runs\":$n,\"health_up_ms_p50\":$(median "${walls[@]}"),\"health_up_ms_max\":$(worst "${walls[@]}"),\"jvm_uptime_ms_p50\":$(median "${logged[@]}"),\"jvm_uptime_ms_max\":$(worst "${logged[@]}")}"
