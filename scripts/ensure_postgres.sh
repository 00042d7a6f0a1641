#!/usr/bin/env bash
# A real PostgreSQL server for the test that runs the store against a shared database.
# Installed from Debian's packages when missing (root only); the test starts its own throwaway cluster.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian's postgresql (for the shared-database store test)..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "PostgreSQL is missing; the PostgreSQL store test will be skipped. Install it with: sudo apt-get install postgresql" >&2
exit 0
