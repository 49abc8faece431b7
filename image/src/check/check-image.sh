#!/usr/bin/env bash
# check-image.sh IMAGE WORK [PLUGINS] — runs the jlink image of the nabla command the way a machine without a JDK
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
#   - no command extracted OpenBLAS into the cache;
#   - with PLUGINS (a folder holding the example plugin's jar) on NABLA_PLUGINS, `nabla list` shows the
#     plugin's layer, flow and trainer and `nabla train` runs the plugin's flow with its trainer.
# Prints each command's output and wall time. The image build's verify phase runs it; it can also be
# run by hand: image/src/check/check-image.sh image/target/nabla /tmp/nabla-image-check
set -euo pipefail

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
  echo "usage: $0 IMAGE WORK [PLUGINS]" >&2
  exit 2
fi
image="$(cd "$1" && pwd -P)"
work="$2"
plugins="${3:-}"
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
  env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_CACHE_HOME="$work/cache" ${NABLA_PLUGINS:+NABLA_PLUGINS="$NABLA_PLUGINS"} \
    "$image/bin/nabla" "$@" >"$work/$name.log" 2>&1 || rc=$?
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

# A training of more than 100 steps resolves the Vector API, and the JVM then announces the incubator module
# on standard error; bin/nabla drops that line and nothing else.
grep -q 'WARNING: Using incubator modules' "$work/train.log" && fail "nabla train printed the JVM's incubator notice"
grep -q '^step 200' "$work/train.log" || fail "nabla train printed no progress line for step 200 on standard error"

# bin/nabla keeps java's exit status through its filter (a usage error of a run that resolves the Vector API)
rc=0
env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_CACHE_HOME="$work/cache" \
  "$image/bin/nabla" train realnvp --dataset no-such-data --steps 200 --out "$work/bad" >"$work/bad.log" 2>&1 || rc=$?
echo "check-image: nabla train realnvp --dataset no-such-data --steps 200 exited with $rc"
[ "$rc" -ne 0 ] || fail "a training on an unknown data set exited with 0"
grep -q 'no-such-data' "$work/bad.log" || fail "the error of a training on an unknown data set does not name the data set: $(cat "$work/bad.log")"
grep -q 'WARNING: Using incubator modules' "$work/bad.log" && fail "the failed training printed the JVM's incubator notice"

# Ctrl-C reaches java through bin/nabla's filter: a long run stops after its step and saves its checkpoint
# (job control on, so that the background run does not start with SIGINT ignored, as a script's jobs do)
set -m
env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_CACHE_HOME="$work/cache" \
  "$image/bin/nabla" train realnvp --dataset moons --epochs 1000 --progress lines --out "$work/stopped" >"$work/stopped.log" 2>&1 &
pid=$!
set +m
for _ in $(seq 600); do
  grep -q '^step [0-9]*/[0-9]*: loss' "$work/stopped.log" && break
  sleep 0.1
done
kill -INT "$pid" || fail "the long run had already ended: $(cat "$work/stopped.log")"
rc=0
wait "$pid" || rc=$?
sed 's/^/    /' "$work/stopped.log" | tail -4
echo "check-image: nabla train ... --epochs 1000, sent SIGINT, exited with $rc"
grep -q 'interrupted: stopped after step' "$work/stopped.log" || fail "Ctrl-C did not stop the run after its step"
[ -s "$work/stopped/checkpoint.safetensors" ] || fail "the interrupted run left no checkpoint"

run eval eval "$work/run"
grep -q 'mean log-likelihood' "$work/eval.log" || fail "nabla eval printed no log-likelihood"
[ ! -e "$work/cache/nabla" ] || fail "OpenBLAS was extracted into $work/cache/nabla: the image's own copy was not used"

if [ -n "$plugins" ]; then
  NABLA_PLUGINS="$(cd "$plugins" && pwd -P)" run list-plugins list
  for name in residual_mlp sinh_arcsinh sgd_momentum; do
    grep -E "org.example.nabla.plugin:.*$name" "$work/list-plugins.log" >/dev/null \
      || fail "nabla list with NABLA_PLUGINS does not show the plugin's $name"
  done
  NABLA_PLUGINS="$(cd "$plugins" && pwd -P)" run train-plugin train sinh_arcsinh --dataset moons --trainer sgd_momentum \
    --steps 30 --out "$work/plugin-run" --progress none
  [ -s "$work/plugin-run/checkpoint.safetensors" ] || fail "the plugin's run left no checkpoint"
fi

echo "check-image: OK ($image, $(du -sh "$image" | cut -f1))"
