#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a NEW database, as TimescaleDB documents for
# pg_dump/pg_restore: create the database, create the extension, timescaledb_pre_restore()
# (stops its background jobs and lets the catalog be written), pg_restore, then
# timescaledb_post_restore(). A dump without TimescaleDB is restored plainly. Objects belong to
# the user restoring (owners and grants of the dump are not replayed).
#
#   scripts/restore.sh <file> <server-url> <new-database>
#
# <server-url> is any database on the target server (its `postgres` one will do); the server
# needs the same TimescaleDB version as the dump's (<file>.versions). With docker-compose.yml:
#   docker compose exec timescaledb restore.sh /backups/flights-2026-01-31.dump postgresql://flights@/postgres flights_restored
# then point DATABASE_URL at it, or swap the names with the app stopped (README, "Backups").
#
# PG_BIN names the folder of the psql and pg_restore to use (default: the first on PATH).
set -euo pipefail

die() { printf 'restore: %s\n' "$*" >&2; exit 1; }
file=${1:-}
server=${2:-}
name=${3:-}
[ -n "$file" ] && [ -n "$server" ] && [ -n "$name" ] || die "usage: scripts/restore.sh <file> <server-url> <new-database>"
[ -f "$file" ] || die "no backup at $file"
[[ $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "the database name must be lower-case letters, digits and _ (not '$name')"
bin=${PG_BIN:+$PG_BIN/}
psql_on() { "${bin}psql" "$1" --no-psqlrc --quiet --set ON_ERROR_STOP=1 "${@:2}"; }

# The same server, the new database: the URL's path replaced (its query, if any, kept).
target=$(printf '%s' "$server" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$name#")
[ "$target" != "$server" ] || die "cannot read the database URL $server"

# The dump's table of contents, read whole (grep -q would stop early and fail the pipeline).
timescale=0
if "${bin}pg_restore" --list "$file" | grep -E ' EXTENSION - timescaledb( |$)' >/dev/null; then timescale=1; fi

# TimescaleDB restores only into the version it was dumped from: checked before anything is made.
if [ $timescale = 1 ] && [ -f "$file.versions" ]; then
  dumped=$(sed -n 's/^timescaledb=//p' "$file.versions")
  available=$(psql_on "$server" --tuples-only --no-align --command "SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'")
  [ "$dumped" = "$available" ] || die "the dump is of TimescaleDB $dumped; this server offers ${available:-none}: restore on a server with $dumped"
fi

psql_on "$server" --command "CREATE DATABASE \"$name\""
if [ $timescale = 1 ]; then
  psql_on "$target" --command "CREATE EXTENSION IF NOT EXISTS timescaledb" --command "SELECT timescaledb_pre_restore()" >/dev/null
  # Whatever happens next, the database leaves restore mode (its background jobs run again).
  trap 'psql_on "$target" --command "SELECT timescaledb_post_restore()" >/dev/null || true' EXIT
fi
"${bin}pg_restore" --dbname="$target" --no-owner --no-privileges --exit-on-error "$file"
if [ $timescale = 1 ]; then
  trap - EXIT
  psql_on "$target" --command "SELECT timescaledb_post_restore()" >/dev/null
fi
psql_on "$target" --command "ANALYZE"
printf 'restore: %s restored into %s\n' "$file" "$name" >&2
