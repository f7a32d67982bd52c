#!/usr/bin/env bash
# Installs the real backends that Lookout's integration tests start on loopback
# (see shared/BACKENDS.md):
#   - Debian packages: prometheus (+ promtool), prometheus-pushgateway,
#     prometheus-alertmanager (+ amtool), chromium
#   - VictoriaMetrics >= 1.112 (the OTLP metrics backend), downloaded as the .deb of
#     Debian's next release and unpacked into a cache dir. It is never installed:
#     bookworm's own victoria-metrics (1.79) has no OTLP receiver.
#
# Idempotent: packages already present are skipped, and an unpacked VictoriaMetrics
# that is new enough is reused. Run it by hand as root: `bash scripts/install-backends.sh`.
#
# Environment:
#   LOOKOUT_BACKENDS_DIR  where VictoriaMetrics is unpacked
#                         (default /opt/lookout-backends as root, else ~/.cache/lookout-backends;
#                         testing/backends.ts looks in the same places)
#   LOOKOUT_VM_SUITE      Debian suite to take VictoriaMetrics from (default trixie)
set -euo pipefail

readonly APT_PACKAGES=(prometheus prometheus-pushgateway prometheus-alertmanager chromium openssl)
readonly VM_SUITE="${LOOKOUT_VM_SUITE:-trixie}"
readonly VM_MIN_VERSION="1.112"

if [[ -n "${LOOKOUT_BACKENDS_DIR:-}" ]]; then
  backends_dir="$LOOKOUT_BACKENDS_DIR"
elif [[ "$(id -u)" == "0" ]]; then
  backends_dir="/opt/lookout-backends"
else
  backends_dir="${XDG_CACHE_HOME:-$HOME/.cache}/lookout-backends"
fi
readonly vm_dir="$backends_dir/victoria-metrics"
readonly vm_bin="$vm_dir/usr/bin/victoria-metrics"

cleanup_dirs=()
cleanup() { if ((${#cleanup_dirs[@]})); then rm -rf "${cleanup_dirs[@]}"; fi; }
trap cleanup EXIT

log() { printf '[install-backends] %s\n' "$*"; }
die() { printf '[install-backends] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ "$(id -u)" == "0" ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# True when version $1 >= version $2 (Debian version ordering).
version_ge() { dpkg --compare-versions "$1" ge "$2"; }

# ---------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------
install_apt_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    if is_installed "$pkg"; then
      log "apt: $pkg already installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
    else
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "apt: nothing to install"
    return
  fi
  log "apt: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ---------------------------------------------------------------------------
# 2. VictoriaMetrics from the next Debian release, unpacked, not installed
# ---------------------------------------------------------------------------

# Prints the installed VictoriaMetrics version recorded at unpack time, or nothing.
vm_cached_version() {
  if [[ -x "$vm_bin" && -f "$vm_dir/.deb-version" ]]; then
    cat "$vm_dir/.deb-version"
  fi
}

# Prints a one-line-style sources entry ("URI|Signed-By") for the machine's main Debian
# archive, read from /etc/apt/sources.list.d/ (deb822 *.sources or one-line *.list);
# falls back to /etc/apt/sources.list. The suite is never taken from there: we only
# need the mirror URI and its keyring, so that no host name lives in this repository.
debian_source() {
  local f
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    # deb822: paragraphs separated by blank lines; pick the first "Types: deb" paragraph
    # whose suites include a plain release (not -security / -updates).
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && uris != "" && suites ~ /(^| )[a-z]+( |$)/ && comps ~ /main/) {
          split(uris, u, " "); print u[1] "|" signed; found = 1; exit
        }
        types = uris = suites = comps = signed = ""
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      /^Types:/       { sub(/^Types:[[:space:]]*/, "");       types = $0 }
      /^URIs:/        { sub(/^URIs:[[:space:]]*/, "");        uris = $0 }
      /^Suites:/      { sub(/^Suites:[[:space:]]*/, "");      suites = $0 }
      /^Components:/  { sub(/^Components:[[:space:]]*/, "");  comps = $0 }
      /^Signed-By:/   { sub(/^Signed-By:[[:space:]]*/, "");   signed = $0 }
      END { if (!found) flush() }
    ' "$f" | head -n1
  done
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
    [[ -f "$f" ]] || continue
    # deb [opts] URI SUITE COMPONENTS...; skip security/updates suites and non-Debian repos.
    awk '
      $1 == "deb" {
        i = 2; signed = ""
        if ($2 ~ /^\[/) {
          while (i <= NF && $i !~ /\]$/) { if ($i ~ /signed-by=/) { signed = $i }; i++ }
          if ($i ~ /signed-by=/) { signed = $i }
          i++
        }
        sub(/.*signed-by=/, "", signed); sub(/\]$/, "", signed)
        uri = $i; suite = $(i + 1)
        if (suite ~ /^[a-z]+$/ && $0 ~ / main( |$)/ && uri ~ /debian\/?$/) { print uri "|" signed; exit }
      }
    ' "$f" | head -n1
  done
  shopt -u nullglob
}

install_victoria_metrics() {
  local cached
  cached="$(vm_cached_version)"
  if [[ -n "$cached" ]] && version_ge "$cached" "$VM_MIN_VERSION"; then
    log "victoria-metrics: $cached already unpacked in $vm_dir"
    return
  fi

  local source uri signed
  source="$(debian_source | head -n1)"
  [[ -n "$source" ]] || die "could not find a Debian source in /etc/apt/sources.list.d/ or /etc/apt/sources.list"
  uri="${source%%|*}"
  signed="${source#*|}"
  log "victoria-metrics: fetching from the machine's Debian mirror, suite $VM_SUITE"

  local tmp
  tmp="$(mktemp -d -t lookout-apt.XXXXXX)"
  cleanup_dirs+=("$tmp")
  mkdir -p "$tmp/lists/partial" "$tmp/archives/partial" "$tmp/etc/sources.list.d" \
    "$tmp/etc/preferences.d" "$tmp/etc/trusted.gpg.d" "$tmp/download"
  : >"$tmp/status"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' "$uri" "$VM_SUITE"
    if [[ -n "$signed" ]]; then
      printf 'Signed-By: %s\n' "$signed"
    fi
  } >"$tmp/etc/sources.list.d/lookout-next.sources"
  : >"$tmp/etc/sources.list"

  # A private apt configuration: own sources, preferences, lists, status and cache, so the
  # machine's apt state is untouched. The machine's apt.conf.d (proxies, transports) and
  # keyrings still apply: Signed-By above, or the system trusted.gpg.d without one.
  cat >"$tmp/apt.conf" <<EOF
Dir::Etc::sourcelist "$tmp/etc/sources.list";
Dir::Etc::sourceparts "$tmp/etc/sources.list.d";
Dir::Etc::preferences "$tmp/etc/preferences";
Dir::Etc::preferencesparts "$tmp/etc/preferences.d";
Dir::State "$tmp";
Dir::State::lists "$tmp/lists";
Dir::State::status "$tmp/status";
Dir::Cache "$tmp";
Dir::Cache::archives "$tmp/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Architecture "$(dpkg --print-architecture)";
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
  APT_CONFIG="$tmp/apt.conf" apt-get update -q -o APT::Get::List-Cleanup=0 >"$tmp/update.log" 2>&1 \
    || { cat "$tmp/update.log" >&2; die "apt-get update for suite $VM_SUITE failed"; }
  (cd "$tmp/download" && APT_CONFIG="$tmp/apt.conf" apt-get download -q victoria-metrics) \
    || die "apt-get download victoria-metrics failed"

  local deb version
  deb="$(ls "$tmp"/download/victoria-metrics_*.deb)"
  version="$(dpkg-deb -f "$deb" Version)"
  # Debian versions look like 1.112.0+ds1-1: compare the upstream part.
  version_ge "$version" "$VM_MIN_VERSION" \
    || die "victoria-metrics $version from $VM_SUITE is older than $VM_MIN_VERSION (no OTLP)"

  rm -rf "$vm_dir.new"
  mkdir -p "$vm_dir.new"
  dpkg-deb -x "$deb" "$vm_dir.new"
  [[ -x "$vm_dir.new/usr/bin/victoria-metrics" ]] \
    || die "the victoria-metrics .deb has no usr/bin/victoria-metrics"
  printf '%s\n' "$version" >"$vm_dir.new/.deb-version"
  rm -rf "$vm_dir"
  mv "$vm_dir.new" "$vm_dir"
  log "victoria-metrics: $version unpacked to $vm_dir"
}

main() {
  local start=$SECONDS
  install_apt_packages
  install_victoria_metrics
  local b
  for b in prometheus promtool prometheus-pushgateway prometheus-alertmanager amtool chromium; do
    command -v "$b" >/dev/null 2>&1 || die "$b is not on PATH after install"
  done
  log "prometheus: $(prometheus --version 2>&1 | head -n1)"
  # Debian's build prints no -version; the .deb version was recorded at unpack time.
  log "victoria-metrics: $(vm_cached_version) at $vm_bin"
  log "chromium: $(chromium --version 2>/dev/null | head -n1)"
  log "done in $((SECONDS - start)) s"
}

main "$@"
