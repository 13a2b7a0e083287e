#!/usr/bin/env bash
# Debian packages the tests need (real Prometheus, Alertmanager, OpenSSH, Ansible, pyzmq), installed only when
# missing (idempotent, no prompts). Packaged services are not started: tests run their own copies on loopback.
set -euo pipefail
need=()
/usr/bin/python3 -c 'import zmq' 2>/dev/null || need+=(python3-zmq)
command -v curl >/dev/null || need+=(curl)
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
command -v ansible-playbook >/dev/null || need+=(ansible-core)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  # keep package scripts from starting the services they install
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d > /dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi
/usr/bin/python3 -c 'import zmq' || { echo "python3-zmq is still missing" >&2; exit 1; }
for bin in prometheus prometheus-alertmanager /usr/sbin/sshd ssh ansible-playbook; do
  command -v "$bin" >/dev/null || { echo "$bin is still missing" >&2; exit 1; }
done
