package dev.nabla.models.spi;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.BatchNorm;
import dev.nabla.models.nn.Dropout;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.LayerNorm;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.MLP;
import dev.nabla.models.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvidersTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @Test
    void theServiceLoaderFindsTheLayerAndTrainerProviders() {
        List<LayerProvider> layers = new ArrayList<>();
        ServiceLoader.load(LayerProvider.class).forEach(layers::add);
        assertTrue(layers.stream().anyMatch(p -> p instanceof ModelsLayerProvider), "found: " + layers);
        Set<String> names = new ModelsLayerProvider().names();
        assertTrue(names.containsAll(List.of("linear", "mlp", "sequential", "layernorm", "batchnorm", "dropout",
                "embedding", "relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "softplus", "identity")), names.toString());
        List<TrainerProvider> trainers = new ArrayList<>();
        ServiceLoader.load(TrainerProvider.class).forEach(trainers::add);
        assertTrue(trainers.stream().anyMatch(p -> p.names().containsAll(List.of("mle", "distill"))), "found: " + trainers);
        assertEquals("mle", Trainers.create("mle", Map.of()).name());
        var ex = assertThrows(IllegalArgumentException.class, () -> Trainers.create("elbo", Map.of()));
        assertTrue(ex.getMessage().contains("unknown trainer 'elbo'") && ex.getMessage().contains("distill"), ex.getMessage());
    }

    @Test
    void everyLayerBuildsFromAConfigMap() {
        Generator g = new Generator(1);
        Map<String, Class<?>> expected = Map.of("linear", Linear.class, "mlp", MLP.class, "layernorm", LayerNorm.class,
                "batchnorm", BatchNorm.class, "dropout", Dropout.class, "embedding", Embedding.class, "gelu", Activation.class);
        Map<String, Map<String, Object>> configs = Map.of(
                "linear", Map.of("type", "linear", "in", 3, "out", 2, "bias", false),
                "mlp", Map.of("type", "mlp", "sizes", List.of(3, 8, 1), "activation", "tanh"),
                "layernorm", Map.of("type", "layernorm", "shape", 4, "eps", 1e-6),
                "batchnorm", Map.of("type", "batchnorm", "features", 4, "momentum", 0.2),
                "dropout", Map.of("type", "dropout", "p", 0.1, "seed", 3),
                "embedding", Map.of("type", "embedding", "vocab", 10, "dim", 4),
                "gelu", Map.of("type", "gelu"));
        for (var e : configs.entrySet()) {
            Layer l = Layers.build(e.getValue(), f, g);
            try {
                assertInstanceOf(expected.get(e.getKey()), l, e.getKey());
            } finally {
                l.close();
            }
        }
        try (Linear l = (Linear) Layers.build(configs.get("linear"), f, g)) {
            assertEquals(Set.of("weight"), l.namedParameters().keySet(), "bias: false is honoured");
        }
    }

    @Test
    void aSequentialFromAListOfConfigsEqualsTheSameModelWrittenInCode() {
        Map<String, Object> cfg = Map.of("type", "sequential", "layers", List.of(
                Map.of("type", "linear", "in", 2, "out", 8),
                Map.of("type", "tanh"),
                Map.of("type", "layernorm", "shape", List.of(8)),
                Map.of("type", "linear", "in", 8, "out", 1)));
        try (Sequential built = (Sequential) Layers.build(cfg, f, new Generator(4));
             Sequential coded = new Sequential(new Linear(f, new Generator(4), 2, 8), new Activation(Activation.Kind.TANH),
                     new LayerNorm(f, 8), new Linear(f, new Generator(0), 8, 1));
             Scope s = Scope.open()) {
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias"),
                    List.copyOf(built.namedParameters().keySet()));
            coded.loadState(built.state());
            Tensor x = f.randn(new Generator(9), 5, 2);
            assertArrayEquals(coded.forward(x).toFloatArray(), built.forward(x).toFloatArray());
            assertArrayEquals(new int[] {5, 1}, built.forward(x).shape().dims());
        }
    }

    @Test
    void badConfigurationsNameTheKeyAndTheValidKeys() {
        Generator g = new Generator(1);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> Layers.build(Map.of("type", "linear", "in", 2, "outs", 3), f, g));
        assertTrue(ex.getMessage().contains("linear: unknown key 'outs'; valid keys: [bias, in, out]"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Layers.build(Map.of("type", "linear", "in", 2), f, g));
        assertTrue(ex.getMessage().contains("missing key 'out'"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Layers.build(Map.of("type", "lstmm"), f, g));
        assertTrue(ex.getMessage().contains("unknown layer type 'lstmm'") && ex.getMessage().contains("embedding"),
                ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Layers.build(Map.of("type", "sequential", "layers",
                List.of(Map.of("type", "relu"), Map.of("type", "dropout", "rate", 0.5))), f, g));
        assertTrue(ex.getMessage().contains("layers[1]: dropout: unknown key 'rate'; valid keys: [p, seed]"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Layers.build(Map.of("in", 2), f, g));
        assertTrue(ex.getMessage().contains("needs a string 'type'"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> new ModelsLayerProvider().create("mlp", new BuildContext(f, g, Map.of("sizes", List.of(2, 1.5)))));
        assertTrue(ex.getMessage().contains("'sizes' must be a list of integers"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> new ModelsLayerProvider().create("relu", new BuildContext(f, g, Map.of("slope", 0.1))));
        assertTrue(ex.getMessage().contains("relu: unknown key 'slope'; valid keys: []"), ex.getMessage());
    }
}
