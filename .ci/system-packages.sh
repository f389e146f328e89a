#!/usr/bin/env bash
# The Debian packages the test suite needs, installed once here (specs never install anything; a spec that
# lacks one fails and names this script). Needs root; installs only what is missing.
#   postgresql-15  a second, real Postgres server and its client programs (pg_dump/pg_restore specs)
#   pgbouncer      the PgBouncer spec
#   redis-server   the Redis specs, when no Redis answers on 127.0.0.1:6379
#   docker-compose `docker-compose config` of docker-compose.yml (needs no Docker daemon)
#   chromium       the browser the console spec drives (test/console.e2e-spec.ts, through playwright-core)
set -euo pipefail
packages=(postgresql-15 pgbouncer redis-server docker-compose chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${packages[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${missing[*]} — run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
