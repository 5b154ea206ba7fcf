#!/usr/bin/env bash
# A logical backup of Flight Tracker's database server: pg_dump's custom format (compressed,
# restored whole or in part by pg_restore), TimescaleDB's hypertables, compressed chunks and
# continuous aggregates included, and pg-boss's queue. Restore it with scripts/restore.sh.
#
#   scripts/backup.sh <file> [database-url]        (the URL defaults to DATABASE_URL)
#
# With docker-compose.yml, inside the database's container (the scripts and ./backups are mounted):
#   docker compose exec timescaledb backup.sh /backups/flights-$(date +%F).dump postgresql://flights@/flights
#
# pg_dump must be of the server's major version or newer; PG_BIN names the folder of the one
# to use (default: the first on PATH). Beside the dump, <file>.versions records the PostgreSQL
# and TimescaleDB versions it came from: restore into the same TimescaleDB version.
set -euo pipefail

die() { printf 'backup: %s\n' "$*" >&2; exit 1; }
file=${1:-}
url=${2:-${DATABASE_URL:-}}
[ -n "$file" ] || die "usage: scripts/backup.sh <file> [database-url]"
[ -n "$url" ] || die "no database: pass its URL or set DATABASE_URL"
bin=${PG_BIN:+$PG_BIN/}

versions=$("${bin}psql" "$url" --no-psqlrc --tuples-only --no-align --set ON_ERROR_STOP=1 --command \
  "SELECT 'postgresql=' || current_setting('server_version') || E'\ntimescaledb=' || coalesce((SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'), 'none')")

# The dump holds accounts and email addresses: readable by its owner only. Written beside, then
# renamed: a failed dump never leaves a file that looks whole, nor its partial copy.
umask 077
trap 'rm -f "$file.partial"' ERR
"${bin}pg_dump" --dbname="$url" --format=custom --compress=6 --file="$file.partial"
mv -f "$file.partial" "$file"
printf '%s\n' "$versions" > "$file.versions"
printf 'backup: %s (%s)\n' "$file" "$(tr '\n' ' ' < "$file.versions" | sed 's/ $//')" >&2
