#!/usr/bin/env bash
# 500 running containers (dev.wharf.bench.ScaleBench): start time of the first vs the last, list
# latency, daemon and conmon memory per container, and a daemon restart's time to reconcile them.
#   bench/scale.sh                    # 500 containers, on a wharfd of its own (temporary roots)
#   bench/scale.sh --containers 200   # fewer, on a busy machine
exec "$(dirname "$(readlink -f "$0")")/java.sh" dev.wharf.bench.ScaleBench "$@"
