#!/usr/bin/env bash
# Install what the browser tests drive: the system Chromium and its matching
# chromedriver (Debian/Ubuntu packages `chromium` and `chromium-driver`).
#
# As root (or with password-less sudo) it installs them with apt-get;
# otherwise it prints the command to run. Nothing is downloaded by Selenium:
# the tests use these two binaries and nothing else.
set -euo pipefail

CHROMIUM_BINARY=${CHROMIUM_BINARY:-/usr/bin/chromium}
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
PACKAGES=(chromium chromium-driver)

say() { printf 'setup_browser: %s\n' "$*" >&2; }

installed() { [[ -x $CHROMIUM_BINARY && -x $CHROMEDRIVER ]]; }

show_versions() {
    say "$("$CHROMIUM_BINARY" --version 2>/dev/null | head -n 1)"
    say "$("$CHROMEDRIVER" --version 2>/dev/null | head -n 1)"
}

if installed; then
    say "Chromium and chromedriver are installed; nothing to do."
    show_versions
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    say "no apt-get here: install Chromium and the chromedriver of the same version with your"
    say "package manager, then point CHROMIUM_BINARY and CHROMEDRIVER at them if they are not in /usr/bin."
    exit 1
fi

if [[ $EUID -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    say "Chromium is not installed. Run:"
    say "  sudo apt-get install -y ${PACKAGES[*]}"
    exit 1
fi

say "installing ${PACKAGES[*]} with apt-get ..."
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"

if ! installed; then
    say "apt-get finished but $CHROMIUM_BINARY or $CHROMEDRIVER is still missing."
    exit 1
fi
show_versions
