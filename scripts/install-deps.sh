#!/usr/bin/env bash
# Installs the system packages Wharf runs on and tests with (Debian 12), as root.
# Idempotent: when everything is there already, it installs nothing.
set -euo pipefail
pkgs=(runc conmon netavark aardvark-dns iptables tini busybox-static skopeo docker-registry curl docker-compose gcc libc6-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] || {
  echo "JDK 25 is missing at /usr/lib/jvm/temurin-25-jdk-amd64" >&2; exit 1; }
