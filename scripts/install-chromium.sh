#!/bin/sh
# Install Debian's chromium and chromium-driver for the browser test of the review page.
# Idempotent: returns at once when /usr/bin/chromium is already there. Never fails the build:
# where apt-get is missing, we are not root, or the archive cannot be reached, it says why and
# exits 0, and the browser test skips with a reason.
set -u

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}  # overridable so the script's own test can try the other paths

if [ -x "$CHROMIUM" ] && command -v chromedriver >/dev/null 2>&1; then
    echo "install-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: apt-get not found; install chromium yourself (browser test will skip)" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-chromium: not root and no passwordless sudo; skipping (browser test will skip)" >&2
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq; then
    echo "install-chromium: apt-get update failed (no network?); skipping" >&2
    exit 0
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver; then
    echo "install-chromium: apt-get install chromium chromium-driver failed; skipping" >&2
    exit 0
fi

if [ -x "$CHROMIUM" ]; then
    echo "install-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
else
    echo "install-chromium: apt-get finished but $CHROMIUM is missing; browser test will skip" >&2
fi
exit 0
