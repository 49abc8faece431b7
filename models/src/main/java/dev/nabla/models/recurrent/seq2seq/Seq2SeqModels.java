package dev.nabla.models.recurrent.seq2seq;

import dev.nabla.models.data.Dates;
import dev.nabla.api.spi.Config;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.SequenceDataSets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequence-to-sequence entries of the recurrent family: the models {@code seq2seq-gru} and
 * {@code seq2seq-lstm} ({@link Seq2SeqModel}) and the data set {@value #DATES} ({@link dev.nabla.models.data.Dates}).
 *
 * <p>Model keys (defaults): {@code embed} ({@value Seq2SeqModel#EMBED}), {@code hidden}
 * ({@value Seq2SeqModel#HIDDEN}), {@code beam} ({@value Seq2SeqModel#BEAM}, 1 to
 * {@value Seq2SeqModel#MAX_BEAM}: the width {@code eval} reports besides greedy and {@code sample} uses
 * unless {@code --beam} says otherwise), {@code maxLength} ({@value Seq2SeqModel#MAX_LENGTH}). Data key:
 * {@code examples}, the number of training pairs ({@value SequenceDataSets#DATE_EXAMPLES}); the validation
 * set has {@value SequenceDataSets#DATE_VALIDATION} pairs and the held-out test set
 * {@value SequenceDataSets#DATE_TEST}.
 */
public final class Seq2SeqModels {
    /** The data set's name. */
    public static final String DATES = SequenceDataSets.DATES;

    private Seq2SeqModels() {
    }

    private static Map<String, Object> keys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("embed", Seq2SeqModel.EMBED);
        k.put("hidden", Seq2SeqModel.HIDDEN);
        k.put("beam", Seq2SeqModel.BEAM);
        k.put("maxLength", Seq2SeqModel.MAX_LENGTH);
        return k;
    }

    /** {@code seq2seq-gru} and {@code seq2seq-lstm}. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("seq2seq-gru", "encoder-decoder, GRU cells; greedy and beam-search decoding", List.of(DATES),
                    keys(), (r, k) -> build("seq2seq-gru", Seq2Seq.Cell.GRU, r, k)),
            new ModelSpec("seq2seq-lstm", "encoder-decoder, LSTM cells; greedy and beam-search decoding", List.of(DATES),
                    keys(), (r, k) -> build("seq2seq-lstm", Seq2Seq.Cell.LSTM, r, k)));

    /** {@value #DATES}. */
    public static final List<DataSpec> DATASETS = List.of(SequenceDataSets.DATE_SPEC);

    private static Seq2SeqModel build(String name, Seq2Seq.Cell cell, ModelRequest r, Config k) {
        return new Seq2SeqModel(name, cell, k, SequenceDataSets.vocabulary(r, "source_vocabulary"),
                SequenceDataSets.vocabulary(r, "target_vocabulary"),
                r.tensors(), r.random());
    }
}
