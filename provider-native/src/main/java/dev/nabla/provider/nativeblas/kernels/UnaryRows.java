package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;

/**
 * The loops of {@link dev.nabla.api.backend.Kernels#unary}: one method per op and dtype, chosen once
 * per call by {@link #of}, each a plain counted loop over {@code [from, to)} with the function
 * inlined. Float32 is computed in double and rounded once on store, so every float32 result is the
 * float64 result rounded; integer ops are exact and int32 wraps like a Java {@code int}.
 *
 * <p>This file is regular by construction: every method follows one template.
 */
final class UnaryRows {
    private UnaryRows() {
    }

    /** A loop over {@code [from, to)}: {@code o[i] = f(x[i])}. */
    @FunctionalInterface
    interface Loop {
        /** Runs the loop. */
        void run(MemorySegment x, MemorySegment o, long from, long to);
    }

    /** The loop of {@code op} for {@code dtype}, or null if the pair is undefined. */
    static Loop of(UnaryOp op, DType dtype) {
        return switch (op) {
            case NEG -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fNeg32;
                case FLOAT64 -> UnaryRows::fNeg64;
                case INT32 -> UnaryRows::iNeg32;
                case INT64 -> UnaryRows::iNeg64;
                default -> null;
            };
            case ABS -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fAbs32;
                case FLOAT64 -> UnaryRows::fAbs64;
                case INT32 -> UnaryRows::iAbs32;
                case INT64 -> UnaryRows::iAbs64;
                default -> null;
            };
            case SIGN -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fSign32;
                case FLOAT64 -> UnaryRows::fSign64;
                case INT32 -> UnaryRows::iSign32;
                case INT64 -> UnaryRows::iSign64;
                default -> null;
            };
            case EXP -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fExp32;
                case FLOAT64 -> UnaryRows::fExp64;
                default -> null;
            };
            case EXPM1 -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fExpm132;
                case FLOAT64 -> UnaryRows::fExpm164;
                default -> null;
            };
            case LOG -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fLog32;
                case FLOAT64 -> UnaryRows::fLog64;
                default -> null;
            };
            case LOG1P -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fLog1p32;
                case FLOAT64 -> UnaryRows::fLog1p64;
                default -> null;
            };
            case SQRT -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fSqrt32;
                case FLOAT64 -> UnaryRows::fSqrt64;
                default -> null;
            };
            case SIN -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fSin32;
                case FLOAT64 -> UnaryRows::fSin64;
                default -> null;
            };
            case COS -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fCos32;
                case FLOAT64 -> UnaryRows::fCos64;
                default -> null;
            };
            case TANH -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fTanh32;
                case FLOAT64 -> UnaryRows::fTanh64;
                default -> null;
            };
            case SIGMOID -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fSigmoid32;
                case FLOAT64 -> UnaryRows::fSigmoid64;
                default -> null;
            };
            case RELU -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fRelu32;
                case FLOAT64 -> UnaryRows::fRelu64;
                case INT32 -> UnaryRows::iRelu32;
                case INT64 -> UnaryRows::iRelu64;
                default -> null;
            };
            case ERF -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fErf32;
                case FLOAT64 -> UnaryRows::fErf64;
                default -> null;
            };
            case FLOOR -> switch (dtype) {
                case FLOAT32 -> UnaryRows::fFloor32;
                case FLOAT64 -> UnaryRows::fFloor64;
                default -> null;
            };
            case LOGICAL_NOT -> switch (dtype) {
                case BOOL -> UnaryRows::logicalNot;
                default -> null;
            };
        };
    }

    static void fNeg32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (-v));
        }
    }

    static void fNeg64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, -v);
        }
    }

    static void fAbs32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.abs(v)));
        }
    }

    static void fAbs64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.abs(v));
        }
    }

    static void fSign32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (v > 0 ? 1.0 : v < 0 ? -1.0 : v == 0 ? 0.0 : v));
        }
    }

    static void fSign64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, v > 0 ? 1.0 : v < 0 ? -1.0 : v == 0 ? 0.0 : v);
        }
    }

    static void fExp32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.exp(v)));
        }
    }

    static void fExp64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.exp(v));
        }
    }

    static void fExpm132(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.expm1(v)));
        }
    }

    static void fExpm164(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.expm1(v));
        }
    }

    static void fLog32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.log(v)));
        }
    }

    static void fLog64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.log(v));
        }
    }

    static void fLog1p32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.log1p(v)));
        }
    }

    static void fLog1p64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.log1p(v));
        }
    }

    static void fSqrt32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.sqrt(v)));
        }
    }

    static void fSqrt64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.sqrt(v));
        }
    }

    static void fSin32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.sin(v)));
        }
    }

    static void fSin64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.sin(v));
        }
    }

    static void fCos32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.cos(v)));
        }
    }

    static void fCos64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.cos(v));
        }
    }

    static void fTanh32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.tanh(v)));
        }
    }

    static void fTanh64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.tanh(v));
        }
    }

    static void fSigmoid32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (ScalarMath.sigmoid(v)));
        }
    }

    static void fSigmoid64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, ScalarMath.sigmoid(v));
        }
    }

    static void fRelu32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (v > 0 ? v : v == v ? 0.0 : v));
        }
    }

    static void fRelu64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, v > 0 ? v : v == v ? 0.0 : v);
        }
    }

    static void fErf32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (ScalarMath.erf(v)));
        }
    }

    static void fErf64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, ScalarMath.erf(v));
        }
    }

    static void fFloor32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_FLOAT, i);
            o.setAtIndex(JAVA_FLOAT, i, (float) (Math.floor(v)));
        }
    }

    static void fFloor64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            double v = x.getAtIndex(JAVA_DOUBLE, i);
            o.setAtIndex(JAVA_DOUBLE, i, Math.floor(v));
        }
    }

    static void iNeg32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            int v = x.getAtIndex(JAVA_INT, i);
            o.setAtIndex(JAVA_INT, i, -v);
        }
    }

    static void iNeg64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            long v = x.getAtIndex(JAVA_LONG, i);
            o.setAtIndex(JAVA_LONG, i, -v);
        }
    }

    static void iAbs32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            int v = x.getAtIndex(JAVA_INT, i);
            o.setAtIndex(JAVA_INT, i, Math.abs(v));
        }
    }

    static void iAbs64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            long v = x.getAtIndex(JAVA_LONG, i);
            o.setAtIndex(JAVA_LONG, i, Math.abs(v));
        }
    }

    static void iSign32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            int v = x.getAtIndex(JAVA_INT, i);
            o.setAtIndex(JAVA_INT, i, Integer.signum(v));
        }
    }

    static void iSign64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            long v = x.getAtIndex(JAVA_LONG, i);
            o.setAtIndex(JAVA_LONG, i, Long.signum(v));
        }
    }

    static void iRelu32(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            int v = x.getAtIndex(JAVA_INT, i);
            o.setAtIndex(JAVA_INT, i, Math.max(v, 0));
        }
    }

    static void iRelu64(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            long v = x.getAtIndex(JAVA_LONG, i);
            o.setAtIndex(JAVA_LONG, i, Math.max(v, 0L));
        }
    }

    static void logicalNot(MemorySegment x, MemorySegment o, long from, long to) {
        for (long i = from; i < to; i++) {
            o.set(JAVA_BYTE, i, (byte) (x.get(JAVA_BYTE, i) ^ 1));
        }
    }
}
