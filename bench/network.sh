#!/usr/bin/env bash
# Request latency through a published port and direct (dev.wharf.bench.NetBench).
#   bench/network.sh                        # starts its own wharfd on temporary roots
#   bench/network.sh --host unix:///PATH    # measures a wharfd that is already running
exec "$(dirname "$(readlink -f "$0")")/java.sh" dev.wharf.bench.NetBench "$@"
