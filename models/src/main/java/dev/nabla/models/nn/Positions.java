package dev.nabla.models.nn;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.ShapeException;

/** What {@link SinusoidalPositions} and {@link LearnedPositions} share: the shape checks and the addition. */
final class Positions {
    private Positions() {
    }

    /** The length axis of {@code x}: {@code [T, d]}, {@code [T, B, d]} or, batch-first, {@code [B, T, d]}. */
    static int length(String op, Tensor x, int dModel, boolean batchFirst) {
        if ((x.rank() != 2 && x.rank() != 3) || x.dim(-1) != dModel) {
            throw new ShapeException(op + ": input " + x.shape() + " must be " + (batchFirst ? "[batch, length, "
                    : "[length, batch, ") + dModel + "] (or [length, " + dModel + "])");
        }
        return x.rank() == 3 && batchFirst ? x.dim(1) : x.dim(0);
    }

    /** Checks that positions {@code [offset, offset + length)} exist. */
    static void range(String op, int offset, int length, int maxLength) {
        if (offset < 0 || length < 0) {
            throw new ShapeException(op + ": offset " + offset + " and length " + length + " must be >= 0");
        }
        if ((long) offset + length > maxLength) {
            throw new ShapeException(op + ": input length " + ((long) offset + length)
                    + (offset == 0 ? "" : " (offset " + offset + " + " + length + ")")
                    + " exceeds the " + maxLength + " positions this model was built for");
        }
    }

    /** {@code x + table}, with {@code table [T, d]} laid along {@code x}'s length axis. */
    static Tensor add(Tensor x, Tensor table, boolean batchFirst) {
        return x.rank() == 3 && !batchFirst ? x.add(table.unsqueeze(1)) : x.add(table);
    }
}
