#!/bin/sh
# Writes (or replaces) a gateway's entry in a Mosquitto password file.
#
#   add-gateway.sh <password_file> <gateway_id>       secret read from standard input
#   PASSERELLE_GATEWAY_SECRET=… add-gateway.sh <password_file> <gateway_id>
#
# The secret is the one shown once by `passerelle provision-gateway` (the cloud keeps only its
# scrypt hash). It is not taken as an argument, so it never shows in `ps` or shell history from
# this script's caller. Mosquitto reloads the file on SIGHUP: `docker compose kill -s HUP mosquitto`.
set -eu

usage() {
  echo "usage: $0 <password_file> <gateway_id>  (secret on stdin or in PASSERELLE_GATEWAY_SECRET)" >&2
  exit 2
}

[ "$#" -eq 2 ] || usage
file=$1
gateway=$2

# Same rule as protocol/src/topics.ts gatewayIdPattern: safe in topics, ACL %u and file names.
if ! printf '%s' "$gateway" | grep -Eq '^[a-z0-9][a-z0-9-]{0,62}$'; then
  echo "invalid gateway id: must match ^[a-z0-9][a-z0-9-]{0,62}\$" >&2
  exit 2
fi
case "$gateway" in
  passerelle-cloud*) echo "refusing: $gateway is the cloud's service user name" >&2; exit 2 ;;
esac

secret=${PASSERELLE_GATEWAY_SECRET:-}
if [ -z "$secret" ]; then
  if [ -t 0 ]; then
    printf 'secret for %s: ' "$gateway" >&2
    stty -echo
    trap 'stty echo' EXIT
  fi
  IFS= read -r secret || true
  if [ -t 0 ]; then
    stty echo
    echo >&2
  fi
fi
if [ -z "$secret" ]; then
  echo "no secret given (stdin or PASSERELLE_GATEWAY_SECRET)" >&2
  exit 2
fi

command -v mosquitto_passwd >/dev/null 2>&1 || {
  echo "mosquitto_passwd not found (apt-get install mosquitto)" >&2
  exit 1
}

# -b only updates an existing file: create it empty, private, if needed.
if [ ! -e "$file" ]; then
  (umask 077 && : >"$file")
fi
mosquitto_passwd -b "$file" "$gateway" "$secret"
echo "password entry written for gateway $gateway in $file"
