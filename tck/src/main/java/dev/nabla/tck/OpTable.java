package dev.nabla.tck;

import static dev.nabla.api.types.DType.BOOL;
import static dev.nabla.api.types.DType.FLOAT32;
import static dev.nabla.api.types.DType.FLOAT64;
import static dev.nabla.api.types.DType.INT32;
import static dev.nabla.api.types.DType.INT64;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.tck.OpInfo.Apply;
import dev.nabla.tck.OpInfo.Input;
import dev.nabla.tck.OpInfo.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The op table: one {@link OpInfo} row per op of {@link Tensor} (and the creation methods of
 * {@link dev.nabla.api.tensor.TensorFactory}), with its samples and its reference. Adding an op to
 * the tck is adding a row here.
 *
 * <p>Inputs are drawn from a {@link SplittableRandom} seeded by the op's name, so every run checks the
 * same numbers. Domains keep gradient samples away from non-differentiable points (0 for relu/abs,
 * integers for floor, the bounds of clamp) and inside the domain of log and sqrt.
 */
final class OpTable {
    static final List<DType> FLOATS = List.of(FLOAT64, FLOAT32);
    static final List<DType> INTS = List.of(INT32, INT64);

    /** Samples with more main-input elements than this get no finite-difference check. */
    static final int MAX_GRAD_ELEMENTS = 300;

    /** Shapes of unary samples: scalar, size-1, vector, matrix, 3-D with a size-1 axis, zero-size, large. */
    static final int[][] UNARY_SHAPES = {{}, {1}, {5}, {2, 3}, {3, 1, 4}, {0, 3}, {64, 65}};

    /** Operand shape pairs of binary samples: equal, broadcast either way, scalars, zero-size, large. */
    static final int[][][] BINARY_PAIRS = {
        {{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{3}, {2, 3}}, {{2, 1}, {1, 3}}, {{}, {2, 3}}, {{2, 3}, {}},
        {{}, {}}, {{4, 1, 3}, {2, 1}}, {{1, 1}, {1}}, {{0, 3}, {1, 3}}, {{0, 3}, {3}}, {{64, 65}, {65}},
    };

    /** Draws one value. */
    @FunctionalInterface
    interface Gen {
        double draw(SplittableRandom r);
    }

    static Gen uniform(double lo, double hi) {
        return r -> lo + (hi - lo) * r.nextDouble();
    }

    static final Gen ANY = uniform(-2, 2);
    static final Gen POS = uniform(0.3, 3);
    /** Magnitude in [0.2, 2], either sign: away from the kink of relu, abs, sign, leaky ReLU, ELU. */
    static final Gen AWAY0 = r -> (r.nextBoolean() ? 1 : -1) * (0.2 + 1.8 * r.nextDouble());
    /** At least 0.1 away from every integer: floor is differentiable (with derivative 0) there. */
    static final Gen FRAC = r -> r.nextInt(-3, 3) + 0.1 + 0.8 * r.nextDouble();
    static final Gen BOOLS = r -> r.nextBoolean() ? 1 : 0;

    static Gen ints(int lo, int hi) {
        return r -> r.nextInt(lo, hi + 1);
    }

    /** Non-zero integers in [lo, hi]. */
    static Gen nonZeroInts(int lo, int hi) {
        return r -> {
            int v;
            do {
                v = r.nextInt(lo, hi + 1);
            } while (v == 0);
            return v;
        };
    }

    /** Values of {@code g} at least {@code gap} away from each of {@code bad}. */
    static Gen avoiding(Gen g, double gap, double... bad) {
        return r -> {
            while (true) {
                double v = g.draw(r);
                boolean ok = true;
                for (double b : bad) {
                    ok &= Math.abs(v - b) >= gap;
                }
                if (ok) {
                    return v;
                }
            }
        };
    }

    private final List<OpInfo> rows = new ArrayList<>();

    private OpTable() {
    }

    /** The whole table. */
    static List<OpInfo> all() {
        OpTable t = new OpTable();
        t.creation();
        t.conversion();
        t.unary();
        t.binary();
        t.reductions();
        t.linearAlgebra();
        t.shapes();
        t.indexing();
        t.neural();
        return List.copyOf(t.rows);
    }

    // =====================================================================================
    // the row builder
    // =====================================================================================

    final class B {
        final String name;
        final SplittableRandom rnd;
        List<DType> dtypes = FLOATS;
        boolean diff;
        boolean secondOrder = true;
        double slack = 1;
        final List<Object[]> pending = new ArrayList<>();

        B(String name) {
            this.name = name;
            this.rnd = new SplittableRandom(name.hashCode() * 0x9E3779B97F4A7C15L);
        }

        B dtypes(DType... d) {
            dtypes = List.of(d);
            return this;
        }

        B ints() {
            dtypes = INTS;
            return this;
        }

        B diff() {
            diff = true;
            return this;
        }

        /** First-order gradient checks only (the samples sit where the gradient jumps). */
        B firstOrderOnly() {
            secondOrder = false;
            return this;
        }

        B slack(double s) {
            slack = s;
            return this;
        }

        /** A main input (run dtype) drawn from {@code g}. */
        Input in(Gen g, int... shape) {
            double[] v = new double[Nd.size(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = g.draw(rnd);
            }
            return new Input(new Nd(shape, v), null);
        }

        /** A main input with given values. */
        Input values(int[] shape, double... v) {
            return new Input(Nd.of(shape, v), null);
        }

        /** An input of a fixed dtype (indices, masks) with given values. */
        Input fixed(DType d, int[] shape, double... v) {
            return new Input(Nd.of(shape, v), d);
        }

        /** An input of a fixed dtype drawn from {@code g}. */
        Input fixedDrawn(DType d, Gen g, int... shape) {
            Input i = in(g, shape);
            return new Input(i.value(), d);
        }

        B sample(String args, Apply a, Function<List<Nd>, Nd> ref, Input... ins) {
            pending.add(new Object[] {args, a, ref, ins, true});
            return this;
        }

        /** A sample that gets forward checks only (e.g. values chosen to test stability, or ties). */
        B sampleNoGrad(String args, Apply a, Function<List<Nd>, Nd> ref, Input... ins) {
            pending.add(new Object[] {args, a, ref, ins, false});
            return this;
        }

        @SuppressWarnings("unchecked")
        void add() {
            List<Sample> samples = new ArrayList<>();
            for (Object[] p : pending) {
                Input[] ins = (Input[]) p[3];
                StringBuilder label = new StringBuilder();
                int mainElements = 0;
                for (Input in : ins) {
                    if (!label.isEmpty()) {
                        label.append(", ");
                    }
                    label.append(Arrays.toString(in.value().shape));
                    if (in.fixed() != null) {
                        label.append(' ').append(in.fixed());
                    } else {
                        mainElements += in.value().size();
                    }
                }
                if (!((String) p[0]).isEmpty()) {
                    label.append(ins.length == 0 ? "" : " ").append(p[0]);
                }
                boolean grad = diff && (Boolean) p[4] && mainElements <= MAX_GRAD_ELEMENTS;
                samples.add(new Sample(label.toString(), List.of(ins), (Apply) p[1],
                        (Function<List<Nd>, Nd>) p[2], grad));
            }
            rows.add(new OpInfo(name, dtypes, diff, diff && secondOrder, slack, List.copyOf(samples)));
        }
    }

    B op(String name) {
        return new B(name);
    }

    static Apply a1(UnaryOperator<Tensor> f) {
        return (e, t) -> f.apply(t.get(0));
    }

    static Apply a2(BinaryOperator<Tensor> f) {
        return (e, t) -> f.apply(t.get(0), t.get(1));
    }

    static Function<List<Nd>, Nd> r1(Function<Nd, Nd> f) {
        return n -> f.apply(n.get(0));
    }

    static Function<List<Nd>, Nd> r2(java.util.function.BiFunction<Nd, Nd, Nd> f) {
        return n -> f.apply(n.get(0), n.get(1));
    }

    /**
     * Attention of inputs (q, k, v) with the given mask: the output, or the weights and the output
     * concatenated along the last axis.
     */
    static Tensor attend(List<Tensor> t, Tensor mask, boolean causal, double scale, boolean wantWeights) {
        var out = Tensor.scaledDotProductAttentionWithWeights(t.get(0), t.get(1), t.get(2), mask, causal, scale);
        return wantWeights ? Tensor.concat(List.of(out.weights(), out.output()), -1) : out.output();
    }

    /** {@link Tensor#packedSelfAttention} of {@code t.get(0)}: the output, or the weights and the output flattened. */
    static Tensor packed(List<Tensor> t, int heads, Tensor mask, boolean causal, double scale, boolean wantWeights) {
        var out = Tensor.packedSelfAttention(t.get(0), heads, mask, causal, scale);
        return wantWeights ? Tensor.concat(List.of(out.weights().reshape(-1), out.output().reshape(-1)), 0)
                : out.output();
    }

    static int[] s(int... d) {
        return d;
    }

    static final int[] SCALAR = {};

    // =====================================================================================
    // creation (no inputs; the run dtype is the requested dtype where the API takes one)
    // =====================================================================================

    private static Nd filled(int[] shape, double v) {
        double[] a = new double[Nd.size(shape)];
        Arrays.fill(a, v);
        return new Nd(shape, a);
    }

    private void creation() {
        List<DType> all = List.of(FLOAT64, FLOAT32, INT32, INT64, BOOL);
        op("zeros").dtypes(FLOAT32)
                .sample("", (e, t) -> e.factory().zeros(2, 3), n -> filled(s(2, 3), 0))
                .sample("scalar", (e, t) -> e.factory().zeros(), n -> filled(SCALAR, 0))
                .sample("[0, 3]", (e, t) -> e.factory().zeros(0, 3), n -> filled(s(0, 3), 0)).add();
        op("zeros(shape, dtype)").dtypes(all.toArray(DType[]::new))
                .sample("[3, 1, 2]", (e, t) -> e.factory().zeros(Shape.of(3, 1, 2), e.dtype()), n -> filled(s(3, 1, 2), 0))
                .add();
        op("ones").dtypes(FLOAT32)
                .sample("[4]", (e, t) -> e.factory().ones(4), n -> filled(s(4), 1))
                .sample("[64, 65]", (e, t) -> e.factory().ones(64, 65), n -> filled(s(64, 65), 1)).add();
        op("ones(shape, dtype)").dtypes(all.toArray(DType[]::new))
                .sample("[2, 2]", (e, t) -> e.factory().ones(Shape.of(2, 2), e.dtype()), n -> filled(s(2, 2), 1))
                .sample("[]", (e, t) -> e.factory().ones(Shape.scalar(), e.dtype()), n -> filled(SCALAR, 1))
                .add();
        op("zeros(dtype, dims)").dtypes(all.toArray(DType[]::new))
                .sample("[2, 3]", (e, t) -> e.factory().zeros(e.dtype(), 2, 3), n -> filled(s(2, 3), 0))
                .sample("scalar", (e, t) -> e.factory().zeros(e.dtype()), n -> filled(SCALAR, 0)).add();
        op("ones(dtype, dims)").dtypes(all.toArray(DType[]::new))
                .sample("[3, 1]", (e, t) -> e.factory().ones(e.dtype(), 3, 1), n -> filled(s(3, 1), 1))
                .sample("[0, 2]", (e, t) -> e.factory().ones(e.dtype(), 0, 2), n -> filled(s(0, 2), 0)).add();
        // the *Like creators keep the shape, the dtype and the backend of their argument
        B zl = op("zerosLike").dtypes(all.toArray(DType[]::new));
        zl.sample("", (e, t) -> Tensor.zerosLike(t.get(0)), r1(x -> filled(x.shape, 0)), zl.in(ints(0, 1), 2, 3))
                .sample("", (e, t) -> Tensor.zerosLike(t.get(0)), r1(x -> filled(x.shape, 0)), zl.in(ints(0, 1)))
                .add();
        B ol = op("onesLike").dtypes(all.toArray(DType[]::new));
        ol.sample("", (e, t) -> Tensor.onesLike(t.get(0)), r1(x -> filled(x.shape, 1)), ol.in(ints(0, 1), 3, 1, 2))
                .sample("", (e, t) -> Tensor.onesLike(t.get(0)), r1(x -> filled(x.shape, 1)), ol.in(ints(0, 1), 0, 4))
                .add();
        B fli = op("fullLike").dtypes(FLOAT64, FLOAT32, INT32, INT64);
        fli.sample("-3", (e, t) -> Tensor.fullLike(t.get(0), -3), r1(x -> filled(x.shape, -3)), fli.in(ints(0, 5), 2, 2))
                .sample("-3 scalar", (e, t) -> Tensor.fullLike(t.get(0), -3), r1(x -> filled(x.shape, -3)),
                        fli.in(ints(0, 5))).add();
        op("full").dtypes(FLOAT64, FLOAT32)
                .sample("[2, 3] -2.25", (e, t) -> e.factory().full(Shape.of(2, 3), -2.25, e.dtype()), n -> filled(s(2, 3), -2.25))
                .sample("[0] 7", (e, t) -> e.factory().full(Shape.of(0), 7, e.dtype()), n -> filled(s(0), 7))
                .add();
        op("full(int)").dtypes(INT32, INT64)
                .sample("[3] 42", (e, t) -> e.factory().full(Shape.of(3), 42, e.dtype()), n -> filled(s(3), 42)).add();
        op("full(bool)").dtypes(BOOL)
                .sample("[2] 2.0 is true", (e, t) -> e.factory().full(Shape.of(2), 2.0, e.dtype()), n -> filled(s(2), 1)).add();
        op("scalar").dtypes(FLOAT32)
                .sample("3.5", (e, t) -> e.factory().scalar(3.5), n -> Nd.scalar(3.5)).add();
        op("scalar(dtype)").dtypes(FLOAT64, INT64)
                .sample("-4", (e, t) -> e.factory().scalar(-4, e.dtype()), n -> Nd.scalar(-4)).add();
        op("vector").dtypes(FLOAT32)
                .sample("1.5, -2, 3", (e, t) -> e.factory().vector(1.5f, -2f, 3f), n -> Nd.of(s(3), 1.5, -2, 3))
                .sample("empty", (e, t) -> e.factory().vector(), n -> Nd.of(s(0))).add();
        op("arange(long)").dtypes(INT64)
                .sample("0, 5, 1", (e, t) -> e.factory().arange(0, 5, 1), n -> Nd.of(s(5), 0, 1, 2, 3, 4))
                .sample("2, 11, 3", (e, t) -> e.factory().arange(2, 11, 3), n -> Nd.of(s(3), 2, 5, 8))
                .sample("5, -2, -2", (e, t) -> e.factory().arange(5, -2, -2), n -> Nd.of(s(4), 5, 3, 1, -1))
                .sample("3, 3, 1 (empty)", (e, t) -> e.factory().arange(3, 3, 1), n -> Nd.of(s(0)))
                .sample("5, 0, 1 (empty)", (e, t) -> e.factory().arange(5, 0, 1), n -> Nd.of(s(0))).add();
        op("arange(double)").dtypes(FLOAT64, FLOAT32)
                .sample("0, 1, 0.25", (e, t) -> e.factory().arange(0, 1, 0.25, e.dtype()), n -> Nd.of(s(4), 0, 0.25, 0.5, 0.75))
                .sample("-1, 0.5, 0.5", (e, t) -> e.factory().arange(-1, 0.5, 0.5, e.dtype()), n -> Nd.of(s(3), -1, -0.5, 0))
                .sample("1, -1, -0.75", (e, t) -> e.factory().arange(1, -1, -0.75, e.dtype()), n -> Nd.of(s(3), 1, 0.25, -0.5))
                .sample("2, 2, 1 (empty)", (e, t) -> e.factory().arange(2.0, 2.0, 1.0, e.dtype()), n -> Nd.of(s(0))).add();
        op("eye").dtypes(FLOAT32)
                .sample("3", (e, t) -> e.factory().eye(3), n -> Nd.of(s(3, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1))
                .sample("0", (e, t) -> e.factory().eye(0), n -> Nd.of(s(0, 0))).add();
        op("eye(n, m, dtype)").dtypes(FLOAT64, FLOAT32, INT32, INT64, BOOL)
                .sample("2x3", (e, t) -> e.factory().eye(2, 3, e.dtype()), n -> Nd.of(s(2, 3), 1, 0, 0, 0, 1, 0))
                .sample("3x2", (e, t) -> e.factory().eye(3, 2, e.dtype()), n -> Nd.of(s(3, 2), 1, 0, 0, 1, 0, 0)).add();
        op("linspace").dtypes(FLOAT32)
                .sample("0, 1, 5", (e, t) -> e.factory().linspace(0, 1, 5), n -> Nd.of(s(5), 0, 0.25, 0.5, 0.75, 1))
                .sample("2, -1, 4", (e, t) -> e.factory().linspace(2, -1, 4), n -> Nd.of(s(4), 2, 1, 0, -1))
                .sample("3, 7, 1", (e, t) -> e.factory().linspace(3, 7, 1), n -> Nd.of(s(1), 3))
                .sample("0, 1, 0", (e, t) -> e.factory().linspace(0, 1, 0), n -> Nd.of(s(0))).add();
        op("of(float[])").dtypes(FLOAT32)
                .sample("[2, 2]", (e, t) -> e.factory().of(new float[] {1.5f, -2, 0, 4}, 2, 2), n -> Nd.of(s(2, 2), 1.5, -2, 0, 4))
                .sample("[]", (e, t) -> e.factory().of(new float[] {9}), n -> Nd.scalar(9)).add();
        op("of(double[])").dtypes(FLOAT64)
                .sample("[3]", (e, t) -> e.factory().of(new double[] {0.1, 1e-300, -7.25}, 3), n -> Nd.of(s(3), 0.1, 1e-300, -7.25))
                .sample("[0, 2]", (e, t) -> e.factory().of(new double[0], 0, 2), n -> Nd.of(s(0, 2))).add();
        op("of(int[])").dtypes(INT32)
                .sample("[2, 1]", (e, t) -> e.factory().of(new int[] {Integer.MAX_VALUE, -5}, 2, 1),
                        n -> Nd.of(s(2, 1), Integer.MAX_VALUE, -5)).add();
        op("of(long[])").dtypes(INT64)
                .sample("[3]", (e, t) -> e.factory().of(new long[] {1L << 40, -3, 0}, 3), n -> Nd.of(s(3), 1L << 40, -3, 0)).add();
        op("of(boolean[])").dtypes(BOOL)
                .sample("[1, 3]", (e, t) -> e.factory().of(new boolean[] {true, false, true}, 1, 3), n -> Nd.of(s(1, 3), 1, 0, 1)).add();
        op("tensor(nested array)").dtypes(FLOAT32)
                .sample("float[2][3]", (e, t) -> e.factory().tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}),
                        n -> Nd.of(s(2, 3), 1, 2, 3, 4, 5, 6))
                .sample("float[2][1][2]", (e, t) -> e.factory().tensor(new float[][][] {{{1, 2}}, {{3, 4}}}),
                        n -> Nd.of(s(2, 1, 2), 1, 2, 3, 4))
                .sample("float[2][0]", (e, t) -> e.factory().tensor(new float[2][0]), n -> Nd.of(s(2, 0))).add();
        op("tensor(nested double)").dtypes(FLOAT64)
                .sample("double[3][2]", (e, t) -> e.factory().tensor(new double[][] {{1, 2}, {3, 4}, {5, 6.5}}),
                        n -> Nd.of(s(3, 2), 1, 2, 3, 4, 5, 6.5)).add();
        op("tensor(nested long)").dtypes(INT64)
                .sample("long[2][2]", (e, t) -> e.factory().tensor(new long[][] {{1, -2}, {3, 4}}),
                        n -> Nd.of(s(2, 2), 1, -2, 3, 4)).add();
        op("tensor(nested int)").dtypes(INT32)
                .sample("int[3]", (e, t) -> e.factory().tensor(new int[] {7, 8, 9}), n -> Nd.of(s(3), 7, 8, 9)).add();
        op("tensor(nested boolean)").dtypes(BOOL)
                .sample("boolean[2][2]", (e, t) -> e.factory().tensor(new boolean[][] {{true, false}, {false, true}}),
                        n -> Nd.of(s(2, 2), 1, 0, 0, 1)).add();
        op("trilMask").dtypes(BOOL)
                .sample("3x4 k=0", (e, t) -> e.factory().trilMask(3, 4, 0), n -> Ref.triangle(filled(s(3, 4), 1), 0, true))
                .sample("4x3 k=-1", (e, t) -> e.factory().trilMask(4, 3, -1), n -> Ref.triangle(filled(s(4, 3), 1), -1, true))
                .sample("2x5 k=2", (e, t) -> e.factory().trilMask(2, 5, 2), n -> Ref.triangle(filled(s(2, 5), 1), 2, true))
                .sample("0x3 k=0", (e, t) -> e.factory().trilMask(0, 3, 0), n -> Nd.of(s(0, 3))).add();
        op("triuMask").dtypes(BOOL)
                .sample("3x4 k=0", (e, t) -> e.factory().triuMask(3, 4, 0), n -> Ref.triangle(filled(s(3, 4), 1), 0, false))
                .sample("4x3 k=1", (e, t) -> e.factory().triuMask(4, 3, 1), n -> Ref.triangle(filled(s(4, 3), 1), 1, false))
                .sample("3x3 k=-2", (e, t) -> e.factory().triuMask(3, 3, -2), n -> Ref.triangle(filled(s(3, 3), 1), -2, false))
                .add();
        B copy = op("copyOf");
        copy.sample("", (e, t) -> e.factory().copyOf(t.get(0)), r1(x -> x), copy.in(ANY, 2, 3))
                .sample("", (e, t) -> e.factory().copyOf(t.get(0)), r1(x -> x), copy.in(ANY)).add();
    }

    // =====================================================================================
    // dtype conversion
    // =====================================================================================

    private void conversion() {
        B f32 = op("to(float32)").dtypes(FLOAT64, FLOAT32);
        f32.sample("", a1(t -> t.to(FLOAT32)), r1(x -> x.roundedToFloat().withDType(FLOAT32)), f32.in(ANY, 2, 3))
                .sample("", a1(t -> t.to(FLOAT32)), r1(x -> x.roundedToFloat().withDType(FLOAT32)),
                        f32.values(s(4), 1e-3, 1.0 / 3, -1e10, 65504.5)).add();
        B f64 = op("to(float64)").dtypes(FLOAT64, FLOAT32).diff();
        for (int[] shape : new int[][] {{2, 3}, {}, {0, 2}}) {
            f64.sample("", a1(t -> t.to(FLOAT64)), r1(x -> x.withDType(FLOAT64)), f64.in(ANY, shape));
        }
        f64.add();
        Nd fractions = Nd.of(s(6), -2.7, -0.5, 0, 0.5, 2.7, 100.99);
        Nd truncated = Nd.of(s(6), -2, 0, 0, 0, 2, 100);
        B i32 = op("to(int32)").dtypes(FLOAT64, FLOAT32);
        i32.sample("truncates", a1(t -> t.to(INT32)), n -> truncated.withDType(INT32),
                i32.values(fractions.shape, fractions.v)).add();
        B i64 = op("to(int64)").dtypes(FLOAT64, FLOAT32, INT32);
        i64.sample("", a1(t -> t.to(INT64)), r1(x -> Ref.map(x, v -> v < 0 ? Math.ceil(v) : Math.floor(v)).withDType(INT64)),
                i64.values(s(2, 3), -2, -1, 0, 1, 2, 30000)).add();
        B bool = op("to(bool)").dtypes(FLOAT64, FLOAT32, INT32, INT64);
        bool.sample("", a1(t -> t.to(BOOL)), r1(x -> Ref.map(x, v -> v != 0 ? 1 : 0).withDType(BOOL)),
                bool.values(s(5), 0, 1, -3, 0, 2)).add();
        B fromBool = op("to(float) from bool").dtypes(BOOL);
        fromBool.sample("", a1(t -> t.to(FLOAT32)), r1(x -> x.withDType(FLOAT32)), fromBool.in(BOOLS, 2, 3))
                .sample("", a1(t -> t.to(FLOAT64)), r1(x -> x.withDType(FLOAT64)), fromBool.in(BOOLS, 4)).add();
        B fromInt = op("to(float64) from int").ints();
        fromInt.sample("", a1(t -> t.to(FLOAT64)), r1(x -> x.withDType(FLOAT64)), fromInt.in(ints(-1000, 1000), 3, 2))
                .add();
    }

    // =====================================================================================
    // elementwise
    // =====================================================================================

    private void unaryOp(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator f, Gen g, boolean diff,
                         double[]... extraValues) {
        B b = op(name);
        if (diff) {
            b.diff();
        }
        for (int[] shape : UNARY_SHAPES) {
            b.sample("", a1(op), r1(x -> Ref.map(x, f)), b.in(g, shape));
        }
        for (double[] v : extraValues) {
            b.sampleNoGrad("special values", a1(op), r1(x -> Ref.map(x, f)), b.values(s(v.length), v));
        }
        b.add();
    }

    private void intUnaryOp(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator f) {
        B b = op(name + "(int)").ints();
        b.sample("", a1(op), r1(x -> Ref.map(x, f)), b.in(ints(-9, 9), 2, 3))
                .sample("", a1(op), r1(x -> Ref.map(x, f)), b.in(ints(-9, 9)))
                .sample("", a1(op), r1(x -> Ref.map(x, f)), b.in(ints(-9, 9), 0, 2)).add();
    }

    private void unary() {
        unaryOp("neg", Tensor::neg, x -> -x, ANY, true);
        unaryOp("abs", Tensor::abs, Math::abs, AWAY0, true);
        unaryOp("sign", Tensor::sign, Ref::sign, AWAY0, true, new double[] {-3, 0, 2.5, -0.0});
        unaryOp("exp", Tensor::exp, Math::exp, ANY, true, new double[] {-800, 0, 10, 1e-12, 100, 800});
        unaryOp("expm1", Tensor::expm1, Math::expm1, ANY, true, new double[] {1e-10, -1e-12, 0, -30});
        unaryOp("log", Tensor::log, Math::log, POS, true, new double[] {1e-300, 1, 1e10});
        unaryOp("log1p", Tensor::log1p, Math::log1p, uniform(-0.6, 3), true, new double[] {1e-12, -1e-10, 0});
        unaryOp("sqrt", Tensor::sqrt, Math::sqrt, POS, true, new double[] {0, 1e-20, 4, 1e20});
        unaryOp("square", Tensor::square, x -> x * x, ANY, true);
        unaryOp("reciprocal", Tensor::reciprocal, x -> 1 / x, AWAY0, true, new double[] {1e-10, -4, 1e10});
        unaryOp("sin", Tensor::sin, Math::sin, uniform(-4, 4), true);
        unaryOp("cos", Tensor::cos, Math::cos, uniform(-4, 4), true);
        unaryOp("tanh", Tensor::tanh, Math::tanh, ANY, true, new double[] {-30, 1e-9, 20, 400});
        unaryOp("sigmoid", Tensor::sigmoid, Ref::sigmoid, uniform(-6, 6), true,
                new double[] {-800, -40, 0, 40, 800});
        unaryOp("relu", Tensor::relu, x -> Math.max(x, 0), AWAY0, true);
        unaryOp("leakyRelu", t -> t.leakyRelu(0.1), x -> x > 0 ? x : 0.1 * x, AWAY0, true);
        unaryOp("elu", t -> t.elu(1.3), x -> x > 0 ? x : 1.3 * Math.expm1(x), AWAY0, true,
                new double[] {-800, -1e-9, 700});
        unaryOp("gelu", Tensor::gelu, Ref::gelu, uniform(-3, 3), true, new double[] {-40, -5, 0, 5, 40});
        unaryOp("softplus", Tensor::softplus, Ref::softplus, uniform(-4, 4), true,
                new double[] {-800, -40, 0, 40, 800});
        unaryOp("erf", Tensor::erf, Ref::erf, uniform(-3, 3), true, new double[] {-7, -2.5, 1e-9, 0.5, 4.5, 7});
        unaryOp("floor", Tensor::floor, Math::floor, FRAC, true, new double[] {-2, -1.5, -0.25, 0, 3});

        B not = op("logicalNot").dtypes(BOOL);
        for (int[] shape : new int[][] {{}, {5}, {2, 3}, {0, 2}}) {
            not.sample("", a1(Tensor::logicalNot), r1(x -> Ref.map(x, v -> v != 0 ? 0 : 1)), not.in(BOOLS, shape));
        }
        not.add();

        intUnaryOp("neg", Tensor::neg, x -> -x);
        intUnaryOp("abs", Tensor::abs, Math::abs);
        intUnaryOp("sign", Tensor::sign, Ref::sign);
        intUnaryOp("relu", Tensor::relu, x -> Math.max(x, 0));
        intUnaryOp("square", Tensor::square, x -> x * x);

        // ops with a number operand, and pow with a scalar exponent
        unaryOp("add(double)", t -> t.add(2.5), x -> x + 2.5, ANY, true);
        unaryOp("sub(double)", t -> t.sub(-1.25), x -> x + 1.25, ANY, true);
        unaryOp("mul(double)", t -> t.mul(-3), x -> -3 * x, ANY, true);
        unaryOp("div(double)", t -> t.div(4), x -> x / 4, ANY, true);
        unaryOp("rsub(double)", t -> t.rsub(1.0), x -> 1.0 - x, ANY, true);
        unaryOp("rdiv(double)", t -> t.rdiv(-2.5), x -> -2.5 / x, AWAY0, true, new double[] {1e-10, -4, 1e10});
        unaryOp("pow(2)", t -> t.pow(2), x -> x * x, ANY, true);
        unaryOp("pow(3)", t -> t.pow(3), x -> x * x * x, ANY, true);
        unaryOp("pow(0.5)", t -> t.pow(0.5), Math::sqrt, POS, true);
        unaryOp("pow(-1.5)", t -> t.pow(-1.5), x -> Math.pow(x, -1.5), POS, true);
        unaryOp("maximum(double)", t -> t.maximum(0.25), x -> Math.max(x, 0.25), avoiding(ANY, 0.05, 0.25), true);
        unaryOp("minimum(double)", t -> t.minimum(-0.5), x -> Math.min(x, -0.5), avoiding(ANY, 0.05, -0.5), true);
        unaryOp("clamp", t -> t.clamp(-0.5, 0.8), x -> Math.min(Math.max(x, -0.5), 0.8),
                avoiding(ANY, 0.05, -0.5, 0.8), true);
        Gen halves = r -> r.nextInt(-4, 5) * 0.5;
        for (String cmp : new String[] {"eq", "ne", "lt", "le", "gt", "ge"}) {
            B b = op(cmp + "(double)");
            UnaryOperator<Tensor> f = switch (cmp) {
                case "eq" -> t -> t.eq(0.5);
                case "ne" -> t -> t.ne(0.5);
                case "lt" -> t -> t.lt(0.5);
                case "le" -> t -> t.le(0.5);
                case "gt" -> t -> t.gt(0.5);
                default -> t -> t.ge(0.5);
            };
            DoubleBinaryOperator c = comparison(cmp);
            for (int[] shape : new int[][] {{}, {7}, {3, 4}, {0, 2}}) {
                b.sample("vs 0.5", a1(f), r1(x -> Ref.map(x, v -> c.applyAsDouble(v, 0.5)).withDType(BOOL)),
                        b.in(halves, shape));
            }
            b.add();
        }
        intUnaryOp("add(double)", t -> t.add(3), x -> x + 3);
        intUnaryOp("mul(double)", t -> t.mul(-2), x -> -2 * x);
        intUnaryOp("rsub(double)", t -> t.rsub(3), x -> 3 - x);
        B rdivInt = op("rdiv(double)(int) floor division").ints();
        rdivInt.sample("7 / x", a1(t -> t.rdiv(7)), r1(x -> Ref.map(x, v -> Ref.floorDiv(7, v))),
                rdivInt.in(nonZeroInts(-9, 9), 2, 3)).add();
    }

    static DoubleBinaryOperator comparison(String cmp) {
        return switch (cmp) {
            case "eq" -> (a, b) -> a == b ? 1 : 0;
            case "ne" -> (a, b) -> a != b ? 1 : 0;
            case "lt" -> (a, b) -> a < b ? 1 : 0;
            case "le" -> (a, b) -> a <= b ? 1 : 0;
            case "gt" -> (a, b) -> a > b ? 1 : 0;
            case "ge" -> (a, b) -> a >= b ? 1 : 0;
            default -> throw new IllegalArgumentException(cmp);
        };
    }

    private void binaryOp(B b, BinaryOperator<Tensor> op, DoubleBinaryOperator f, Gen ga, Gen gb, DType out) {
        for (int[][] pair : BINARY_PAIRS) {
            b.sample("", a2(op), r2((x, y) -> Ref.zip(x, y, f).withDType(out)), b.in(ga, pair[0]), b.in(gb, pair[1]));
        }
        b.add();
    }

    private void binary() {
        binaryOp(op("add").diff(), Tensor::add, Double::sum, ANY, ANY, null);
        binaryOp(op("sub").diff(), Tensor::sub, (x, y) -> x - y, ANY, ANY, null);
        binaryOp(op("mul").diff(), Tensor::mul, (x, y) -> x * y, ANY, ANY, null);
        binaryOp(op("div").diff(), Tensor::div, (x, y) -> x / y, ANY, AWAY0, null);
        binaryOp(op("pow").diff(), Tensor::pow, Math::pow, POS, ANY, null);
        binaryOp(op("maximum").diff(), Tensor::maximum, Math::max, ANY, ANY, null);
        binaryOp(op("minimum").diff(), Tensor::minimum, Math::min, ANY, ANY, null);
        double nan = Double.NaN;
        for (String name : new String[] {"maximum", "minimum"}) {
            B b = op(name + "(NaN)");
            boolean isMax = name.equals("maximum");
            b.sample("NaN propagates", a2(isMax ? Tensor::maximum : Tensor::minimum),
                    r2((x, y) -> Ref.zip(x, y, isMax ? Math::max : Math::min)),
                    b.values(s(3), nan, 1, nan), b.values(s(3), 0, nan, nan)).add();
        }
        B nanCmp = op("comparisons(NaN)");
        for (String cmp : new String[] {"eq", "ne", "lt", "le", "gt", "ge"}) {
            BinaryOperator<Tensor> f = switch (cmp) {
                case "eq" -> Tensor::eq;
                case "ne" -> Tensor::ne;
                case "lt" -> Tensor::lt;
                case "le" -> Tensor::le;
                case "gt" -> Tensor::gt;
                default -> Tensor::ge;
            };
            DoubleBinaryOperator c = comparison(cmp);
            nanCmp.sample(cmp, a2(f), r2((x, y) -> Ref.zip(x, y, c).withDType(BOOL)),
                    nanCmp.values(s(3), nan, 1, nan), nanCmp.values(s(3), 1, nan, nan));
        }
        nanCmp.add();
        // ties split the gradient evenly
        // (a central difference at a two-way tie also gives 1/2, so the gradient check applies)
        B tie = op("maximum(ties)").diff().firstOrderOnly();
        tie.sample("", a2(Tensor::maximum), r2((x, y) -> Ref.zip(x, y, Math::max)),
                tie.values(s(3), 1, 2, 3), tie.values(s(3), 1, 0, 3)).add();
        B tieMin = op("minimum(ties)").diff().firstOrderOnly();
        tieMin.sample("", a2(Tensor::minimum), r2((x, y) -> Ref.zip(x, y, Math::min)),
                tieMin.values(s(2, 2), 1, 2, -3, 0), tieMin.values(s(2), 1, 0)).add();

        Gen small = r -> r.nextInt(-2, 3);
        for (String cmp : new String[] {"eq", "ne", "lt", "le", "gt", "ge"}) {
            BinaryOperator<Tensor> f = switch (cmp) {
                case "eq" -> Tensor::eq;
                case "ne" -> Tensor::ne;
                case "lt" -> Tensor::lt;
                case "le" -> Tensor::le;
                case "gt" -> Tensor::gt;
                default -> Tensor::ge;
            };
            binaryOp(op(cmp), f, comparison(cmp), small, small, BOOL);
            binaryOp(op(cmp + "(int)").ints(), f, comparison(cmp), small, small, BOOL);
        }
        B eqBool = op("eq(bool)").dtypes(BOOL);
        eqBool.sample("", a2(Tensor::eq), r2((x, y) -> Ref.zip(x, y, comparison("eq")).withDType(BOOL)),
                eqBool.in(BOOLS, 2, 3), eqBool.in(BOOLS, 3)).add();
        binaryOp(op("logicalAnd").dtypes(BOOL), Tensor::logicalAnd, (x, y) -> x != 0 && y != 0 ? 1 : 0, BOOLS, BOOLS, null);
        binaryOp(op("logicalOr").dtypes(BOOL), Tensor::logicalOr, (x, y) -> x != 0 || y != 0 ? 1 : 0, BOOLS, BOOLS, null);

        Gen i = ints(-20, 20);
        binaryOp(op("add(int)").ints(), Tensor::add, Double::sum, i, i, null);
        binaryOp(op("sub(int)").ints(), Tensor::sub, (x, y) -> x - y, i, i, null);
        binaryOp(op("mul(int)").ints(), Tensor::mul, (x, y) -> x * y, i, i, null);
        binaryOp(op("div(int) floor division").ints(), Tensor::div, Ref::floorDiv, i, nonZeroInts(-7, 7), null);
        binaryOp(op("maximum(int)").ints(), Tensor::maximum, Math::max, i, i, null);
        binaryOp(op("minimum(int)").ints(), Tensor::minimum, Math::min, i, i, null);
        binaryOp(op("pow(int)").ints(), Tensor::pow, Math::pow, ints(-5, 5), ints(0, 4), null);
        B big = op("add(int64) beyond 2^53").dtypes(INT64);
        big.sample("", a2(Tensor::add), r2((x, y) -> Ref.zip(x, y, Double::sum)),
                big.values(s(2), 1L << 40, -(1L << 41)), big.values(s(2), 3, 5)).add();

        // where, maskedFill
        B where = op("where").diff();
        int[][][] triples = {
            {{2, 3}, {2, 3}, {2, 3}}, {{2, 1}, {1, 3}, {}}, {{3}, {2, 3}, {2, 1}}, {{}, {2}, {2}},
            {{2, 3}, {}, {}}, {{0, 3}, {3}, {1}}, {{64, 65}, {64, 65}, {65}},
        };
        for (int[][] t : triples) {
            where.sample("", (e, in) -> Tensor.where(in.get(0), in.get(1), in.get(2)),
                    n -> Ref.where(n.get(0), n.get(1), n.get(2)),
                    where.fixedDrawn(BOOL, BOOLS, t[0]), where.in(ANY, t[1]), where.in(ANY, t[2]));
        }
        where.add();
        B mf = op("maskedFill").diff();
        int[][][] pairs = {{{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{2, 3}, {2, 1}}, {{2, 3}, {}}, {{}, {}}, {{0, 3}, {3}}};
        for (int[][] p : pairs) {
            mf.sample("7.5", (e, in) -> in.get(0).maskedFill(in.get(1), 7.5),
                    n -> Ref.where(n.get(1), Nd.scalar(7.5), n.get(0)),
                    mf.in(ANY, p[0]), mf.fixedDrawn(BOOL, BOOLS, p[1]));
        }
        mf.add();
        intUnaryOp("clamp", t -> t.clamp(-3, 4), x -> Math.min(Math.max(x, -3), 4));
    }

    // =====================================================================================
    // reductions
    // =====================================================================================

    @FunctionalInterface
    interface Reduce {
        Tensor apply(Tensor t, int[] axes, boolean keep);
    }

    @FunctionalInterface
    interface Reduce1 {
        Tensor apply(Tensor t, int axis, boolean keep);
    }

    record AxesCase(int[] shape, int[] axes, boolean keep) {
    }

    static final AxesCase[] AXES_CASES = {
        new AxesCase(s(3, 4, 5), s(0), false), new AxesCase(s(3, 4, 5), s(1), true),
        new AxesCase(s(3, 4, 5), s(-1), false), new AxesCase(s(3, 4, 5), s(0, 2), true),
        new AxesCase(s(3, 4, 5), s(2, 0), false), new AxesCase(s(3, 4, 5), s(0, 1, 2), false),
        new AxesCase(s(3, 4, 5), s(-3, 1, 2), true), new AxesCase(s(6), s(0), false),
        new AxesCase(s(1, 1), s(0, 1), true), new AxesCase(SCALAR, SCALAR, false),
        new AxesCase(s(2, 3), SCALAR, true), new AxesCase(s(0, 3), s(1), false),
        new AxesCase(s(0, 3), s(1), true), new AxesCase(s(64, 65), s(1), false),
        new AxesCase(s(64, 65), s(0, 1), false), new AxesCase(s(4, 3, 5, 6), s(0, 2, 3), true),
        new AxesCase(s(3, 6, 40), s(0, 2), false), new AxesCase(s(2, 1, 3, 33), s(3, 0), true),
    };

    /**
     * A reduction row. {@code allowEmptyAxes}: also reduce over an axis of size 0 (sum only);
     * {@code allowNoAxes}: also reduce over no axis at all (a copy); {@code minCount}: skip cases that
     * reduce fewer elements (variance with correction 1 needs two).
     */
    private void reduction(String name, Reduce multi, Reduce1 single, ToDoubleFunction<double[]> f, Gen g,
                           boolean allowEmptyAxes, boolean allowNoAxes, UnaryOperator<Tensor> noArg, double slack,
                           int minCount) {
        B b = op(name).diff().slack(slack);
        for (AxesCase c : AXES_CASES) {
            if (c.axes().length == 0 && !allowNoAxes) {
                continue;
            }
            int count = 1;
            for (int a : c.axes()) {
                count *= c.shape()[Ref.norm(a, c.shape().length)];
            }
            if (count < minCount && Nd.size(c.shape()) > 0) {
                continue;
            }
            String args = "axes " + Arrays.toString(c.axes()) + (c.keep() ? " keepDims" : "");
            Apply a = c.axes().length == 1 && single != null
                    ? (e, t) -> single.apply(t.get(0), c.axes()[0], c.keep())
                    : (e, t) -> multi.apply(t.get(0), c.axes(), c.keep());
            b.sample(args, a, r1(x -> Ref.reduce(x, c.axes(), c.keep(), f)), b.in(g, c.shape()));
        }
        if (single != null) {
            // the array overload with one axis
            b.sample("axes [1] (array)", (e, t) -> multi.apply(t.get(0), s(1), false),
                    r1(x -> Ref.reduce(x, s(1), false, f)), b.in(g, 3, 4));
        }
        if (allowEmptyAxes) {
            b.sample("axes [0] of size 0", (e, t) -> multi.apply(t.get(0), s(0), false),
                    r1(x -> Ref.reduce(x, s(0), false, f)), b.in(g, 0, 3));
        }
        if (noArg != null) {
            for (int[] shape : new int[][] {{3, 4}, {}, {7}, {64, 65}}) {
                b.sample("all (no-arg)", a1(noArg), r1(x -> Ref.reduce(x, allAxes(x.rank()), false, f)), b.in(g, shape));
            }
        }
        b.add();
    }

    static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    private void reductions() {
        reduction("sum", Tensor::sum, Tensor::sum, Ref::sum, ANY, true, true, Tensor::sum, 100, 1);
        reduction("mean", Tensor::mean, Tensor::mean, s -> Ref.sum(s) / s.length, ANY, true, true, Tensor::mean, 10, 1);
        reduction("max", Tensor::max, Tensor::max, Ref::max, ANY, false, true, Tensor::max, 1, 1);
        reduction("min", Tensor::min, Tensor::min, Ref::min, ANY, false, true, Tensor::min, 1, 1);
        reduction("logsumexp", Tensor::logsumexp, Tensor::logsumexp, Ref::logsumexp, ANY, false, false,
                Tensor::logsumexp, 10, 1);
        reduction("variance(correction 0)", (t, a, k) -> t.variance(a, 0, k), null, s -> Ref.variance(s, 0), ANY,
                false, false, null, 10, 1);
        reduction("variance(correction 1)", (t, a, k) -> t.variance(a, 1, k), null, s -> Ref.variance(s, 1), ANY,
                false, false, null, 10, 2);
        reduction("std(correction 0)", (t, a, k) -> t.std(a, 0, k), null, s -> Math.sqrt(Ref.variance(s, 0)), ANY,
                false, false, null, 10, 2);
        reduction("std(correction 1)", (t, a, k) -> t.std(a, 1, k), null, s -> Math.sqrt(Ref.variance(s, 1)), ANY,
                false, false, null, 10, 2);
        // two-way ties share the gradient evenly (which is also what a central difference gives)
        B maxTies = op("max(ties)").diff().firstOrderOnly();
        maxTies.sample("axis 1", a1(t -> t.max(1, false)), r1(x -> Ref.reduce(x, s(1), false, Ref::max)),
                        maxTies.values(s(2, 4), 1, 3, 3, -1, 2, 0, 2, 0))
                .sample("all", a1(Tensor::max), r1(x -> Ref.reduce(x, s(0, 1), false, Ref::max)),
                        maxTies.values(s(2, 2), 5, 1, 5, 0)).add();
        B minTies = op("min(ties)").diff().firstOrderOnly();
        minTies.sample("axis 0 keepDims", a1(t -> t.min(0, true)), r1(x -> Ref.reduce(x, s(0), true, Ref::min)),
                minTies.values(s(2, 3), -1, 4, 2, -1, 3, 2)).add();
        B v = op("variance()").diff().slack(10);
        for (int[] shape : new int[][] {{3, 4}, {7}, {64, 65}}) {
            v.sample("all, unbiased", a1(Tensor::variance),
                    r1(x -> Ref.reduce(x, allAxes(x.rank()), false, s -> Ref.variance(s, 1))), v.in(ANY, shape));
        }
        v.add();
        // the (axis, keepDims) and (axes, keepDims) overloads: unbiased (N - 1), like PyTorch
        for (boolean isStd : new boolean[] {false, true}) {
            String name = isStd ? "std" : "variance";
            ToDoubleFunction<double[]> ref = isStd ? x -> Math.sqrt(Ref.variance(x, 1)) : x -> Ref.variance(x, 1);
            B vb = op(name + "(axis, keepDims)").diff().slack(10);
            Object[][] vcases = {{s(3, 4, 5), 0, false}, {s(3, 4, 5), 1, true}, {s(3, 4, 5), -1, false},
                {s(6), 0, true}, {s(64, 65), 1, false}};
            for (Object[] c : vcases) {
                int axis = (Integer) c[1];
                boolean keep = (Boolean) c[2];
                vb.sample("axis " + axis + (keep ? " keepDims" : ""),
                        a1(t -> isStd ? t.std(axis, keep) : t.variance(axis, keep)),
                        r1(x -> Ref.reduce(x, s(axis), keep, ref)), vb.in(ANY, (int[]) c[0]));
            }
            vb.sample("axes [0, 2]", a1(t -> isStd ? t.std(s(0, 2), false) : t.variance(s(0, 2), false)),
                    r1(x -> Ref.reduce(x, s(0, 2), false, ref)), vb.in(ANY, 3, 4, 5));
            vb.sample("axes [1] keepDims", a1(t -> isStd ? t.std(s(1), true) : t.variance(s(1), true)),
                    r1(x -> Ref.reduce(x, s(1), true, ref)), vb.in(ANY, 2, 3));
            if (isStd) {
                for (int[] shape : new int[][] {{3, 4}, {7}}) {
                    vb.sample("all", a1(Tensor::std), r1(x -> Ref.reduce(x, allAxes(x.rank()), false, ref)),
                            vb.in(ANY, shape));
                }
            }
            vb.add();
        }
        B lse = op("logsumexp(stability)");
        double inf = Double.POSITIVE_INFINITY;
        lse.sampleNoGrad("large values", a1(t -> t.logsumexp(1, false)),
                        r1(x -> Ref.reduce(x, s(1), false, Ref::logsumexp)),
                        lse.values(s(2, 3), 1000, 1001, 999, -1000, -1001, -999))
                .sampleNoGrad("infinite values", a1(t -> t.logsumexp(1, true)),
                        r1(x -> Ref.reduce(x, s(1), true, Ref::logsumexp)),
                        lse.values(s(4, 2), -inf, -inf, 0, -inf, inf, 1, -inf, 3)).add();

        for (String name : new String[] {"argmax", "argmin"}) {
            boolean max = name.equals("argmax");
            ToDoubleFunction<double[]> f = max ? Ref::argmax : Ref::argmin;
            B b = op(name);
            for (AxesCase c : AXES_CASES) {
                if (c.axes().length != 1) {
                    continue;
                }
                int axis = c.axes()[0];
                boolean keep = c.keep();
                b.sample("axis " + axis + (keep ? " keepDims" : ""),
                        a1(t -> max ? t.argmax(axis, keep) : t.argmin(axis, keep)),
                        r1(x -> Ref.reduce(x, s(axis), keep, f).withDType(INT64)), b.in(ANY, c.shape()));
            }
            for (int[] shape : new int[][] {{3, 4}, {}, {64, 65}}) {
                b.sample("flat", a1(t -> max ? t.argmax() : t.argmin()),
                        r1(x -> Ref.reduce(x, allAxes(x.rank()), false, f).withDType(INT64)), b.in(ANY, shape));
            }
            b.sample("ties: first wins", a1(t -> max ? t.argmax(1, false) : t.argmin(1, false)),
                    r1(x -> Ref.reduce(x, s(1), false, f).withDType(INT64)),
                    b.values(s(2, 4), 1, 3, 3, -1, 2, 0, 2, 0));
            b.add();
            B bi = op(name + "(int)").ints();
            bi.sample("axis 0", a1(t -> max ? t.argmax(0, false) : t.argmin(0, false)),
                    r1(x -> Ref.reduce(x, s(0), false, f).withDType(INT64)), bi.in(ints(-50, 50), 4, 3)).add();
        }

        B cs = op("cumsum").diff().slack(10);
        int[][][] cases = {{{3, 4}, {0}}, {{3, 4}, {1}}, {{2, 3, 4}, {-1}}, {{2, 3, 4}, {1}}, {{5}, {0}}, {{1}, {0}},
            {{0, 3}, {1}}, {{0, 3}, {0}}, {{64, 65}, {1}}};
        for (int[][] c : cases) {
            int axis = c[1][0];
            cs.sample("axis " + axis, a1(t -> t.cumsum(axis)), r1(x -> Ref.cumsum(x, axis)), cs.in(ANY, c[0]));
        }
        cs.add();
        B ci = op("cumsum(int)").ints();
        ci.sample("axis 1", a1(t -> t.cumsum(1)), r1(x -> Ref.cumsum(x, 1)), ci.in(ints(-9, 9), 3, 4)).add();
        B si = op("sum(int)").ints();
        si.sample("axes [1]", a1(t -> t.sum(1, false)), r1(x -> Ref.reduce(x, s(1), false, Ref::sum)), si.in(ints(-9, 9), 3, 4))
                .sample("all", a1(Tensor::sum), r1(x -> Ref.reduce(x, s(0, 1), false, Ref::sum)), si.in(ints(-9, 9), 3, 4))
                .add();
        B mi = op("max(int)").ints();
        mi.sample("axes [0] keepDims", a1(t -> t.max(0, true)), r1(x -> Ref.reduce(x, s(0), true, Ref::max)),
                mi.in(ints(-99, 99), 3, 4))
                .sample("min all", a1(Tensor::min), r1(x -> Ref.reduce(x, s(0, 1), false, Ref::min)), mi.in(ints(-99, 99), 3, 4))
                .add();
    }

    // =====================================================================================
    // linear algebra
    // =====================================================================================

    private void linearAlgebra() {
        B b = op("matmul").diff().slack(20);
        int[][][] pairs = {
            {{4}, {4}}, {{4}, {4, 3}}, {{3, 4}, {4}}, {{3, 4}, {4, 5}}, {{1, 1}, {1, 1}},
            {{2, 3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {5, 4, 2}}, {{3, 4}, {2, 4, 5}}, {{2, 3, 4}, {4}},
            {{4}, {2, 4, 3}}, {{0, 4}, {4, 3}}, {{3, 0}, {0, 2}}, {{2, 0, 3}, {3, 2}}, {{64, 65}, {65, 32}},
            // a stack of matrices times one matrix: the rows folded into one product
            {{2, 3, 4}, {4, 5}}, {{2, 2, 3, 4}, {4, 2}},
        };
        for (int[][] p : pairs) {
            b.sample("", a2(Tensor::matmul), r2(Ref::matmul), b.in(ANY, p[0]), b.in(ANY, p[1]));
        }
        b.add();
        // linear(x, w, b) = x wᵀ + b, w [out, in]
        B lin = op("linear").diff().slack(20);
        int[][][] lcases = {{{2, 3}, {4, 3}}, {{3}, {2, 3}}, {{2, 2, 3}, {4, 3}}, {{0, 3}, {2, 3}}, {{5, 1}, {1, 1}},
            {{16, 65}, {32, 65}}, {{2, 3, 2, 4}, {3, 4}}, {{2, 0, 3}, {2, 3}}};
        for (int[][] c : lcases) {
            lin.sample("with bias", (e, t) -> t.get(0).linear(t.get(1), t.get(2)),
                    n -> Ref.zip(Ref.matmul(n.get(0), Ref.transpose(n.get(1), 0, 1)), n.get(2), Double::sum),
                    lin.in(ANY, c[0]), lin.in(ANY, c[1]), lin.in(ANY, c[1][0]));
        }
        lin.sample("no bias", (e, t) -> t.get(0).linear(t.get(1), null),
                n -> Ref.matmul(n.get(0), Ref.transpose(n.get(1), 0, 1)), lin.in(ANY, 3, 4), lin.in(ANY, 2, 4));
        lin.add();
    }

    // =====================================================================================
    // shape
    // =====================================================================================

    private void shapes() {
        B r = op("reshape").diff();
        Object[][] reshapes = {
            {s(2, 3, 4), s(4, -1)}, {s(2, 3, 4), s(-1)}, {s(2, 3, 4), s(2, 12)}, {s(2, 3, 4), s(2, 3, 4)},
            {s(2, 3, 4), s(1, 24, 1)}, {SCALAR, s(1)}, {s(1), SCALAR}, {s(1, 1), s(-1)}, {s(0, 3), s(3, 0)},
            {s(0, 3), s(-1, 3)},
        };
        for (Object[] c : reshapes) {
            int[] to = (int[]) c[1];
            r.sample("to " + Arrays.toString(to), a1(t -> t.reshape(to)), r1(x -> Ref.reshape(x, to)), r.in(ANY, (int[]) c[0]));
        }
        r.add();
        B t2 = op("t").diff();
        t2.sample("matrix", a1(Tensor::t), r1(x -> Ref.transpose(x, 0, 1)), t2.in(ANY, 3, 4))
                .sample("vector: itself", a1(Tensor::t), r1(x -> x), t2.in(ANY, 5))
                .sample("scalar: itself", a1(Tensor::t), r1(x -> x), t2.in(ANY))
                .sample("[0, 2]", a1(Tensor::t), r1(x -> Ref.transpose(x, 0, 1)), t2.in(ANY, 0, 2)).add();
        B mt = op("mT").diff();
        for (int[] shape : new int[][] {{3, 4}, {2, 3, 4}, {2, 1, 2, 5}, {1, 0, 3}}) {
            int rank = shape.length;
            mt.sample("", a1(Tensor::mT), r1(x -> Ref.transpose(x, rank - 2, rank - 1)), mt.in(ANY, shape));
        }
        mt.add();
        B fl = op("flatten").diff();
        for (int[] shape : new int[][] {{2, 3, 4}, {}, {0, 3}, {5}}) {
            fl.sample("", a1(Tensor::flatten), r1(x -> Ref.reshape(x, -1)), fl.in(ANY, shape));
        }
        fl.add();
        B pm = op("permute").diff();
        Object[][] perms = {{s(2, 3, 4), s(2, 0, 1)}, {s(2, 3, 4), s(-1, 0, 1)}, {s(2, 3, 4), s(0, 1, 2)},
            {s(2, 1, 3, 2), s(3, 1, 0, 2)}, {SCALAR, SCALAR}, {s(0, 3), s(1, 0)}, {s(64, 65), s(1, 0)}};
        for (Object[] c : perms) {
            int[] p = (int[]) c[1];
            pm.sample(Arrays.toString(p), a1(t -> t.permute(p)), r1(x -> Ref.permute(x, p)), pm.in(ANY, (int[]) c[0]));
        }
        pm.add();
        B tr = op("transpose").diff();
        int[][] tps = {{0, 2}, {-1, -2}, {1, 1}, {2, 0}};
        for (int[] p : tps) {
            tr.sample(Arrays.toString(p), a1(t -> t.transpose(p[0], p[1])), r1(x -> Ref.transpose(x, p[0], p[1])),
                    tr.in(ANY, 2, 3, 4));
        }
        tr.sample("[0, 1]", a1(t -> t.transpose(0, 1)), r1(x -> Ref.transpose(x, 0, 1)), tr.in(ANY, 0, 3)).add();
        B bt = op("broadcastTo").diff();
        Object[][] bts = {{s(3), s(2, 3)}, {s(2, 1), s(2, 4)}, {SCALAR, s(3, 2)}, {s(1, 3), s(0, 3)}, {s(2, 3), s(2, 3)},
            {s(1, 1), s(2, 1, 3)}, {s(65), s(64, 65)}};
        for (Object[] c : bts) {
            int[] to = (int[]) c[1];
            bt.sample("to " + Arrays.toString(to), a1(t -> t.broadcastTo(to)), r1(x -> Ref.broadcastTo(x, to)),
                    bt.in(ANY, (int[]) c[0]));
        }
        bt.sample("to Shape [2, 2]", a1(t -> t.broadcastTo(Shape.of(2, 2))), r1(x -> Ref.broadcastTo(x, s(2, 2))),
                bt.in(ANY, 2, 1)).add();
        B sq = op("squeeze").diff();
        for (int[] shape : new int[][] {{1, 3, 1}, {1}, {}, {2, 3}, {1, 0, 1}}) {
            sq.sample("all", a1(Tensor::squeeze), r1(Ref::squeezeAll), sq.in(ANY, shape));
        }
        sq.sample("axis 0", a1(t -> t.squeeze(0)), r1(x -> Ref.dropAxis(x, 0)), sq.in(ANY, 1, 3, 1))
                .sample("axis -1", a1(t -> t.squeeze(-1)), r1(x -> Ref.dropAxis(x, -1)), sq.in(ANY, 1, 3, 1)).add();
        B us = op("unsqueeze").diff();
        for (int axis : new int[] {0, 1, 2, -1, -3}) {
            us.sample("axis " + axis, a1(t -> t.unsqueeze(axis)), r1(x -> Ref.insertAxis(x, axis)), us.in(ANY, 2, 3));
        }
        us.sample("axis 0", a1(t -> t.unsqueeze(0)), r1(x -> Ref.insertAxis(x, 0)), us.in(ANY))
                .sample("axis -1", a1(t -> t.unsqueeze(-1)), r1(x -> Ref.insertAxis(x, -1)), us.in(ANY, 0, 2)).add();

        B sl = op("slice").diff();
        int max = Integer.MAX_VALUE;
        int min = Integer.MIN_VALUE;
        int[][] slices = {
            {0, 1, 4, 1}, {0, -3, max, 1}, {0, 0, 5, 2}, {0, max, min, -1}, {0, 4, 0, -2}, {0, -1, -6, -1},
            {0, 10, 20, 1}, {1, 1, 3, 1}, {-1, 0, 4, 3}, {0, 3, 1, 1}, {0, -100, 100, 1}, {1, max, min, -3},
            {0, 2, -1, -1},
        };
        for (int[] c : slices) {
            String args = "axis " + c[0] + " " + name(c[1]) + ":" + name(c[2]) + ":" + c[3];
            sl.sample(args, a1(t -> t.slice(c[0], c[1], c[2], c[3])), r1(x -> Ref.slice(x, c[0], c[1], c[2], c[3])),
                    sl.in(ANY, 5, 4));
        }
        sl.sample("axis 0 1:3 (no step)", a1(t -> t.slice(0, 1, 3)), r1(x -> Ref.slice(x, 0, 1, 3, 1)), sl.in(ANY, 5, 4))
                .sample("axis 1 0:2", a1(t -> t.slice(1, 0, 2)), r1(x -> Ref.slice(x, 1, 0, 2, 1)), sl.in(ANY, 0, 3))
                .sample("axis 1 ::-2", a1(t -> t.slice(1, max, min, -2)), r1(x -> Ref.slice(x, 1, max, min, -2)),
                        sl.in(ANY, 64, 65))
                .add();
        B se = op("select").diff();
        se.sample("axis 0 index 1", a1(t -> t.select(0, 1)), r1(x -> Ref.dropAxis(Ref.slice(x, 0, 1, 2, 1), 0)), se.in(ANY, 3, 4))
                .sample("axis 1 index -1", a1(t -> t.select(1, -1)), r1(x -> Ref.dropAxis(Ref.slice(x, 1, 3, 4, 1), 1)),
                        se.in(ANY, 3, 4))
                .sample("axis -2 index 0", a1(t -> t.select(-2, 0)), r1(x -> Ref.dropAxis(Ref.slice(x, 1, 0, 1, 1), 1)),
                        se.in(ANY, 2, 3, 2))
                .sample("axis 0 index 2", a1(t -> t.select(0, 2)), r1(x -> Ref.dropAxis(Ref.slice(x, 0, 2, 3, 1), 0)), se.in(ANY, 5))
                .add();
        B fp = op("flip").diff();
        int[][] flips = {{0}, {1}, {0, 1}, {-1}};
        for (int[] a : flips) {
            fp.sample(Arrays.toString(a), a1(t -> t.flip(a)), r1(x -> Ref.flip(x, a)), fp.in(ANY, 3, 4));
        }
        fp.sample("[0, 2]", a1(t -> t.flip(0, 2)), r1(x -> Ref.flip(x, 0, 2)), fp.in(ANY, 2, 3, 4))
                .sample("[0]", a1(t -> t.flip(0)), r1(x -> Ref.flip(x, 0)), fp.in(ANY, 5))
                .sample("[0]", a1(t -> t.flip(0)), r1(x -> Ref.flip(x, 0)), fp.in(ANY, 0, 3))
                .sample("[]", a1(t -> t.flip()), r1(x -> x), fp.in(ANY, 2, 2)).add();
        B pd = op("pad").diff();
        Object[][] pads = {{s(2, 3), s(1, 0), s(0, 2), 0.5}, {s(3), s(2), s(1), 0.0}, {SCALAR, SCALAR, SCALAR, 1.0},
            {s(0, 2), s(1, 0), s(1, 1), -1.0}, {s(2, 1, 2), s(0, 2, 1), s(1, 0, 1), 3.0}, {s(2, 2), s(0, 0), s(0, 0), 9.0}};
        for (Object[] c : pads) {
            int[] before = (int[]) c[1];
            int[] after = (int[]) c[2];
            double value = (Double) c[3];
            pd.sample(Arrays.toString(before) + " " + Arrays.toString(after) + " value " + value,
                    a1(t -> t.pad(before, after, value)), r1(x -> Ref.pad(x, before, after, value)), pd.in(ANY, (int[]) c[0]));
        }
        pd.add();

        B cc = op("concat").diff();
        Object[][] concats = {{0, new int[][] {{2, 3}, {1, 3}, {4, 3}}}, {1, new int[][] {{2, 3}, {2, 2}}},
            {-1, new int[][] {{2, 3}, {2, 1}}}, {0, new int[][] {{0, 3}, {2, 3}}}, {0, new int[][] {{3}}},
            {1, new int[][] {{2, 0, 2}, {2, 3, 2}, {2, 1, 2}}}, {0, new int[][] {{5}, {0}}}};
        for (Object[] c : concats) {
            int axis = (Integer) c[0];
            int[][] shapes = (int[][]) c[1];
            Input[] ins = new Input[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                ins[i] = cc.in(ANY, shapes[i]);
            }
            cc.sample("axis " + axis, (e, t) -> Tensor.concat(t, axis), n -> Ref.concat(n, axis), ins);
        }
        cc.add();
        B st = op("stack").diff();
        for (int axis : new int[] {0, 1, 2, -1}) {
            st.sample("axis " + axis, (e, t) -> Tensor.stack(t, axis), n -> Ref.stack(n, axis),
                    st.in(ANY, 2, 3), st.in(ANY, 2, 3), st.in(ANY, 2, 3));
        }
        st.sample("axis 0", (e, t) -> Tensor.stack(t, 0), n -> Ref.stack(n, 0), st.in(ANY), st.in(ANY))
                .sample("axis 1", (e, t) -> Tensor.stack(t, 1), n -> Ref.stack(n, 1), st.in(ANY, 0, 2), st.in(ANY, 0, 2))
                .add();
        B sp = op("split").diff();
        Object[][] splits = {{0, s(2, 3), 0}, {0, s(2, 3), 1}, {0, s(0, 5), 0}, {0, s(0, 5), 1}, {1, s(1, 2), 1},
            {-1, s(1, 1, 1), 2}};
        for (Object[] c : splits) {
            int axis = (Integer) c[0];
            int[] sizes = (int[]) c[1];
            int piece = (Integer) c[2];
            int axisN = axis < 0 ? axis + 2 : axis;
            int startAt = Arrays.stream(sizes).limit(piece).sum();
            sp.sample("axis " + axis + " sizes " + Arrays.toString(sizes) + " piece " + piece,
                    a1(t -> checkedPiece(t.split(axis, sizes), sizes.length, piece)),
                    r1(x -> Ref.slice(x, axisN, startAt, startAt + sizes[piece], 1)), sp.in(ANY, 5, 3));
        }
        sp.add();
        B ch = op("chunk").diff();
        // chunks of size ceil(n / chunks), the last smaller (PyTorch's rule): 5 in 2 → 3+2, 5 in 4 → 2+2+1
        Object[][] chunks = {{2, 0, s(3, 2), 0}, {2, 0, s(3, 2), 1}, {3, 1, s(1, 1, 1), 2}, {4, 0, s(2, 2, 1), 2},
            {1, 1, s(3), 0}, {6, 0, s(1, 1, 1, 1, 1), 4}};
        for (Object[] c : chunks) {
            int n = (Integer) c[0];
            int axis = (Integer) c[1];
            int[] sizes = (int[]) c[2];
            int piece = (Integer) c[3];
            int startAt = Arrays.stream(sizes).limit(piece).sum();
            ch.sample(n + " chunks axis " + axis + " piece " + piece + " of " + sizes.length,
                    a1(t -> checkedPiece(t.chunk(n, axis), sizes.length, piece)),
                    r1(x -> Ref.slice(x, axis, startAt, startAt + sizes[piece], 1)), ch.in(ANY, 5, 3));
        }
        ch.add();
        // layout ops move values of every dtype, not only floats
        Gen bits = ints(0, 1);
        B anyDType = op("layout ops (int and bool)").dtypes(INT32, INT64, BOOL);
        anyDType.sample("permute [1, 0]", a1(t -> t.permute(1, 0)), r1(x -> Ref.permute(x, 1, 0)), anyDType.in(bits, 3, 4))
                .sample("slice ::-2", a1(t -> t.slice(1, Integer.MAX_VALUE, Integer.MIN_VALUE, -2)),
                        r1(x -> Ref.slice(x, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -2)), anyDType.in(bits, 3, 5))
                .sample("flip [0]", a1(t -> t.flip(0)), r1(x -> Ref.flip(x, 0)), anyDType.in(bits, 4, 2))
                .sample("broadcastTo [3, 4]", a1(t -> t.broadcastTo(3, 4)), r1(x -> Ref.broadcastTo(x, s(3, 4))),
                        anyDType.in(bits, 4))
                .sample("pad", a1(t -> t.pad(s(1, 0), s(0, 1), 1)), r1(x -> Ref.pad(x, s(1, 0), s(0, 1), 1)),
                        anyDType.in(bits, 2, 2))
                .sample("concat axis 1", (e, t) -> Tensor.concat(t, 1), n -> Ref.concat(n, 1), anyDType.in(bits, 2, 1),
                        anyDType.in(bits, 2, 3))
                .sample("where", (e, t) -> Tensor.where(t.get(0), t.get(1), t.get(2)),
                        n -> Ref.where(n.get(0), n.get(1), n.get(2)), anyDType.fixedDrawn(BOOL, BOOLS, 2, 3),
                        anyDType.in(bits, 3), anyDType.in(bits, 2, 1))
                .sample("indexSelect", (e, t) -> t.get(0).indexSelect(0, t.get(1)),
                        r2((x, i) -> Ref.indexSelect(x, 0, i)), anyDType.in(bits, 3, 2), anyDType.fixed(INT64, s(2), 2, 0))
                .sample("gather", (e, t) -> t.get(0).gather(1, t.get(1)), r2((x, i) -> Ref.gather(x, 1, i)),
                        anyDType.in(bits, 2, 3), anyDType.fixed(INT64, s(2, 2), 2, 2, 0, 1))
                .sample("indexSelect on an empty axis", (e, t) -> t.get(0).indexSelect(1, t.get(1)),
                        r2((x, i) -> Ref.indexSelect(x, 1, i)), anyDType.in(bits, 0, 3), anyDType.fixed(INT64, s(2), 2, 0))
                .add();
        for (boolean lower : new boolean[] {true, false}) {
            B tb = op(lower ? "tril" : "triu").diff();
            Object[][] tcases = {{s(4, 5), 0}, {s(4, 5), 1}, {s(4, 5), -1}, {s(2, 3, 3), 0}, {s(3, 3), 5}, {s(5, 2), -2},
                {s(0, 3), 0}};
            for (Object[] c : tcases) {
                int k = (Integer) c[1];
                tb.sample("k=" + k, a1(t -> lower ? t.tril(k) : t.triu(k)), r1(x -> Ref.triangle(x, k, lower)),
                        tb.in(ANY, (int[]) c[0]));
            }
            tb.add();
        }
    }

    private static String name(int bound) {
        return bound == Integer.MAX_VALUE ? "MAX" : bound == Integer.MIN_VALUE ? "MIN" : Integer.toString(bound);
    }

    /** The {@code piece}-th tensor of a split, after checking that there are {@code count} pieces. */
    static Tensor checkedPiece(List<Tensor> pieces, int count, int piece) {
        if (pieces.size() != count) {
            throw new AssertionError("expected " + count + " pieces, got " + pieces.size() + ": "
                    + pieces.stream().map(t -> t.shape().toString()).toList());
        }
        return pieces.get(piece);
    }

    // =====================================================================================
    // indexing
    // =====================================================================================

    private void indexing() {
        B is = op("indexSelect").diff();
        is.sample("axis 0, repeated", (e, t) -> t.get(0).indexSelect(0, t.get(1)), r2((x, i) -> Ref.indexSelect(x, 0, i)),
                        is.in(ANY, 5, 3), is.fixed(INT64, s(4), 4, 0, 4, 2))
                .sample("axis 1", (e, t) -> t.get(0).indexSelect(1, t.get(1)), r2((x, i) -> Ref.indexSelect(x, 1, i)),
                        is.in(ANY, 5, 3), is.fixed(INT64, s(2), 2, 0))
                .sample("axis 0, n-d index", (e, t) -> t.get(0).indexSelect(0, t.get(1)),
                        r2((x, i) -> Ref.indexSelect(x, 0, i)), is.in(ANY, 5, 3), is.fixed(INT64, s(3, 2), 1, 0, 4, 4, 3, 2))
                .sample("axis -1, n-d index", (e, t) -> t.get(0).indexSelect(-1, t.get(1)),
                        r2((x, i) -> Ref.indexSelect(x, -1, i)), is.in(ANY, 2, 3, 4), is.fixed(INT64, s(2, 2), 3, 0, 0, 1))
                .sample("axis 0, int32 index", (e, t) -> t.get(0).indexSelect(0, t.get(1)),
                        r2((x, i) -> Ref.indexSelect(x, 0, i)), is.in(ANY, 4, 2), is.fixed(INT32, s(3), 3, 3, 1))
                .sample("scalar index", (e, t) -> t.get(0).indexSelect(1, t.get(1)),
                        r2((x, i) -> Ref.indexSelect(x, 1, i)), is.in(ANY, 3, 4), is.fixed(INT64, SCALAR, 2))
                .sample("empty index", (e, t) -> t.get(0).indexSelect(0, t.get(1)), r2((x, i) -> Ref.indexSelect(x, 0, i)),
                        is.in(ANY, 5, 3), is.fixed(INT64, s(0)))
                .add();
        B ga = op("gather").diff();
        ga.sample("axis 1", (e, t) -> t.get(0).gather(1, t.get(1)), r2((x, i) -> Ref.gather(x, 1, i)),
                        ga.in(ANY, 3, 4), ga.fixed(INT64, s(3, 2), 3, 0, 1, 1, 2, 0))
                .sample("axis 0, index wider", (e, t) -> t.get(0).gather(0, t.get(1)), r2((x, i) -> Ref.gather(x, 0, i)),
                        ga.in(ANY, 3, 4), ga.fixed(INT64, s(5, 2), 0, 2, 1, 1, 2, 2, 0, 0, 1, 2))
                .sample("axis -2, 3-D", (e, t) -> t.get(0).gather(-2, t.get(1)), r2((x, i) -> Ref.gather(x, 1, i)),
                        ga.in(ANY, 2, 3, 2), ga.fixedDrawn(INT64, ints(0, 2), 2, 4, 1))
                .sample("axis 0, empty", (e, t) -> t.get(0).gather(0, t.get(1)), r2((x, i) -> Ref.gather(x, 0, i)),
                        ga.in(ANY, 3, 4), ga.fixed(INT64, s(0, 4)))
                .add();
        B sa = op("scatterAdd").diff();
        sa.sample("axis 1, repeated", (e, t) -> t.get(0).scatterAdd(1, t.get(2), t.get(1)),
                        n -> Ref.scatterAdd(n.get(0), 1, n.get(2), n.get(1)),
                        sa.in(ANY, 3, 4), sa.in(ANY, 3, 3), sa.fixed(INT64, s(3, 3), 1, 1, 3, 0, 2, 0, 3, 3, 3))
                .sample("axis 0", (e, t) -> t.get(0).scatterAdd(0, t.get(2), t.get(1)),
                        n -> Ref.scatterAdd(n.get(0), 0, n.get(2), n.get(1)),
                        sa.in(ANY, 3, 2), sa.in(ANY, 4, 2), sa.fixed(INT64, s(4, 2), 0, 2, 2, 2, 1, 0, 0, 1))
                .add();
        B ia = op("indexAdd").diff();
        ia.sample("axis 0, repeated", (e, t) -> t.get(0).indexAdd(0, t.get(2), t.get(1)),
                        n -> Ref.indexAdd(n.get(0), 0, n.get(2), n.get(1)),
                        ia.in(ANY, 5, 3), ia.in(ANY, 4, 3), ia.fixed(INT64, s(4), 1, 3, 1, 1))
                .sample("axis 1", (e, t) -> t.get(0).indexAdd(1, t.get(2), t.get(1)),
                        n -> Ref.indexAdd(n.get(0), 1, n.get(2), n.get(1)),
                        ia.in(ANY, 2, 3), ia.in(ANY, 2, 4), ia.fixed(INT32, s(4), 0, 2, 0, 0))
                .sample("axis -1, 3-D", (e, t) -> t.get(0).indexAdd(-1, t.get(2), t.get(1)),
                        n -> Ref.indexAdd(n.get(0), 2, n.get(2), n.get(1)),
                        ia.in(ANY, 2, 2, 3), ia.in(ANY, 2, 2, 2), ia.fixed(INT64, s(2), 2, 2))
                .sample("empty index", (e, t) -> t.get(0).indexAdd(0, t.get(2), t.get(1)),
                        n -> Ref.indexAdd(n.get(0), 0, n.get(2), n.get(1)),
                        ia.in(ANY, 2, 3), ia.in(ANY, 0, 3), ia.fixed(INT64, s(0)))
                .add();
        B oh = op("oneHot").ints();
        oh.sample("5 classes", a1(t -> t.oneHot(5)), r1(x -> Ref.oneHot(x, 5)), oh.values(s(4), 0, 4, 2, 2))
                .sample("3 classes", a1(t -> t.oneHot(3)), r1(x -> Ref.oneHot(x, 3)), oh.values(s(2, 2), 1, 0, 2, 1))
                .sample("scalar", a1(t -> t.oneHot(4)), r1(x -> Ref.oneHot(x, 4)), oh.values(SCALAR, 3))
                .sample("empty", a1(t -> t.oneHot(2)), r1(x -> Ref.oneHot(x, 2)), oh.values(s(0))).add();
    }

    // =====================================================================================
    // neural
    // =====================================================================================

    private void neural() {
        for (boolean log : new boolean[] {false, true}) {
            B b = op(log ? "logSoftmax" : "softmax").diff();
            Object[][] cases = {{s(2, 5), 1}, {s(2, 5), -1}, {s(2, 5), 0}, {s(3, 4, 2), 1}, {s(5), 0}, {s(1), 0},
                {s(0, 3), 1}, {s(0, 3), 0}, {s(64, 65), -1}};
            for (Object[] c : cases) {
                int axis = (Integer) c[1];
                b.sample("axis " + axis, a1(t -> log ? t.logSoftmax(axis) : t.softmax(axis)),
                        r1(x -> Ref.softmax(x, axis, log)), b.in(uniform(-4, 4), (int[]) c[0]));
            }
            b.sampleNoGrad("large values", a1(t -> log ? t.logSoftmax(1) : t.softmax(1)), r1(x -> Ref.softmax(x, 1, log)),
                    b.values(s(2, 3), 1000, 1001, 999, -1000, -1001, -999));
            // -inf is how attention masks positions out: it gets probability 0
            double inf = Double.POSITIVE_INFINITY;
            Input masked = b.values(s(2, 4), 0.5, -inf, 1, -inf, -inf, 2, -inf, -1);
            if (log) {
                b.sampleNoGrad("masked with -inf", a1(t -> t.logSoftmax(-1)), r1(x -> Ref.softmax(x, -1, true)), masked);
            } else {
                b.sample("masked with -inf", a1(t -> t.softmax(-1)), r1(x -> Ref.softmax(x, -1, false)), masked);
            }
            b.add();
        }

        // layer normalisation: fused on a backend that offers the kernel, composed elsewhere
        B ln = op("layerNorm").diff().slack(4);
        ln.sample("[3, 5] over [5], affine", (e, t) -> t.get(0).layerNorm(new int[] {5}, t.get(1), t.get(2), 1e-5),
                n -> Ref.layerNorm(n.get(0), 1, n.get(1), n.get(2), 1e-5), ln.in(ANY, 3, 5), ln.in(ANY, 5),
                ln.in(ANY, 5));
        ln.sample("[2, 3, 4] over [3, 4], affine", (e, t) -> t.get(0).layerNorm(new int[] {3, 4}, t.get(1), t.get(2),
                        1e-5), n -> Ref.layerNorm(n.get(0), 2, n.get(1), n.get(2), 1e-5), ln.in(ANY, 2, 3, 4),
                ln.in(ANY, 3, 4), ln.in(ANY, 3, 4));
        ln.sample("[4, 6] over [6], no affine, eps 0.1", (e, t) -> t.get(0).layerNorm(new int[] {6}, null, null, 0.1),
                n -> Ref.layerNorm(n.get(0), 1, null, null, 0.1), ln.in(ANY, 4, 6));
        ln.sample("[2, 33] over [33], weight only", (e, t) -> t.get(0).layerNorm(new int[] {33}, t.get(1), null, 1e-5),
                n -> Ref.layerNorm(n.get(0), 1, n.get(1), null, 1e-5), ln.in(ANY, 2, 33), ln.in(ANY, 33));
        ln.sample("[0, 4] over [4], no rows", (e, t) -> t.get(0).layerNorm(new int[] {4}, t.get(1), t.get(2), 1e-5),
                n -> Ref.layerNorm(n.get(0), 1, n.get(1), n.get(2), 1e-5), ln.in(ANY, 0, 4), ln.in(ANY, 4),
                ln.in(ANY, 4));
        ln.sampleNoGrad("offset 1000", (e, t) -> t.get(0).layerNorm(new int[] {4}, null, null, 1e-5),
                n -> Ref.layerNorm(n.get(0), 1, null, null, 1e-5),
                ln.values(s(2, 4), 1000, 1001, 999, 1002, -1000, -1001.5, -999, -1000.5));
        ln.add();

        // the recurrent cells' pointwise steps: fused on a backend that offers the kernels, composed elsewhere
        int[][] cells = {{1, 1}, {2, 3}, {3, 4}, {0, 2}, {16, 33}};
        for (boolean wantC : new boolean[] {false, true}) {
            B lc = op(wantC ? "lstmCell.c" : "lstmCell.h").diff().slack(4);
            for (int[] bh : cells) {
                lc.sample("", (e, t) -> {
                    var out = Tensor.lstmCell(t.get(0), t.get(1));
                    return wantC ? out.c() : out.h();
                }, n -> Ref.lstmCell(n.get(0), n.get(1), wantC), lc.in(uniform(-3, 3), bh[0], 4 * bh[1]),
                        lc.in(ANY, bh[0], bh[1]));
            }
            lc.sampleNoGrad("saturated gates", (e, t) -> {
                var out = Tensor.lstmCell(t.get(0), t.get(1));
                return wantC ? out.c() : out.h();
            }, n -> Ref.lstmCell(n.get(0), n.get(1), wantC), lc.in(uniform(-60, 60), 2, 8), lc.in(ANY, 2, 2));
            lc.add();
        }
        B gc = op("gruCell").diff().slack(4);
        for (int[] bh : cells) {
            gc.sample("", (e, t) -> Tensor.gruCell(t.get(0), t.get(1), t.get(2)),
                    n -> Ref.gruCell(n.get(0), n.get(1), n.get(2)), gc.in(uniform(-3, 3), bh[0], 3 * bh[1]),
                    gc.in(uniform(-3, 3), bh[0], 3 * bh[1]), gc.in(ANY, bh[0], bh[1]));
        }
        gc.sampleNoGrad("saturated gates", (e, t) -> Tensor.gruCell(t.get(0), t.get(1), t.get(2)),
                n -> Ref.gruCell(n.get(0), n.get(1), n.get(2)), gc.in(uniform(-60, 60), 2, 6),
                gc.in(uniform(-60, 60), 2, 6), gc.in(ANY, 2, 2));
        gc.add();

        // scaled dot-product attention: fused on a backend that offers the kernel, composed elsewhere
        for (boolean wantW : new boolean[] {false, true}) {
            // WithWeights: the weights and the output side by side, so that gradients reach the op through both
            B at = op(wantW ? "scaledDotProductAttentionWithWeights" : "scaledDotProductAttention").diff().slack(4);
            Apply plain = (e, t) -> attend(t, null, false, 0.5, wantW);
            at.sample("scale 0.5", plain, n -> Ref.attention(n.get(0), n.get(1), n.get(2), null, false, false, 0.5, wantW),
                    at.in(ANY, 2, 3, 4), at.in(ANY, 2, 5, 4), at.in(ANY, 2, 5, 3));
            at.sample("rank 2, scale 0.5", plain,
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), null, false, false, 0.5, wantW),
                    at.in(ANY, 3, 2), at.in(ANY, 4, 2), at.in(ANY, 4, 3));
            at.sample("causal, tq = tk", (e, t) -> attend(t, null, true, 0.7, wantW),
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), null, false, true, 0.7, wantW),
                    at.in(ANY, 2, 4, 3), at.in(ANY, 2, 4, 3), at.in(ANY, 2, 4, 2));
            at.sample("causal, tq 4 > tk 3", (e, t) -> attend(t, null, true, 0.7, wantW),
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), null, false, true, 0.7, wantW),
                    at.in(ANY, 2, 4, 3), at.in(ANY, 2, 3, 3), at.in(ANY, 2, 3, 2));
            at.sample("bool key-padding mask", (e, t) -> attend(t, t.get(3), false, 0.5, wantW),
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), n.get(3), true, false, 0.5, wantW),
                    at.in(ANY, 2, 2, 3, 4), at.in(ANY, 2, 2, 5, 4), at.in(ANY, 2, 2, 5, 2),
                    at.fixed(BOOL, s(2, 1, 1, 5), 1, 1, 0, 1, 0, 1, 0, 0, 1, 1));
            at.sample("float mask per query and key, causal", (e, t) -> attend(t, t.get(3), true, 0.5, wantW),
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), n.get(3), false, true, 0.5, wantW),
                    at.in(ANY, 2, 3, 4), at.in(ANY, 2, 4, 4), at.in(ANY, 2, 4, 2), at.in(ANY, 3, 4));
            double inf = Double.NEGATIVE_INFINITY;
            at.sampleNoGrad("float mask with -inf", (e, t) -> attend(t, t.get(3), false, 0.5, wantW),
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), n.get(3), false, false, 0.5, wantW),
                    at.in(ANY, 2, 2, 3), at.in(ANY, 2, 3, 3), at.in(ANY, 2, 3, 2),
                    at.values(s(2, 3), 0, inf, 0.5, -1, 0, inf));
            at.sampleNoGrad("large scores", (e, t) -> attend(t, null, false, 1, wantW),
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), null, false, false, 1, wantW),
                    at.in(uniform(-30, 30), 2, 3, 4), at.in(uniform(-30, 30), 2, 5, 4), at.in(ANY, 2, 5, 3));
            at.sampleNoGrad("64 x 64, d 32, causal", (e, t) -> attend(t, null, true, 1 / Math.sqrt(32), wantW),
                    n -> Ref.attention(n.get(0), n.get(1), n.get(2), null, false, true, 1 / Math.sqrt(32), wantW),
                    at.in(ANY, 2, 64, 32), at.in(ANY, 2, 64, 32), at.in(ANY, 2, 64, 32));
            at.add();
        }

        // multi-head self-attention on a packed projection: through the strided kernel where a backend offers it
        for (boolean wantW : new boolean[] {false, true}) {
            // with weights: the weights and the output flattened end to end, so that gradients reach both
            B pa = op(wantW ? "packedSelfAttentionWithWeights" : "packedSelfAttention").diff().slack(4);
            pa.sample("2 heads of 2, length 2", (e, t) -> packed(t, 2, null, false, 0.5, wantW),
                    n -> Ref.packedSelfAttention(n.get(0), 2, null, false, false, 0.5, wantW), pa.in(ANY, 1, 2, 12));
            pa.sample("causal, batch 2, length 3, 2 heads of 1", (e, t) -> packed(t, 2, null, true, 0.7, wantW),
                    n -> Ref.packedSelfAttention(n.get(0), 2, null, false, true, 0.7, wantW), pa.in(ANY, 2, 3, 6));
            pa.sample("bool key-padding mask [2, 1, 1, 3], 3 heads of 2",
                    (e, t) -> packed(t, 3, t.get(1), false, 0.5, wantW),
                    n -> Ref.packedSelfAttention(n.get(0), 3, n.get(1), true, false, 0.5, wantW), pa.in(ANY, 2, 3, 18),
                    pa.fixed(BOOL, s(2, 1, 1, 3), 1, 0, 1, 1, 1, 0));
            pa.sample("float mask [4, 4], causal, 2 heads of 3", (e, t) -> packed(t, 2, t.get(1), true, 0.5, wantW),
                    n -> Ref.packedSelfAttention(n.get(0), 2, n.get(1), false, true, 0.5, wantW), pa.in(ANY, 2, 4, 18),
                    pa.in(ANY, 4, 4));
            pa.sampleNoGrad("length 64, 4 heads of 32, causal",
                    (e, t) -> packed(t, 4, null, true, 1 / Math.sqrt(32), wantW),
                    n -> Ref.packedSelfAttention(n.get(0), 4, null, false, true, 1 / Math.sqrt(32), wantW),
                    pa.in(ANY, 2, 64, 384));
            pa.add();
        }

        B c1 = op("conv1d").diff().slack(10);
        int[][] c1cases = {{1, 0, 1}, {2, 1, 2}, {3, 2, 1}, {1, 3, 1}};
        for (int[] c : c1cases) {
            int stride = c[0];
            int pad = c[1];
            int dil = c[2];
            c1.sample("stride " + stride + " padding " + pad + " dilation " + dil,
                    (e, t) -> t.get(0).conv1d(t.get(1), t.get(2), stride, pad, dil),
                    n -> Ref.conv1d(n.get(0), n.get(1), n.get(2), stride, pad, pad, dil),
                    c1.in(ANY, 2, 3, 7), c1.in(ANY, 4, 3, 3), c1.in(ANY, 4));
        }
        c1.sample("no bias", (e, t) -> t.get(0).conv1d(t.get(1), null, 2, 0, 1),
                n -> Ref.conv1d(n.get(0), n.get(1), null, 2, 0, 0, 1), c1.in(ANY, 1, 2, 6), c1.in(ANY, 3, 2, 2));
        c1.sample("kernel 1", (e, t) -> t.get(0).conv1d(t.get(1), null, 1, 0, 1),
                n -> Ref.conv1d(n.get(0), n.get(1), null, 1, 0, 0, 1), c1.in(ANY, 2, 2, 4), c1.in(ANY, 3, 2, 1));
        c1.add();

        B cc = op("conv1dCausal").diff().slack(10);
        for (int dil : new int[] {1, 2}) {
            cc.sample("dilation " + dil, (e, t) -> t.get(0).conv1dCausal(t.get(1), t.get(2), dil),
                    n -> Ref.conv1d(n.get(0), n.get(1), n.get(2), 1, (n.get(1).shape[2] - 1) * dil, 0, dil),
                    cc.in(ANY, 2, 2, 6), cc.in(ANY, 3, 2, 3), cc.in(ANY, 3));
        }
        cc.sample("no bias, dilation 3", (e, t) -> t.get(0).conv1dCausal(t.get(1), null, 3),
                n -> Ref.conv1d(n.get(0), n.get(1), null, 1, 2 * 3, 0, 3), cc.in(ANY, 1, 2, 5), cc.in(ANY, 2, 2, 3));
        cc.add();

        B c2 = op("conv2d").diff().slack(20);
        int[][][] c2cases = {
            {{1, 1}, {0, 0}, {1, 1}}, {{2, 1}, {1, 2}, {1, 2}}, {{1, 2}, {2, 0}, {2, 1}}, {{2, 2}, {1, 1}, {1, 1}},
        };
        for (int[][] c : c2cases) {
            c2.sample("stride " + Arrays.toString(c[0]) + " padding " + Arrays.toString(c[1]) + " dilation "
                            + Arrays.toString(c[2]),
                    (e, t) -> t.get(0).conv2d(t.get(1), t.get(2), c[0], c[1], c[2]),
                    n -> Ref.conv2d(n.get(0), n.get(1), n.get(2), c[0], c[1], c[2]),
                    c2.in(ANY, 2, 2, 5, 5), c2.in(ANY, 3, 2, 3, 2), c2.in(ANY, 3));
        }
        c2.sample("no bias", (e, t) -> t.get(0).conv2d(t.get(1), null, s(1, 1), s(1, 1), s(1, 1)),
                n -> Ref.conv2d(n.get(0), n.get(1), null, s(1, 1), s(1, 1), s(1, 1)),
                c2.in(ANY, 1, 3, 4, 4), c2.in(ANY, 2, 3, 2, 2));
        c2.sample("DCGAN's 4x4, stride 2, padding 1", (e, t) -> t.get(0).conv2d(t.get(1), t.get(2), s(2, 2), s(1, 1),
                        s(1, 1)),
                n -> Ref.conv2d(n.get(0), n.get(1), n.get(2), s(2, 2), s(1, 1), s(1, 1)),
                c2.in(ANY, 2, 3, 8, 8), c2.in(ANY, 4, 3, 4, 4), c2.in(ANY, 4));
        c2.sample("the kernel covers the input", (e, t) -> t.get(0).conv2d(t.get(1), t.get(2), s(1, 1), s(0, 0),
                        s(1, 1)),
                n -> Ref.conv2d(n.get(0), n.get(1), n.get(2), s(1, 1), s(0, 0), s(1, 1)),
                c2.in(ANY, 3, 4, 3, 3), c2.in(ANY, 2, 4, 3, 3), c2.in(ANY, 2));
        c2.sample("larger", (e, t) -> t.get(0).conv2d(t.get(1), t.get(2), s(1, 1), s(1, 1), s(1, 1)),
                n -> Ref.conv2d(n.get(0), n.get(1), n.get(2), s(1, 1), s(1, 1), s(1, 1)),
                c2.in(ANY, 2, 4, 16, 16), c2.in(ANY, 8, 4, 3, 3), c2.in(ANY, 8));
        c2.add();

        B ct = op("convTranspose2d").diff().slack(20);
        int[][][] ctcases = {
            {{1, 1}, {0, 0}, {0, 0}}, {{2, 2}, {1, 0}, {1, 0}}, {{3, 2}, {1, 1}, {2, 1}}, {{2, 1}, {0, 1}, {0, 0}},
        };
        for (int[][] c : ctcases) {
            ct.sample("stride " + Arrays.toString(c[0]) + " padding " + Arrays.toString(c[1]) + " outputPadding "
                            + Arrays.toString(c[2]),
                    (e, t) -> t.get(0).convTranspose2d(t.get(1), t.get(2), c[0], c[1], c[2]),
                    n -> Ref.convTranspose2d(n.get(0), n.get(1), n.get(2), c[0], c[1], c[2]),
                    ct.in(ANY, 2, 3, 3, 4), ct.in(ANY, 3, 2, 3, 3), ct.in(ANY, 2));
        }
        ct.sample("DCGAN's 4x4, stride 2, padding 1", (e, t) -> t.get(0).convTranspose2d(t.get(1), t.get(2), s(2, 2),
                        s(1, 1), s(0, 0)),
                n -> Ref.convTranspose2d(n.get(0), n.get(1), n.get(2), s(2, 2), s(1, 1), s(0, 0)),
                ct.in(ANY, 2, 4, 4, 4), ct.in(ANY, 4, 3, 4, 4), ct.in(ANY, 3));
        ct.sample("1x1 to 5x5", (e, t) -> t.get(0).convTranspose2d(t.get(1), t.get(2), s(1, 1), s(0, 0), s(0, 0)),
                n -> Ref.convTranspose2d(n.get(0), n.get(1), n.get(2), s(1, 1), s(0, 0), s(0, 0)),
                ct.in(ANY, 2, 3, 1, 1), ct.in(ANY, 3, 2, 5, 5), ct.in(ANY, 2));
        ct.sample("no bias", (e, t) -> t.get(0).convTranspose2d(t.get(1), null, s(2, 2), s(0, 0), s(0, 0)),
                n -> Ref.convTranspose2d(n.get(0), n.get(1), null, s(2, 2), s(0, 0), s(0, 0)),
                ct.in(ANY, 1, 2, 2, 3), ct.in(ANY, 2, 3, 2, 2));
        ct.add();
    }
}
