#!/bin/sh
# PDFs (class sheets, case timelines) are made with WeasyPrint, which needs Pango and a
# Chinese font from the system. Install them when missing (as root, with apt), or say how.
set -eu
missing=""
fc-list :lang=zh 2>/dev/null | grep -q . || missing="$missing fonts-noto-cjk"
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || missing="$missing libpango-1.0-0"
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing="$missing libpangoft2-1.0-0"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages for PDFs:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "Xinshao makes PDFs with Chinese text and needs these system packages:$missing" >&2
  echo "Install them, e.g.: sudo apt-get install$missing" >&2
  exit 1
fi
