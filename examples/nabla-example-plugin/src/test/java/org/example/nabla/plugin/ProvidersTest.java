package org.example.nabla.plugin;

import dev.nabla.api.Nabla;
import dev.nabla.api.flow.Flow;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three providers as the launcher uses them: built by name from string-valued configuration (as a
 * command line gives it), refusing unknown names, keys and values with a message that names them, and
 * declared in the module descriptor, which requires the api and the model library (never a provider).
 */
class ProvidersTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    private static BuildContext context(Map<String, Object> config) {
        return new BuildContext(F, new Generator(1), config);
    }

    @Test
    void theModuleRequiresTheApiAndTheModelsAndProvidesItsServices() {
        ModuleDescriptor d = ExampleLayerProvider.class.getModule().getDescriptor();
        assertEquals("org.example.nabla.plugin", d.name(), "the tests run inside the plugin's module");
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("dev.nabla.api", "dev.nabla.models", "java.base"), requires);
        Map<String, Set<String>> provides = d.provides().stream().collect(Collectors.toMap(ModuleDescriptor.Provides::service,
                p -> Set.copyOf(p.providers())));
        assertEquals(Map.of(
                LayerProvider.class.getName(), Set.of(ExampleLayerProvider.class.getName()),
                FlowProvider.class.getName(), Set.of(ExampleFlowProvider.class.getName()),
                TrainerProvider.class.getName(), Set.of(ExampleTrainerProvider.class.getName()),
                dev.nabla.models.family.ModelFamily.class.getName(), Set.of(RegressionFamily.class.getName())), provides);
    }

    @Test
    void buildsEachNameFromCommandLineStrings() {
        try (Scope ignored = Scope.open()) {
            LayerProvider layers = new ExampleLayerProvider();
            assertEquals(Set.of("residual_mlp"), layers.names());
            try (Layer net = layers.create("residual_mlp", context(Map.of("in", "2", "out", "4", "hidden", "8",
                    "layers", "3", "activation", "Tanh", "dtype", "float64")))) {
                ResidualMlp r = assertInstanceOf(ResidualMlp.class, net);
                assertEquals(8, r.hidden());
                assertEquals(2, r.blocks(), "3 hidden layers: the input projection and 2 residual blocks");
                assertEquals(DType.FLOAT64, net.forward(F.zeros(Shape.of(5, 2), DType.FLOAT64)).dtype());
            }
            // the conditioner contract: exactly these keys, numbers as numbers
            try (Layer net = layers.create("residual_mlp", context(Map.of("in", 1, "out", 2, "hidden", 16, "layers", 2,
                    "activation", "relu", "dtype", "float32")))) {
                assertEquals(Shape.of(7, 2), net.forward(F.zeros(7, 1)).shape());
            }
            FlowProvider flows = new ExampleFlowProvider();
            assertEquals(Set.of("sinh_arcsinh"), flows.names());
            try (Flow flow = flows.create("sinh_arcsinh", context(Map.of("dim", "2")))) {
                assertEquals(2, assertInstanceOf(SinhArcsinh.class, flow).dim());
            }
            TrainerProvider trainers = new ExampleTrainerProvider();
            assertEquals(Set.of("sgd_momentum"), trainers.names());
            assertEquals("sgd_momentum", trainers.create("sgd_momentum", Map.of("lr", 0.1, "batchSize", 32, "maxSteps", 30L,
                    "momentum", "0.5", "nesterov", "true", "weightDecay", "1e-4", "clipNorm", "5")).name());
        }
    }

    @Test
    void unknownNamesListWhatTheProviderBuilds() {
        assertMessage(() -> new ExampleLayerProvider().create("residual_mpl", context(Map.of())), "residual_mpl",
                "residual_mlp");
        assertMessage(() -> new ExampleFlowProvider().create("sinh", context(Map.of("dim", 2))), "sinh", "sinh_arcsinh");
        assertMessage(() -> new ExampleTrainerProvider().create("sgd", Map.of()), "sgd", "sgd_momentum");
    }

    @Test
    void badConfigurationNamesTheKey() {
        LayerProvider layers = new ExampleLayerProvider();
        assertMessage(() -> layers.create("residual_mlp", context(Map.of("in", 2, "out", 2, "hiden", 8))),
                "unknown key 'hiden'", "[activation, dtype, hidden, in, layers, out]");
        assertMessage(() -> layers.create("residual_mlp", context(Map.of("out", 2))), "missing key 'in'");
        assertMessage(() -> layers.create("residual_mlp", context(Map.of("in", 2, "out", 2, "hidden", "0"))), "'hidden'");
        assertMessage(() -> layers.create("residual_mlp", context(Map.of("in", 2, "out", 2, "layers", "two"))), "'layers'",
                "'two'");
        assertMessage(() -> layers.create("residual_mlp", context(Map.of("in", 2, "out", 2, "layers", 0))), "'layers'",
                "positive integer");
        assertMessage(() -> layers.create("residual_mlp", context(Map.of("in", 2, "out", 2, "activation", "swish"))),
                "'activation'", "swish", "gelu");
        assertMessage(() -> layers.create("residual_mlp", context(Map.of("in", 2, "out", 2, "dtype", "int32"))), "'dtype'",
                "float32 or float64");
        FlowProvider flows = new ExampleFlowProvider();
        assertMessage(() -> flows.create("sinh_arcsinh", context(Map.of("dim", 2, "hidden", 8))), "unknown key 'hidden'",
                "[dim, dtype]");
        assertMessage(() -> flows.create("sinh_arcsinh", context(Map.of())), "'dim'");
        assertMessage(() -> flows.create("sinh_arcsinh", context(Map.of("dim", 2.5))), "'dim'", "2.5");
        TrainerProvider trainers = new ExampleTrainerProvider();
        assertMessage(() -> trainers.create("sgd_momentum", Map.of("momentun", "0.9")), "unknown setting 'momentun'",
                "batchSize", "clipNorm", "lr", "maxSteps", "momentum", "nesterov", "weightDecay");
        assertMessage(() -> trainers.create("sgd_momentum", Map.of("momentum", "1.5")), "'momentum'", "1.5");
        assertMessage(() -> trainers.create("sgd_momentum", Map.of("lr", "-1")), "'lr'");
        assertMessage(() -> trainers.create("sgd_momentum", Map.of("nesterov", "yes")), "'nesterov'", "true or false");
        assertMessage(() -> trainers.create("sgd_momentum", Map.of("batchSize", 0)), "'batchSize'");
    }

    private static void assertMessage(Executable e, String... parts) {
        String m = assertThrows(IllegalArgumentException.class, e).getMessage();
        for (String p : parts) {
            assertTrue(m.contains(p), "message should contain '" + p + "': " + m);
        }
        assertTrue(!m.contains("\n"), "one line: " + m);
    }
}
