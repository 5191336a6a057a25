#!/usr/bin/env bash
# Builds a minimal busybox root filesystem as a tar, for demos and benchmarks:
#   scripts/make-busybox-rootfs.sh OUT.tar
#   docker import --change 'CMD ["sh"]' OUT.tar busybox:local     (or: wharf import …)
# Contents: /bin/busybox (from busybox-static) and one symlink per applet in /bin, /etc/passwd
# (root, app 1000, nobody 65534), /etc/group, /tmp (1777). The same layout as the tests' image.
set -euo pipefail
out=${1:?usage: $0 OUT.tar}
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "$0: $busybox not found (apt-get install -y busybox-static)" >&2; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
  echo "$0: $busybox is dynamically linked; install busybox-static" >&2; exit 1
fi

work=$(mktemp -d /tmp/busybox-rootfs.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{bin,dev,etc,home/app,proc,sys,usr/bin,usr/sbin,sbin,var/spool,var/log,root,tmp}
chmod 0755 "$root" "$root"/{bin,dev,etc,home,proc,sys,usr,sbin,var}
chmod 0700 "$root/root"
chmod 1777 "$root/tmp"
chown 1000:1000 "$root/home/app"

install -m 0755 "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] && continue
  ln -sf busybox "$root/bin/$applet"
done

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
app:x:1000:
nogroup:x:65534:
GROUP
printf 'root:*:19000:0:99999:7:::\napp:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n' > "$root/etc/shadow"
chmod 0644 "$root/etc/passwd" "$root/etc/group"
chmod 0600 "$root/etc/shadow"

# fixed times and numeric owners, so the same busybox gives the same tar
find "$root" -exec touch -h -d @1700000000 {} +
tar --numeric-owner --sort=name --mtime=@1700000000 -C "$root" -cf "$out.tmp" .
mv "$out.tmp" "$out"
echo "$out"
