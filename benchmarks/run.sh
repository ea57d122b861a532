#!/usr/bin/env bash
# Lamina's benchmarks, one command: builds what is missing, starts Lamina (`lamina serve`) as a separate
# process, measures, stops it, and prints one parseable line per measure, e.g.
#   lamina invoke runtime=node c=16 run=1 tool=wrk rps=1234.5 p50_ms=1.234 p99_ms=5.678 errors=0 non2xx=0 requests=12345
# Every line also goes to benchmarks/results/run-<time>.txt (git-ignored). docs/benchmarks.md explains
# each measure and how it is taken.
#
# Measures (CASES, in this order):
#   start     spawn `lamina serve` (fresh data dir) -> first 200 on GET /2015-03-31/functions/; idle RSS; x START_SAMPLES
#   warm      wrk against Invoke (POST .../functions/bench-<rt>/invocations, body {}) per WARM_CASES entry
#   peer      the serverless-offline peer's bench.sh, alternated with `warm`: RUNS x (warm, peer)
#   overhead  sequential invokes: client latency minus the REPORT Duration of the same invocation
#   cold      first invoke of a freshly created function, per runtime; Init Duration from the REPORT line
#   async     async queue: delivery latency on an idle queue (Event invoke -> the function's UDP ping, one
#             at a time), then accepted Event invokes/s with wrk at ASYNC_C callers (durable 202s), x RUNS,
#             each round followed by the peer's Invoke with the same Event header (its 202s are not durable);
#             then the intake alone: Event invokes into a function that cannot keep up (reserved concurrency 1,
#             100 ms per event), the backlog dropped afterwards
#   rmq       (not in the default CASES: needs RabbitMQ at RMQ_URI) messages/s through an Amazon MQ
#             (RabbitMQ) mapping into a no-op Node.js function at each RMQ_BATCH_SIZES, beside a plain
#             amqp-client consumer's rate in the same run; then idle delivery latency of one message
#             (publish -> the function's UDP datagram) with MaximumBatchingWindowInSeconds 0 and with
#             MQ's default window (500 ms)
#   kafka     a Kafka broker in the driver's JVM: records/s through a mapping (no-op Node.js function) at
#             batch sizes KAFKA_BATCHES beside a raw KafkaConsumer's rate on the same records (median of 3
#             passes), the Node.js runtime's own floor per batch (JSON.parse of a captured event) and the
#             ceiling it sets, then idle delivery latency (one record at a time, window 0, send -> UDP ping)
#   gateway   (issue 5) a warm no-op Node.js function behind an HTTP API route (quick create, GET /noop
#             on /_api/{apiId}/noop) and the same function by direct Invoke, wrk at each GATEWAY_C, alternating
#             x RUNS; beside the peer's own HTTP route (serverless-offline's http case) at the same connections
#   jmh       InvokeRouteBenchmark (route + bind + validate of an Invoke request), Lamina stopped
#   sqs       SqsBench (its own ElasticMQ and Lamina, in one JVM): messages/s through an SQS mapping into a
#             no-op Node.js function at batch sizes 1, 100, 1000 beside the raw SDK client draining the same
#             queue with as many threads as the mapping has pollers; idle send-to-function latency
# then medians over the RUNS and the targets, met or not.
#
# Settings (environment variables):
#   DURATION=10  WARMUP=3       measured / warm-up seconds per wrk case (the peer gets the same)
#   JIT_WARMUP=10               seconds of load before the first case, discarded (Lamina's JIT)
#   RUNS=3                      alternating rounds of (Lamina warm cases, peer) -> medians
#   CASES="start warm peer overhead cold async jmh"
#   ASYNC_C=16  ASYNC_N=1000    callers of the accept measure / events of the latency measure
#   KAFKA_BATCHES=1,100,1000  KAFKA_RECORDS=1000000 KAFKA_RECORDS_BATCH1=3000  KAFKA_LATENCY_N=200
#   WARM_CASES="node:1 node:4 node:16 python:1 python:4 python:16 java:1 java:4 java:16"
#   OVERHEAD_RUNTIMES="node python java provided"  OVERHEAD_N=2000  OVERHEAD_GAP_MS_PROVIDED=100
#   COLD_RUNTIMES="node python java provided"      COLD_SAMPLES=5
#   START_SAMPLES=5             MEMORY=128 (MemorySize of the functions)
#   WRK_THREADS=1               wrk threads (capped at the connection count), like the peer's bench.sh
#   PEER_SRC=../shared/peers/serverless-offline   PEER_DIR=${TMPDIR:-/tmp}/lamina-bench-peer (writable copy)
#   PEER_CASES="invoke:1 invoke:16 http:16"
#   GATEWAY_C="16 64"           connections of the gateway case (Lamina's route, direct Invoke, the peer's route)
#   RMQ_URI=amqp://127.0.0.1:5672 RMQ_USER=guest RMQ_PASSWORD=guest  RMQ_MESSAGES=20000
#   RMQ_BATCH_SIZES=1,100,1000  RMQ_LATENCY_N=200
#   JMH_ARGS="-f 1 -wi 3 -w 1s -i 5 -r 1s"
#   SQS_MESSAGES=10000          messages per batch-size case of `sqs`
#   BUILD=1       0: use the jar already built, never run Maven
#   SNAPSHOT=1    run a private copy of the launcher + lamina-server/target (jar, lib) so that builds
#                 others start in this tree during the run cannot swap jars under the running server
#   KEEP_TMP=0    1: keep the scratch directory (data dirs, Lamina's log) for a post-mortem
# Ctrl-C or SIGTERM stops everything this script started (Lamina, its runtimes, wrk, the peer).
set -euo pipefail
bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
cd "$root"

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
JIT_WARMUP=${JIT_WARMUP:-10}
RUNS=${RUNS:-3}
CASES=${CASES:-"start warm peer overhead cold async jmh"}
ASYNC_C=${ASYNC_C:-16}
ASYNC_N=${ASYNC_N:-1000}
KAFKA_BATCHES=${KAFKA_BATCHES:-1,100,1000}
KAFKA_RECORDS=${KAFKA_RECORDS:-1000000}
KAFKA_RECORDS_BATCH1=${KAFKA_RECORDS_BATCH1:-3000}
KAFKA_LATENCY_N=${KAFKA_LATENCY_N:-200}
WARM_CASES=${WARM_CASES:-"node:1 node:4 node:16 python:1 python:4 python:16 java:1 java:4 java:16"}
OVERHEAD_RUNTIMES=${OVERHEAD_RUNTIMES:-"node python java provided"}
OVERHEAD_N=${OVERHEAD_N:-2000}
OVERHEAD_GAP_MS_PROVIDED=${OVERHEAD_GAP_MS_PROVIDED:-100}
COLD_RUNTIMES=${COLD_RUNTIMES:-"node python java provided"}
COLD_SAMPLES=${COLD_SAMPLES:-5}
START_SAMPLES=${START_SAMPLES:-5}
MEMORY=${MEMORY:-128}
WRK_THREADS=${WRK_THREADS:-1}
PEER_SRC=${PEER_SRC:-"$root/../shared/peers/serverless-offline"}
PEER_DIR=${PEER_DIR:-"${TMPDIR:-/tmp}/lamina-bench-peer"}
PEER_CASES=${PEER_CASES:-"invoke:1 invoke:16 http:16"}
GATEWAY_C=${GATEWAY_C:-"16 64"}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 3 -w 1s -i 5 -r 1s"}
SQS_MESSAGES=${SQS_MESSAGES:-10000}
RMQ_URI=${RMQ_URI:-amqp://127.0.0.1:5672}
RMQ_USER=${RMQ_USER:-guest}
RMQ_PASSWORD=${RMQ_PASSWORD:-guest}
RMQ_MESSAGES=${RMQ_MESSAGES:-20000}
RMQ_BATCH_SIZES=${RMQ_BATCH_SIZES:-1,100,1000}
RMQ_LATENCY_N=${RMQ_LATENCY_N:-200}
RMQ_BROKER_ARN="arn:aws:mq:us-east-1:000000000000:broker:lamina-bench:b-00000000-0000-0000-0000-000000000001"
RMQ_SECRET_ARN="arn:aws:secretsmanager:us-east-1:000000000000:secret:lamina-bench-rmq"
BUILD=${BUILD:-1}
SNAPSHOT=${SNAPSHOT:-1}
KEEP_TMP=${KEEP_TMP:-0}

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }
has_case() { [[ " $CASES " == *" $1 "* ]]; }

. "$root/scripts/find-jdk.sh"
lamina_find_jdk
JAVA="$LAMINA_JAVA_HOME/bin/java"
export JAVA_HOME="$LAMINA_JAVA_HOME"   # the launcher, Maven and the Java runtime all use this JDK
command -v wrk >/dev/null || {
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    note "installing wrk"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lamina-bench.XXXXXX")
mkdir -p "$bench/results"
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS="$bench/results/run-$STAMP.txt"
PIDS="$TMP/pids"            # every server this script (or its driver) started, one pid a line
: >"$PIDS"
LAMINA_PID=""
CHILD_PID=""
CLK_TCK=$(getconf CLK_TCK)

# ------------------------------------------------------------------------------ clean-up
alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }
ours() { # <pid>: true when the process still is one of ours (its command line names our scratch dir)
  [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$TMP"
}
stop_pid() { # <pid> <seconds>: SIGTERM, then SIGKILL
  local pid=$1 secs=$2
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $((secs * 10))); do alive "$pid" || return 0; sleep 0.1; done
  note "pid $pid ignored SIGTERM for ${secs}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}
leftovers() { # pids of live processes whose command line names our scratch dir (runtimes, servers)
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    if [[ -r /proc/$p/cmdline ]] && tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF "$TMP"; then echo "$p"; fi
  done
}
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  # The current child first (the peer's bench.sh stops its server once its wrk run ends: give it time).
  if alive "$CHILD_PID"; then stop_pid "$CHILD_PID" $((DURATION + 25)); wait "$CHILD_PID" 2>/dev/null || true; fi
  if alive "$LAMINA_PID"; then stop_pid "$LAMINA_PID" 20; wait "$LAMINA_PID" 2>/dev/null || true; fi
  while read -r pid; do
    if alive "$pid" && ours "$pid"; then stop_pid "$pid" 20; fi
  done <"$PIDS"
  for pid in $(leftovers); do note "killing leftover pid $pid: $(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null | cut -c1-120)"; kill -KILL "$pid" 2>/dev/null || true; done
  if [[ $KEEP_TMP == 1 ]]; then note "scratch kept in $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_child <command...>: runs it in the background and waits, so that a signal reaches our trap at once
run_child() {
  "$@" &
  CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

out() { echo "$*" | tee -a "$RESULTS"; }

# ------------------------------------------------------------------------------ build
if [[ $BUILD == 1 ]]; then
  # The launcher builds lamina-server/target/lamina-server.jar + lib/ when the sources changed.
  ./lamina config >/dev/null || die "building Lamina failed (BUILD=0 uses the jar already built)"
  stamp="$bench/target/.built"
  if [[ ! -f $stamp || -n "$(find "$bench/src" "$bench/pom.xml" "$root/lamina-testfunctions/src/main" "$root/lamina-apimodel/src/main" -newer "$stamp" -print -quit)" ]]; then
    note "building the benchmarks module with the modules it uses (lamina-apimodel, lamina-testfunctions)"
    # -am: a fresh machine has none of Lamina's modules in ~/.m2
    mvn -q -B -Dmaven.test.skip=true -pl benchmarks -am install >&2 || die "building the benchmarks module failed"
    touch "$stamp"
  fi
fi
[[ -f $root/lamina-server/target/lamina-server.jar ]] || die "lamina-server/target/lamina-server.jar missing (run with BUILD=1)"
[[ -f $bench/target/classes/io/lamina/benchmarks/Bench.class ]] || die "benchmarks not built (run with BUILD=1)"
DRIVER=("$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$bench/target/classes:$bench/target/lib/*" io.lamina.benchmarks.Bench)
LIB="$bench/target/lib"

LAUNCHER="$root/lamina"
if [[ $SNAPSHOT == 1 ]]; then
  snap="$TMP/lamina-snapshot"
  mkdir -p "$snap/scripts" "$snap/lamina-server/target"
  cp "$root/lamina" "$snap/"; cp "$root/scripts/find-jdk.sh" "$snap/scripts/"
  cp -r "$root/lamina-server/target/lamina-server.jar" "$root/lamina-server/target/lib" "$snap/lamina-server/target/"
  LAUNCHER="$snap/lamina"
fi

# ------------------------------------------------------------------------------ facts
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)
dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
out "# lamina-bench date=$(date -u +%FT%TZ) commit=$commit dirty_files=$dirty cpus=$(nproc) cpu=\"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\" mem_mb=$(( $(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024 ))"
out "# jdk=\"$("$JAVA" -version 2>&1 | head -1)\" node=$(node --version 2>/dev/null || echo none) python=\"$(python3 --version 2>&1)\" wrk=\"$( (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2)\" loadavg=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
out "# settings duration_s=$DURATION warmup_s=$WARMUP jit_warmup_s=$JIT_WARMUP runs=$RUNS cases=\"$CASES\" warm_cases=\"$WARM_CASES\" memory_mb=$MEMORY wrk_threads=$WRK_THREADS snapshot=$SNAPSHOT"

# ------------------------------------------------------------------------------ helpers
rss_mb() { local kb; kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0); echo $(( ${kb:-0} / 1024 )); }
threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
descendants() { # <pid>: all descendant pids
  ps -e -o pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 } END {
    for (p in parent) { q = p; while (q in parent && q != root && q > 1) q = parent[q]; if (q == root && p != root) print p } }'
}
server_line() { # <phase>: Lamina's JVM alone, then its runtime processes apart
  local kids n=0 kids_kb=0 p kb
  kids=$(descendants "$LAMINA_PID")
  for p in $kids; do kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0); kids_kb=$((kids_kb + ${kb:-0})); n=$((n + 1)); done
  # The Java heap as the JVM sees it (committed vs. used explains most of the RSS): jcmd GC.heap_info
  local heap
  heap=$("$LAMINA_JAVA_HOME/bin/jcmd" "$LAMINA_PID" GC.heap_info 2>/dev/null | awk '
    / total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) { if ($i == "total") { t += $(i + 1) + 0 } if ($i == "used") { u += $(i + 1) + 0 } } }
    END { if (t > 0) printf "heap_committed_mb=%d heap_used_mb=%d", t / 1024, u / 1024 }')
  out "lamina server phase=$1 rss_mb=$(rss_mb "$LAMINA_PID") os_threads=$(threads_of "$LAMINA_PID") runtime_processes=$n runtime_rss_mb=$((kids_kb / 1024)) $heap"
}
env_count() { # <function>: runtime processes of Lamina serving it (their AWS_LAMBDA_FUNCTION_NAME)
  local p n=0
  for p in $(descendants "$LAMINA_PID"); do
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "AWS_LAMBDA_FUNCTION_NAME=$1" && n=$((n + 1))
  done
  echo "$n"
}
cpu_ticks() { # <pid...>: user+system CPU of these processes, in clock ticks
  local p t=0 v
  for p in "$@"; do v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done
  echo "$t"
}
free_port() {
  local p
  while :; do p=$(( 20000 + RANDOM % 30000 )); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done
}
# wrk_run <method> <url> <connections> <seconds>: writes "rps=.. p50_ms=.. p99_ms=.. errors=.. non2xx=.. requests=.."
# to $TMP/wrk.res (not printed: a $(...) would run wrk in a subshell, out of reach of the clean-up)
wrk_run() {
  local method=$1 url=$2 conns=$3 secs=$4
  local threads=$(( WRK_THREADS < conns ? WRK_THREADS : conns ))
  run_child env WRK_METHOD="$method" timeout $(( secs + 20 )) wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s \
    -s "$bench/wrk-report.lua" "$url" >"$TMP/wrk.out" 2>&1 || { cat "$TMP/wrk.out" >&2; return 1; }
  sed -n 's/^WRK_RESULT //p' "$TMP/wrk.out" | awk '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "rps=%s p50_ms=%s p99_ms=%s errors=%s non2xx=%s requests=%s\n", v["rps"], v["p50_ms"], v["p99_ms"], v["errors"], v["non2xx"], v["requests"] }' >"$TMP/wrk.res"
  [[ -s $TMP/wrk.res ]] || { cat "$TMP/wrk.out" >&2; return 1; }
}
peer_run() { # <peer CASES> <run>: the serverless-offline peer's own bench.sh, its lines copied to the results
  local cases=$1 run=$2 prc=0 line
  note "peer run $run (serverless-offline bench.sh, $cases)"
  (cd "$PEER_DIR" && exec env DURATION="$DURATION" WARMUP="$WARMUP" CASES="$cases" WRK_THREADS="$WRK_THREADS" \
    HTTP_PORT="$(free_port)" LAMBDA_PORT="$(free_port)" LOAD_TOOL=wrk ./bench.sh) >"$TMP/peer.out" 2>"$TMP/peer.err" &
  CHILD_PID=$!
  wait "$CHILD_PID" || prc=$?; CHILD_PID=""
  if [[ $prc != 0 ]]; then cat "$TMP/peer.err" >&2; note "peer run $run failed (rc $prc)"; fi
  while IFS= read -r line; do
    case "$line" in
      "# peer="*) [[ $run == 1 ]] && out "$line" ;;
      "peer "*) out "$line run=$run" ;;
    esac
  done <"$TMP/peer.out"
}
driver() { # <out file> <driver args...>: runs the Java driver, copies its result lines to the results
  local file=$1; shift
  local rc=0
  run_child "${DRIVER[@]}" "$@" >"$file" || rc=$?
  while IFS= read -r line; do out "$line"; done <"$file"
  return "$rc"
}

# ------------------------------------------------------------------------------ start-up
if has_case start; then
  note "start-up: $START_SAMPLES samples of spawn -> first 200"
  driver "$TMP/start.out" startup --tmp "$TMP" --samples "$START_SAMPLES" --settle-seconds 2 --pid-file "$PIDS" -- \
    "$LAUNCHER" serve --port '{port}' --data-dir '{data}' || die "start-up measure failed"
fi

needs_server=0
for c in warm peer gateway overhead cold async rmq kafka; do has_case "$c" && needs_server=1; done
if [[ $needs_server == 1 ]]; then
  # ---------------------------------------------------------------------------- the server under test
  DATA="$TMP/data"
  SERVE_FLAGS=()
  if has_case rmq; then
    # The broker and its credentials, as the mappings name them by ARN (the file stays in the scratch dir).
    printf '{"brokers":{"%s":"%s"},"secrets":{"%s":{"username":"%s","password":"%s"}}}\n' \
      "$RMQ_BROKER_ARN" "$RMQ_URI" "$RMQ_SECRET_ARN" "$RMQ_USER" "$RMQ_PASSWORD" >"$TMP/resources.json"
    SERVE_FLAGS=(--resources-file "$TMP/resources.json")
  fi
  "$LAUNCHER" serve --port 0 --data-dir "$DATA" "${SERVE_FLAGS[@]}" >"$TMP/lamina.log" 2>&1 &
  LAMINA_PID=$!
  echo "$LAMINA_PID" >>"$PIDS"
  EP=""
  for _ in $(seq 900); do
    EP=$(sed -n 's/.*Lamina ready on \(http:[^ ]*\).*/\1/p' "$TMP/lamina.log" | head -1)
    [[ -n $EP ]] && break
    alive "$LAMINA_PID" || { cat "$TMP/lamina.log" >&2; die "Lamina exited during start"; }
    sleep 0.1
  done
  [[ -n $EP ]] || die "Lamina not ready after 90 s"
  note "Lamina pid $LAMINA_PID on $EP (log $TMP/lamina.log)"
  sleep 2
  server_line idle

  families=""
  for wc in $WARM_CASES; do families="$families ${wc%%:*}"; done
  has_case overhead && families="$families $OVERHEAD_RUNTIMES"
  has_case gateway && families="$families node"
  families=$(echo "$families" | tr ' ' '\n' | awk 'NF && !seen[$0]++' | paste -sd, -)
  if [[ -n $families ]] && { has_case warm || has_case overhead || has_case gateway; }; then
    driver "$TMP/setup.out" setup --endpoint "$EP" --lib "$LIB" --families "$families" --memory "$MEMORY" \
      || die "creating the benchmark functions failed"
  fi

  # ---------------------------------------------------------------------------- JIT warm-up
  # Lamina's JVM compiles its hot paths during the first seconds of load; without this the first
  # case of the first run measures the JIT (and the JIT's CPU) as much as Lamina.
  first_rt=$(echo "$families" | cut -d, -f1)
  if [[ -n $first_rt ]] && (( JIT_WARMUP > 0 )) && has_case warm; then
    note "JIT warm-up: ${JIT_WARMUP}s of c=4 on bench-$first_rt (discarded)"
    wrk_run POST "$EP/2015-03-31/functions/bench-$first_rt/invocations" 4 "$JIT_WARMUP" || die "JIT warm-up failed"
  fi

  # ---------------------------------------------------------------------------- peer
  PEER_OK=0
  if has_case peer || has_case async || has_case gateway; then
    if [[ ! -f $PEER_DIR/node_modules/serverless-offline/package.json ]]; then
      if [[ -d $PEER_SRC ]]; then
        note "setting up the peer in $PEER_DIR (npm ci, once)"
        mkdir -p "$PEER_DIR" && cp -r "$PEER_SRC/." "$PEER_DIR/" && chmod -R u+w "$PEER_DIR"
        (cd "$PEER_DIR" && ./setup.sh >&2) || note "peer setup failed; peer skipped"
      else
        note "peer not found at $PEER_SRC; peer skipped"
      fi
    fi
    [[ -f $PEER_DIR/node_modules/serverless-offline/package.json ]] && PEER_OK=1
  fi

  # ---------------------------------------------------------------------------- warm, alternating with the peer
  if has_case warm || { has_case peer && [[ $PEER_OK == 1 ]]; }; then
    for run in $(seq "$RUNS"); do
      if has_case warm; then
        for wc in $WARM_CASES; do
          rt=${wc%%:*}; c=${wc##*:}
          url="$EP/2015-03-31/functions/bench-$rt/invocations"
          # Until c environments are warm; a failure is recorded and the case skipped, the run goes on.
          if ! driver "$TMP/prewarm.out" prewarm --endpoint "$EP" --function "bench-$rt" --concurrency "$c"; then
            out "lamina invoke runtime=$rt c=$c run=$run tool=wrk error=prewarm-failed"; continue
          fi
          if (( WARMUP > 0 )) && ! wrk_run POST "$url" "$c" "$WARMUP"; then
            out "lamina invoke runtime=$rt c=$c run=$run tool=wrk error=wrk-failed"; continue
          fi
          # CPU spent during the measured run, per invocation: Lamina's JVM, and its runtime processes
          kids=$(descendants "$LAMINA_PID"); jvm0=$(cpu_ticks "$LAMINA_PID"); rt0=$(cpu_ticks $kids)
          if ! wrk_run POST "$url" "$c" "$DURATION"; then
            out "lamina invoke runtime=$rt c=$c run=$run tool=wrk error=wrk-failed"; continue
          fi
          jvm1=$(cpu_ticks "$LAMINA_PID"); rt1=$(cpu_ticks $(descendants "$LAMINA_PID"))
          reqs=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$TMP/wrk.res")
          cpu=$(awk -v j=$((jvm1 - jvm0)) -v r=$((rt1 - rt0)) -v n="${reqs:-0}" -v hz="$CLK_TCK" \
            'BEGIN { if (n > 0) printf "lamina_cpu_us=%.0f runtime_cpu_us=%.0f", j * 1e6 / hz / n, r * 1e6 / hz / n }')
          out "lamina invoke runtime=$rt c=$c run=$run tool=wrk $(cat "$TMP/wrk.res") envs=$(env_count "bench-$rt") $cpu"
        done
      fi
      if has_case peer && [[ $PEER_OK == 1 ]]; then
        peer_run "$PEER_CASES" "$run"
      fi
    done
  fi

  # ---------------------------------------------------------------------------- gateway (issue 5)
  if has_case gateway; then
    run_child "${DRIVER[@]}" http-api --endpoint "$EP" --function bench-node >"$TMP/httpapi.out" \
      || die "creating the benchmark HTTP API failed"
    gw_url=$(tail -1 "$TMP/httpapi.out")
    inv_url="$EP/2015-03-31/functions/bench-node/invocations"
    max_c=$(echo "$GATEWAY_C" | tr ' ' '\n' | sort -n | tail -1)
    driver "$TMP/prewarm.out" prewarm --endpoint "$EP" --function bench-node --concurrency "$max_c" \
      || die "pre-warming bench-node failed"
    note "gateway: $gw_url beside $inv_url, c in $GATEWAY_C"
    for run in $(seq "$RUNS"); do
      for c in $GATEWAY_C; do
        for door in invoke httpapi; do
          if [[ $door == invoke ]]; then method=POST url=$inv_url; else method=GET url=$gw_url; fi
          if (( WARMUP > 0 )) && ! wrk_run "$method" "$url" "$c" "$WARMUP"; then
            out "lamina gateway door=$door c=$c run=$run tool=wrk error=wrk-failed"; continue
          fi
          if wrk_run "$method" "$url" "$c" "$DURATION"; then
            out "lamina gateway door=$door c=$c run=$run tool=wrk $(cat "$TMP/wrk.res") envs=$(env_count bench-node)"
          else
            out "lamina gateway door=$door c=$c run=$run tool=wrk error=wrk-failed"
          fi
        done
      done
      if [[ $PEER_OK == 1 ]]; then
        peer_run "$(for c in $GATEWAY_C; do printf 'http:%s ' "$c"; done)" "$run"
      fi
    done
  fi

  # ---------------------------------------------------------------------------- overhead
  if has_case overhead; then
    for rt in $OVERHEAD_RUNTIMES; do
      # A shell runtime needs ~10-30 ms after each response before it asks for the next event (mktemp,
      # curl): back-to-back invokes would wait for it and count that as overhead. Space them out.
      gap=0; [[ $rt == provided ]] && gap=$OVERHEAD_GAP_MS_PROVIDED
      driver "$TMP/overhead.out" overhead --endpoint "$EP" --function "bench-$rt" --family "$rt" --n "$OVERHEAD_N" \
        --warmup 200 --gap-ms "$gap" || out "lamina overhead runtime=$rt error=failed"
    done
  fi
  sleep 2
  server_line after-warm
  # The same after a full GC: heap_used is then the live set (what Lamina retains), the rest was garbage.
  "$LAMINA_JAVA_HOME/bin/jcmd" "$LAMINA_PID" GC.run >/dev/null 2>&1 && server_line after-warm-gc

  # ---------------------------------------------------------------------------- cold
  if has_case cold; then
    for rt in $COLD_RUNTIMES; do
      driver "$TMP/cold.out" cold --endpoint "$EP" --lib "$LIB" --family "$rt" --samples "$COLD_SAMPLES" \
        --memory "$MEMORY" || note "cold start of $rt failed (see above)"
    done
  fi

  if has_case async; then
    note "async: delivery latency on an idle queue ($ASYNC_N events), then accepted Event invokes/s at c=$ASYNC_C"
    driver "$TMP/async.out" async-latency --endpoint "$EP" --n "$ASYNC_N" || note "async latency measure failed"
    url="$EP/2015-03-31/functions/bench-async-ping/invocations"
    export WRK_HEADER="X-Amz-Invocation-Type: Event" WRK_BODY='{"seq":-1,"port":9}'
    for run in $(seq "$RUNS"); do
      if wrk_run POST "$url" "$ASYNC_C" "$DURATION"; then
        out "lamina async-accept c=$ASYNC_C run=$run tool=wrk $(cat "$TMP/wrk.res")"
      else
        out "lamina async-accept c=$ASYNC_C run=$run tool=wrk error=wrk-failed"
      fi
      # The accepted events still run after wrk stops; the next round starts on an empty queue.
      t0=$(date +%s)
      while :; do
        backlog=$(curl -s "$EP/_lamina/async" | tr '{},' '\n\n\n' | awk -F: '/"Queued"|"InFlight"|"Delivering"/ { s += $2 } END { print s + 0 }')
        [[ $backlog == 0 ]] && break
        (( $(date +%s) - t0 > 300 )) && { note "async queue still holds $backlog events after 300 s"; break; }
        sleep 1
      done
      out "lamina async-drain c=$ASYNC_C run=$run seconds=$(( $(date +%s) - t0 ))"
      if [[ $PEER_OK == 1 ]]; then
        # The peer's own bench.sh, its Invoke case with the same Event header: our wrk script is its
        # script plus WRK_HEADER, swapped in for this round only. Its 202 is not durable (memory only).
        cp "$bench/wrk-report.lua" "$PEER_DIR/wrk-report.lua"
        (cd "$PEER_DIR" && exec env DURATION="$DURATION" WARMUP="$WARMUP" CASES="invoke:$ASYNC_C" WRK_THREADS="$WRK_THREADS" \
          HTTP_PORT="$(free_port)" LAMBDA_PORT="$(free_port)" LOAD_TOOL=wrk ./bench.sh) >"$TMP/peer.out" 2>"$TMP/peer.err" &
        CHILD_PID=$!
        prc=0; wait "$CHILD_PID" || prc=$?; CHILD_PID=""
        cp "$PEER_SRC/wrk-report.lua" "$PEER_DIR/wrk-report.lua"
        if [[ $prc != 0 ]]; then cat "$TMP/peer.err" >&2; note "peer async run $run failed (rc $prc)"; fi
        sed -n 's/^peer invoke /peer async-accept /p' "$TMP/peer.out" | while IFS= read -r line; do out "$line run=$run"; done
      fi
    done
    # Intake alone: the same Event invokes into a function that cannot keep up, so that the queue takes a
    # burst while the function's work stays out of the way; the backlog is dropped by deleting the function.
    if driver "$TMP/busy.out" async-busy --endpoint "$EP"; then
      url="$EP/2015-03-31/functions/bench-async-busy/invocations"
      for run in $(seq "$RUNS"); do
        if wrk_run POST "$url" "$ASYNC_C" "$DURATION"; then
          out "lamina async-intake c=$ASYNC_C run=$run tool=wrk $(cat "$TMP/wrk.res")"
        else
          out "lamina async-intake c=$ASYNC_C run=$run tool=wrk error=wrk-failed"
        fi
      done
      driver "$TMP/busy.out" delete --endpoint "$EP" --function bench-async-busy || true
    else
      note "async intake measure: set-up failed"
    fi
    unset WRK_HEADER WRK_BODY
  fi

  # ---------------------------------------------------------------------------- rmq
  if has_case rmq; then
    note "rmq: $RMQ_MESSAGES messages per batch size ($RMQ_BATCH_SIZES) through a mapping, a raw consumer, idle latency"
    driver "$TMP/rmq.out" rmq --endpoint "$EP" --amqp "$RMQ_URI" --user "$RMQ_USER" --password "$RMQ_PASSWORD" \
      --broker-arn "$RMQ_BROKER_ARN" --secret-arn "$RMQ_SECRET_ARN" --messages "$RMQ_MESSAGES" \
      --batch-sizes "$RMQ_BATCH_SIZES" --latency-n "$RMQ_LATENCY_N" || note "rmq measure failed"
  fi

  # ---------------------------------------------------------------------------- kafka
  if has_case kafka; then
    note "kafka: mapping records/s at batch sizes $KAFKA_BATCHES beside a raw consumer, then idle delivery latency"
    # Full JIT here (not the driver's usual C1 only): the raw consumer is the yardstick and runs in this JVM.
    run_child "$JAVA" -XX:+UseSerialGC -cp "$bench/target/classes:$bench/target/lib/*" io.lamina.benchmarks.Bench kafka \
      --endpoint "$EP" --batches "$KAFKA_BATCHES" --records "$KAFKA_RECORDS" --records-batch1 "$KAFKA_RECORDS_BATCH1" \
      --latency-n "$KAFKA_LATENCY_N" >"$TMP/kafka.out" 2>"$TMP/kafka.err" || { tail -20 "$TMP/kafka.err" >&2; note "kafka measure failed"; }
    while IFS= read -r line; do out "$line"; done <"$TMP/kafka.out"
  fi

  # ---------------------------------------------------------------------------- stop
  t0=$(date +%s.%N)
  stop_pid "$LAMINA_PID" 20
  wait "$LAMINA_PID" 2>/dev/null || true
  stop_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  sleep 0.5
  left=$(leftovers | wc -l)
  out "lamina stop seconds=$stop_s leftover_processes=$left"
  LAMINA_PID=""
fi

# ------------------------------------------------------------------------------ jmh
if has_case jmh; then
  note "JMH: InvokeRouteBenchmark ($JMH_ARGS)"
  # shellcheck disable=SC2086
  run_child "$JAVA" -cp "$bench/target/classes:$bench/target/lib/*" org.openjdk.jmh.Main InvokeRouteBenchmark \
    $JMH_ARGS -rf csv -rff "$TMP/jmh.csv" >"$TMP/jmh.out" 2>&1 || { tail -30 "$TMP/jmh.out" >&2; die "JMH failed"; }
  tail -n +2 "$TMP/jmh.csv" | tr -d '"' | while IFS=, read -r name mode threads samples score err unit; do
    out "lamina jmh benchmark=${name##*.} mode=$mode score=$score error=$err unit=$unit"
  done
fi

# ------------------------------------------------------------------------------ sqs
if has_case sqs; then
  note "SQS mapping: $SQS_MESSAGES messages per batch size, beside the raw client"
  run_child "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$bench/target/classes:$bench/target/lib/*" \
    io.lamina.benchmarks.SqsBench "$SQS_MESSAGES" >"$TMP/sqs.out" 2>&1 || { tail -30 "$TMP/sqs.out" >&2; die "SqsBench failed"; }
  grep '^sqs ' "$TMP/sqs.out" | while IFS= read -r line; do out "lamina $line"; done
fi

# ------------------------------------------------------------------------------ medians and targets
awk '
  function kv(line,   i, n, a, p) { delete f; n = split(line, a, " "); for (i = 1; i <= n; i++) { p = index(a[i], "="); if (p) f[substr(a[i], 1, p - 1)] = substr(a[i], p + 1) } }
  function median(list,   n, a, i, j, t) { n = split(list, a, ","); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                                           return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function add(key, name, v) { vals[key, name] = (vals[key, name] == "" ? "" : vals[key, name] ",") v }
  $1 == "lamina" && $2 == "invoke" && !/ error=/ { kv($0); k = "lamina invoke runtime=" f["runtime"] " c=" f["c"]; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
                                     add(k, "rps", f["rps"]); add(k, "p50_ms", f["p50_ms"]); add(k, "p99_ms", f["p99_ms"]); runs[k]++ }
  $1 == "lamina" && $2 == "gateway" && !/ error=/ { kv($0); k = "lamina gateway door=" f["door"] " c=" f["c"]; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
                                     add(k, "rps", f["rps"]); add(k, "p50_ms", f["p50_ms"]); add(k, "p99_ms", f["p99_ms"]); runs[k]++ }
  $1 == "peer" && ($2 == "invoke" || $2 == "http") && / rps=[0-9]/ { kv($0); k = "peer " $2 " c=" f["c"]; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
                                     add(k, "rps", f["rps"]); add(k, "p50_ms", f["p50_ms"]); add(k, "p99_ms", f["p99_ms"]); runs[k]++ }
  END { for (i = 1; i <= n; i++) { k = order[i]
          printf "%s median_of=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f all_rps=%s\n", k, runs[k], median(vals[k, "rps"]), median(vals[k, "p50_ms"]), median(vals[k, "p99_ms"]), vals[k, "rps"] } }
' "$RESULTS" | sed 's/^\(lamina invoke\|lamina gateway\|peer invoke\|peer http\)/\1-median/' | while IFS= read -r line; do out "$line"; done

target() { # <name> <value> <op> <limit> <unit>
  local met
  if [[ -z $2 || $2 == NaN ]]; then met=unmeasured
  else met=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { print ((op == "<=" ? v + 0 <= l + 0 : v + 0 >= l + 0) ? "yes" : "no") }'); fi
  out "target $1 value=${2:-none} limit=$3$4$5 met=$met"
}
field() { # <line prefix regex> <field>: the field of the last matching line; empty (and success) if none
  { grep -E "$1" "$RESULTS" || true; } | tail -1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}
target warm_overhead_p50 "$(field '^lamina overhead runtime=node ' overhead_p50_ms)" '<=' 1 ms
target node_c16_rps "$(field '^lamina invoke-median runtime=node c=16 ' rps)" '>=' 5000 /s
target cold_node_p50 "$(field '^lamina cold runtime=node ' p50_ms)" '<=' 150 ms
target cold_python_p50 "$(field '^lamina cold runtime=python ' p50_ms)" '<=' 150 ms
target cold_java_p50 "$(field '^lamina cold runtime=java ' p50_ms)" '<=' 700 ms
median_of() { # <line prefix regex>: median rps of the matching lines
  grep -E "$1" "$RESULTS" | tr ' ' '\n' | sed -n 's/^rps=//p' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
target async_intake_rps "$(median_of '^lamina async-intake .* rps=')" '>=' 5000 /s
target async_accept_while_delivering_rps "$(median_of '^lamina async-accept .* rps=')" '>=' 5000 /s
target async_delivery_p50 "$(field '^lamina async-latency ' delivery_p50_ms)" '<=' 10 ms
target kafka_batch1000_of_raw "$(field '^lamina kafka-mapping batch=1000 ' of_raw)" '>=' 0.7 ''
# Not a target: what the Node.js runtime alone allows one partition, as a fraction of the raw consumer.
floor=$(field '^lamina kafka-node-floor ' ceiling_of_raw); [[ -n $floor ]] && out "info kafka_node_ceiling_of_raw value=$floor"
target kafka_idle_delivery_p50 "$(field '^lamina kafka-latency ' delivery_p50_ms)" '<=' 50 ms
for c in $GATEWAY_C; do # the gateway's added p50 over a direct Invoke, from the medians of the same run
  gw=$(field "^lamina gateway-median door=httpapi c=$c " p50_ms); inv=$(field "^lamina gateway-median door=invoke c=$c " p50_ms)
  [[ -n $gw && -n $inv ]] && target "gateway_added_p50_c$c" "$(awk -v a="$gw" -v b="$inv" 'BEGIN { printf "%.3f", a - b }')" '<=' 0.5 ms
done
target server_start "$(field '^lamina start samples=' ready_s)" '<=' 1.5 s
target idle_rss "$(field '^lamina start samples=' idle_rss_mb)" '<=' 200 MB
target idle_rss_after_warm "$(field '^lamina server phase=after-warm ' rss_mb)" '<=' 200 MB
target sqs_idle_delivery_p50 "$(grep -E "^lamina sqs idle_latency_ms " "$RESULTS" | tail -1 | tr " " "\n" | sed -n "s/^p50=//p")" '<=' 50 ms
note "results appended to $RESULTS"
