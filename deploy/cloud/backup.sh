#!/bin/bash
# One backup of the Passerelle cloud into $PASSERELLE_BACKUP_DIR/<UTC time>, then the old ones
# pruned. Run by passerelle-backup.service (hourly timer) as the service user, with the cloud's
# environment file (/etc/passerelle/cloud.env); docs/operations.md "Backup and restore".
#
#   SQLite (PASSERELLE_POSTGRES_URL empty): the CLI's `backup --out`, an online snapshot of the
#     data directory with its backup-manifest.json.
#   PostgreSQL: `pg_dump --format=custom` (one REPEATABLE READ transaction: a consistent
#     snapshot while the cloud writes) plus the data directory's signing keys, and a
#     backup-manifest.json of the same shape (time, sha256 of each file).
#
# Either way the backup is built as <time>.partial and renamed when whole, so a directory with
# a final name is always complete. Pruning removes backups older than
# PASSERELLE_BACKUP_KEEP_DAYS (by the time in their name), never the newest, and never anything
# but a <time> directory holding a backup-manifest.json (or a stale <time>.partial): whatever
# else an operator keeps in the directory stays. A failed backup exits non-zero before pruning.
#
# Settings (environment):
#   PASSERELLE_DATA_DIR           the cloud's data directory (required)
#   PASSERELLE_POSTGRES_URL       the cloud's database; empty: SQLite
#   PASSERELLE_BACKUP_DIR         where backups go (default /var/backups/passerelle)
#   PASSERELLE_BACKUP_KEEP_DAYS   days of backups kept (default 14; 0 keeps only the newest)
#   PASSERELLE_CLI                the operator CLI (default /opt/passerelle/cloud/dist/src/cli/main.js)
#   PASSERELLE_NODE               node (default: node on PATH)
#   PASSERELLE_PG_DUMP            pg_dump (default: pg_dump on PATH; its major version must be
#                                 the server's or newer)
set -eu
umask 077
export LC_ALL=C

backup_root=${PASSERELLE_BACKUP_DIR:-/var/backups/passerelle}
keep_days=${PASSERELLE_BACKUP_KEEP_DAYS:-14}
cli=${PASSERELLE_CLI:-/opt/passerelle/cloud/dist/src/cli/main.js}
node=${PASSERELLE_NODE:-node}
pg_dump=${PASSERELLE_PG_DUMP:-pg_dump}
data_dir=${PASSERELLE_DATA_DIR:-}
postgres_url=${PASSERELLE_POSTGRES_URL:-}

# A backup's name: the UTC time it began. Sorting names sorts backups by age.
stamp_pattern='^[0-9]{8}T[0-9]{6}Z$'
manifest_name=backup-manifest.json

fail() {
  echo "passerelle-backup: $*" >&2
  exit 1
}

[ -n "$data_dir" ] || fail "PASSERELLE_DATA_DIR is not set (the cloud's data directory)"
[[ $keep_days =~ ^[0-9]+$ ]] || fail "PASSERELLE_BACKUP_KEEP_DAYS must be a whole number of days"
# umask 077: every directory made here is 0700.
mkdir -p -- "$backup_root"

now=$(date -u +%s)
stamp=$(date -u -d "@$now" +%Y%m%dT%H%M%SZ)
target=$backup_root/$stamp
partial=$target.partial
[ ! -e "$target" ] || fail "$target already exists (two backups in the same second?)"

copy_signing_keys() {
  [ -f "$data_dir/bundle-signing-key.pem" ] ||
    fail "$data_dir holds no bundle-signing-key.pem: is PASSERELLE_DATA_DIR the cloud's (the key is made at its first start)?"
  cp -p -- "$data_dir/bundle-signing-key.pem" "$partial/"
  if [ -f "$data_dir/bundle-signing-key.pub.pem" ]; then
    cp -p -- "$data_dir/bundle-signing-key.pub.pem" "$partial/"
  fi
  if [ -d "$data_dir/retired-signing-keys" ]; then
    cp -pR -- "$data_dir/retired-signing-keys" "$partial/retired-signing-keys"
  fi
}

write_postgres_manifest() {
  local first=1 path sum bytes paths
  # Listed before the manifest exists, so it does not list itself.
  mapfile -t paths < <(cd "$partial" && find . -type f | sort)
  {
    printf '{\n  "backup": "passerelle-postgres",\n  "version": 1,\n'
    printf '  "createdAt": "%s",\n' "$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%S.000Z)"
    printf '  "databases": ["passerelle.pgdump"],\n  "files": [\n'
    for path in "${paths[@]}"; do
      path=${path#./}
      # Names come from this script and the key files; one needing JSON escapes is refused.
      [[ $path =~ ^[A-Za-z0-9._/:+-]+$ ]] || fail "unexpected characters in file name: $path"
      sum=$(sha256sum -- "$partial/$path" | cut -d' ' -f1)
      bytes=$(stat -c %s -- "$partial/$path")
      [ "$first" = 1 ] || printf ',\n'
      first=0
      printf '    { "path": "%s", "sha256": "%s", "bytes": %s }' "$path" "$sum" "$bytes"
    done
    printf '\n  ],\n  "notIncluded": [\n'
    printf '    "PostgreSQL roles and their passwords: pg_dump holds one database, not the cluster (restore with --no-owner, or keep pg_dumpall --roles-only)",\n'
    printf '    "the environment file of serve (/etc/passerelle/cloud.env: broker password, tokens, PASSERELLE_POSTGRES_URL): back it up apart, it holds secrets",\n'
    printf '    "each gateway'"'"'s broker secret: the database holds only its scrypt hash",\n'
    printf '    "an external broker'"'"'s password and ACL files (deploy/mosquitto/)",\n'
    printf '    "InfluxDB'"'"'s data: back it up with influxd backup, or rebuild with backfill-timeseries"\n'
    printf '  ]\n}\n'
  } >"$partial/$manifest_name.tmp"
  mv -- "$partial/$manifest_name.tmp" "$partial/$manifest_name"
}

backup_postgres() {
  rm -rf -- "$partial"
  mkdir -m 0700 -- "$partial"
  trap 'rm -rf -- "$partial"' EXIT
  # The password goes to pg_dump through PGPASSWORD, not its command line (ps shows argv to
  # every user; a process's environment only to its own). libpq decodes the rest of the URL.
  local url password
  url=$("$node" -e 'const u = new URL(process.env.PASSERELLE_POSTGRES_URL); u.password = ""; process.stdout.write(u.href)')
  password=$("$node" -e 'process.stdout.write(decodeURIComponent(new URL(process.env.PASSERELLE_POSTGRES_URL).password))')
  if [ -n "$password" ]; then
    PGPASSWORD=$password "$pg_dump" --format=custom --file="$partial/passerelle.pgdump" --dbname="$url"
  else
    "$pg_dump" --format=custom --file="$partial/passerelle.pgdump" --dbname="$url"
  fi
  copy_signing_keys
  write_postgres_manifest
  mv -- "$partial" "$target"
  trap - EXIT
  echo "backup written to $target"
}

backup_sqlite() {
  # The CLI builds <target>.partial and renames it when whole (or removes it on failure).
  "$node" "$cli" backup --data-dir "$data_dir" --out "$target"
}

is_backup_dir() {
  [ -d "$1" ] && [ ! -L "$1" ] && [[ ${1##*/} =~ $stamp_pattern ]] && [ -f "$1/$manifest_name" ]
}

prune() {
  local cutoff newest="" dir name
  cutoff=$(date -u -d "@$((now - keep_days * 86400))" +%Y%m%dT%H%M%SZ)
  for dir in "$backup_root"/*; do
    if is_backup_dir "$dir"; then newest=${dir##*/}; fi
  done
  for dir in "$backup_root"/*; do
    name=${dir##*/}
    if is_backup_dir "$dir" && [[ $name < $cutoff ]] && [ "$name" != "$newest" ]; then
      rm -rf -- "$dir"
      echo "removed $dir (older than $keep_days days)"
    elif [ -d "$dir" ] && [ ! -L "$dir" ] && [[ $name =~ ^[0-9]{8}T[0-9]{6}Z\.partial$ ]] &&
      [[ ${name%.partial} < $cutoff ]]; then
      # Left by a run that was killed (a run that fails removes its own).
      rm -rf -- "$dir"
      echo "removed $dir (an unfinished backup)"
    fi
  done
}

if [ -n "$postgres_url" ]; then
  backup_postgres
else
  backup_sqlite
fi
prune
