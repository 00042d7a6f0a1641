#!/usr/bin/env bash
# Debian's chromium drives the browser tests and the PNG export; we never download a browser.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium (needed for PNG export and browser tests)..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  exit 0
fi
echo "Chromium is missing. Install it with: sudo apt-get install chromium chromium-driver" >&2
echo "(PNG export and the browser tests need /usr/bin/chromium; everything else works without it.)" >&2
exit 0
