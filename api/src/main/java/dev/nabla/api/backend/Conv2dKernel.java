package dev.nabla.api.backend;

/**
 * The 2-d convolution of NCHW tensors and its two adjoints, as one kind: a backend that offers it runs
 * {@code conv2d} and {@code convTranspose2d} (and their gradients) on these three kernels instead of the
 * composition the tensor layer falls back to (pad, a strided im2col view copied out, a batched product, and
 * for the adjoint a strided scatter-add). With {@code x [N, C, H, W]}, {@code w [O, C, KH, KW]} and
 * {@code y [N, O, HO, WO]},
 * <pre>
 *   conv2d:            y[n, o, i, j]   = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i·sh − ph + u·dh, j·sw − pw + v·dw]
 *   conv2dInputGrad:   gx[n, c, p, q]  = b[c] + Σ_{o, u, v, i, j : p = i·sh − ph + u·dh, q = j·sw − pw + v·dw} w[o, c, u, v] · gy[n, o, i, j]
 *   conv2dWeightGrad:  gw[o, c, u, v]  = Σ_{n, i, j} gy[n, o, i, j] · x[n, c, i·sh − ph + u·dh, j·sw − pw + v·dw]
 * </pre>
 * where reads outside the input are zeros (the padding) and the bias is optional ({@code null}). The input
 * gradient is also the transposed convolution's forward pass (its bias then indexed by the input channel
 * {@code c}); the three are closed under differentiation (the gradients of each are the other two), so the
 * tensor layer differentiates them, to any order, with no other kernel.
 *
 * <p>Storages are dense, row-major, of one floating dtype; outputs are distinct from inputs and are
 * overwritten entirely.
 */
public interface Conv2dKernel extends FusedKernel {
    /**
     * The sizes of one convolution, all of them explicit so that the three kernels agree on them.
     *
     * @param batch          {@code N}, {@code >= 0}
     * @param inChannels     {@code C}, {@code >= 0}
     * @param height         {@code H}, {@code >= 1}
     * @param width          {@code W}, {@code >= 1}
     * @param outChannels    {@code O}, {@code >= 0}
     * @param kernelHeight   {@code KH}, {@code >= 1}
     * @param kernelWidth    {@code KW}, {@code >= 1}
     * @param strideH        {@code sh}, {@code >= 1}
     * @param strideW        {@code sw}, {@code >= 1}
     * @param padH           {@code ph}: zero rows above (and below) the input, {@code >= 0}
     * @param padW           {@code pw}: zero columns left (and right) of the input, {@code >= 0}
     * @param dilationH      {@code dh}, {@code >= 1}
     * @param dilationW      {@code dw}, {@code >= 1}
     * @param outHeight      {@code HO >= 1}, every window inside the padded input: {@code (HO−1)·sh + (KH−1)·dh < H + 2·ph}
     * @param outWidth       {@code WO >= 1}, likewise for columns
     */
    record Geometry(int batch, int inChannels, int height, int width, int outChannels, int kernelHeight,
                    int kernelWidth, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
                    int outHeight, int outWidth) {
        /** Validates the sizes. */
        public Geometry {
            if (batch < 0 || inChannels < 0 || outChannels < 0 || height < 1 || width < 1 || kernelHeight < 1
                    || kernelWidth < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0 || dilationH < 1
                    || dilationW < 1 || outHeight < 1 || outWidth < 1
                    || (long) (outHeight - 1) * strideH + (long) (kernelHeight - 1) * dilationH > height + 2L * padH - 1
                    || (long) (outWidth - 1) * strideW + (long) (kernelWidth - 1) * dilationW > width + 2L * padW - 1) {
                throw new IllegalArgumentException("Conv2dKernel.Geometry: inconsistent sizes: N " + batch + ", C "
                        + inChannels + ", H " + height + ", W " + width + ", O " + outChannels + ", kernel "
                        + kernelHeight + "x" + kernelWidth + ", stride " + strideH + "x" + strideW + ", padding "
                        + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW + ", output " + outHeight
                        + "x" + outWidth);
            }
        }

        /** Elements of the input {@code x [N, C, H, W]} (or of its gradient). */
        public long inputSize() {
            return (long) batch * inChannels * height * width;
        }

        /** Elements of the weight {@code w [O, C, KH, KW]} (or of its gradient). */
        public long weightSize() {
            return (long) outChannels * inChannels * kernelHeight * kernelWidth;
        }

        /** Elements of the output {@code y [N, O, HO, WO]} (or of its gradient). */
        public long outputSize() {
            return (long) batch * outChannels * outHeight * outWidth;
        }
    }

    /**
     * Writes the convolution {@code y = conv2d(x, w) + b}.
     *
     * @param x the input, {@code [N, C, H, W]}
     * @param w the weight, {@code [O, C, KH, KW]}
     * @param b the bias, {@code [O]}, or {@code null} for none
     * @param g the sizes
     * @param y written: {@code [N, O, HO, WO]}
     */
    void conv2d(Storage x, Storage w, Storage b, Geometry g, Storage y);

    /**
     * Writes the convolution's input gradient (the transposed convolution), {@code gx = conv2dᵀ(gy, w) + b}.
     *
     * @param gy the output gradient, {@code [N, O, HO, WO]}
     * @param w  the weight, {@code [O, C, KH, KW]}
     * @param b  a bias by input channel, {@code [C]}, or {@code null} for none
     * @param g  the sizes
     * @param gx written: {@code [N, C, H, W]}
     */
    void conv2dInputGrad(Storage gy, Storage w, Storage b, Geometry g, Storage gx);

    /**
     * Writes the convolution's weight gradient, {@code gw = Σ_n gy[n] ⋆ x[n]}.
     *
     * @param gy the output gradient, {@code [N, O, HO, WO]}
     * @param x  the input, {@code [N, C, H, W]}
     * @param g  the sizes
     * @param gw written: {@code [O, C, KH, KW]}
     */
    void conv2dWeightGrad(Storage gy, Storage x, Geometry g, Storage gw);
}
