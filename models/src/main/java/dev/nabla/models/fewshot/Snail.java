package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Linear;

import java.util.List;

/**
 * SNAIL, the simple neural attentive meta-learner (Mishra et al., 2018), for N-way K-shot image
 * classification. An episode of {@code T = N·K + 1} images {@code x_1 … x_T} with labels
 * {@code y_1 … y_{T−1}} (the query's {@code y_T} hidden) is read as the sequence
 * <pre>
 *   z_t = [ e(x_t) ; onehot(y_t) ]     (onehot(y_T) = 0)                 e: {@link ConvEmbedding}, 4c values
 *   h = Att(8a, 4a) ∘ TC(T, D) ∘ Att(4a, 2a) ∘ TC(T, D) ∘ Att(a, a/2) (z)   each block concatenates its output
 *   logits = W h_T + b                                                  (N classes, the query position)
 * </pre>
 * with {@link AttentionBlock}s {@code Att(key size, value size)} and {@link TcBlock}s
 * {@code TC(T, D filters)}: the paper's Omniglot architecture (Att(64, 32), TC(T, 128), Att(256, 128),
 * TC(T, 128), Att(512, 256)) with its sizes set by {@code a} ({@code attention}) and {@code D}
 * ({@code filters}); its final 1×1 convolution is the linear map at the query position. Trained on
 * the cross-entropy of the query's label; every block is causal, so {@code h_t} sees {@code z_1 … z_t}
 * only. Children {@code embedding}, {@code att1}, {@code tc1}, {@code att2}, {@code tc2}, {@code att3},
 * {@code out}.
 */
public final class Snail extends Block {
    private final int ways;
    private final int shots;
    private final ConvEmbedding embedding;
    private final AttentionBlock att1;
    private final TcBlock tc1;
    private final AttentionBlock att2;
    private final TcBlock tc2;
    private final AttentionBlock att3;
    private final Linear out;

    /**
     * A SNAIL for {@code ways}-way episodes of up to {@code shots} shots.
     *
     * @param channels  the embedding's filters {@code c}
     * @param attention the first attention block's key size {@code a} (even)
     * @param filters   each dense block's filters {@code D}
     * @throws IllegalArgumentException if a size is out of range
     */
    public Snail(TensorFactory f, Generator random, int ways, int shots, int channels, int attention, int filters) {
        if (ways < 2 || shots < 1 || channels < 1 || attention < 2 || attention % 2 != 0 || filters < 1) {
            throw new IllegalArgumentException("Snail: need ways >= 2, shots >= 1, channels >= 1, an even attention >= 2"
                    + " and filters >= 1, got ways=" + ways + ", shots=" + shots + ", channels=" + channels
                    + ", attention=" + attention + ", filters=" + filters);
        }
        this.ways = ways;
        this.shots = shots;
        int length = ways * shots + 1;
        embedding = child("embedding", new ConvEmbedding(f, random, channels));
        att1 = child("att1", new AttentionBlock(f, random, embedding.dim() + ways, attention, attention / 2));
        tc1 = child("tc1", new TcBlock(f, random, length, att1.outChannels(), filters));
        att2 = child("att2", new AttentionBlock(f, random, tc1.outChannels(), 4 * attention, 2 * attention));
        tc2 = child("tc2", new TcBlock(f, random, length, att2.outChannels(), filters));
        att3 = child("att3", new AttentionBlock(f, random, tc2.outChannels(), 8 * attention, 4 * attention));
        out = child("out", new Linear(f, random, att3.outChannels(), ways));
    }

    /** N. */
    public int ways() {
        return ways;
    }

    /** The largest K it was built for (the dilations cover {@code N·K + 1} steps). */
    public int shots() {
        return shots;
    }

    /** The image embedding {@code e}. */
    public ConvEmbedding embedding() {
        return embedding;
    }

    /**
     * The hidden sequence {@code h [B, T, C']} of the input sequence {@code z [B, T, 4c + N]}: the five
     * blocks, each causal.
     */
    public Tensor blocks(Tensor z) {
        return att3.forward(tc2.forward(att2.forward(tc1.forward(att1.forward(z)))));
    }

    /**
     * The query's logits and the episode's embeddings.
     *
     * @param images    {@code [B, T, 784]}, the supports then the query
     * @param labels    {@code [B, T, N]} one-hot support labels, the query's row zero
     * @return the logits {@code [B, N]} and the embeddings {@code [B, T, 4c]}
     * @throws ShapeException naming the shapes if they do not fit
     */
    public Output forward(Tensor images, Tensor labels) {
        if (images.rank() != 3 || images.dim(2) != 784 || labels.rank() != 3 || labels.dim(0) != images.dim(0)
                || labels.dim(1) != images.dim(1) || labels.dim(2) != ways) {
            throw new ShapeException("Snail(" + ways + "-way): images " + images.shape() + " and labels " + labels.shape()
                    + " must be [B, T, 784] and [B, T, " + ways + "]");
        }
        int b = images.dim(0);
        int t = images.dim(1);
        Tensor e = embedding.forward(images.reshape(b * t, 784)).reshape(b, t, embedding.dim());
        Tensor h = blocks(Tensor.concat(List.of(e, labels), 2));
        return new Output(out.forward(h.select(1, t - 1)), e);
    }

    /**
     * What {@link #forward} gives.
     *
     * @param logits     the query's class logits {@code [B, N]}
     * @param embeddings every image's embedding {@code [B, T, 4c]}
     */
    public record Output(Tensor logits, Tensor embeddings) {
    }
}
