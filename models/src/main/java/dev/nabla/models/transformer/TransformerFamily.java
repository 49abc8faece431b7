package dev.nabla.models.transformer;

import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.SequenceDataSets;
import dev.nabla.models.family.TableFamily;

import java.util.List;

/**
 * The Transformer models as a family ({@code "transformer"}), a {@link TableFamily}: {@code transformer}, the
 * encoder-decoder of Vaswani et al. on {@code dates} ({@link TranslationModel}), and {@code transformer-lm}, a
 * decoder-only character language model on {@code tinyshakespeare} ({@link LanguageModel}); keys and
 * defaults in {@link TransformerModels}.
 */
public final class TransformerFamily extends TableFamily {
    /** The family's name. */
    public static final String NAME = "transformer";

    /** Every model of the family, in listing order. */
    public static final List<ModelSpec> MODELS = TransformerModels.MODELS;

    /** Every data set of the family: the shared dates and Tiny Shakespeare, split as the recurrent family splits them. */
    public static final List<DataSpec> DATASETS = List.of(SequenceDataSets.DATE_SPEC, SequenceDataSets.TINY_SHAKESPEARE_SPEC);

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public TransformerFamily() {
        super(NAME, "Transformers: the encoder-decoder (post-LN or pre-LN, label smoothing, warm-up schedule, beam search "
                + "with a key/value cache) and a decoder-only character language model", MODELS, DATASETS);
    }
}
