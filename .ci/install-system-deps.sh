#!/usr/bin/env bash
# Debian packages the system tests need, installed only when missing (idempotent, no prompts).
set -euo pipefail
need=()
/usr/bin/python3 -c 'import zmq' 2>/dev/null || need+=(python3-zmq)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
fi
/usr/bin/python3 -c 'import zmq' || { echo "python3-zmq is still missing" >&2; exit 1; }
