#!/usr/bin/env bash
# Install and package: `cmake --install` into a temporary prefix, the
# installed binary run from another directory, a C program built against the
# installed library through pkg-config, then the .deb from CPack unpacked with
# dpkg -x into a temporary root, its dependencies checked and `hashjoule info`
# run from there.
# Usage: test_install.sh BUILD_DIR SANITIZED(ON|OFF) MAN_PAGE(ON|OFF)
set -u
BUILD=$(realpath "${1:?usage: test_install.sh BUILD_DIR SANITIZED MAN_PAGE}")
sanitized=${2:-OFF}
man=${3:-OFF}
here=$(cd "$(dirname "$0")" && pwd)
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
export HJ_SYSFS_ROOT="$tmp/nosys" HJ_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1
extra_cflags=()
[ "$sanitized" = ON ] && extra_cflags=(-fsanitize=address,undefined)

# check_tree ROOT: the installed files, the binary from elsewhere, a program via pkg-config
check_tree() {
    local root=$1 what=$2
    for f in bin/hashjoule lib/libhashjoule.a include/hashjoule/hashjoule.h include/hashjoule/scan.h \
        lib/pkgconfig/hashjoule.pc share/hashjoule/data/asics.json share/hashjoule/data/gpus.json \
        share/hashjoule/data/network.json share/hashjoule/data/assumptions.json share/doc/hashjoule/README.md; do
        [ -e "$root/$f" ] || fail "$what: $f is not installed"
    done
    [ "$man" = ON ] && { [ -s "$root/share/man/man1/hashjoule.1" ] || fail "$what: no man page"; }
    if [ "$man" = ON ] && command -v man >/dev/null; then
        MANWIDTH=80 man -l "$root/share/man/man1/hashjoule.1" 2>/dev/null | grep -q 'hashjoule bench' ||
            fail "$what: the man page lacks the bench section"
    fi
    if ls "$here"/../../kernels/opencl/*.cl >/dev/null 2>&1; then
        ls "$root"/share/hashjoule/kernels/opencl/*.cl >/dev/null 2>&1 || fail "$what: no OpenCL kernel sources"
    fi
    # from another directory, with no build tree or source tree around
    (cd / && "$root/bin/hashjoule" --version) >"$tmp/out" 2>&1 || fail "$what: --version: $(cat "$tmp/out")"
    (cd / && "$root/bin/hashjoule" info) >"$tmp/out" 2>&1 || fail "$what: info: $(cat "$tmp/out")"
    grep -q '^Kernels' "$tmp/out" || fail "$what: info prints no kernels"
    (cd / && "$root/bin/hashjoule" fleet --json) >"$tmp/fleet.json" 2>"$tmp/err" || fail "$what: fleet: $(cat "$tmp/err")"
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["options"]' "$tmp/fleet.json" ||
        fail "$what: fleet --json from the embedded data"
    (cd / && "$root/bin/hashjoule" fleet --asics "$root/share/hashjoule/data/asics.json" --csv) >/dev/null 2>&1 ||
        fail "$what: fleet with the installed data file"
    if ldd "$root/bin/hashjoule" | grep -q 'libhashjoule'; then fail "$what: the binary needs libhashjoule.so"; fi
    # a C program against the installed library, through pkg-config
    local pc="$root/lib/pkgconfig"
    PKG_CONFIG_PATH="$pc" pkg-config --exists hashjoule || fail "$what: pkg-config does not find hashjoule"
    [ "$(PKG_CONFIG_PATH="$pc" pkg-config --modversion hashjoule)" = "$("$root/bin/hashjoule" --version | awk '{print $2}')" ] ||
        fail "$what: pkg-config version differs from the binary's"
    # shellcheck disable=SC2046
    cc -std=c17 -Wall -Wextra -Werror "${extra_cflags[@]}" -o "$tmp/example" "$here/pkgconfig_example.c" \
        $(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs hashjoule) 2>"$tmp/err" ||
        { fail "$what: the example does not build with pkg-config: $(cat "$tmp/err")"; return; }
    (cd / && "$tmp/example") >"$tmp/out" 2>&1 || fail "$what: the example failed: $(cat "$tmp/out")"
    grep -q 'nonce 2504433986' "$tmp/out" || fail "$what: the example did not find block 125552's nonce"
    echo "$what: $(cat "$tmp/out")"
    # examples/: the library example, through pkg-config and through CMake's find_package
    local ex=$here/../../examples
    # shellcheck disable=SC2046
    cc -std=c17 -Wall -Wextra -Werror "${extra_cflags[@]}" -o "$tmp/bench_and_fleet" "$ex/bench_and_fleet.c" \
        $(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs hashjoule) 2>"$tmp/err" ||
        { fail "$what: examples/bench_and_fleet.c does not build with pkg-config: $(cat "$tmp/err")"; return; }
    check_example "$what (pkg-config)" "$tmp/bench_and_fleet"
    rm -rf "$tmp/build-example"
    if cmake -S "$ex" -B "$tmp/build-example" -DCMAKE_PREFIX_PATH="$root" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_C_FLAGS="${extra_cflags[*]}" >"$tmp/cmake.log" 2>&1 &&
        cmake --build "$tmp/build-example" >>"$tmp/cmake.log" 2>&1; then
        check_example "$what (find_package)" "$tmp/build-example/bench_and_fleet"
    else
        fail "$what: examples/ does not build with find_package(hashjoule): $(tail -n 20 "$tmp/cmake.log")"
    fi
}

# check_example WHAT BINARY: the example runs from elsewhere, benches and evaluates an ASIC
check_example() {
    (cd / && "$2") >"$tmp/out" 2>&1 || { fail "$1: the example failed: $(cat "$tmp/out")"; return; }
    grep -Eq '^bench: kernel [a-z0-9-]+, 1 thread: [0-9.]+ [kMG]?H/s \(ok\)$' "$tmp/out" ||
        fail "$1: the example's bench line: $(cat "$tmp/out")"
    grep -Eq '^fleet: Antminer S21 XP.* net -?[0-9.]+ USD/MWh' "$tmp/out" ||
        fail "$1: the example's fleet line: $(cat "$tmp/out")"
    echo "$1: $(tr '\n' ' ' <"$tmp/out")"
}

# --- cmake --install ------------------------------------------------------------------------------
cmake --install "$BUILD" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
check_tree "$tmp/prefix" "cmake --install"

# --- the .deb ------------------------------------------------------------------------------------------
command -v cpack >/dev/null && command -v dpkg-deb >/dev/null || { echo "FAIL: cpack or dpkg-deb missing"; exit 1; }
(cd "$tmp" && cpack -G DEB -B "$tmp/pkg" --config "$BUILD/CPackConfig.cmake") >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$tmp"/pkg/hashjoule_*.deb 2>/dev/null | head -n1)
if [ -z "$deb" ]; then
    fail "no .deb produced"
else
    dpkg-deb -I "$deb" >"$tmp/info.txt"
    depends=$(grep '^ Depends:' "$tmp/info.txt")
    for lib in libc6 libhwloc libcpuid libjansson libcurl4 ocl-icd-libopencl1; do
        echo "$depends" | grep -q "$lib" || fail ".deb Depends lacks $lib: $depends"
    done
    grep -q '^ Package: hashjoule$' "$tmp/info.txt" || fail ".deb package name"
    dpkg-deb -c "$deb" >"$tmp/contents.txt"
    grep -q '\./usr/bin/hashjoule$' "$tmp/contents.txt" || fail ".deb lacks /usr/bin/hashjoule"
    dpkg -x "$deb" "$tmp/root"
    check_tree "$tmp/root/usr" ".deb (dpkg -x)"
    echo ".deb: $(basename "$deb"), $depends"
fi

if [ $failures -gt 0 ]; then
    echo "$failures install check(s) failed"
    exit 1
fi
echo "all install checks passed"
