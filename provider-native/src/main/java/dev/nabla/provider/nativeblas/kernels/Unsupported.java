package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.UnsupportedKernelException;

/** Builds the exceptions for kernel and dtype combinations the contract does not define. */
final class Unsupported {
    private Unsupported() {
    }

    /** {@code kernel} is not defined for {@code dtype}. */
    static UnsupportedKernelException of(String kernel, DType dtype) {
        return new UnsupportedKernelException("native backend: kernel " + kernel + " does not support dtype " + dtype);
    }

    /** {@code family(op)} is not defined for {@code dtype}; the name is built only when thrown. */
    static UnsupportedKernelException of(String family, Enum<?> op, DType dtype) {
        return of(family + "(" + op + ")", dtype);
    }
}
