package dev.nabla.api.types;

/** Shapes, axes or indices that do not fit the operation: the message names the op and the shapes. */
public class ShapeException extends NablaException {
    /** An exception with the given message. */
    public ShapeException(String message) {
        super(message);
    }
}
