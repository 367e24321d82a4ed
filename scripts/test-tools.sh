#!/usr/bin/env bash
# The Debian packages the tests use, installed when absent and when this machine can (apt, as root
# or through sudo without a password); `npm test` runs this first. Where it cannot, it says which
# are missing and the suites needing them are skipped with a warning (a failure under CI=true:
# test/helpers/tools.ts).
#   chromium                  the HTML report and the playground in a real browser (test/e2e)
#   podman buildah runc       build and run images: the fixture images, dockmig verify
#   debootstrap               the offline Python base image those builds start from
#   docker.io iproute2        dockerd, started by the tests on a private socket with a bridge of
#                             its own (test/verify/docker.test.ts)
#   skopeo docker-registry    digest pinning against a registry on loopback (test/registry)
#   python3-venv python3-pip  the Poetry and Pipenv stand-ins run on the host (test/verify)
#   neovim                    a real LSP client for `dockmig lsp` (test/e2e/lsp-neovim.test.ts)
#   tmux                      a real terminal for `dockmig --interactive` (test/e2e/interactive-tmux.test.ts)
set -euo pipefail
packages=(chromium podman buildah runc debootstrap docker.io iproute2 skopeo docker-registry
  python3-venv python3-pip neovim tmux)
if ! command -v dpkg-query >/dev/null; then
  echo "scripts/test-tools.sh: not a Debian system: install by hand: ${packages[*]}" >&2
  exit 0
fi
need=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || need+=("$p")
done
[ "${#need[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  apt_get=(sudo -n apt-get)
else
  echo "scripts/test-tools.sh: not root and no sudo: not installed: ${need[*]}" >&2
  exit 0
fi
echo "scripts/test-tools.sh: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -q >&2
# podman's recommended packages (network plugins, fuse-overlayfs) are wanted here.
"${apt_get[@]}" install -y -q "${need[@]}" >&2
