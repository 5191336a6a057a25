#!/usr/bin/env bash
# exec, ps -a with 50 containers, stats and daemon memory (dev.wharf.bench.ContainerBench).
#   bench/containers.sh                              # starts its own wharfd on temporary roots
#   bench/containers.sh --host unix:///PATH --pid N  # measures a wharfd that is already running
exec "$(dirname "$(readlink -f "$0")")/java.sh" dev.wharf.bench.ContainerBench "$@"
