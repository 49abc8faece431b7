package dev.nabla.models.recurrent.tree;

import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.DataSpec;
import dev.nabla.api.spi.Config;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.ModelRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recursive-network entries of the recurrent family: {@code tree-rnn} and {@code tree-lstm}
 * ({@link TreeNetwork}, batched level by level) and the baseline {@code seq-lstm} ({@link SequenceLstm},
 * reading the flattened text), all on the data set {@value #EXPRESSIONS} ({@link Expressions}).
 *
 * <p>Model keys (defaults): {@code embed} ({@value #EMBED}), {@code hidden} ({@value #HIDDEN}). Data
 * keys: {@code examples} (training trees, {@value #EXAMPLES}), {@code depth} (the deepest training and
 * validation trees, {@value #DEPTH}), {@code testDepth} (the deepest test trees, {@value #TEST_DEPTH}; the
 * test trees are deeper than {@code depth}). Validation: {@value #VALIDATION} trees; test: {@value #TEST}.
 */
public final class TreeModels {
    /** The data set's name. */
    public static final String EXPRESSIONS = "expressions";
    /** Default embedding size. */
    public static final int EMBED = 32;
    /** Default hidden size. */
    public static final int HIDDEN = 128;
    /** Default number of training trees. */
    public static final int EXAMPLES = 20_000;
    /** Default depth of training trees. */
    public static final int DEPTH = 4;
    /** Default depth of the deepest test trees. */
    public static final int TEST_DEPTH = 6;
    /** Validation trees. */
    public static final int VALIDATION = 1_000;
    /** Test trees. */
    public static final int TEST = 2_000;
    private static final Set<String> DATA_KEYS = Set.of("examples", "depth", "testDepth");

    private TreeModels() {
    }

    private static Map<String, Object> keys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("embed", EMBED);
        k.put("hidden", HIDDEN);
        return k;
    }

    /** {@code tree-rnn}, {@code tree-lstm}, {@code seq-lstm}. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("tree-rnn", "recursive network over expression trees, batched level by level",
                    List.of(EXPRESSIONS), keys(), (r, k) -> tree("tree-rnn", TreeNetwork.Kind.RNN, r, k)),
            new ModelSpec("tree-lstm", "binary Tree-LSTM (Tai et al. 2015) over expression trees, batched level by level",
                    List.of(EXPRESSIONS), keys(), (r, k) -> tree("tree-lstm", TreeNetwork.Kind.LSTM, r, k)),
            new ModelSpec("seq-lstm", "LSTM reading the flattened expression (the trees' baseline)",
                    List.of(EXPRESSIONS), keys(), TreeModels::sequence));

    /** {@value #EXPRESSIONS}. */
    public static final List<DataSpec> DATASETS = List.of(
            new DataSpec(EXPRESSIONS, DATA_KEYS, TreeModels::expressions, TreeModels::describe));

    private record DataKeys(int examples, int depth, int testDepth) {
    }

    private static DataKeys dataKeys(Map<String, ?> keys) {
        Map<String, Object> k = new LinkedHashMap<>();
        for (String key : DATA_KEYS) {
            if (keys.containsKey(key)) {
                k.put(key, keys.get(key));
            }
        }
        Config c = Config.keys(EXPRESSIONS, k, DATA_KEYS);
        int depth = c.intIn("depth", 1, Expressions.MAX_DEPTH - 1, DEPTH);
        int testDepth = c.intIn("testDepth", depth + 1, Expressions.MAX_DEPTH, Math.max(TEST_DEPTH, depth + 1));
        return new DataKeys(c.intIn("examples", 1, 1_000_000, EXAMPLES), depth, testDepth);
    }

    /** The expressions data set for the data keys among {@code keys}. */
    public static DataSplits expressions(long seed, Map<String, Object> keys) {
        DataKeys k = dataKeys(keys);
        return Expressions.split(seed, k.examples(), VALIDATION, TEST, k.depth(), k.testDepth()).dataSplits();
    }

    /** {@code tokens} (the vocabulary size) and {@code test_depth}. */
    static Map<String, Object> describe(DataSplits data) {
        int deepest = 0;
        if (data.test() instanceof Expressions.Trees t) {
            for (Expression e : t.trees()) {
                deepest = Math.max(deepest, e.depth());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", (long) Expressions.VOCABULARY.size());
        m.put("test_depth", (long) deepest);
        return m;
    }

    private static int testDepth(ModelRequest r) {
        return r.data().get("test_depth") instanceof Number n && n.intValue() >= 1 && n.intValue() <= Expressions.MAX_DEPTH
                ? n.intValue() : TEST_DEPTH;
    }

    private static ExpressionModel tree(String name, TreeNetwork.Kind kind, ModelRequest r, Config k) {
        TreeNetwork net = new TreeNetwork(r.tensors(), r.random(), kind, k.intIn("embed", 1, 4096, EMBED),
                k.intIn("hidden", 1, 8192, HIDDEN), DType.FLOAT32);
        return new ExpressionModel(name, net, net::forward, testDepth(r));
    }

    private static ExpressionModel sequence(ModelRequest r, Config k) {
        SequenceLstm net = new SequenceLstm(r.tensors(), r.random(), k.intIn("embed", 1, 4096, EMBED),
                k.intIn("hidden", 1, 8192, HIDDEN));
        return new ExpressionModel("seq-lstm", net, net::forward, testDepth(r));
    }
}
