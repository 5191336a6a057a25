#!/bin/sh
# docker load / save of a ~200 MB image of incompressible layers (MB/s), and commit of a container
# with 100 MB of changes, against the wharfd at $DOCKER_HOST (as the docker CLI sees it).
set -eu
W=${WORK:-$(mktemp -d)}
mkdir -p "$W/rootfs/bin"
cp /bin/busybox "$W/rootfs/bin/" && ln -sf busybox "$W/rootfs/bin/sh"
tar -C "$W/rootfs" -cf "$W/base.tar" .
docker import "$W/base.tar" bench/base:1 >/dev/null
for i in 1 2 3 4; do head -c 50000000 /dev/urandom > "$W/rootfs/blob$i"; done
tar -C "$W/rootfs" -cf "$W/big.tar" .
docker import "$W/big.tar" bench/big:1 >/dev/null
size=$(docker save bench/big:1 | wc -c)
mb=$(echo "$size / 1000000" | bc -l)
t0=$(date +%s.%N); docker save -o "$W/saved.tar" bench/big:1; t1=$(date +%s.%N)
docker rmi bench/big:1 >/dev/null
t2=$(date +%s.%N); docker load -q -i "$W/saved.tar" >/dev/null; t3=$(date +%s.%N)
printf 'save %.0f MB: %.0f MB/s\n' "$mb" "$(echo "$mb / ($t1 - $t0)" | bc -l)"
printf 'load %.0f MB: %.0f MB/s\n' "$mb" "$(echo "$mb / ($t3 - $t2)" | bc -l)"
docker run --name bench-commit bench/base:1 sh -c 'i=0; while [ $i -lt 100 ]; do busybox head -c 1000000 /dev/urandom > /f$i; i=$((i+1)); done'
t4=$(date +%s.%N); docker commit bench-commit bench/committed:1 >/dev/null; t5=$(date +%s.%N)
printf 'commit of 100 MB of changes: %.2f s\n' "$(echo "$t5 - $t4" | bc -l)"
docker rm bench-commit >/dev/null; docker rmi bench/big:1 bench/committed:1 bench/base:1 >/dev/null
rm -rf "$W"
