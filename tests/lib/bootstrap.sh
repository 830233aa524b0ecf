# bootstrap.sh: sourced by tests/run.sh and tests/demo.sh. Installs the Debian packages the
# build and the tests need (only those missing), then configures and builds into a build dir.
# Usage: bootstrap_packages; bootstrap_build BUILD_DIR [cmake args...]

SHIPLOAD_PACKAGES="build-essential cmake pkg-config libcsv-dev libxml2-dev libcurl4-openssl-dev
  libjansson-dev zlib1g-dev libssl-dev check libmicrohttpd-dev libxlsxwriter-dev curl gzip valgrind
  time wrk jq groff-base libzip-dev libreoffice-calc-nogui python3 python3-yaml tmux bsdutils
  openssh-server openssh-client openssl util-linux chromium nodejs python3-openpyxl
  clang libclang-rt-14-dev"
# ISA-L inflates gzip sources about twice as fast as zlib; Debian packages it for these only
# (elsewhere the build uses zlib).
case "$(dpkg --print-architecture 2>/dev/null)" in
    amd64 | arm64) SHIPLOAD_PACKAGES="$SHIPLOAD_PACKAGES libisal-dev" ;;
esac

bootstrap_packages() {
    local missing=""
    for package in $SHIPLOAD_PACKAGES; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $package"
    done
    [ -z "$missing" ] && return 0
    echo "installing:$missing" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q >&2 &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing >&2
}

bootstrap_build() {
    local build_dir=$1
    shift
    cmake -S "$SHIPLOAD_ROOT" -B "$build_dir" "$@" >/dev/null &&
        cmake --build "$build_dir" -j "$(nproc)" >/dev/null
}
