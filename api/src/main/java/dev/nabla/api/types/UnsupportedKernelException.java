package dev.nabla.api.types;

/**
 * A backend does not implement a kernel (or a dtype of it). The conformance kit reports such an op
 * as UNSUPPORTED rather than as a failure.
 */
public class UnsupportedKernelException extends NablaException {
    /** An exception with the given message; name the backend, the kernel and the dtype. */
    public UnsupportedKernelException(String message) {
        super(message);
    }
}
