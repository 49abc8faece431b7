package dev.nabla.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.tensor.FusedOp;
import dev.nabla.api.tensor.FusedOps;
import dev.nabla.api.types.Shape;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry of fused kernels: lookup by kind, and the mistakes it refuses when built. */
class FusedKernelsTest {
    private static final LogSoftmaxKernel LS = new LogSoftmaxKernel() {
        @Override
        public void logSoftmax(Storage x, Shape shape, int axis, Storage out) {
        }

        @Override
        public void logSoftmaxBackward(Storage gradOut, Storage y, Shape shape, int axis, Storage gradIn) {
        }
    };

    private interface Other extends FusedKernel {
    }

    @Test
    void findsWhatWasAddedAndNothingElse() {
        FusedKernels k = FusedKernels.builder().add(LogSoftmaxKernel.class, LS).build();
        assertSame(LS, k.get(LogSoftmaxKernel.class).orElseThrow());
        assertTrue(k.get(Other.class).isEmpty());
        assertTrue(k.get(FusedKernel.class).isEmpty());
        assertEquals(Set.of(LogSoftmaxKernel.class), k.kinds());
        assertEquals("FusedKernels[LogSoftmaxKernel]", k.toString());
        assertTrue(FusedKernels.none().isEmpty());
        assertSame(FusedKernels.none(), FusedKernels.builder().build());
    }

    @Test
    void aBackendWithoutARegistryOffersNothing() {
        Backend b = new Backend() {
            public String name() {
                return "bare";
            }

            public dev.nabla.api.types.Device device() {
                return dev.nabla.api.types.Device.CPU;
            }

            public Kernels kernels() {
                return null;
            }
        };
        assertTrue(b.fusedKernels().isEmpty());
        assertTrue(b.fused(LogSoftmaxKernel.class).isEmpty());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void refusesDuplicatesTheMarkerItselfAndAWrongImplementation() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> FusedKernels.builder().add(LogSoftmaxKernel.class, LS).add(LogSoftmaxKernel.class, LS));
        assertTrue(twice.getMessage().contains("LogSoftmaxKernel was added twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FusedKernels.builder().add(FusedKernel.class, LS));
        Class raw = Other.class;
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> FusedKernels.builder().add(raw, LS));
        assertTrue(wrong.getMessage().contains("does not implement"), wrong.getMessage());
    }

    @Test
    void everyKindTheTensorLayerUsesIsDescribedOnce() {
        assertEquals(List.of(LogSoftmaxKernel.class, LstmCellKernel.class, GruCellKernel.class, AttentionKernel.class,
                        LayerNormKernel.class, ReluGradKernel.class, AdamKernel.class, StridedAttentionKernel.class,
                        LinearKernel.class, Conv2dKernel.class, BatchNormKernel.class,
                        LeakyReluKernel.class),
                FusedOps.all().stream().map(op -> op.kind()).toList());
        assertEquals("logSoftmax", FusedOps.of(LogSoftmaxKernel.class).orElseThrow().name());
        assertEquals("lstmCell", FusedOps.of(LstmCellKernel.class).orElseThrow().name());
        assertEquals("gruCell", FusedOps.of(GruCellKernel.class).orElseThrow().name());
        assertEquals("scaledDotProductAttention", FusedOps.of(AttentionKernel.class).orElseThrow().name());
        assertEquals("layerNorm", FusedOps.of(LayerNormKernel.class).orElseThrow().name());
        assertEquals("relu", FusedOps.of(ReluGradKernel.class).orElseThrow().name());
        assertEquals("adam", FusedOps.of(AdamKernel.class).orElseThrow().name());
        assertEquals("packedSelfAttention", FusedOps.of(StridedAttentionKernel.class).orElseThrow().name());
        assertEquals("linear", FusedOps.of(LinearKernel.class).orElseThrow().name());
        assertTrue(FusedOps.all().stream().filter(op -> !op.differentiable()).map(FusedOp::name).toList()
                .equals(List.of("adam")), "only the optimizer's update is not differentiable");
        assertTrue(FusedOps.of(Other.class).isEmpty());
        for (var op : FusedOps.all()) {
            assertTrue(op.examples().size() >= 7, op.name() + " has " + op.examples().size() + " examples");
        }
    }
}
