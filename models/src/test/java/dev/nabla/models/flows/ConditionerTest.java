package dev.nabla.models.flows;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coupling conditioner as a replaceable layer: a foreign {@link Layer} becomes the child {@code net}
 * (its parameters named {@code net.*} and trained with the rest), a conditioner of the wrong output
 * shape is refused when the coupling is built, and {@code Flows.model}'s {@code net} key names unknown
 * layers and refuses MAF/IAF.
 */
class ConditionerTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void aForeignConditionersParametersAppearUnderNet() {
        try (Scope s = Scope.open()) {
            Generator g = new Generator(3);
            var net = new FlowBijectionTest.TwoLayerNet(F.normal(g, 0, 0.5, Shape.of(2, 8), DType.FLOAT32),
                    F.normal(g, 0, 0.5, Shape.of(8, 4), DType.FLOAT32));
            AffineCoupling c = new AffineCoupling(F, AffineCoupling.mask("checkerboard", 2, 0), DType.FLOAT32, net);
            assertTrue(c.namedParameters().containsKey("net.w1"), c.namedParameters().keySet().toString());
            assertTrue(c.namedParameters().containsKey("net.w2"));
            assertTrue(c.namedParameters().containsKey("scale"));
            // the gradient reaches the conditioner's parameters through the coupling
            Tensor x = F.normal(g, 0, 1, Shape.of(5, 2), DType.FLOAT32);
            c.forward(x).logDet().sum().backward();
            assertTrue(net.namedParameters().get("w1").grad().abs().sum().item() > 0);
        }
    }

    @Test
    void aConditionerOfTheWrongWidthIsRefusedWithBothShapes() {
        try (Scope s = Scope.open()) {
            Generator g = new Generator(4);
            var wrong = new FlowBijectionTest.TwoLayerNet(F.normal(g, 0, 0.5, Shape.of(2, 8), DType.FLOAT32),
                    F.normal(g, 0, 0.5, Shape.of(8, 3), DType.FLOAT32));
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new AffineCoupling(F, AffineCoupling.mask("checkerboard", 2, 0), DType.FLOAT32, wrong));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 4]"), e.getMessage());
        }
    }

    @Test
    void theNetKeyNamesUnknownLayersAndAppliesToRealNvpOnly() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> Flows.model("realnvp", F, new Generator(1), Map.of("dim", 2, "net", "no_such_layer"),
                        dev.nabla.models.spi.Layers::build));
        assertTrue(unknown.getMessage().contains("no_such_layer") && unknown.getMessage().contains("linear"),
                unknown.getMessage());
        var maf = assertThrows(IllegalArgumentException.class,
                () -> Flows.model("maf", F, new Generator(1), Map.of("dim", 2, "net", "linear")));
        assertTrue(maf.getMessage().contains("realnvp only"), maf.getMessage());
        // flows look no layer provider up themselves: a net other than mlp needs the factory handed in
        var noFactory = assertThrows(IllegalArgumentException.class,
                () -> Flows.model("realnvp", F, new Generator(1), Map.of("dim", 2, "net", "linear")));
        assertTrue(noFactory.getMessage().contains("'net'") && noFactory.getMessage().contains("layer factory"),
                noFactory.getMessage());
        // net=mlp is the built-in conditioner: the same parameters as leaving the key out
        try (var a = Flows.model("realnvp", F, new Generator(1), Map.of("dim", 2, "net", "mlp"));
             var b = Flows.model("realnvp", F, new Generator(1), Map.of("dim", 2))) {
            assertEquals(b.namedParameters().keySet(), a.namedParameters().keySet());
            for (String k : a.namedParameters().keySet()) {
                assertEquals(0.0, a.namedParameters().get(k).sub(b.namedParameters().get(k)).abs().sum().item(), 0.0, k);
            }
        }
    }
}
