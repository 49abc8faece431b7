/**
 * Sequence to sequence: the encoder-decoder {@link dev.nabla.models.recurrent.seq2seq.Seq2Seq} (GRU or
 * LSTM cells; the encoder's final state starts the decoder; teacher forcing in training), greedy and
 * beam-search decoding over any next-token scorer ({@link dev.nabla.models.nn.BeamSearch}),
 * the seeded date-normalisation data set ({@link dev.nabla.models.data.Dates}) and the
 * models {@code seq2seq-gru} and {@code seq2seq-lstm} as the {@code nabla} command runs them
 * ({@link dev.nabla.models.recurrent.seq2seq.Seq2SeqModel}). The cells themselves live in
 * {@code dev.nabla.models.nn}; attention decoders are not here.
 */
package dev.nabla.models.recurrent.seq2seq;
