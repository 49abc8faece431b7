package dev.nabla.models.recurrent;

import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.SequenceDataSets;
import dev.nabla.models.family.TableFamily;
import dev.nabla.models.recurrent.lm.LanguageModels;
import dev.nabla.models.recurrent.seq2seq.Seq2SeqModels;
import dev.nabla.models.recurrent.tree.TreeModels;

import java.util.List;

/**
 * The recurrent networks as a model family ({@code "recurrent"}), a {@link TableFamily}: character-level
 * language models ({@code char-rnn}, {@code char-lstm}, {@code char-gru}, package {@code recurrent.lm}),
 * sequence to sequence with beam search ({@code seq2seq-gru}, {@code seq2seq-lstm}, package
 * {@code recurrent.seq2seq}) and tree networks ({@code tree-rnn}, {@code tree-lstm}, {@code seq-lstm},
 * package {@code recurrent.tree}), as listed in {@link #MODELS}.
 */
public final class RecurrentFamily extends TableFamily {
    /** The family's name. */
    public static final String NAME = "recurrent";

    /** Every model of the family, in listing order: add a model's spec here. */
    public static final List<ModelSpec> MODELS = concat(
            LanguageModels.MODELS,
            Seq2SeqModels.MODELS,
            TreeModels.MODELS);

    /** Every data set of the family: add a data set's spec here. */
    public static final List<DataSpec> DATASETS = concat(
            List.of(SequenceDataSets.TINY_SHAKESPEARE_SPEC, SequenceDataSets.DATE_SPEC),
            TreeModels.DATASETS);

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public RecurrentFamily() {
        super(NAME, "recurrent networks: character-level language models (RNN, LSTM, GRU, truncated BPTT), "
                + "sequence to sequence with beam search, tree networks", MODELS, DATASETS);
    }
}
