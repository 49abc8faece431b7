package dev.nabla.models.classify;

import dev.nabla.api.spi.Config;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Components;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelInfo;
import dev.nabla.models.family.ModelRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Image classifiers as a model family ({@code "classify"}): {@code fmnist-classifier}, the small CNN
 * ({@link CnnClassifier}) on Fashion-MNIST's grey levels in {@code [0, 1]}, whose penultimate features
 * give "FMNIST-FID" ({@code nabla eval} of an image model). Keys: {@code channels} (16), {@code features}
 * (128) and {@code limit} (a key of the data: the first N images). Trainer {@code objective}.
 */
public final class ClassifierFamily implements ModelFamily {
    /** The family's name. */
    public static final String NAME = "classify";
    /** The model's name. */
    public static final String MODEL = "fmnist-classifier";
    static final Set<String> KEYS = Set.of("channels", "features", "limit");

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public ClassifierFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "image classifiers: a small Fashion-MNIST CNN whose features give FMNIST-FID (trainer objective)";
    }

    @Override
    public List<ModelInfo> models(Components components) {
        return List.of(new ModelInfo(MODEL, "Fashion-MNIST CNN classifier (dev.nabla.models)", List.of(DataCatalog.FASHION_MNIST)));
    }

    @Override
    public DataSplits data(String dataset, long seed) {
        return data(dataset, seed, Map.of());
    }

    @Override
    public DataSplits data(String dataset, long seed, Map<String, Object> keys) {
        if (!DataCatalog.FASHION_MNIST.equals(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "'; valid: " + DataCatalog.FASHION_MNIST);
        }
        Config c = Config.keys(MODEL, keys, KEYS);
        return DataCatalog.fashionMnistPixels(c.has("limit") ? c.positiveIntOr("limit", 1) : 0);
    }

    @Override
    public Map<String, Object> describe(String dataset, DataSplits data) {
        return Map.of("dim", data.train().exampleShape(Dataset.X).size(), "height", 28L, "width", 28L, "classes", 10L);
    }

    @Override
    public FamilyModel build(ModelRequest r) {
        if (!MODEL.equals(r.model())) {
            throw new IllegalArgumentException("unknown model '" + r.model() + "'; valid: " + MODEL);
        }
        Config c = Config.keys(MODEL, r.keys(), KEYS);
        if (c.has("limit")) {
            c.positiveIntOr("limit", 1);
        }
        return new ClassifierModel(new CnnClassifier(r.tensors(), r.random(), c.intIn("channels", 1, 512, 16),
                c.intIn("features", 2, 8192, 128), 10));
    }
}
