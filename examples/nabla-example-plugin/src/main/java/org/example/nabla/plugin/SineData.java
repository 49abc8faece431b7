package org.example.nabla.plugin;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The regression family's own data set, {@code sine}: {@code x ~ U(−3, 3)} and {@code y = sin(x) + ε},
 * {@code ε ~ N(0, 0.1²)}, as typed batches of {@value Dataset#X} and {@value #Y} (float32 {@code [1]} each).
 */
public final class SineData implements Dataset {
    /** The data set's name. */
    public static final String NAME = "sine";
    /** The name of the targets. */
    public static final String Y = "y";
    /** The noise's standard deviation. */
    public static final double NOISE = 0.1;

    private final float[] x;
    private final float[] y;

    private SineData(int n, Generator g) {
        x = new float[n];
        y = new float[n];
        for (int i = 0; i < n; i++) {
            double v = -3 + 6 * g.nextDouble();
            x[i] = (float) v;
            y[i] = (float) (Math.sin(v) + NOISE * g.nextGaussian());
        }
    }

    /** 2,000 training, 500 validation and 500 test points, each set from its own generator split from the seed. */
    public static DataSplits splits(long seed) {
        Generator root = new Generator(seed);
        return new DataSplits(new SineData(2000, root.split()), new SineData(500, root.split()), new SineData(500, root.split()));
    }

    @Override
    public int size() {
        return x.length;
    }

    @Override
    public Set<String> names() {
        return new LinkedHashSet<>(List.of(X, Y));
    }

    @Override
    public Shape exampleShape(String name) {
        if (X.equals(name) || Y.equals(name)) {
            return Shape.of(1);
        }
        throw Dataset.unknown(this, name);
    }

    @Override
    public Batch batch(TensorFactory f, int[] indices) {
        float[] bx = new float[indices.length];
        float[] by = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i];
            if (k < 0 || k >= x.length) {
                throw new IndexOutOfBoundsException("sine: index " + k + " outside [0, " + x.length + ")");
            }
            bx[i] = x[k];
            by[i] = y[k];
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(X, f.of(bx, indices.length, 1));
        m.put(Y, f.of(by, indices.length, 1));
        return Batch.of(m, indices);
    }
}
