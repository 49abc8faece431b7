package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;

/**
 * The row kernels of {@link dev.nabla.api.backend.Kernels#binary}: one method per op and dtype, each
 * a plain counted loop with the op inlined, so the JIT compiles (and where it can, vectorizes) each
 * separately; the op and dtype are chosen once per call by {@link #of}, never inside a loop.
 *
 * <p>A row is {@code o[oi + i] = f(a[ai + i·as], b[bi + i·bs])} for {@code i < len}, with steps
 * {@code as, bs} of 1 or 0 (see {@link Broadcast}). The arithmetic ops that dominate training
 * (add, sub, mul, div, max, min) have a loop for each pair of steps (both walking, either one a
 * broadcast scalar, both scalars); the rest use the steps directly. Float32 is computed in float,
 * which for {@code + − × ÷} rounds exactly as computing in double and rounding once would; float32
 * {@code pow} goes through double. Int32 arithmetic wraps like a Java {@code int}; integer division
 * floors and throws on a zero divisor ({@link IntegerMath}). Comparisons write bool (one byte, 0 or 1).
 *
 * <p>This file is regular by construction: every method follows one of two templates.
 */
final class BinaryRows {
    private BinaryRows() {
    }

    /** One row: {@code o[oi + i] = f(a[ai + i·as], b[bi + i·bs])} for {@code i < len}. */
    @FunctionalInterface
    interface Row {
        /** Runs the row. */
        void run(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len);
    }

    /** The row kernel of {@code op} on operands of {@code dtype}, or null if the pair is undefined. */
    static Row of(BinaryOp op, DType dtype) {
        return switch (op) {
            case ADD -> switch (dtype) {
                case FLOAT32 -> BinaryRows::addF32;
                case FLOAT64 -> BinaryRows::addF64;
                case INT32 -> BinaryRows::addI32;
                case INT64 -> BinaryRows::addI64;
                default -> null;
            };
            case SUB -> switch (dtype) {
                case FLOAT32 -> BinaryRows::subF32;
                case FLOAT64 -> BinaryRows::subF64;
                case INT32 -> BinaryRows::subI32;
                case INT64 -> BinaryRows::subI64;
                default -> null;
            };
            case MUL -> switch (dtype) {
                case FLOAT32 -> BinaryRows::mulF32;
                case FLOAT64 -> BinaryRows::mulF64;
                case INT32 -> BinaryRows::mulI32;
                case INT64 -> BinaryRows::mulI64;
                default -> null;
            };
            case MAX -> switch (dtype) {
                case FLOAT32 -> BinaryRows::maxF32;
                case FLOAT64 -> BinaryRows::maxF64;
                case INT32 -> BinaryRows::maxI32;
                case INT64 -> BinaryRows::maxI64;
                default -> null;
            };
            case MIN -> switch (dtype) {
                case FLOAT32 -> BinaryRows::minF32;
                case FLOAT64 -> BinaryRows::minF64;
                case INT32 -> BinaryRows::minI32;
                case INT64 -> BinaryRows::minI64;
                default -> null;
            };
            case DIV -> switch (dtype) {
                case FLOAT32 -> BinaryRows::divF32;
                case FLOAT64 -> BinaryRows::divF64;
                case INT32 -> BinaryRows::divI32;
                case INT64 -> BinaryRows::divI64;
                default -> null;
            };
            case POW -> switch (dtype) {
                case FLOAT32 -> BinaryRows::powF32;
                case FLOAT64 -> BinaryRows::powF64;
                case INT32 -> BinaryRows::powI32;
                case INT64 -> BinaryRows::powI64;
                default -> null;
            };
            case EQ -> switch (dtype) {
                case FLOAT32 -> BinaryRows::eqF32;
                case FLOAT64 -> BinaryRows::eqF64;
                case INT32 -> BinaryRows::eqI32;
                case INT64 -> BinaryRows::eqI64;
                case BOOL -> BinaryRows::eqBool;
                default -> null;
            };
            case NE -> switch (dtype) {
                case FLOAT32 -> BinaryRows::neF32;
                case FLOAT64 -> BinaryRows::neF64;
                case INT32 -> BinaryRows::neI32;
                case INT64 -> BinaryRows::neI64;
                case BOOL -> BinaryRows::neBool;
                default -> null;
            };
            case LT -> switch (dtype) {
                case FLOAT32 -> BinaryRows::ltF32;
                case FLOAT64 -> BinaryRows::ltF64;
                case INT32 -> BinaryRows::ltI32;
                case INT64 -> BinaryRows::ltI64;
                case BOOL -> BinaryRows::ltBool;
                default -> null;
            };
            case LE -> switch (dtype) {
                case FLOAT32 -> BinaryRows::leF32;
                case FLOAT64 -> BinaryRows::leF64;
                case INT32 -> BinaryRows::leI32;
                case INT64 -> BinaryRows::leI64;
                case BOOL -> BinaryRows::leBool;
                default -> null;
            };
            case GT -> switch (dtype) {
                case FLOAT32 -> BinaryRows::gtF32;
                case FLOAT64 -> BinaryRows::gtF64;
                case INT32 -> BinaryRows::gtI32;
                case INT64 -> BinaryRows::gtI64;
                case BOOL -> BinaryRows::gtBool;
                default -> null;
            };
            case GE -> switch (dtype) {
                case FLOAT32 -> BinaryRows::geF32;
                case FLOAT64 -> BinaryRows::geF64;
                case INT32 -> BinaryRows::geI32;
                case INT64 -> BinaryRows::geI64;
                case BOOL -> BinaryRows::geBool;
                default -> null;
            };
            case AND -> switch (dtype) {
                case BOOL -> BinaryRows::andBool;
                default -> null;
            };
            case OR -> switch (dtype) {
                case BOOL -> BinaryRows::orBool;
                default -> null;
            };
        };
    }

    static void addF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x + y);
            }
        } else if (bs == 1) {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            for (long i = 0; i < len; i++) {
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x + y);
            }
        } else if (as == 1) {
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x + y);
            }
        } else {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            float v = x + y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_FLOAT, oi + i, v);
            }
        }
    }

    static void subF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x - y);
            }
        } else if (bs == 1) {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            for (long i = 0; i < len; i++) {
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x - y);
            }
        } else if (as == 1) {
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x - y);
            }
        } else {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            float v = x - y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_FLOAT, oi + i, v);
            }
        }
    }

    static void mulF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x * y);
            }
        } else if (bs == 1) {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            for (long i = 0; i < len; i++) {
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x * y);
            }
        } else if (as == 1) {
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x * y);
            }
        } else {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            float v = x * y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_FLOAT, oi + i, v);
            }
        }
    }

    static void maxF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, Math.max(x, y));
            }
        } else if (bs == 1) {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            for (long i = 0; i < len; i++) {
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, Math.max(x, y));
            }
        } else if (as == 1) {
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, Math.max(x, y));
            }
        } else {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            float v = Math.max(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_FLOAT, oi + i, v);
            }
        }
    }

    static void minF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, Math.min(x, y));
            }
        } else if (bs == 1) {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            for (long i = 0; i < len; i++) {
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, Math.min(x, y));
            }
        } else if (as == 1) {
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, Math.min(x, y));
            }
        } else {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            float v = Math.min(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_FLOAT, oi + i, v);
            }
        }
    }

    static void addF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x + y);
            }
        } else if (bs == 1) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            for (long i = 0; i < len; i++) {
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x + y);
            }
        } else if (as == 1) {
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x + y);
            }
        } else {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            double v = x + y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_DOUBLE, oi + i, v);
            }
        }
    }

    static void subF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x - y);
            }
        } else if (bs == 1) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            for (long i = 0; i < len; i++) {
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x - y);
            }
        } else if (as == 1) {
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x - y);
            }
        } else {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            double v = x - y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_DOUBLE, oi + i, v);
            }
        }
    }

    static void mulF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x * y);
            }
        } else if (bs == 1) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            for (long i = 0; i < len; i++) {
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x * y);
            }
        } else if (as == 1) {
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x * y);
            }
        } else {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            double v = x * y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_DOUBLE, oi + i, v);
            }
        }
    }

    static void maxF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, Math.max(x, y));
            }
        } else if (bs == 1) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            for (long i = 0; i < len; i++) {
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, Math.max(x, y));
            }
        } else if (as == 1) {
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, Math.max(x, y));
            }
        } else {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            double v = Math.max(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_DOUBLE, oi + i, v);
            }
        }
    }

    static void minF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, Math.min(x, y));
            }
        } else if (bs == 1) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            for (long i = 0; i < len; i++) {
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, Math.min(x, y));
            }
        } else if (as == 1) {
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, Math.min(x, y));
            }
        } else {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            double v = Math.min(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_DOUBLE, oi + i, v);
            }
        }
    }

    static void addI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, x + y);
            }
        } else if (bs == 1) {
            int x = a.getAtIndex(JAVA_INT, ai);
            for (long i = 0; i < len; i++) {
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, x + y);
            }
        } else if (as == 1) {
            int y = b.getAtIndex(JAVA_INT, bi);
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                o.setAtIndex(JAVA_INT, oi + i, x + y);
            }
        } else {
            int x = a.getAtIndex(JAVA_INT, ai);
            int y = b.getAtIndex(JAVA_INT, bi);
            int v = x + y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_INT, oi + i, v);
            }
        }
    }

    static void subI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, x - y);
            }
        } else if (bs == 1) {
            int x = a.getAtIndex(JAVA_INT, ai);
            for (long i = 0; i < len; i++) {
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, x - y);
            }
        } else if (as == 1) {
            int y = b.getAtIndex(JAVA_INT, bi);
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                o.setAtIndex(JAVA_INT, oi + i, x - y);
            }
        } else {
            int x = a.getAtIndex(JAVA_INT, ai);
            int y = b.getAtIndex(JAVA_INT, bi);
            int v = x - y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_INT, oi + i, v);
            }
        }
    }

    static void mulI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, x * y);
            }
        } else if (bs == 1) {
            int x = a.getAtIndex(JAVA_INT, ai);
            for (long i = 0; i < len; i++) {
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, x * y);
            }
        } else if (as == 1) {
            int y = b.getAtIndex(JAVA_INT, bi);
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                o.setAtIndex(JAVA_INT, oi + i, x * y);
            }
        } else {
            int x = a.getAtIndex(JAVA_INT, ai);
            int y = b.getAtIndex(JAVA_INT, bi);
            int v = x * y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_INT, oi + i, v);
            }
        }
    }

    static void maxI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, Math.max(x, y));
            }
        } else if (bs == 1) {
            int x = a.getAtIndex(JAVA_INT, ai);
            for (long i = 0; i < len; i++) {
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, Math.max(x, y));
            }
        } else if (as == 1) {
            int y = b.getAtIndex(JAVA_INT, bi);
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                o.setAtIndex(JAVA_INT, oi + i, Math.max(x, y));
            }
        } else {
            int x = a.getAtIndex(JAVA_INT, ai);
            int y = b.getAtIndex(JAVA_INT, bi);
            int v = Math.max(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_INT, oi + i, v);
            }
        }
    }

    static void minI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, Math.min(x, y));
            }
        } else if (bs == 1) {
            int x = a.getAtIndex(JAVA_INT, ai);
            for (long i = 0; i < len; i++) {
                int y = b.getAtIndex(JAVA_INT, bi + i);
                o.setAtIndex(JAVA_INT, oi + i, Math.min(x, y));
            }
        } else if (as == 1) {
            int y = b.getAtIndex(JAVA_INT, bi);
            for (long i = 0; i < len; i++) {
                int x = a.getAtIndex(JAVA_INT, ai + i);
                o.setAtIndex(JAVA_INT, oi + i, Math.min(x, y));
            }
        } else {
            int x = a.getAtIndex(JAVA_INT, ai);
            int y = b.getAtIndex(JAVA_INT, bi);
            int v = Math.min(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_INT, oi + i, v);
            }
        }
    }

    static void addI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, x + y);
            }
        } else if (bs == 1) {
            long x = a.getAtIndex(JAVA_LONG, ai);
            for (long i = 0; i < len; i++) {
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, x + y);
            }
        } else if (as == 1) {
            long y = b.getAtIndex(JAVA_LONG, bi);
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                o.setAtIndex(JAVA_LONG, oi + i, x + y);
            }
        } else {
            long x = a.getAtIndex(JAVA_LONG, ai);
            long y = b.getAtIndex(JAVA_LONG, bi);
            long v = x + y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_LONG, oi + i, v);
            }
        }
    }

    static void subI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, x - y);
            }
        } else if (bs == 1) {
            long x = a.getAtIndex(JAVA_LONG, ai);
            for (long i = 0; i < len; i++) {
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, x - y);
            }
        } else if (as == 1) {
            long y = b.getAtIndex(JAVA_LONG, bi);
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                o.setAtIndex(JAVA_LONG, oi + i, x - y);
            }
        } else {
            long x = a.getAtIndex(JAVA_LONG, ai);
            long y = b.getAtIndex(JAVA_LONG, bi);
            long v = x - y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_LONG, oi + i, v);
            }
        }
    }

    static void mulI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, x * y);
            }
        } else if (bs == 1) {
            long x = a.getAtIndex(JAVA_LONG, ai);
            for (long i = 0; i < len; i++) {
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, x * y);
            }
        } else if (as == 1) {
            long y = b.getAtIndex(JAVA_LONG, bi);
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                o.setAtIndex(JAVA_LONG, oi + i, x * y);
            }
        } else {
            long x = a.getAtIndex(JAVA_LONG, ai);
            long y = b.getAtIndex(JAVA_LONG, bi);
            long v = x * y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_LONG, oi + i, v);
            }
        }
    }

    static void maxI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, Math.max(x, y));
            }
        } else if (bs == 1) {
            long x = a.getAtIndex(JAVA_LONG, ai);
            for (long i = 0; i < len; i++) {
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, Math.max(x, y));
            }
        } else if (as == 1) {
            long y = b.getAtIndex(JAVA_LONG, bi);
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                o.setAtIndex(JAVA_LONG, oi + i, Math.max(x, y));
            }
        } else {
            long x = a.getAtIndex(JAVA_LONG, ai);
            long y = b.getAtIndex(JAVA_LONG, bi);
            long v = Math.max(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_LONG, oi + i, v);
            }
        }
    }

    static void minI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, Math.min(x, y));
            }
        } else if (bs == 1) {
            long x = a.getAtIndex(JAVA_LONG, ai);
            for (long i = 0; i < len; i++) {
                long y = b.getAtIndex(JAVA_LONG, bi + i);
                o.setAtIndex(JAVA_LONG, oi + i, Math.min(x, y));
            }
        } else if (as == 1) {
            long y = b.getAtIndex(JAVA_LONG, bi);
            for (long i = 0; i < len; i++) {
                long x = a.getAtIndex(JAVA_LONG, ai + i);
                o.setAtIndex(JAVA_LONG, oi + i, Math.min(x, y));
            }
        } else {
            long x = a.getAtIndex(JAVA_LONG, ai);
            long y = b.getAtIndex(JAVA_LONG, bi);
            long v = Math.min(x, y);
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_LONG, oi + i, v);
            }
        }
    }

    static void divF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x / y);
            }
        } else if (bs == 1) {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            for (long i = 0; i < len; i++) {
                float y = b.getAtIndex(JAVA_FLOAT, bi + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x / y);
            }
        } else if (as == 1) {
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            for (long i = 0; i < len; i++) {
                float x = a.getAtIndex(JAVA_FLOAT, ai + i);
                o.setAtIndex(JAVA_FLOAT, oi + i, x / y);
            }
        } else {
            float x = a.getAtIndex(JAVA_FLOAT, ai);
            float y = b.getAtIndex(JAVA_FLOAT, bi);
            float v = x / y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_FLOAT, oi + i, v);
            }
        }
    }

    static void divF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        if (as == 1 && bs == 1) {
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x / y);
            }
        } else if (bs == 1) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            for (long i = 0; i < len; i++) {
                double y = b.getAtIndex(JAVA_DOUBLE, bi + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x / y);
            }
        } else if (as == 1) {
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            for (long i = 0; i < len; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, ai + i);
                o.setAtIndex(JAVA_DOUBLE, oi + i, x / y);
            }
        } else {
            double x = a.getAtIndex(JAVA_DOUBLE, ai);
            double y = b.getAtIndex(JAVA_DOUBLE, bi);
            double v = x / y;
            for (long i = 0; i < len; i++) {
                o.setAtIndex(JAVA_DOUBLE, oi + i, v);
            }
        }
    }

    static void powF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            float x = a.getAtIndex(JAVA_FLOAT, ai + i * as);
            float y = b.getAtIndex(JAVA_FLOAT, bi + i * bs);
            o.setAtIndex(JAVA_FLOAT, oi + i, (float) Math.pow(x, y));
        }
    }

    static void powF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai + i * as);
            double y = b.getAtIndex(JAVA_DOUBLE, bi + i * bs);
            o.setAtIndex(JAVA_DOUBLE, oi + i, Math.pow(x, y));
        }
    }

    static void powI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.setAtIndex(JAVA_INT, oi + i, (int) IntegerMath.pow(x, y));
        }
    }

    static void powI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.setAtIndex(JAVA_LONG, oi + i, IntegerMath.pow(x, y));
        }
    }

    static void divI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.setAtIndex(JAVA_INT, oi + i, (int) IntegerMath.floorDiv(x, y));
        }
    }

    static void divI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.setAtIndex(JAVA_LONG, oi + i, IntegerMath.floorDiv(x, y));
        }
    }

    static void eqF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            float x = a.getAtIndex(JAVA_FLOAT, ai + i * as);
            float y = b.getAtIndex(JAVA_FLOAT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x == y ? (byte) 1 : (byte) 0);
        }
    }

    static void neF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            float x = a.getAtIndex(JAVA_FLOAT, ai + i * as);
            float y = b.getAtIndex(JAVA_FLOAT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x != y ? (byte) 1 : (byte) 0);
        }
    }

    static void ltF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            float x = a.getAtIndex(JAVA_FLOAT, ai + i * as);
            float y = b.getAtIndex(JAVA_FLOAT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x < y ? (byte) 1 : (byte) 0);
        }
    }

    static void leF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            float x = a.getAtIndex(JAVA_FLOAT, ai + i * as);
            float y = b.getAtIndex(JAVA_FLOAT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x <= y ? (byte) 1 : (byte) 0);
        }
    }

    static void gtF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            float x = a.getAtIndex(JAVA_FLOAT, ai + i * as);
            float y = b.getAtIndex(JAVA_FLOAT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x > y ? (byte) 1 : (byte) 0);
        }
    }

    static void geF32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            float x = a.getAtIndex(JAVA_FLOAT, ai + i * as);
            float y = b.getAtIndex(JAVA_FLOAT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x >= y ? (byte) 1 : (byte) 0);
        }
    }

    static void eqF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai + i * as);
            double y = b.getAtIndex(JAVA_DOUBLE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x == y ? (byte) 1 : (byte) 0);
        }
    }

    static void neF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai + i * as);
            double y = b.getAtIndex(JAVA_DOUBLE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x != y ? (byte) 1 : (byte) 0);
        }
    }

    static void ltF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai + i * as);
            double y = b.getAtIndex(JAVA_DOUBLE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x < y ? (byte) 1 : (byte) 0);
        }
    }

    static void leF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai + i * as);
            double y = b.getAtIndex(JAVA_DOUBLE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x <= y ? (byte) 1 : (byte) 0);
        }
    }

    static void gtF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai + i * as);
            double y = b.getAtIndex(JAVA_DOUBLE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x > y ? (byte) 1 : (byte) 0);
        }
    }

    static void geF64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            double x = a.getAtIndex(JAVA_DOUBLE, ai + i * as);
            double y = b.getAtIndex(JAVA_DOUBLE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x >= y ? (byte) 1 : (byte) 0);
        }
    }

    static void eqI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x == y ? (byte) 1 : (byte) 0);
        }
    }

    static void neI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x != y ? (byte) 1 : (byte) 0);
        }
    }

    static void ltI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x < y ? (byte) 1 : (byte) 0);
        }
    }

    static void leI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x <= y ? (byte) 1 : (byte) 0);
        }
    }

    static void gtI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x > y ? (byte) 1 : (byte) 0);
        }
    }

    static void geI32(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            int x = a.getAtIndex(JAVA_INT, ai + i * as);
            int y = b.getAtIndex(JAVA_INT, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x >= y ? (byte) 1 : (byte) 0);
        }
    }

    static void eqI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x == y ? (byte) 1 : (byte) 0);
        }
    }

    static void neI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x != y ? (byte) 1 : (byte) 0);
        }
    }

    static void ltI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x < y ? (byte) 1 : (byte) 0);
        }
    }

    static void leI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x <= y ? (byte) 1 : (byte) 0);
        }
    }

    static void gtI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x > y ? (byte) 1 : (byte) 0);
        }
    }

    static void geI64(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            long x = a.getAtIndex(JAVA_LONG, ai + i * as);
            long y = b.getAtIndex(JAVA_LONG, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x >= y ? (byte) 1 : (byte) 0);
        }
    }

    static void eqBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x == y ? (byte) 1 : (byte) 0);
        }
    }

    static void neBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x != y ? (byte) 1 : (byte) 0);
        }
    }

    static void ltBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x < y ? (byte) 1 : (byte) 0);
        }
    }

    static void leBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x <= y ? (byte) 1 : (byte) 0);
        }
    }

    static void gtBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x > y ? (byte) 1 : (byte) 0);
        }
    }

    static void geBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, x >= y ? (byte) 1 : (byte) 0);
        }
    }

    static void andBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, (byte) (x & y));
        }
    }

    static void orBool(MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs, MemorySegment o, long oi, long len) {
        for (long i = 0; i < len; i++) {
            byte x = a.get(JAVA_BYTE, ai + i * as);
            byte y = b.get(JAVA_BYTE, bi + i * bs);
            o.set(JAVA_BYTE, oi + i, (byte) (x | y));
        }
    }
}
