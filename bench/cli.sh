#!/usr/bin/env bash
# Start-up of the wharf CLI beside the docker CLI, both against the same wharfd: median wall time
# (and median CPU time, user+sys) of `ps`, `images`, `version` and `run --rm busybox true`, through
# bin/wharf's launcher (wharfd runs the line) and in the CLI's own JVM (WHARF_LAUNCHER=off).
#   bench/cli.sh                        # starts its own wharfd on temporary roots
#   bench/cli.sh --host unix:///PATH    # measures against a wharfd that is already running
#   RUNS=20 WHARF=/other/bin/wharf bench/cli.sh   # runs per figure; another build's CLI to compare
# Build first: ./mvnw -DskipTests package. Needs root (the daemon runs containers).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
export JAVA_HOME=${WHARF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
runs=${RUNS:-20}
wharf=${WHARF:-$top/bin/wharf}
docker=${DOCKER:-/usr/local/bin/docker}
host=
while [ $# -gt 0 ]; do
  case "$1" in
    --host | -H) host=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: bench/cli.sh [--host unix:///PATH] [--runs N]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (the daemon runs containers)" >&2; exit 1; }

work=$(mktemp -d /tmp/wharf-bench-cli.XXXXXX)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then
    kill "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$daemon_pid" 2>/dev/null || true
    if [ -d "$work/exec/runc" ]; then
      for id in $(runc --root "$work/exec/runc" list -q 2>/dev/null); do runc --root "$work/exec/runc" delete -f "$id" || true; done
    fi
    { grep -o " $work/[^ ]*" /proc/self/mountinfo || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

if [ -z "$host" ]; then
  sock=$work/wharf.sock
  mkdir -p "$work/data" "$work/exec"
  "$top/bin/wharfd" --data-root "$work/data" --exec-root "$work/exec" --host "unix://$sock" \
    --bridge "wcli$(printf %04x $((RANDOM)))" </dev/null >"$work/wharfd.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 600); do
    [ -S "$sock" ] && DOCKER_HOST=unix://$sock DOCKER_CONFIG=$work "$docker" version >/dev/null 2>&1 && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/wharfd.log" >&2; exit 1; }
    sleep 0.1
  done
  host=unix://$sock
fi
export DOCKER_HOST=$host DOCKER_CONFIG=$work WHARF_HOST=$host
"$top/scripts/make-busybox-rootfs.sh" "$work/busybox.tar" >/dev/null
"$docker" import --change 'CMD ["sh"]' "$work/busybox.tar" wharf-bench/busybox:latest >/dev/null

# median_ms CMD...: one warm-up, then $runs timed runs; prints "WALL CPU" medians in ms
median_ms() {
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  local walls=() cpus=() t0 t1
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    /usr/bin/time -o "$work/time" -f '%U %S' "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    walls+=($(((t1 - t0) / 1000000)))
    cpus+=($(awk '{printf "%d", ($1 + $2) * 1000}' "$work/time"))
  done
  local mid=$(((runs + 1) / 2))
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}

echo "wharf CLI: $wharf   daemon: $host   runs: $runs   load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(wharf: bin/wharf as a user types it, the launcher having wharfd run the line; own JVM: WHARF_LAUNCHER=off."
echo " The launcher's cpu column is its own process only, not the daemon's share.)"
for cmd in "ps" "images" "version" "run --rm wharf-bench/busybox true"; do
  read -r -a argv <<<"$cmd"
  read -r ww wc < <(median_ms "$wharf" "${argv[@]}")
  read -r jw jc < <(WHARF_LAUNCHER=off median_ms "$wharf" "${argv[@]}")
  read -r dw dc < <(median_ms "$docker" "${argv[@]}")
  printf '%-36s wharf: %4d ms (cpu %3d)   own JVM: %4d ms (cpu %4d)   docker: %4d ms (cpu %4d)\n' "$cmd" \
    "$ww" "$wc" "$jw" "$jc" "$dw" "$dc"
done
