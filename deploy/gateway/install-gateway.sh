#!/usr/bin/env bash
# Installs the Passerelle gateway on Raspberry Pi OS (bookworm, 64-bit) from a built checkout:
#   sudo deploy/gateway/install-gateway.sh
# Re-running it upgrades the code and keeps /etc/passerelle and /var/lib/passerelle-gateway.
set -euo pipefail

[[ $EUID -eq 0 ]] || { echo "run as root (sudo)" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
target=/opt/passerelle

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if (( node_major < 20 )); then
  echo "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "Install it from your distribution or Node's own packages, then run this again." >&2
  exit 1
fi

# PC/SC for the NFC reader; a toolchain for the native modules (nfc-pcsc, onoff, serialport,
# better-sqlite3) that npm builds on the Pi.
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  pcscd libpcsclite-dev python3 make g++ ca-certificates

id passerelle >/dev/null 2>&1 || useradd --system --home-dir /var/lib/passerelle-gateway \
  --shell /usr/sbin/nologin --user-group passerelle
for group in gpio dialout; do
  getent group "$group" >/dev/null && usermod -aG "$group" passerelle
done

# Build where the sources are, then copy only what runs.
(cd "$repo" && npm ci && npx tsc -b protocol gateway)
mkdir -p "$target"
rsync -a --delete --exclude node_modules "$repo/package.json" "$repo/package-lock.json" \
  "$repo/protocol" "$repo/gateway" "$target/"
(cd "$target" && npm ci --omit=dev --workspace gateway --include-workspace-root=false)

install -d -m 0750 -o root -g passerelle /etc/passerelle
if [[ ! -f /etc/passerelle/gateway.json ]]; then
  install -m 0640 -o root -g passerelle "$repo/deploy/gateway/gateway.example.jsonc" /etc/passerelle/gateway.json
  echo "wrote /etc/passerelle/gateway.json: set gatewayId, centre, mqtt.url, then the secret and key files"
fi
install -m 0644 "$repo/deploy/gateway/passerelle-gateway.service" /etc/systemd/system/
systemctl daemon-reload
systemctl enable passerelle-gateway.service
echo "installed. Put the broker secret in /etc/passerelle/mqtt-secret (mode 0640, group passerelle)"
echo "and the cloud's public key in /etc/passerelle/cloud-signing.pub.pem, then:"
echo "  systemctl start passerelle-gateway && journalctl -u passerelle-gateway -f"
