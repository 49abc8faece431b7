#!/usr/bin/env bash
# check-image.sh IMAGE WORK — runs the jlink image of the nabla command the way a machine without a JDK
# would: each command under `env -i` with only PATH=/usr/bin:/bin, HOME=WORK/home and
# XDG_CACHE_HOME=WORK/cache (no JAVA_HOME, no NABLA_* variables; Java takes user.home from the password
# database, not from HOME, so the empty cache is named through XDG_CACHE_HOME), so nothing but the image
# itself can supply Java or OpenBLAS.
# Fails (exit 1, saying why) unless
#   - `nabla backends` exits 0 and shows the native backend available with the OpenBLAS of
#     IMAGE/lib/nabla/openblas (not extracted from a jar into the cache);
#   - `nabla list` exits 0;
#   - `nabla train realnvp --dataset moons --steps 200 --out WORK/run` exits 0 after training on the
#     native backend and leaves checkpoint.safetensors, checkpoint.json and two PNG pictures (loss.png,
#     samples.png: headless AWT and the plots work in the image);
#   - `nabla eval WORK/run` exits 0 (the checkpoint loads again);
#   - no command extracted OpenBLAS into the cache.
# Prints each command's output and wall time. The image build's verify phase runs it; it can also be
# run by hand: image/src/check/check-image.sh image/target/nabla /tmp/nabla-image-check
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 IMAGE WORK" >&2
  exit 2
fi
image="$(cd "$1" && pwd -P)"
work="$2"
rm -rf "$work"
mkdir -p "$work/home" "$work/cache"
work="$(cd "$work" && pwd -P)"

fail() {
  echo "check-image: FAILED: $*" >&2
  exit 1
}

# run NAME ARGS...: runs bin/nabla ARGS in the scrubbed environment, output to WORK/NAME.log (and shown)
run() {
  local name="$1"
  shift
  local start end rc=0
  echo "check-image: nabla $*"
  start="$(date +%s%N)"
  env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_CACHE_HOME="$work/cache" "$image/bin/nabla" "$@" >"$work/$name.log" 2>&1 || rc=$?
  end="$(date +%s%N)"
  sed 's/^/    /' "$work/$name.log"
  echo "check-image: nabla $1 exited with $rc after $(( (end - start) / 1000000 )) ms"
  [ "$rc" -eq 0 ] || fail "nabla $* exited with $rc"
}

[ -x "$image/bin/nabla" ] || fail "$image/bin/nabla is missing"
for lib in libgcc_s.so.1 libquadmath.so.0 libgfortran.so.5 libopenblas.so.0; do
  [ -s "$image/lib/nabla/openblas/$lib" ] || fail "$image/lib/nabla/openblas/$lib is missing"
done

run backends backends
native="$(grep -E '^[* ] native ' "$work/backends.log" || true)"
[ -n "$native" ] || fail "nabla backends lists no native backend"
grep -q ' available ' <<<"$native" || fail "the native backend is not available: $native"
expected="OpenBLAS (image) from $image/lib/nabla/openblas/libopenblas.so.0"
grep -qF "$expected" <<<"$native" || fail "the native backend does not use the image's OpenBLAS (expected '$expected'): $native"
[ ! -e "$work/cache/nabla" ] || fail "OpenBLAS was extracted into $work/cache/nabla: the image's own copy was not used"

run list list

run train train realnvp --dataset moons --steps 200 --out "$work/run" --progress lines
grep -q 'on backend native' "$work/train.log" || fail "nabla train did not train on the native backend"
for f in checkpoint.safetensors checkpoint.json loss.png samples.png; do
  [ -s "$work/run/$f" ] || fail "nabla train did not write $work/run/$f"
done
for f in loss.png samples.png; do
  [ "$(head -c 8 "$work/run/$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$work/run/$f is no PNG"
done

run eval eval "$work/run"
grep -q 'mean log-likelihood' "$work/eval.log" || fail "nabla eval printed no log-likelihood"
[ ! -e "$work/cache/nabla" ] || fail "OpenBLAS was extracted into $work/cache/nabla: the image's own copy was not used"

echo "check-image: OK ($image, $(du -sh "$image" | cut -f1))"
