package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockAndAdamTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @Test
    void mlpNamesItsParametersLikeSequential() {
        try (MLP mlp = new MLP(f, new Generator(1), new int[] {2, 8, 8, 1}, "tanh")) {
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                    List.copyOf(mlp.namedParameters().keySet()));
            assertEquals(List.of(2, 8), List.of(mlp.namedParameters().get("0.weight").shape().dims()[0],
                    mlp.namedParameters().get("0.weight").shape().dims()[1]));
        }
    }

    @Test
    void loadStateIsStrictAndCopiesValues() {
        try (Linear a = new Linear(f, new Generator(1), 3, 2); Linear b = new Linear(f, new Generator(2), 3, 2)) {
            b.loadState(a.state());
            assertEquals(List.of(a.weight().toFloatArray().length), List.of(b.weight().toFloatArray().length));
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
            var ex = assertThrows(ShapeException.class, () -> b.loadState(Map.of("weight", a.weight())));
            assertTrue(ex.getMessage().contains("missing 'bias'"), ex.getMessage());
        }
    }

    /** Adam fits y = 3x - 1 with one Linear; the closed-form optimum is reached to 1e-3. */
    @Test
    void adamFitsALine() {
        Generator g = new Generator(7);
        try (Linear lin = new Linear(f, g, 1, 1); Adam adam = new Adam(lin.namedParameters(), 0.05)) {
            for (int step = 0; step < 600; step++) {
                try (Scope s = Scope.open()) {
                    Tensor x = f.uniform(g, -1, 1, dev.nabla.api.types.Shape.of(64, 1), dev.nabla.api.types.DType.FLOAT32);
                    Tensor y = x.mul(3.0).sub(1.0);
                    Tensor loss = lin.forward(x).sub(y).square().mean();
                    adam.zeroGrad();
                    loss.backward();
                    adam.step();
                }
            }
            assertEquals(3.0, lin.weight().item(), 1e-3);
            assertEquals(-1.0, lin.bias().item(), 1e-3);
            assertEquals(600, adam.steps());
        }
    }

    @Test
    void orthogonalHasOrthonormalColumns() {
        try (Scope s = Scope.open()) {
            Tensor q = Init.orthogonal(f, new Generator(3), 6, 4, 1.0).to(dev.nabla.api.types.DType.FLOAT64);
            double[] qtq = q.transpose(0, 1).matmul(q).toDoubleArray();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(i == j ? 1.0 : 0.0, qtq[i * 4 + j], 1e-5);
                }
            }
        }
    }
}
