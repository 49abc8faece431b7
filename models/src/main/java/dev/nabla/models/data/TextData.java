package dev.nabla.models.data;

import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

import java.util.Set;

/**
 * One split of a text (training, validation or test) for a language model: its {@link TokenStream} and
 * {@link Vocabulary}. As a {@link Dataset} it is the stream's windows of {@code seqLen} tokens in one row
 * ({@link TokenStream#windows(int, int)} with one row), which is what a host counts and shows; the
 * language model's trainer and evaluation cut the stream themselves, into as many rows as the batch has.
 */
public final class TextData implements Dataset {
    private final TokenStream stream;
    private final Vocabulary vocabulary;
    private final Dataset view;

    /**
     * @param stream     the split's tokens
     * @param vocabulary the vocabulary they were encoded with
     * @param seqLen     the length of a window of the {@link Dataset} view
     */
    public TextData(TokenStream stream, Vocabulary vocabulary, int seqLen) {
        this.stream = stream;
        this.vocabulary = vocabulary;
        this.view = stream.windows(1, seqLen);
    }

    /** The tokens. */
    public TokenStream stream() {
        return stream;
    }

    /** The vocabulary. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int size() {
        return view.size();
    }

    @Override
    public Set<String> names() {
        return view.names();
    }

    @Override
    public Shape exampleShape(String name) {
        return view.exampleShape(name);
    }

    @Override
    public Batch batch(TensorFactory f, int[] indices) {
        return view.batch(f, indices);
    }
}
