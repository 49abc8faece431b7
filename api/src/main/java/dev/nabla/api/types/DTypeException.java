package dev.nabla.api.types;

/** A dtype the operation does not accept, or two operands whose dtypes differ. */
public class DTypeException extends NablaException {
    /** An exception with the given message. */
    public DTypeException(String message) {
        super(message);
    }
}
