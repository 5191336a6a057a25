#!/usr/bin/env bash
# Makes wharfd's AOT cache (wharf-daemon/target/wharfd.aot), which bin/wharfd uses when it is there:
# the classes of a daemon's start and of its common requests, loaded and linked ahead of time
# (JDK 25, JEP 483/514), roughly halve the time from `bin/wharfd` to its first answer, which is
# most of a daemon restart. The cache is made by a short session on temporary roots: the daemon
# starts with -XX:AOTCacheOutput, answers what clients ask most (version, lists, an import, a
# container run, logs, exec, inspect), and the JVM writes the cache as it exits on SIGTERM.
# As root, after the build (scripts/demo.sh runs it). A failure leaves no cache and is only a warning:
# bin/wharfd then starts without one, as it does when a jar is newer than the cache (a rebuild).
#   scripts/train-wharfd.sh
set -uo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=$top/wharf-daemon/target/wharfd.aot
work=$(mktemp -d /tmp/wharfd-aot.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
fail() { echo "train-wharfd: $*; bin/wharfd will start without an AOT cache" >&2; rm -f "$out"; exit 0; }

rm -f "$out"
sock=$work/wharf.sock
WHARFD_AOT_OUTPUT=$out "$top/bin/wharfd" --data-root "$work/data" --exec-root "$work/exec" --host "unix://$sock" \
  --bridge wharfaot0 --bip 10.251.13.1/24 --default-address-pool base=10.251.32.0/20,size=28 >"$work/log" 2>&1 &
pid=$!
api() { curl -sf --unix-socket "$sock" "$@"; }
for _ in $(seq 1 300); do api -o /dev/null http://d/_ping && break; sleep 0.1; done
api -o /dev/null http://d/_ping || fail "the daemon did not answer ($(tail -n 1 "$work/log"))"

"$top/scripts/make-busybox-rootfs.sh" "$work/rootfs.tar" >/dev/null || fail "no busybox rootfs"
api -o /dev/null -X POST -H 'Content-Type: application/x-tar' --data-binary @"$work/rootfs.tar" \
  "http://d/v1.44/images/create?fromSrc=-&repo=train&tag=1" || fail "import failed"
for p in version info containers/json?all=1 images/json networks volumes system/df images/train:1/json; do
  api -o /dev/null "http://d/v1.44/$p" || fail "GET /$p failed"
done
id=$(api -X POST -H 'Content-Type: application/json' \
  -d '{"Image":"train:1","Cmd":["sh","-c","echo hi; sleep 30"],"HostConfig":{"NetworkMode":"none"}}' \
  "http://d/v1.44/containers/create?name=train" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
[ -n "$id" ] || fail "create failed"
api -o /dev/null -X POST "http://d/v1.44/containers/$id/start" || fail "start failed"
api -o /dev/null "http://d/v1.44/containers/$id/json" || fail "inspect failed"
ex=$(api -X POST -H 'Content-Type: application/json' -d '{"Cmd":["true"],"AttachStdout":true}' \
  "http://d/v1.44/containers/$id/exec" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
[ -n "$ex" ] && api -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"Detach":false,"Tty":false}' \
  "http://d/v1.44/exec/$ex/start"
api -o /dev/null "http://d/v1.44/containers/$id/logs?stdout=1&stderr=1"
api -o /dev/null -X POST "http://d/v1.44/containers/$id/stop?t=1" || fail "stop failed"
api -o /dev/null -X DELETE "http://d/v1.44/containers/$id?force=1" || fail "delete failed"
api -o /dev/null -X DELETE "http://d/v1.44/images/train:1" || fail "image delete failed"

kill -TERM "$pid"
wait "$pid"
pid=
[ -s "$out" ] || fail "the JVM wrote no cache ($(grep -i aot "$work/log" | tail -n 1))"
echo "wharfd's AOT cache: $out ($(( $(stat -c %s "$out") / 1048576 )) MiB)"
