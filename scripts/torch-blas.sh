# Sourced by the scripts that run PyTorch beside Nabla. Debian's PyTorch links libblas.so.3, which is the
# reference BLAS unless OpenBLAS is installed (it is not on a new machine: about 0.7 GFLOP/s, which made a
# char-LSTM step take 6.5 s instead of 80 ms); this gives it the OpenBLAS of the jar the native backend uses,
# so the two frameworks are compared on the same BLAS.
#
#   source scripts/torch-blas.sh
#   torch_blas_env DIR JDK     # sets the array torch_env=(LD_LIBRARY_PATH=DIR OPENBLAS_NUM_THREADS=1)
#   env "${torch_env[@]}" /usr/bin/python3 peer.py
#
# NABLA_TORCH_BLAS=system leaves PyTorch on the system's BLAS (torch_env is then empty).
torch_blas_env() {
  local dir="$1" jdk="$2" jar
  torch_env=()
  [ "${NABLA_TORCH_BLAS:-bundled}" = system ] && return 0
  if [ ! -e "$dir/libblas.so.3" ]; then
    jar="$PWD/provider-native/target/bench-lib/openblas-0.3.30-1.5.12-linux-x86_64.jar"
    if [ ! -f "$jar" ]; then
      ./mvnw -q -B -pl provider-native dependency:copy -Dartifact=org.bytedeco:openblas:0.3.30-1.5.12:jar:linux-x86_64 \
        -DoutputDirectory=target/bench-lib
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && "$jdk/bin/jar" xf "$jar" org/bytedeco/openblas/linux-x86_64/libopenblas.so.0 \
      org/bytedeco/openblas/linux-x86_64/libgfortran.so.5 org/bytedeco/openblas/linux-x86_64/libquadmath.so.0 \
      org/bytedeco/openblas/linux-x86_64/libgcc_s.so.1 && mv org/bytedeco/openblas/linux-x86_64/* . && rm -rf org \
      && ln -s libopenblas.so.0 libblas.so.3 && ln -s libopenblas.so.0 liblapack.so.3)
  fi
  torch_env=(LD_LIBRARY_PATH="$dir" OPENBLAS_NUM_THREADS=1)
}
