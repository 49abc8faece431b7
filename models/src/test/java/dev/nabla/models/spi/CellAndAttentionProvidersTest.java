package dev.nabla.models.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.Attention;
import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.nn.GRUCell;
import dev.nabla.models.nn.LSTMCell;
import dev.nabla.models.nn.RNNCell;
import dev.nabla.models.nn.ScaledDotProductAttention;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The model library offers its recurrent cell and its attention by name, through the layer SPI. */
class CellAndAttentionProvidersTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
    private final ModelsLayerProvider p = new ModelsLayerProvider();

    private BuildContext context(Map<String, Object> config) {
        return new BuildContext(f, new Generator(1), config);
    }

    @Test
    void offersTheRnnCellAndScaledDotProductAttentionByName() {
        assertEquals(Set.of("rnn_cell", "lstm_cell", "gru_cell"), p.cellNames());
        assertEquals(Set.of("scaled_dot_product_attention"), p.attentionNames());
        LayerProvider found = ServiceLoader.load(LayerProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(l -> l.cellNames().contains("rnn_cell")).findFirst().orElseThrow();
        assertInstanceOf(ModelsLayerProvider.class, found);
        // settings as a command line gives them: strings
        RecurrentCell<?> cell = p.createCell("rnn_cell", context(Map.of("input_size", "3", "hidden_size", 4,
                "nonlinearity", "relu", "dtype", "float64")));
        try (RNNCell rnn = assertInstanceOf(RNNCell.class, cell)) {
            assertEquals(3, rnn.inputSize());
            assertEquals(4, rnn.hiddenSize());
            assertEquals(RNNCell.Nonlinearity.RELU, rnn.nonlinearity());
            assertEquals(DType.FLOAT64, rnn.initialState(2).dtype());
            assertEquals(4, rnn.namedParameters().size());
        }
        try (RecurrentCell<?> noBias = p.createCell("rnn_cell", context(Map.of("input_size", 2, "hidden_size", 2,
                "bias", false)))) {
            assertEquals(Set.of("weight_ih", "weight_hh"), noBias.namedParameters().keySet());
        }
        try (LSTMCell lstm = assertInstanceOf(LSTMCell.class, p.createCell("lstm_cell",
                context(Map.of("input_size", "3", "hidden_size", "5", "dtype", "float64"))))) {
            assertEquals(3, lstm.inputSize());
            assertEquals(5, lstm.hiddenSize());
            assertEquals(Shape.of(20, 3), lstm.namedParameters().get("weight_ih").shape());
            assertEquals(DType.FLOAT64, lstm.initialState(2).c().dtype());
        }
        try (GRUCell gru = assertInstanceOf(GRUCell.class, p.createCell("gru_cell",
                context(Map.of("input_size", 2, "hidden_size", 4, "bias", false))))) {
            assertEquals(Set.of("weight_ih", "weight_hh"), gru.namedParameters().keySet());
            assertEquals(Shape.of(12, 4), gru.namedParameters().get("weight_hh").shape());
            assertEquals(DType.FLOAT32, gru.initialState(1).dtype());
        }
        Attention a = p.createAttention("scaled_dot_product_attention", context(Map.of()));
        assertInstanceOf(ScaledDotProductAttention.class, a);
    }

    @Test
    void badNamesAndSettingsAreRefusedWithWhatIsValid() {
        var unknownCell = assertThrows(IllegalArgumentException.class, () -> p.createCell("lstm", context(Map.of())));
        assertEquals("unknown recurrent cell 'lstm'; this provider builds [rnn_cell, lstm_cell, gru_cell]",
                unknownCell.getMessage());
        var lstmKey = assertThrows(IllegalArgumentException.class, () -> p.createCell("lstm_cell",
                context(Map.of("input_size", 2, "hidden_size", 3, "nonlinearity", "relu"))));
        assertTrue(lstmKey.getMessage().contains("nonlinearity"), lstmKey.getMessage());
        var unknownAttention = assertThrows(IllegalArgumentException.class,
                () -> p.createAttention("multihead_attention", context(Map.of())));
        assertTrue(unknownAttention.getMessage().contains("scaled_dot_product_attention"), unknownAttention.getMessage());
        var typo = assertThrows(IllegalArgumentException.class, () -> p.createCell("rnn_cell",
                context(Map.of("input_size", 2, "hiden_size", 3))));
        assertTrue(typo.getMessage().contains("hiden_size") && typo.getMessage().contains("hidden_size"), typo.getMessage());
        var act = assertThrows(IllegalArgumentException.class, () -> p.createCell("rnn_cell",
                context(Map.of("input_size", 2, "hidden_size", 3, "nonlinearity", "sigmoid"))));
        assertTrue(act.getMessage().contains("nonlinearity") && act.getMessage().contains("tanh"), act.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.createAttention("scaled_dot_product_attention",
                context(Map.of("heads", 2))));
    }

    @Test
    void aProviderThatOffersNoCellsSaysSo() {
        LayerProvider layersOnly = new LayerProvider() {
            @Override
            public Set<String> names() {
                return Set.of("x");
            }

            @Override
            public dev.nabla.api.nn.Layer create(String name, BuildContext context) {
                throw new IllegalArgumentException(name);
            }
        };
        assertTrue(layersOnly.cellNames().isEmpty());
        assertTrue(layersOnly.attentionNames().isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> layersOnly.createCell("lstm", context(Map.of())));
        assertEquals("unknown recurrent cell 'lstm'; this provider builds none", e.getMessage());
        var a = assertThrows(IllegalArgumentException.class, () -> layersOnly.createAttention("mha", context(Map.of())));
        assertEquals("unknown attention 'mha'; this provider builds none", a.getMessage());
    }
}
