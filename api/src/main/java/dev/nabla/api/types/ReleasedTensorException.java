package dev.nabla.api.types;

/** A tensor was used after its storage was released (its scope closed, or it was closed). */
public class ReleasedTensorException extends NablaException {
    /** An exception with the given message. */
    public ReleasedTensorException(String message) {
        super(message);
    }
}
