package dev.nabla.tck;

import dev.nabla.api.types.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The tck's reference implementations: plain float64 loops over {@link Nd} arrays, written from the
 * definitions (NumPy/PyTorch semantics) and never calling a backend or a composed API operation.
 */
final class Ref {
    private Ref() {
    }

    // ------------------------------------------------------------------ scalar functions

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /**
     * The error function to ~1e-15 relative: {@code erf(x) = 2/√π · e^{-x²} · Σ_n 2ⁿ x^{2n+1} / (2n+1)!!},
     * a series of positive terms (no cancellation) that converges for every x; ±1 beyond |x| = 6.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.signum(x);
        }
        double term = ax;
        double sum = ax;
        double x2 = 2 * ax * ax;
        for (int n = 1; n < 500; n++) {
            term *= x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        double r = Math.min(1.0, TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum);
        return x < 0 ? -r : r;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double softplus(double x) {
        // log(1 + e^x), written two ways by the sign of x so neither overflows
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double sign(double x) {
        return x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : Double.NaN;
    }

    static double floorDiv(double a, double b) {
        return Math.floorDiv((long) a, (long) b);
    }

    // ------------------------------------------------------------------ elementwise

    static Nd map(Nd x, DoubleUnaryOperator f) {
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(x.v[i]);
        }
        return new Nd(x.shape, r);
    }

    static int[] broadcastShape(int[]... shapes) {
        int r = 0;
        for (int[] s : shapes) {
            r = Math.max(r, s.length);
        }
        int[] out = new int[r];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = r - s.length + i;
                if (s[i] != 1) {
                    if (out[o] != 1 && out[o] != s[i]) {
                        throw new IllegalArgumentException("not broadcastable: " + Arrays.deepToString(shapes));
                    }
                    out[o] = s[i];
                }
            }
        }
        return out;
    }

    /** The flat position in {@code x} read for output index {@code idx} under broadcasting. */
    static int broadcastIndex(int[] idx, int[] shape) {
        int off = idx.length - shape.length;
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            flat = flat * shape[i] + (shape[i] == 1 ? 0 : idx[off + i]);
        }
        return flat;
    }

    static Nd zip(Nd a, Nd b, DoubleBinaryOperator f) {
        int[] out = broadcastShape(a.shape, b.shape);
        double[] r = new double[Nd.size(out)];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Nd.unravel(i, out);
            r[i] = f.applyAsDouble(a.v[broadcastIndex(idx, a.shape)], b.v[broadcastIndex(idx, b.shape)]);
        }
        return new Nd(out, r);
    }

    static Nd where(Nd c, Nd a, Nd b) {
        int[] out = broadcastShape(c.shape, a.shape, b.shape);
        double[] r = new double[Nd.size(out)];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Nd.unravel(i, out);
            r[i] = c.v[broadcastIndex(idx, c.shape)] != 0 ? a.v[broadcastIndex(idx, a.shape)]
                    : b.v[broadcastIndex(idx, b.shape)];
        }
        return new Nd(out, r);
    }

    static Nd broadcastTo(Nd x, int[] target) {
        double[] r = new double[Nd.size(target)];
        for (int i = 0; i < r.length; i++) {
            r[i] = x.v[broadcastIndex(Nd.unravel(i, target), x.shape)];
        }
        return new Nd(target, r);
    }

    // ------------------------------------------------------------------ reductions

    static int norm(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    /**
     * Applies {@code f} to the values of each slice over {@code axes} (in row-major order of the
     * reduced axes); the result has {@code axes} removed, or kept as size 1.
     */
    static Nd reduce(Nd x, int[] axesIn, boolean keep, ToDoubleFunction<double[]> f) {
        int r = x.rank();
        boolean[] red = new boolean[r];
        for (int a : axesIn) {
            red[norm(a, r)] = true;
        }
        int[] keptShape = x.shape.clone();
        List<Integer> outDims = new ArrayList<>();
        int[] redShape = new int[r];
        for (int i = 0; i < r; i++) {
            if (red[i]) {
                keptShape[i] = 1;
                redShape[i] = x.shape[i];
                if (keep) {
                    outDims.add(1);
                }
            } else {
                redShape[i] = 1;
                outDims.add(x.shape[i]);
            }
        }
        int n = Nd.size(redShape);
        double[] out = new double[Nd.size(keptShape)];
        for (int o = 0; o < out.length; o++) {
            int[] base = Nd.unravel(o, keptShape);
            double[] slice = new double[n];
            for (int j = 0; j < n; j++) {
                int[] off = Nd.unravel(j, redShape);
                int[] idx = new int[r];
                for (int d = 0; d < r; d++) {
                    idx[d] = red[d] ? off[d] : base[d];
                }
                slice[j] = x.at(idx);
            }
            out[o] = f.applyAsDouble(slice);
        }
        return new Nd(outDims.stream().mapToInt(Integer::intValue).toArray(), out);
    }

    static double sum(double[] s) {
        double t = 0;
        for (double v : s) {
            t += v;
        }
        return t;
    }

    static double max(double[] s) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            m = Math.max(m, v);
        }
        return m;
    }

    static double min(double[] s) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : s) {
            m = Math.min(m, v);
        }
        return m;
    }

    static double argmax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        return best;
    }

    static double argmin(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] < s[best]) {
                best = i;
            }
        }
        return best;
    }

    static double logsumexp(double[] s) {
        double m = max(s);
        if (Double.isInfinite(m)) {
            return m; // all -inf (an empty sum), or a +inf term
        }
        double t = 0;
        for (double v : s) {
            t += Math.exp(v - m);
        }
        return m + Math.log(t);
    }

    static double variance(double[] s, int correction) {
        double mean = sum(s) / s.length;
        double ss = 0;
        for (double v : s) {
            ss += (v - mean) * (v - mean);
        }
        return ss / (s.length - correction);
    }

    static Nd cumsum(Nd x, int axisIn) {
        int axis = norm(axisIn, x.rank());
        double[] r = new double[x.size()];
        int[] st = Nd.strides(x.shape);
        for (int i = 0; i < r.length; i++) {
            int[] idx = Nd.unravel(i, x.shape);
            r[i] = x.v[i] + (idx[axis] > 0 ? r[i - st[axis]] : 0);
        }
        return new Nd(x.shape, r);
    }

    // ------------------------------------------------------------------ linear algebra

    /** NumPy matmul: the triple loop over broadcast batches, 1-D operands promoted and demoted. */
    static Nd matmul(Nd a, Nd b) {
        boolean av = a.rank() == 1;
        boolean bv = b.rank() == 1;
        int[] as = av ? new int[] {1, a.shape[0]} : a.shape;
        int[] bs = bv ? new int[] {b.shape[0], 1} : b.shape;
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] ab = Arrays.copyOf(as, as.length - 2);
        int[] bb = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = broadcastShape(ab, bb);
        int nb = Nd.size(batch);
        double[] r = new double[nb * m * n];
        for (int q = 0; q < nb; q++) {
            int[] bi = Nd.unravel(q, batch);
            int aOff = broadcastIndex(bi, ab) * m * k;
            int bOff = broadcastIndex(bi, bb) * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.v[aOff + i * k + p] * b.v[bOff + p * n + j];
                    }
                    r[(q * m + i) * n + j] = s;
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int d : batch) {
            out.add(d);
        }
        if (!av) {
            out.add(m);
        }
        if (!bv) {
            out.add(n);
        }
        return new Nd(out.stream().mapToInt(Integer::intValue).toArray(), r);
    }

    // ------------------------------------------------------------------ shape

    static Nd reshape(Nd x, int... dims) {
        int[] d = dims.clone();
        int known = 1;
        int infer = -1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            d[infer] = x.size() / known;
        }
        return new Nd(d, x.v.clone());
    }

    static Nd permute(Nd x, int... axesIn) {
        int r = x.rank();
        int[] axes = new int[r];
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            axes[i] = norm(axesIn[i], r);
            out[i] = x.shape[axes[i]];
        }
        double[] v = new double[x.size()];
        for (int i = 0; i < v.length; i++) {
            int[] oi = Nd.unravel(i, out);
            int[] xi = new int[r];
            for (int d = 0; d < r; d++) {
                xi[axes[d]] = oi[d];
            }
            v[i] = x.at(xi);
        }
        return new Nd(out, v);
    }

    static Nd transpose(Nd x, int a0, int a1) {
        int r = x.rank();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        int i0 = norm(a0, r);
        int i1 = norm(a1, r);
        p[i0] = i1;
        p[i1] = i0;
        return permute(x, p);
    }

    /** Python's {@code range(*slice(start, end, step).indices(size))}, element by element. */
    static int[] sliceIndices(int size, int start, int end, int step) {
        int lo;
        int hi;
        if (step > 0) {
            lo = start == Integer.MIN_VALUE ? 0 : start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
            hi = end == Integer.MAX_VALUE ? size : end < 0 ? Math.max(end + size, 0) : Math.min(end, size);
        } else {
            lo = start == Integer.MAX_VALUE ? size - 1 : start < 0 ? Math.max(start + size, -1) : Math.min(start, size - 1);
            hi = end == Integer.MIN_VALUE ? -1 : end < 0 ? Math.max(end + size, -1) : Math.min(end, size - 1);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = lo; step > 0 ? i < hi : i > hi; i += step) {
            out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Entries {@code picks} along {@code axis}, in that order (the axis's new size is picks.length). */
    static Nd take(Nd x, int axisIn, int[] picks) {
        int axis = norm(axisIn, x.rank());
        int[] out = x.shape.clone();
        out[axis] = picks.length;
        double[] v = new double[Nd.size(out)];
        for (int i = 0; i < v.length; i++) {
            int[] idx = Nd.unravel(i, out);
            idx[axis] = picks[idx[axis]];
            v[i] = x.at(idx);
        }
        return new Nd(out, v);
    }

    static Nd slice(Nd x, int axis, int start, int end, int step) {
        return take(x, axis, sliceIndices(x.shape[norm(axis, x.rank())], start, end, step));
    }

    static Nd dropAxis(Nd x, int axisIn) {
        int axis = norm(axisIn, x.rank());
        int[] d = new int[x.rank() - 1];
        for (int i = 0, n = 0; i < x.rank(); i++) {
            if (i != axis) {
                d[n++] = x.shape[i];
            }
        }
        return new Nd(d, x.v.clone());
    }

    static Nd insertAxis(Nd x, int axisIn) {
        int axis = axisIn < 0 ? axisIn + x.rank() + 1 : axisIn;
        int[] d = new int[x.rank() + 1];
        for (int i = 0, n = 0; i < d.length; i++) {
            d[i] = i == axis ? 1 : x.shape[n++];
        }
        return new Nd(d, x.v.clone());
    }

    static Nd squeezeAll(Nd x) {
        return new Nd(Arrays.stream(x.shape).filter(s -> s != 1).toArray(), x.v.clone());
    }

    static Nd flip(Nd x, int... axes) {
        Nd r = x;
        for (int a : axes) {
            int size = x.shape[norm(a, x.rank())];
            int[] p = new int[size];
            for (int i = 0; i < size; i++) {
                p[i] = size - 1 - i;
            }
            r = take(r, a, p);
        }
        return r;
    }

    static Nd pad(Nd x, int[] before, int[] after, double value) {
        int r = x.rank();
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            out[i] = x.shape[i] + before[i] + after[i];
        }
        double[] v = new double[Nd.size(out)];
        outer:
        for (int i = 0; i < v.length; i++) {
            int[] idx = Nd.unravel(i, out);
            for (int d = 0; d < r; d++) {
                idx[d] -= before[d];
                if (idx[d] < 0 || idx[d] >= x.shape[d]) {
                    v[i] = value;
                    continue outer;
                }
            }
            v[i] = x.at(idx);
        }
        return new Nd(out, v);
    }

    static Nd concat(List<Nd> parts, int axisIn) {
        int axis = norm(axisIn, parts.getFirst().rank());
        int[] out = parts.getFirst().shape.clone();
        out[axis] = 0;
        for (Nd p : parts) {
            out[axis] += p.shape[axis];
        }
        double[] v = new double[Nd.size(out)];
        for (int i = 0; i < v.length; i++) {
            int[] idx = Nd.unravel(i, out);
            int j = idx[axis];
            for (Nd p : parts) {
                if (j < p.shape[axis]) {
                    idx[axis] = j;
                    v[i] = p.at(idx);
                    break;
                }
                j -= p.shape[axis];
            }
        }
        return new Nd(out, v);
    }

    static Nd stack(List<Nd> parts, int axis) {
        List<Nd> ex = new ArrayList<>();
        for (Nd p : parts) {
            ex.add(insertAxis(p, axis));
        }
        int a = axis < 0 ? axis + parts.getFirst().rank() + 1 : axis;
        return concat(ex, a);
    }

    static Nd triangle(Nd x, int k, boolean lower) {
        int r = x.rank();
        double[] v = new double[x.size()];
        for (int i = 0; i < v.length; i++) {
            int[] idx = Nd.unravel(i, x.shape);
            int row = idx[r - 2];
            int col = idx[r - 1];
            boolean in = lower ? col - row <= k : col - row >= k;
            v[i] = in ? x.v[i] : 0;
        }
        return new Nd(x.shape, v);
    }

    // ------------------------------------------------------------------ indexing

    static Nd indexSelect(Nd x, int axisIn, Nd index) {
        int axis = norm(axisIn, x.rank());
        int[] picks = new int[index.size()];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = (int) index.v[i];
        }
        Nd flat = take(x, axis, picks);
        int[] out = new int[x.rank() - 1 + index.rank()];
        int n = 0;
        for (int i = 0; i < axis; i++) {
            out[n++] = x.shape[i];
        }
        for (int d : index.shape) {
            out[n++] = d;
        }
        for (int i = axis + 1; i < x.rank(); i++) {
            out[n++] = x.shape[i];
        }
        return new Nd(out, flat.v);
    }

    static Nd gather(Nd x, int axisIn, Nd index) {
        int axis = norm(axisIn, x.rank());
        double[] v = new double[index.size()];
        for (int i = 0; i < v.length; i++) {
            int[] idx = Nd.unravel(i, index.shape);
            idx[axis] = (int) index.v[i];
            v[i] = x.at(idx);
        }
        return new Nd(index.shape, v);
    }

    static Nd scatterAdd(Nd x, int axisIn, Nd index, Nd src) {
        int axis = norm(axisIn, x.rank());
        double[] v = x.v.clone();
        for (int i = 0; i < index.size(); i++) {
            int[] idx = Nd.unravel(i, index.shape);
            idx[axis] = (int) index.v[i];
            v[Nd.ravel(idx, x.shape)] += src.v[i];
        }
        return new Nd(x.shape, v);
    }

    static Nd indexAdd(Nd x, int axisIn, Nd index, Nd src) {
        int axis = norm(axisIn, x.rank());
        double[] v = x.v.clone();
        for (int i = 0; i < src.size(); i++) {
            int[] idx = Nd.unravel(i, src.shape);
            idx[axis] = (int) index.v[idx[axis]];
            v[Nd.ravel(idx, x.shape)] += src.v[i];
        }
        return new Nd(x.shape, v);
    }

    static Nd oneHot(Nd x, int classes) {
        int[] out = Arrays.copyOf(x.shape, x.rank() + 1);
        out[x.rank()] = classes;
        double[] v = new double[Nd.size(out)];
        for (int i = 0; i < x.size(); i++) {
            v[i * classes + (int) x.v[i]] = 1;
        }
        return new Nd(out, v, DType.FLOAT32);
    }

    // ------------------------------------------------------------------ neural

    static Nd softmax(Nd x, int axisIn, boolean log) {
        int axis = norm(axisIn, x.rank());
        double[] v = new double[x.size()];
        int[] st = Nd.strides(x.shape);
        int len = x.shape[axis];
        for (int i = 0; i < v.length; i++) {
            int[] idx = Nd.unravel(i, x.shape);
            if (idx[axis] != 0) {
                continue;
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                m = Math.max(m, x.v[i + j * st[axis]]);
            }
            double s = 0;
            for (int j = 0; j < len; j++) {
                s += Math.exp(x.v[i + j * st[axis]] - m);
            }
            for (int j = 0; j < len; j++) {
                double z = x.v[i + j * st[axis]] - m;
                v[i + j * st[axis]] = log ? z - Math.log(s) : Math.exp(z) / s;
            }
        }
        return new Nd(x.shape, v);
    }

    /**
     * Layer normalisation over the last {@code k} axes in plain loops: per leading index, {@code μ} and the biased
     * {@code σ²} of the trailing block, {@code y = (x − μ)/sqrt(σ² + ε)·γ + β} (γ, β null for none).
     */
    static Nd layerNorm(Nd x, int k, Nd weight, Nd bias, double eps) {
        int cols = 1;
        for (int i = x.rank() - k; i < x.rank(); i++) {
            cols *= x.shape[i];
        }
        double[] v = new double[x.size()];
        for (int base = 0; base < v.length; base += cols) {
            double m = 0;
            for (int j = 0; j < cols; j++) {
                m += x.v[base + j];
            }
            m /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                var += (x.v[base + j] - m) * (x.v[base + j] - m);
            }
            double s = Math.sqrt(var / cols + eps);
            for (int j = 0; j < cols; j++) {
                double y = (x.v[base + j] - m) / s;
                v[base + j] = y * (weight == null ? 1 : weight.v[j]) + (bias == null ? 0 : bias.v[j]);
            }
        }
        return new Nd(x.shape, v);
    }

    /**
     * One LSTM step's pointwise part, gates {@code [B, 4H]} in the order i, f, g, o:
     * {@code c' = σ(f)·c + σ(i)·tanh(g)}, {@code h' = σ(o)·tanh(c')}; returns {@code c'} or {@code h'}.
     */
    static Nd lstmCell(Nd gates, Nd c, boolean wantC) {
        int b = c.shape[0];
        int h = c.shape[1];
        double[] v = new double[b * h];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < h; j++) {
                double i = sigmoid(gates.at(r, j));
                double f = sigmoid(gates.at(r, h + j));
                double g = Math.tanh(gates.at(r, 2 * h + j));
                double o = sigmoid(gates.at(r, 3 * h + j));
                double c2 = f * c.at(r, j) + i * g;
                v[r * h + j] = wantC ? c2 : o * Math.tanh(c2);
            }
        }
        return new Nd(c.shape, v);
    }

    /**
     * One GRU step's pointwise part, projections {@code [B, 3H]} in the order r, z, n:
     * {@code r = σ(a_r + b_r)}, {@code z = σ(a_z + b_z)}, {@code n = tanh(a_n + r·b_n)}, {@code h' = (1 − z)·n + z·h}.
     */
    static Nd gruCell(Nd gi, Nd gh, Nd hPrev) {
        int b = hPrev.shape[0];
        int h = hPrev.shape[1];
        double[] v = new double[b * h];
        for (int row = 0; row < b; row++) {
            for (int j = 0; j < h; j++) {
                double r = sigmoid(gi.at(row, j) + gh.at(row, j));
                double z = sigmoid(gi.at(row, h + j) + gh.at(row, h + j));
                double n = Math.tanh(gi.at(row, 2 * h + j) + r * gh.at(row, 2 * h + j));
                v[row * h + j] = (1 - z) * n + z * hPrev.at(row, j);
            }
        }
        return new Nd(hPrev.shape, v);
    }

    /**
     * Scaled dot-product attention in plain loops: for each leading index, {@code P = softmax(scale·Q·Kᵀ + M)}
     * row by row and {@code O = P·V}; returns {@code O} or {@code P}. {@code q, k, v} share their leading
     * axes; the mask (null, bool as 0/1 with {@code bool} set, or additive) broadcasts to {@code [..., tq, tk]};
     * {@code causal} also excludes key {@code j > i} for query {@code i}. With {@code wantWeights}, returns
     * {@code P} and {@code O} concatenated along the last axis, {@code [..., tq, tk + dv]}.
     */
    static Nd attention(Nd q, Nd k, Nd v, Nd mask, boolean bool, boolean causal, double scale, boolean wantWeights) {
        int r = q.rank();
        int tq = q.shape[r - 2];
        int d = q.shape[r - 1];
        int tk = k.shape[r - 2];
        int dv = v.shape[r - 1];
        int n = q.size() / Math.max(1, tq * d);
        if (tq * d == 0) {
            n = 1;
            for (int i = 0; i < r - 2; i++) {
                n *= q.shape[i];
            }
        }
        int[] ws = q.shape.clone();
        ws[r - 1] = tk;
        int[] os = q.shape.clone();
        os[r - 1] = dv;
        double[] w = new double[Nd.size(ws)];
        double[] o = new double[Nd.size(os)];
        double[] row = new double[tk];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < tq; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tk; j++) {
                    double x = 0;
                    for (int c = 0; c < d; c++) {
                        x += q.v[(b * tq + i) * d + c] * k.v[(b * tk + j) * d + c];
                    }
                    x *= scale;
                    if (mask != null) {
                        int[] idx = Nd.unravel((b * tq + i) * tk + j, ws);
                        int[] mi = new int[mask.rank()];
                        for (int a = 0; a < mask.rank(); a++) {
                            int axis = a + r - mask.rank();
                            mi[a] = mask.shape[a] == 1 ? 0 : idx[axis];
                        }
                        double m = mask.at(mi);
                        x = bool ? (m != 0 ? x : Double.NEGATIVE_INFINITY) : x + m;
                    }
                    if (causal && j > i) {
                        x = Double.NEGATIVE_INFINITY;
                    }
                    row[j] = x;
                    max = Math.max(max, x);
                }
                double sum = 0;
                for (int j = 0; j < tk; j++) {
                    row[j] = Math.exp(row[j] - max);
                    sum += row[j];
                }
                for (int j = 0; j < tk; j++) {
                    double p = row[j] / sum;
                    w[(b * tq + i) * tk + j] = p;
                    for (int c = 0; c < dv; c++) {
                        o[(b * tq + i) * dv + c] += p * v.v[(b * tk + j) * dv + c];
                    }
                }
            }
        }
        if (!wantWeights) {
            return new Nd(os, o);
        }
        int[] cs = q.shape.clone();
        cs[r - 1] = tk + dv;
        double[] c = new double[Nd.size(cs)];
        for (int line = 0; line < n * tq; line++) {
            System.arraycopy(w, line * tk, c, line * (tk + dv), tk);
            System.arraycopy(o, line * dv, c, line * (tk + dv) + tk, dv);
        }
        return new Nd(cs, c);
    }

    /**
     * Multi-head self-attention on a packed projection {@code qkv [B, T, 3·H·d]}: the heads split out by index
     * arithmetic, {@link #attention} over {@code [B, H, T, d]}, the output merged back to {@code [B, T, H·d]};
     * with {@code wantWeights} the weights {@code [B, H, T, T]} and then the output, both flattened, end to end.
     */
    static Nd packedSelfAttention(Nd qkv, int heads, Nd mask, boolean bool, boolean causal, double scale,
                                  boolean wantWeights) {
        int b = qkv.shape[0];
        int t = qkv.shape[1];
        int d = qkv.shape[2] / (3 * heads);
        Nd[] parts = new Nd[3];
        for (int which = 0; which < 3; which++) {
            double[] v = new double[b * heads * t * d];
            for (int e = 0; e < b; e++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < t; i++) {
                        for (int c = 0; c < d; c++) {
                            v[((e * heads + h) * t + i) * d + c] =
                                    qkv.v[(e * t + i) * 3 * heads * d + (which * heads + h) * d + c];
                        }
                    }
                }
            }
            parts[which] = new Nd(new int[] {b, heads, t, d}, v);
        }
        Nd w = attention(parts[0], parts[1], parts[2], mask, bool, causal, scale, true);
        double[] out = new double[b * t * heads * d];
        double[] weights = new double[b * heads * t * t];
        for (int e = 0; e < b; e++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < t; i++) {
                    int line = (e * heads + h) * t + i;
                    System.arraycopy(w.v, line * (t + d), weights, line * t, t);
                    for (int c = 0; c < d; c++) {
                        out[(e * t + i) * heads * d + h * d + c] = w.v[line * (t + d) + t + c];
                    }
                }
            }
        }
        if (!wantWeights) {
            return new Nd(new int[] {b, t, heads * d}, out);
        }
        double[] both = new double[weights.length + out.length];
        System.arraycopy(weights, 0, both, 0, weights.length);
        System.arraycopy(out, 0, both, weights.length, out.length);
        return new Nd(new int[] {both.length}, both);
    }

    /** Direct 1-D convolution with separate left and right padding. */
    static Nd conv1d(Nd x, Nd w, Nd bias, int stride, int padLeft, int padRight, int dilation) {
        int n = x.shape[0];
        int c = x.shape[1];
        int l = x.shape[2];
        int o = w.shape[0];
        int k = w.shape[2];
        int lo = (l + padLeft + padRight - dilation * (k - 1) - 1) / stride + 1;
        double[] v = new double[n * o * lo];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int t = 0; t < lo; t++) {
                    double s = bias == null ? 0 : bias.v[oc];
                    for (int ic = 0; ic < c; ic++) {
                        for (int kk = 0; kk < k; kk++) {
                            int pos = t * stride + kk * dilation - padLeft;
                            if (pos >= 0 && pos < l) {
                                s += w.at(oc, ic, kk) * x.at(b, ic, pos);
                            }
                        }
                    }
                    v[(b * o + oc) * lo + t] = s;
                }
            }
        }
        return new Nd(new int[] {n, o, lo}, v);
    }

    /** Direct 2-D convolution: the 6-nested loop (per output element). */
    static Nd conv2d(Nd x, Nd w, Nd bias, int[] stride, int[] pad, int[] dil) {
        int n = x.shape[0];
        int c = x.shape[1];
        int h = x.shape[2];
        int wd = x.shape[3];
        int o = w.shape[0];
        int kh = w.shape[2];
        int kw = w.shape[3];
        int ho = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
        int wo = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
        double[] v = new double[n * o * ho * wo];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        double s = bias == null ? 0 : bias.v[oc];
                        for (int ic = 0; ic < c; ic++) {
                            for (int u = 0; u < kh; u++) {
                                for (int q = 0; q < kw; q++) {
                                    int y = i * stride[0] + u * dil[0] - pad[0];
                                    int z = j * stride[1] + q * dil[1] - pad[1];
                                    if (y >= 0 && y < h && z >= 0 && z < wd) {
                                        s += w.at(oc, ic, u, q) * x.at(b, ic, y, z);
                                    }
                                }
                            }
                        }
                        v[((b * o + oc) * ho + i) * wo + j] = s;
                    }
                }
            }
        }
        return new Nd(new int[] {n, o, ho, wo}, v);
    }

    /** Direct transposed 2-D convolution: every input element scatters its weighted kernel. */
    static Nd convTranspose2d(Nd x, Nd w, Nd bias, int[] stride, int[] pad, int[] outPad) {
        int n = x.shape[0];
        int cin = x.shape[1];
        int h = x.shape[2];
        int wd = x.shape[3];
        int cout = w.shape[1];
        int kh = w.shape[2];
        int kw = w.shape[3];
        int ho = (h - 1) * stride[0] - 2 * pad[0] + kh + outPad[0];
        int wo = (wd - 1) * stride[1] - 2 * pad[1] + kw + outPad[1];
        double[] v = new double[n * cout * ho * wo];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < cout; oc++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        v[((b * cout + oc) * ho + i) * wo + j] = bias == null ? 0 : bias.v[oc];
                    }
                }
            }
            for (int ic = 0; ic < cin; ic++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double xv = x.at(b, ic, i, j);
                        for (int oc = 0; oc < cout; oc++) {
                            for (int u = 0; u < kh; u++) {
                                for (int q = 0; q < kw; q++) {
                                    int y = i * stride[0] + u - pad[0];
                                    int z = j * stride[1] + q - pad[1];
                                    if (y >= 0 && y < ho && z >= 0 && z < wo) {
                                        v[((b * cout + oc) * ho + y) * wo + z] += xv * w.at(ic, oc, u, q);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Nd(new int[] {n, cout, ho, wo}, v);
    }
}
