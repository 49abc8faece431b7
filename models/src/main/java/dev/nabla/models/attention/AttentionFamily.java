package dev.nabla.models.attention;

import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.SequenceDataSets;
import dev.nabla.models.family.TableFamily;

import java.util.List;

/**
 * The attention models as a model family ({@code "attention"}), a {@link TableFamily}: sequence to
 * sequence with Bahdanau ({@code seq2seq-bahdanau}) and Luong ({@code seq2seq-luong}) attention on the
 * dates ({@link SequenceDataSets#DATE_SPEC}, the recurrent family's {@code seq2seq-gru} splits), as listed in
 * {@link AttentionModels}.
 */
public final class AttentionFamily extends TableFamily {
    /** The family's name. */
    public static final String NAME = "attention";

    /** Every model of the family, in listing order. */
    public static final List<ModelSpec> MODELS = AttentionModels.MODELS;

    /** Every data set of the family. */
    public static final List<DataSpec> DATASETS = List.of(SequenceDataSets.DATE_SPEC);

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public AttentionFamily() {
        super(NAME, "attention: sequence to sequence with Bahdanau and Luong attention (global, local-m, local-p; "
                + "soft or hard), beam search", MODELS, DATASETS);
    }
}
