#!/usr/bin/env bash
# Pull and push of a ~200 MB image of 6 layers (incompressible data) through a local registry
# (Debian's docker-registry on 127.0.0.1), in MB/s of image size, and the re-pull of a present
# image in ms, all as the docker CLI sees them, against the daemon at $DOCKER_HOST.
#   DOCKER_HOST=unix:///run/wharf/wharf.sock bench/registry.sh
#   ANCHOR_HOST=unix:///var/run/docker.sock ...   also measures that daemon (a real Docker) beside it
#   ROUNDS=2 ...   measures twice (the second round on a daemon whose JIT has warmed up)
# Beside the wall time it prints the daemon's CPU seconds for each operation (from /proc, when the
# daemon's pid is found through its socket): on a shared machine that figure moves less than the
# wall time. Needs docker-registry, the docker CLI, python3 (free ports), sha256sum, ss. Never
# starts dockerd.
set -euo pipefail
: "${DOCKER_HOST:?point DOCKER_HOST at the wharfd to measure}"
W=$(mktemp -d /tmp/wharf-bench-registry.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
export DOCKER_CONFIG=$W/docker-config; mkdir -p "$DOCKER_CONFIG"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
registry() { # name -> sets REG to host:port (not in a subshell, so the cleanup knows the pid)
  local port; port=$(free_port); ROUND_N=$(( ${ROUND_N:-0} + 1 ))
  cat > "$W/$1-$ROUND_N.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $W/$1-$ROUND_N-data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
YML
  docker-registry serve "$W/$1-$ROUND_N.yml" > "$W/$1-$ROUND_N.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
  REG="127.0.0.1:$port"
}

# a docker-archive: busybox base + 5 layers of 40 MB of random bytes
mkdir -p "$W/img" "$W/root/bin"
cp /bin/busybox "$W/root/bin/" && ln -sf busybox "$W/root/bin/sh"
tar -C "$W/root" -cf "$W/img/l0.tar" .
for i in 1 2 3 4 5; do
  mkdir -p "$W/l$i/data"; head -c 40000000 /dev/urandom > "$W/l$i/data/blob$i"
  tar -C "$W/l$i" -cf "$W/img/l$i.tar" .
done
diffs=""; layers=""; bytes=0
for i in 0 1 2 3 4 5; do
  d=$(sha256sum "$W/img/l$i.tar" | cut -d' ' -f1)
  diffs="$diffs${diffs:+,}\"sha256:$d\""; layers="$layers${layers:+,}\"l$i.tar\""
  bytes=$((bytes + $(stat -c %s "$W/img/l$i.tar")))
done
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
  "$diffs" > "$W/img/config.json"
printf '[{"Config":"config.json","RepoTags":["bench/registry:1"],"Layers":[%s]}]' "$layers" > "$W/img/manifest.json"
tar -C "$W/img" -cf "$W/image.tar" .
mb=$(awk "BEGIN{printf \"%.0f\", $bytes/1000000}")

ms() { local s e; s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
rate() { awk "BEGIN{printf \"%.0f\", $bytes/1000000/($1/1000)}"; }

repull_ms() { # repo tag -> median ms of 7 re-pulls through the API (curl, no CLI start-up)
  local sock=${DOCKER_HOST#unix://} t=()
  for _ in 1 2 3 4 5 6 7; do
    t+=("$(curl -s -o /dev/null -w '%{time_total}' --unix-socket "$sock" -X POST -H 'X-Registry-Auth: e30=' \
      "http://d/images/create?fromImage=$1&tag=$2")")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.0f", a[int((NR+1)/2)]*1000}'
}

daemon_pid() { # the pid listening on $DOCKER_HOST's socket, or empty
  ss -xlpn 2>/dev/null | awk -v s="${DOCKER_HOST#unix://}" '$5 == s' | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2
}
cpu_ticks() { [ -n "$PID" ] && awk '{print $14 + $15}' "/proc/$PID/stat" || echo 0; }
timed() { # label target cmd... -> one line: wall, MB/s, the daemon's CPU seconds for it
  local label=$1 target=$2; shift 2
  local c0 t c1; c0=$(cpu_ticks); t=$(ms "$@"); c1=$(cpu_ticks)
  printf '  %-34s %6s ms %5s MB/s  daemon CPU %5.2f s   (target %s)\n' "$label" "$t" "$(rate "$t")" \
    "$(awk "BEGIN{print ($c1 - $c0) / $HZ}")" "$target"
}

measure() { # label
  PID=$(daemon_pid); HZ=$(getconf CLK_TCK)
  RSS0=$([ -n "$PID" ] && awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status" || echo "?")
  registry a; A=$REG; registry b; B=$REG   # fresh, empty registries for each round
  echo "$1 (daemon pid ${PID:-unknown}; load average $(cut -d' ' -f1-3 /proc/loadavg); registries $A and $B)"
  docker load -i "$W/image.tar" > /dev/null
  docker tag bench/registry:1 "$A/bench:1"
  timed "push of a loaded image (gzip)" ">= 75 MB/s" docker push "$A/bench:1"
  docker rmi bench/registry:1 "$A/bench:1" > /dev/null
  timed "pull" ">= 170 MB/s" docker pull "$A/bench:1"
  [ -n "$PID" ] && sleep 4 && echo "  idle RSS after the pull: $(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status") MiB (at the start of the round: $RSS0 MiB)"
  local c0; c0=$(cpu_ticks)
  printf '  %-34s %6s ms (median of 7, API)       daemon CPU %5.3f s each  (target < 50 ms)\n' "re-pull of a present image" \
    "$(repull_ms "$A/bench" 1)" "$(awk "BEGIN{print ($(cpu_ticks) - $c0) / $HZ / 7}")"
  docker tag "$A/bench:1" "$B/bench:1"
  timed "push of a pulled image" ">= 75 MB/s" docker push "$B/bench:1"
  docker rmi "$A/bench:1" "$B/bench:1" > /dev/null
}

echo "image: 6 layers, $mb MB uncompressed (incompressible)"
for r in $(seq "${ROUNDS:-1}"); do measure wharf; done
if [ -n "${ANCHOR_HOST:-}" ]; then
  DOCKER_HOST=$ANCHOR_HOST measure docker
else
  echo "docker   (no Docker daemon measured; set ANCHOR_HOST to one; recorded here: pull 113 MB/s, push 50 MB/s)"
fi
