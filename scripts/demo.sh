#!/usr/bin/env bash
# Wharf's main job on a fresh machine, as root: install what it needs, build, start wharfd,
# make a small image locally from busybox-static, and run a container from it.
#   scripts/demo.sh            leaves wharfd running on unix:///run/wharf/wharf.sock
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$top"
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
scripts/install-deps.sh
echo "building (./mvnw -DskipTests package) ..."
./mvnw -B -q -DskipTests package
scripts/train-wharfd.sh   # wharfd's AOT cache: a faster daemon start (optional; a warning if it fails)
sock=/run/wharf/wharf.sock
export WHARF_HOST=unix://$sock
if ! bin/wharf version >/dev/null 2>&1; then
  mkdir -p /var/log
  nohup bin/wharfd >/var/log/wharfd.log 2>&1 &
  for _ in $(seq 1 100); do bin/wharf version >/dev/null 2>&1 && break; sleep 0.1; done
  echo "wharfd started (log: /var/log/wharfd.log, socket: $sock)"
fi
tar=$(mktemp /tmp/busybox-rootfs.XXXXXX.tar)
scripts/make-busybox-rootfs.sh "$tar"
bin/wharf import --change 'CMD ["sh"]' "$tar" busybox:local
rm -f "$tar"
bin/wharf images
bin/wharf run --rm busybox:local echo "hello from a Wharf container"
echo "try: DOCKER_HOST=$WHARF_HOST docker run --rm -it busybox:local sh"
