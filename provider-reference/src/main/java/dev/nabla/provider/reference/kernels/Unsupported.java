package dev.nabla.provider.reference.kernels;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.UnsupportedKernelException;

/** Builds the exceptions for kernel/dtype combinations the reference backend does not implement. */
final class Unsupported {
    private Unsupported() {
    }

    /** {@code kernel} (e.g. {@code "unary(EXP)"}) is not implemented for {@code dtype}. */
    static UnsupportedKernelException of(String kernel, DType dtype) {
        return new UnsupportedKernelException("reference backend: kernel " + kernel
                + " does not support dtype " + dtype);
    }

    /**
     * {@code family(op)} (e.g. {@code unary(EXP)}) is not implemented for {@code dtype}; the name is
     * built only here, when the error is thrown, never on the kernels' hot path.
     */
    static UnsupportedKernelException of(String family, Enum<?> op, DType dtype) {
        return of(family + "(" + op + ")", dtype);
    }
}
