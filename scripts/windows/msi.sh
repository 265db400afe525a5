#!/usr/bin/env bash
# make msi: dist/SyncGuard-<version>.msi from packaging/windows/SyncGuard.wxs with wixl
# (Debian's msitools), around the executables make windows built.
#   scripts/windows/msi.sh [VERSION [OUT.msi]]   (msi-test builds a newer one to upgrade to)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${1:-$(sed -n 's/^const Version = "\(.*\)"$/\1/p' internal/version/version.go)}
msi=${2:-dist/SyncGuard-$version.msi}
wixl -a x64 -D Version="$version" -D Dist=dist -D Gen=.cache/windows -o "$msi" packaging/windows/SyncGuard.wxs
# wixl 0.101 writes Root="HKMU" as 4 in the Registry table, which Windows Installer does
# not know; HKMU is -1 (HKCU per user, HKLM per machine).
msibuild "$msi" -q 'UPDATE `Registry` SET `Root` = -1 WHERE `Root` = 4'
ls -l "$msi"
