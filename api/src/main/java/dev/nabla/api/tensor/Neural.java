package dev.nabla.api.tensor;

import dev.nabla.api.backend.BatchNormKernel;
import dev.nabla.api.backend.Conv2dKernel;
import dev.nabla.api.backend.LayerNormKernel;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Neural-network operations: softmax and log-softmax (fused when the backend offers
 * {@link LogSoftmaxKernel}; both forms are described for the conformance kit in {@link FusedOps}), layer
 * normalisation (fused when it offers {@link LayerNormKernel}), and convolutions as im2col: a strided window view of the padded input
 * followed by one batched matrix product,
 * <pre>
 *   y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x_pad[n, c, i·s_h + u·d_h, j·s_w + v·d_w]
 * </pre>
 * whose gradient with respect to the input is the overlapping-window scatter (col2im) — which is
 * also the forward pass of the transposed convolution. {@code conv2d} and {@code convTranspose2d} run on the
 * backend's {@link Conv2dKernel} when it offers one ({@link FusedConv2d}) and are composed otherwise.
 */
final class Neural {
    private Neural() {
    }

    static Tensor logSoftmax(Tensor x, int axisIn) {
        String op = "logSoftmax";
        x.checkLive(op);
        Ops.requireFloat(op, x);
        int axis = x.shape().normalizeAxis(op, axisIn);
        Optional<LogSoftmaxKernel> fused = x.backend().fused(LogSoftmaxKernel.class);
        return fused.isPresent() ? logSoftmaxFused(x, axis, fused.get()) : logSoftmaxComposed(x, axis);
    }

    /** Log-softmax along a normalized axis through the backend's fused kernel (and its backward kernel). */
    static Tensor logSoftmaxFused(Tensor x, int axis, LogSoftmaxKernel kernel) {
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        kernel.logSoftmax(x.storage("logSoftmax"), x.shape(), axis, y.storage());
        return Ops.record(y, "logSoftmax", g -> {
            if (!GradMode.isEnabled()) {
                Tensor gi = Ops.alloc(x.backend(), x.dtype(), x.shape());
                kernel.logSoftmaxBackward(g.storage(), y.storage(), x.shape(), axis, gi.storage());
                return new Tensor[] {gi};
            }
            // a recorded backward pass (createGraph) is composed, so it can be differentiated again
            return new Tensor[] {g.sub(y.exp().mul(g.sum(axis, true)))};
        }, x);
    }

    /**
     * Log-softmax along a normalized axis composed from primitives, {@code x - logsumexp(x)}, with its
     * closed-form gradient {@code g - exp(y)·Σg}: what runs when the backend has no fused kernel.
     */
    static Tensor logSoftmaxComposed(Tensor x, int axis) {
        x.checkLive("logSoftmax");
        Tensor y;
        if (x.numel() == 0) {
            // an empty axis has an empty result (as the fused kernels give), not logsumexp's error
            y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        } else {
            try (GradMode ignored = Autograd.noGrad()) {
                y = x.sub(x.logsumexp(axis, true));
            }
        }
        return Ops.record(y, "logSoftmax", g -> new Tensor[] {g.sub(y.exp().mul(g.sum(axis, true)))}, x);
    }

    static Tensor softmax(Tensor x, int axisIn) {
        String op = "softmax";
        x.checkLive(op);
        Ops.requireFloat(op, x);
        int axis = x.shape().normalizeAxis(op, axisIn);
        Tensor y;
        try (GradMode ignored = Autograd.noGrad()) {
            y = logSoftmax(x, axis).exp();
        }
        return Ops.record(y, op, g -> new Tensor[] {y.mul(g.sub(g.mul(y).sum(axis, true)))}, x);
    }

    // ------------------------------------------------------------------ layer normalisation

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        String op = "layerNorm";
        x.checkLive(op);
        Ops.requireFloat(op, x);
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new ShapeException(op + ": the normalized shape must name at least one trailing axis, got "
                    + (normalizedShape == null ? "null" : Arrays.toString(normalizedShape)));
        }
        checkPositive(op, "normalized shape", normalizedShape);
        int k = normalizedShape.length;
        int r = x.rank();
        boolean fits = r >= k;
        for (int i = 0; fits && i < k; i++) {
            fits = x.dim(r - k + i) == normalizedShape[i];
        }
        if (!fits) {
            throw new ShapeException(op + ": input " + x.shape() + " must end in the normalized shape "
                    + Arrays.toString(normalizedShape));
        }
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null) {
                p.checkLive(op);
                Ops.sameBackend(op, x, p);
                Ops.sameDType(op, x, p);
                if (!p.shape().equals(Shape.of(normalizedShape))) {
                    throw new ShapeException(op + ": " + (p == weight ? "weight" : "bias") + " has shape " + p.shape()
                            + " but must be the normalized shape " + Arrays.toString(normalizedShape));
                }
            }
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(op + ": eps must be finite and >= 0, got " + eps);
        }
        Optional<LayerNormKernel> fused = x.backend().fused(LayerNormKernel.class);
        return fused.isPresent() ? layerNormFused(x, k, weight, bias, eps, fused.get())
                : layerNormComposed(x, k, weight, bias, eps);
    }

    private static int[] trailingAxes(int rank, int k) {
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = rank - k + i;
        }
        return axes;
    }

    /**
     * Layer normalisation over the last {@code k} axes through the backend's fused kernel; its backward is the
     * kernel's, or, when the backward pass is itself recorded (createGraph), the composed closed form.
     */
    static Tensor layerNormFused(Tensor x, int k, Tensor weight, Tensor bias, double eps, LayerNormKernel kernel) {
        String op = "layerNorm";
        int[] dims = x.shape().dims();
        int cols = 1;
        for (int i = dims.length - k; i < dims.length; i++) {
            cols *= dims[i];
        }
        long rows = x.numel() / cols;
        Shape statShape = Shape.of(Math.toIntExact(rows));
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        Tensor mean = Ops.alloc(x.backend(), x.dtype(), statShape);
        Tensor rstd = Ops.alloc(x.backend(), x.dtype(), statShape);
        kernel.layerNorm(x.storage(op), rows, cols, weight == null ? null : weight.storage(op),
                bias == null ? null : bias.storage(op), eps, y.storage(), mean.storage(), rstd.storage());
        int c = cols;
        return Ops.record(y, op, g -> {
            if (GradMode.isEnabled()) {
                return layerNormGradComposed(g, x, k, weight, bias, eps);
            }
            String bop = "layerNorm backward";
            Tensor gx = Ops.alloc(x.backend(), x.dtype(), x.shape());
            Tensor gw = weight != null && weight.requiresGrad() ? Ops.alloc(x.backend(), x.dtype(), weight.shape()) : null;
            Tensor gb = bias != null && bias.requiresGrad() ? Ops.alloc(x.backend(), x.dtype(), bias.shape()) : null;
            kernel.layerNormBackward(g.storage(bop), x.storage(bop), mean.storage(bop), rstd.storage(bop),
                    weight == null ? null : weight.storage(bop), rows, c, gx.storage(),
                    gw == null ? null : gw.storage(), gb == null ? null : gb.storage());
            return new Tensor[] {gx, gw, gb};
        }, x, weight, bias);
    }

    /**
     * Layer normalisation over the last {@code k} axes composed from primitives — mean, sub, square, add,
     * sqrt, div, and the affine mul and add — differentiated through them: what runs without the fused kernel.
     */
    static Tensor layerNormComposed(Tensor x, int k, Tensor weight, Tensor bias, double eps) {
        int[] axes = trailingAxes(x.rank(), k);
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor y = centered.div(centered.square().mean(axes, true).add(eps).sqrt());
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }

    /**
     * The gradients of layer normalisation with respect to {@code x}, {@code weight} and {@code bias} in closed
     * form, written with differentiable tensor ops (so a recorded backward pass can be differentiated again):
     * with {@code x̂ = (x − μ)/s}, {@code s = sqrt(σ² + ε)} and {@code ĝ = g·γ},
     * {@code ∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / s}, {@code ∂γ = g·x̂} and {@code ∂β = g} (summed down to γ's
     * and β's shape by the engine).
     */
    static Tensor[] layerNormGradComposed(Tensor g, Tensor x, int k, Tensor weight, Tensor bias, double eps) {
        int[] axes = trailingAxes(x.rank(), k);
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor s = centered.square().mean(axes, true).add(eps).sqrt();
        Tensor xh = centered.div(s);
        Tensor gh = weight == null ? g : g.mul(weight);
        Tensor gx = gh.sub(gh.mean(axes, true)).sub(xh.mul(gh.mul(xh).mean(axes, true))).div(s);
        return new Tensor[] {gx, weight == null ? null : g.mul(xh), bias == null ? null : g};
    }

    // ------------------------------------------------------------------ batch normalisation

    static BatchNormOutput batchNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        String op = "batchNorm";
        x.checkLive(op);
        Ops.requireFloat(op, x);
        if (x.rank() < 2 || x.dim(1) < 1) {
            throw new ShapeException(op + ": input " + x.shape() + " must be [N, C, ...] with C >= 1");
        }
        int c = x.dim(1);
        if (x.numel() / c < 1) {
            throw new ShapeException(op + ": input " + x.shape() + " has no values per channel to take statistics of");
        }
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null) {
                p.checkLive(op);
                Ops.sameBackend(op, x, p);
                Ops.sameDType(op, x, p);
                if (!p.shape().equals(Shape.of(c))) {
                    throw new ShapeException(op + ": " + (p == weight ? "weight" : "bias") + " has shape " + p.shape()
                            + " but must be [" + c + "], the input's channels");
                }
            }
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(op + ": eps must be finite and >= 0, got " + eps);
        }
        Optional<BatchNormKernel> fused = x.backend().fused(BatchNormKernel.class);
        return fused.isPresent() ? batchNormFused(x, weight, bias, eps, fused.get())
                : batchNormComposed(x, weight, bias, eps);
    }

    /** Every axis but the channels' (axis 1). */
    private static int[] batchAxes(int rank) {
        int[] axes = new int[rank - 1];
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }

    /** {@code [1, C, 1, ...]}, the per-channel statistics broadcast against {@code [N, C, ...]}. */
    private static int[] channelShape(Tensor x) {
        int[] s = new int[x.rank()];
        Arrays.fill(s, 1);
        s[1] = x.dim(1);
        return s;
    }

    /**
     * Batch normalisation in training mode on the backend's fused kernel; its backward is the kernel's, or, when
     * the backward pass is itself recorded (createGraph), the composed closed form.
     */
    static BatchNormOutput batchNormFused(Tensor x, Tensor weight, Tensor bias, double eps, BatchNormKernel kernel) {
        String op = "batchNorm";
        int n = x.dim(0);
        int c = x.dim(1);
        long pixels = 1;
        for (int i = 2; i < x.rank(); i++) {
            pixels *= x.dim(i);
        }
        long p = pixels;
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        Tensor mean = Ops.alloc(x.backend(), x.dtype(), Shape.of(c));
        Tensor var = Ops.alloc(x.backend(), x.dtype(), Shape.of(c));
        kernel.batchNorm(x.storage(op), n, c, p, weight == null ? null : weight.storage(op),
                bias == null ? null : bias.storage(op), eps, y.storage(), mean.storage(), var.storage());
        Tensor out = Ops.record(y, op, g -> {
            if (GradMode.isEnabled()) {
                return batchNormGradComposed(g, x, weight, bias, eps);
            }
            String bop = "batchNorm backward";
            Tensor gx = Ops.alloc(x.backend(), x.dtype(), x.shape());
            Tensor gw = weight != null && weight.requiresGrad() ? Ops.alloc(x.backend(), x.dtype(), weight.shape()) : null;
            Tensor gb = bias != null && bias.requiresGrad() ? Ops.alloc(x.backend(), x.dtype(), bias.shape()) : null;
            kernel.batchNormBackward(g.storage(bop), x.storage(bop), mean.storage(bop), var.storage(bop),
                    weight == null ? null : weight.storage(bop), eps, n, c, p, gx.storage(),
                    gw == null ? null : gw.storage(), gb == null ? null : gb.storage());
            return new Tensor[] {gx, gw, gb};
        }, x, weight, bias);
        return new BatchNormOutput(out, mean, var);
    }

    /**
     * Batch normalisation in training mode composed from primitives — mean, sub, square, add, sqrt, div, and the
     * affine mul and add — differentiated through them: what runs without the fused kernel.
     */
    static BatchNormOutput batchNormComposed(Tensor x, Tensor weight, Tensor bias, double eps) {
        int[] axes = batchAxes(x.rank());
        int[] cs = channelShape(x);
        Tensor mu = x.mean(axes, true);
        // x − μ once, for the variance and the output
        Tensor centered = x.sub(mu);
        Tensor var = centered.square().mean(axes, true);
        Tensor y = centered.div(var.add(eps).sqrt());
        if (weight != null) {
            y = y.mul(weight.reshape(cs));
        }
        if (bias != null) {
            y = y.add(bias.reshape(cs));
        }
        return new BatchNormOutput(y, mu.reshape(x.dim(1)), var.reshape(x.dim(1)));
    }

    /**
     * The gradients of batch normalisation with respect to {@code x}, {@code weight} and {@code bias} in closed
     * form, written with differentiable tensor ops (so a recorded backward pass can be differentiated again):
     * with {@code x̂ = (x − μ)/s}, {@code s = sqrt(σ² + ε)} and {@code ĝ = g·γ}, all statistics per channel,
     * {@code ∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / s}, {@code ∂γ = Σ g·x̂} and {@code ∂β = Σ g}.
     */
    static Tensor[] batchNormGradComposed(Tensor g, Tensor x, Tensor weight, Tensor bias, double eps) {
        int[] axes = batchAxes(x.rank());
        int[] cs = channelShape(x);
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor s = centered.square().mean(axes, true).add(eps).sqrt();
        Tensor xh = centered.div(s);
        Tensor gh = weight == null ? g : g.mul(weight.reshape(cs));
        Tensor gx = gh.sub(gh.mean(axes, true)).sub(xh.mul(gh.mul(xh).mean(axes, true))).div(s);
        return new Tensor[] {gx, weight == null ? null : g.mul(xh).sum(axes, false),
            bias == null ? null : g.sum(axes, false)};
    }

    // ------------------------------------------------------------------ convolution

    private static void checkPositive(String op, String what, int[] v) {
        for (int i : v) {
            if (i <= 0) {
                throw new ShapeException(op + ": " + what + " must be positive, got " + Arrays.toString(v));
            }
        }
    }

    private static void checkNonNegative(String op, String what, int[] v) {
        for (int i : v) {
            if (i < 0) {
                throw new ShapeException(op + ": " + what + " must be >= 0, got " + Arrays.toString(v));
            }
        }
    }

    private static void checkConvOperands(String op, Tensor x, Tensor w, Tensor bias, int rank, int inAxisOfW,
                                          int outAxisOfW) {
        x.checkLive(op);
        w.checkLive(op);
        Ops.sameBackend(op, x, w);
        Ops.sameDType(op, x, w);
        Ops.requireFloat(op, x);
        Ops.requireRank(op, "input", x, rank);
        Ops.requireRank(op, "weight", w, rank);
        if (x.dim(1) != w.dim(inAxisOfW)) {
            throw new ShapeException(op + ": input " + x.shape() + " has " + x.dim(1) + " channels but weight "
                    + w.shape() + " expects " + w.dim(inAxisOfW));
        }
        if (bias != null) {
            bias.checkLive(op);
            Ops.sameBackend(op, x, bias);
            Ops.sameDType(op, x, bias);
            if (bias.rank() != 1 || bias.dim(0) != w.dim(outAxisOfW)) {
                throw new ShapeException(op + ": bias has shape " + bias.shape() + " but must be ["
                        + w.dim(outAxisOfW) + "] for weight " + w.shape());
            }
        }
    }

    private static int outSize(String op, int in, int padTotal, int kernel, int stride, int dilation, Shape xs, Shape ws) {
        int span = dilation * (kernel - 1) + 1;
        int padded = in + padTotal;
        if (padded < span) {
            throw new ShapeException(op + ": kernel span " + span + " (weight " + ws + ", dilation " + dilation
                    + ") is larger than the padded input length " + padded + " (input " + xs + ")");
        }
        return (padded - span) / stride + 1;
    }

    /** The causal convolution: left padding {@code (K-1)·dilation}, errors named {@code conv1dCausal}. */
    static Tensor conv1dCausal(Tensor x, Tensor w, Tensor bias, int dilation) {
        String op = "conv1dCausal";
        checkConvOperands(op, x, w, bias, 3, 1, 0);
        checkPositive(op, "dilation", new int[] {dilation});
        return conv1d(op, x, w, bias, 1, (w.dim(-1) - 1) * dilation, 0, dilation);
    }

    static Tensor conv1d(String op, Tensor x, Tensor w, Tensor bias, int stride, int padLeft, int padRight,
                         int dilation) {
        checkConvOperands(op, x, w, bias, 3, 1, 0);
        checkPositive(op, "stride and dilation", new int[] {stride, dilation});
        checkNonNegative(op, "padding", new int[] {padLeft, padRight});
        int n = x.dim(0);
        int c = x.dim(1);
        int o = w.dim(0);
        int k = w.dim(2);
        int lo = outSize(op, x.dim(2), padLeft + padRight, k, stride, dilation, x.shape(), w.shape());
        Tensor xp = padLeft + padRight == 0 ? x : x.pad(new int[] {0, 0, padLeft}, new int[] {0, 0, padRight}, 0.0);
        int lp = xp.dim(2);
        long[] strides = {(long) c * lp, lp, dilation, stride};
        Tensor cols = ShapeOps.asStrided("im2col", xp, Shape.of(n, c, k, lo), strides, 0).reshape(n, c * k, lo);
        Tensor y = w.reshape(o, c * k).matmul(cols);
        return bias == null ? y : y.add(bias.reshape(1, o, 1));
    }

    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        String op = "conv2d";
        checkConvOperands(op, x, w, bias, 4, 1, 0);
        check2(op, "stride", stride);
        check2(op, "padding", padding);
        check2(op, "dilation", dilation);
        checkPositive(op, "stride", stride);
        checkPositive(op, "dilation", dilation);
        checkNonNegative(op, "padding", padding);
        outSize(op, x.dim(2), 2 * padding[0], w.dim(2), stride[0], dilation[0], x.shape(), w.shape());
        outSize(op, x.dim(3), 2 * padding[1], w.dim(3), stride[1], dilation[1], x.shape(), w.shape());
        Optional<Conv2dKernel> fused = x.backend().fused(Conv2dKernel.class);
        return fused.isPresent() ? conv2dFused(x, w, bias, stride, padding, dilation, fused.get())
                : conv2dComposed(x, w, bias, stride, padding, dilation);
    }

    /** The geometry of {@code conv2d(x [N, C, H, W], w [O, C, KH, KW])}, for operands already checked. */
    private static Conv2dKernel.Geometry conv2dGeometry(Tensor x, Tensor w, int[] stride, int[] padding,
                                                       int[] dilation) {
        int ho = outSize("conv2d", x.dim(2), 2 * padding[0], w.dim(2), stride[0], dilation[0], x.shape(), w.shape());
        int wo = outSize("conv2d", x.dim(3), 2 * padding[1], w.dim(3), stride[1], dilation[1], x.shape(), w.shape());
        return new Conv2dKernel.Geometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], ho, wo);
    }

    /** {@code conv2d} of checked operands on the backend's {@link Conv2dKernel} (see {@link FusedConv2d}). */
    static Tensor conv2dFused(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation,
                              Conv2dKernel kernel) {
        return FusedConv2d.conv(x, w, bias, conv2dGeometry(x, w, stride, padding, dilation), kernel);
    }

    /**
     * {@code conv2d} of checked operands composed from primitives: pad, the strided im2col view copied out, one
     * batched product and the bias added — what runs without the fused kernel.
     */
    static Tensor conv2dComposed(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        int n = x.dim(0);
        int c = x.dim(1);
        int o = w.dim(0);
        int kh = w.dim(2);
        int kw = w.dim(3);
        int ho = outSize("conv2d", x.dim(2), 2 * padding[0], kh, stride[0], dilation[0], x.shape(), w.shape());
        int wo = outSize("conv2d", x.dim(3), 2 * padding[1], kw, stride[1], dilation[1], x.shape(), w.shape());
        Tensor xp = padding[0] + padding[1] == 0 ? x
                : x.pad(new int[] {0, 0, padding[0], padding[1]}, new int[] {0, 0, padding[0], padding[1]}, 0.0);
        int hp = xp.dim(2);
        int wp = xp.dim(3);
        long[] strides = {(long) c * hp * wp, (long) hp * wp, (long) wp * dilation[0], dilation[1],
            (long) wp * stride[0], stride[1]};
        Tensor cols = ShapeOps.asStrided("im2col", xp, Shape.of(n, c, kh, kw, ho, wo), strides, 0)
                .reshape(n, c * kh * kw, ho * wo);
        Tensor y = w.reshape(o, c * kh * kw).matmul(cols).reshape(n, o, ho, wo);
        return bias == null ? y : y.add(bias.reshape(1, o, 1, 1));
    }

    static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] outputPadding) {
        String op = "convTranspose2d";
        checkConvOperands(op, x, w, bias, 4, 0, 1);
        check2(op, "stride", stride);
        check2(op, "padding", padding);
        check2(op, "outputPadding", outputPadding);
        checkPositive(op, "stride", stride);
        checkNonNegative(op, "padding", padding);
        checkNonNegative(op, "outputPadding", outputPadding);
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= stride[i]) {
                throw new ShapeException(op + ": outputPadding " + Arrays.toString(outputPadding)
                        + " must be smaller than stride " + Arrays.toString(stride));
            }
        }
        int ho = transposedOutSize(x.dim(2), w.dim(2), stride[0], padding[0], outputPadding[0]);
        int wo = transposedOutSize(x.dim(3), w.dim(3), stride[1], padding[1], outputPadding[1]);
        if (ho <= 0 || wo <= 0) {
            throw new ShapeException(op + ": padding " + Arrays.toString(padding) + " leaves an empty output for input "
                    + x.shape() + " and weight " + w.shape());
        }
        Optional<Conv2dKernel> fused = x.backend().fused(Conv2dKernel.class);
        return fused.isPresent() ? convTranspose2dFused(x, w, bias, stride, padding, outputPadding, fused.get())
                : convTranspose2dComposed(x, w, bias, stride, padding, outputPadding);
    }

    /**
     * {@code convTranspose2d} of checked operands on the backend's {@link Conv2dKernel}: the input gradient of the
     * convolution from its output {@code [N, Cout, HO, WO]} to {@code x [N, Cin, H, W]} with the same weight
     * ({@code [Cin, Cout, KH, KW]} is the convolution's {@code [O, C, KH, KW]}), stride and padding.
     */
    static Tensor convTranspose2dFused(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding,
                                       int[] outputPadding, Conv2dKernel kernel) {
        int ho = transposedOutSize(x.dim(2), w.dim(2), stride[0], padding[0], outputPadding[0]);
        int wo = transposedOutSize(x.dim(3), w.dim(3), stride[1], padding[1], outputPadding[1]);
        Conv2dKernel.Geometry g = new Conv2dKernel.Geometry(x.dim(0), w.dim(1), ho, wo, x.dim(1), w.dim(2), w.dim(3),
                stride[0], stride[1], padding[0], padding[1], 1, 1, x.dim(2), x.dim(3));
        return FusedConv2d.inputGrad(x, w, bias, g, kernel);
    }

    /** The transposed convolution's output length: {@code (in − 1)·stride + kernel + outputPadding − 2·padding}. */
    private static int transposedOutSize(int in, int kernel, int stride, int padding, int outputPadding) {
        return (in - 1) * stride + kernel + outputPadding - 2 * padding;
    }

    /**
     * {@code convTranspose2d} of checked operands composed from primitives: one product into columns, the
     * strided col2im scatter-add, the padding sliced off and the bias added — what runs without the fused kernel.
     */
    static Tensor convTranspose2dComposed(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding,
                                          int[] outputPadding) {
        int n = x.dim(0);
        int cin = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int cout = w.dim(1);
        int kh = w.dim(2);
        int kw = w.dim(3);
        int hf = (h - 1) * stride[0] + kh + outputPadding[0];
        int wf = (wd - 1) * stride[1] + kw + outputPadding[1];
        int ho = hf - 2 * padding[0];
        int wo = wf - 2 * padding[1];
        // columns [N, Cout·KH·KW, H·W] = w2ᵀ · x, with w2 = w viewed as [Cin, Cout·KH·KW]
        Tensor w2 = w.reshape(cin, cout * kh * kw);
        Tensor x3 = x.reshape(n, cin, h * wd);
        Tensor cols = LinearAlgebra.mm(w2, true, x3, false, w2.shape(), x3.shape()).reshape(n, cout, kh, kw, h, wd);
        long[] strides = {(long) cout * hf * wf, (long) hf * wf, wf, 1, (long) wf * stride[0], stride[1]};
        Tensor full = ShapeOps.asStridedAdjoint("col2im", cols, Shape.of(n, cout, hf, wf), strides, 0);
        Tensor y = full.slice(2, padding[0], padding[0] + ho).slice(3, padding[1], padding[1] + wo);
        return bias == null ? y : y.add(bias.reshape(1, cout, 1, 1));
    }

    private static void check2(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new ShapeException(op + ": " + what + " must be {height, width}, got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
    }
}
