package dev.nabla.models.family;

import java.util.List;

/**
 * The alignment of one translation, for {@code nabla sample RUN --input TEXT --attention FILE}: row
 * {@code t} is how the model attended over the source tokens when it wrote output token {@code t}.
 *
 * @param source  the source tokens (columns)
 * @param output  the output tokens (rows), {@code <eos>} included
 * @param weights row-major {@code output.size() × source.size()} weights in {@code [0, 1]}
 * @param title   a title for the picture
 */
public record AttentionMap(List<String> source, List<String> output, double[] weights, String title) {
    /** Copies and checks the sizes. */
    public AttentionMap {
        source = List.copyOf(source);
        output = List.copyOf(output);
        if (source.isEmpty() || output.isEmpty() || weights.length != source.size() * output.size()) {
            throw new IllegalArgumentException("AttentionMap: " + weights.length + " weights for " + output.size()
                    + " output and " + source.size() + " source tokens");
        }
        weights = weights.clone();
    }

    /**
     * A model that can show its alignment: {@code nabla sample} reaches it through
     * {@link FamilyModel#unwrap} when given {@code --attention FILE}.
     */
    public interface Source {
        /**
         * The alignment of the translation {@code request} asks for (its {@code --input}, or a drawn example).
         *
         * @throws IllegalArgumentException naming a bad option value
         */
        AttentionMap attentionMap(SampleRequest request);
    }
}
