#!/usr/bin/env bash
# Image store figures against the daemon at $DOCKER_HOST, as the docker CLI and the API see them:
#   import of a 2 MB rootfs (API, median of 7), docker load / save of a ~200 MB image of
#   incompressible layers (MB/s), commit of a container with 100 MB of changes, rmi of the 200 MB
#   image, container delete (API, median of 7), and the daemon's resident memory (VmRSS) at the
#   start and idle after each heavy operation (issue 15: within 20% of the start figure).
# Beside each wall time: the daemon's CPU seconds for it (from /proc, when the daemon's pid is found
# through its socket), which moves less than wall time on a shared machine, and the floor of the
# same work done by plain tools on this machine at this moment (tar -x, cat, rm -rf).
#   DOCKER_HOST=unix:///run/wharf/wharf.sock bench/transfer.sh
# Needs the docker CLI, curl, ss, bc. Never starts dockerd.
set -euo pipefail
: "${DOCKER_HOST:?point DOCKER_HOST at the daemon to measure}"
SOCK=${DOCKER_HOST#unix://}
W=$(mktemp -d /tmp/wharf-bench-transfer.XXXXXX)
trap 'rm -rf "$W"' EXIT
export DOCKER_CONFIG=$W/docker-config; mkdir -p "$DOCKER_CONFIG"
HZ=$(getconf CLK_TCK)
PID=$(ss -xlpn 2>/dev/null | awk -v s="$SOCK" '$5 == s' | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)

now() { date +%s%N; }
cpu() { [ -n "$PID" ] && awk '{print $14 + $15}' "/proc/$PID/stat" || echo 0; }
rss() { [ -n "$PID" ] && awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status" || echo "?"; }
idle_rss() { sleep 4; rss; }   # the daemon gives memory back about 2 s after heavy work
line() { # label wall_ms cpu_ticks extra
  printf '  %-40s %7s ms  daemon CPU %6.2f s  %s\n' "$1" "$2" "$(echo "$3 / $HZ" | bc -l)" "${4:-}"
}
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
api_ms() { # method path [curl args...] -> ms
  local m=$1 p=$2; shift 2
  curl -s -o /dev/null -w '%{time_total}\n' --unix-socket "$SOCK" -X "$m" "$@" "http://d$p" \
    | awk '{printf "%.1f\n", $1 * 1000}'
}

echo "daemon pid ${PID:-unknown}; load average $(cut -d' ' -f1-3 /proc/loadavg); RSS at start $(rss) MiB"
start_rss=$(rss)

# --- import of a 2 MB rootfs: static busybox and its applet links
"$(dirname "$(readlink -f "$0")")/../scripts/make-busybox-rootfs.sh" "$W/base.tar" > /dev/null
# The first import is reported on its own: on a daemon just started it includes loading and
# compiling the import's code (a JVM's warm-up; Docker's Go binary has none), which a median of
# seven would hide in one run and show in the next.
first=$(api_ms POST "/images/create?fromSrc=-&repo=bench/import&tag=0" -H 'Content-Type: application/x-tar' \
  --data-binary @"$W/base.tar")
c0=$(cpu); t=()
for i in 1 2 3 4 5 6 7; do
  t+=("$(api_ms POST "/images/create?fromSrc=-&repo=bench/import&tag=$i" -H 'Content-Type: application/x-tar' \
    --data-binary @"$W/base.tar")")
done
c1=$(cpu)
f=(); for i in 1 2 3; do rm -rf "$W/x"; mkdir "$W/x"; s=$(now); tar -C "$W/x" -xf "$W/base.tar"; sync -f "$W/x"; e=$(now); f+=($(( (e - s) / 1000000 ))); done
line "$(printf 'import of a %.1f MB rootfs (API, median of 7)' "$(echo "$(stat -c %s "$W/base.tar") / 1000000" | bc -l)")" \
  "$(printf '%s\n' "${t[@]}" | median)" "$(( (c1 - c0) / 7 ))" \
  "(target <= 100 ms; the first import: $first ms; floor: tar -x + syncfs $(printf '%s\n' "${f[@]}" | median) ms)"
for i in 0 1 2 3 4 5 6 7; do docker rmi "bench/import:$i" > /dev/null; done
rm -rf "$W/x"
docker import "$W/base.tar" bench/base:1 > /dev/null

# --- a ~200 MB image of four incompressible layers
mkdir -p "$W/big/data"
for i in 1 2 3 4; do head -c 50000000 /dev/urandom > "$W/big/data/blob$i"; done
tar -C "$W/big" -cf "$W/big.tar" .
docker import "$W/big.tar" bench/big:1 > /dev/null
rm -rf "$W/big" "$W/big.tar"
s=$(now); docker save -o "$W/saved.tar" bench/big:1; e=$(now)
mb=$(echo "$(stat -c %s "$W/saved.tar") / 1000000" | bc -l)
c0=$(cpu); s=$(now); docker save bench/big:1 > /dev/null; e=$(now); c1=$(cpu)
save_ms=$(( (e - s) / 1000000 ))
s=$(now); cat "$W/saved.tar" > /dev/null; e=$(now); floor=$(( (e - s) / 1000000 ))
line "$(printf 'save %.0f MB' "$mb")" "$save_ms" "$((c1 - c0))" \
  "$(printf '%4.0f MB/s  (target >= 250 MB/s; floor: cat %s ms)' "$(echo "$mb / ($save_ms / 1000)" | bc -l)" "$floor")"
echo "  idle RSS after save: $(idle_rss) MiB"
c0=$(cpu); s=$(now); docker rmi bench/big:1 > /dev/null; e=$(now); c1=$(cpu)
line "rmi of the $(printf '%.0f' "$mb") MB image" "$(( (e - s) / 1000000 ))" "$((c1 - c0))" "(target <= 169 ms, Docker's)"
c0=$(cpu); s=$(now); docker load -q -i "$W/saved.tar" > /dev/null; e=$(now); c1=$(cpu)
load_ms=$(( (e - s) / 1000000 ))
line "$(printf 'load %.0f MB' "$mb")" "$load_ms" "$((c1 - c0))" \
  "$(printf '%4.0f MB/s  (target >= 204 MB/s, 1.5x Docker)' "$(echo "$mb / ($load_ms / 1000)" | bc -l)")"
echo "  idle RSS after load: $(idle_rss) MiB"

# --- commit of 100 MB of changes
docker run --name bench-commit --network none bench/base:1 sh -c \
  'i=0; while [ $i -lt 100 ]; do head -c 1000000 /dev/urandom > /f$i; i=$((i+1)); done'
c0=$(cpu); s=$(now); docker commit bench-commit bench/committed:1 > /dev/null; e=$(now); c1=$(cpu)
line "commit of 100 MB of changes" "$(( (e - s) / 1000000 ))" "$((c1 - c0))"
echo "  idle RSS after commit: $(idle_rss) MiB"
docker rm bench-commit > /dev/null

# --- container delete through the API
ids=(); for i in 1 2 3 4 5 6 7; do ids+=("$(docker create --network none bench/base:1 true)"); done
c0=$(cpu); t=(); for id in "${ids[@]}"; do t+=("$(api_ms DELETE "/containers/$id")"); done; c1=$(cpu)
line "container delete (API, median of 7)" "$(printf '%s\n' "${t[@]}" | median)" "$(( (c1 - c0) / 7 ))" "(target <= 6.9 ms, Docker's)"

docker rmi bench/big:1 bench/committed:1 bench/base:1 > /dev/null
end_rss=$(idle_rss)
echo "  idle RSS at the end: $end_rss MiB (start $start_rss MiB; target within 20%: <= $(( start_rss * 12 / 10 )) MiB)"
