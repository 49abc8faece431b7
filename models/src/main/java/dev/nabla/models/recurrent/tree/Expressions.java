package dev.nabla.models.recurrent.tree;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.Vocabulary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arithmetic-expression data set ({@code expressions}): seeded random {@link Expression} trees of
 * nested sums and products mod 10, labelled with their value. Training and validation trees have depth
 * 1 to {@code trainDepth} (uniformly), the test trees depth {@code trainDepth + 1} to {@code testDepth}:
 * the test asks a model to generalise to deeper nesting than it saw. A tree of depth {@code d} is an
 * operator ({@code +} or {@code *}, even odds) over one child of depth {@code d − 1} and one of a depth
 * drawn uniformly from {@code 0 … d − 1}, on a random side; leaves are uniform digits. No text appears
 * twice in one split or in both training and validation: a repeated draw is drawn again, so the shallow
 * depths, which hold few distinct trees (200 of depth 1), are under-represented in a large split.
 * <pre>{@code
 * Expressions.Split s = Expressions.split(1, 1000, 100, 100, 3, 5);
 * Expression e = s.train().getFirst();
 * boolean same = e.value() == Expression.parse(e.text()).value();   // true
 * }</pre>
 */
public final class Expressions {
    /** The token vocabulary of the flattened text: {@value Vocabulary#PAD}, then {@code ( ) * + 0 … 9}. */
    public static final Vocabulary VOCABULARY = Vocabulary.of("()*+0123456789", Vocabulary.PAD);
    /** The deepest trees generated. */
    public static final int MAX_DEPTH = 12;

    private Expressions() {
    }

    /**
     * The three parts.
     *
     * @param train      training trees
     * @param validation validation trees, as deep as the training ones
     * @param test       deeper trees
     */
    public record Split(List<Expression> train, List<Expression> validation, List<Expression> test) {
        /** Copies the lists. */
        public Split {
            train = List.copyOf(train);
            validation = List.copyOf(validation);
            test = List.copyOf(test);
        }

        /** The parts as {@link Trees} data sets. */
        public DataSplits dataSplits() {
            return new DataSplits(new Trees(train), new Trees(validation), new Trees(test));
        }
    }

    /**
     * A tree of exactly {@code depth} operators on its longest path.
     *
     * @throws IllegalArgumentException for a depth outside {@code [0, MAX_DEPTH]}
     */
    public static Expression draw(Generator random, int depth) {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Expressions: depth must be from 0 to " + MAX_DEPTH + ", got " + depth);
        }
        if (depth == 0) {
            return new Expression.Digit((int) random.nextLong(10));
        }
        char op = random.nextLong(2) == 0 ? '+' : '*';
        Expression deep = draw(random, depth - 1);
        Expression other = draw(random, (int) random.nextLong(depth));
        return random.nextLong(2) == 0 ? new Expression.Op(op, deep, other) : new Expression.Op(op, other, deep);
    }

    /**
     * {@code train} and {@code validation} trees of depth 1 to {@code trainDepth} and {@code test} trees of
     * depth {@code trainDepth + 1} to {@code testDepth}, from {@code new Generator(seed)}.
     *
     * @throws IllegalArgumentException for a size below 0 or depths that are not {@code 1 ≤ trainDepth < testDepth ≤ MAX_DEPTH},
     *                                  or more trees than there are distinct ones
     */
    public static Split split(long seed, int train, int validation, int test, int trainDepth, int testDepth) {
        if (train < 0 || validation < 0 || test < 0) {
            throw new IllegalArgumentException("Expressions: sizes must be >= 0, got " + train + ", " + validation + ", " + test);
        }
        if (trainDepth < 1 || testDepth <= trainDepth || testDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("Expressions: depths must be 1 <= depth < testDepth <= " + MAX_DEPTH
                    + ", got depth " + trainDepth + " and testDepth " + testDepth);
        }
        Generator random = new Generator(seed);
        Set<String> seen = new HashSet<>();
        List<Expression> shallow = distinct(random, train + validation, 1, trainDepth, seen);
        List<Expression> deep = distinct(random, test, trainDepth + 1, testDepth, new HashSet<>());
        return new Split(shallow.subList(0, train), shallow.subList(train, train + validation), deep);
    }

    private static List<Expression> distinct(Generator random, int n, int minDepth, int maxDepth, Set<String> seen) {
        List<Expression> out = new ArrayList<>();
        int misses = 0;
        while (out.size() < n) {
            Expression e = draw(random, minDepth + (int) random.nextLong(maxDepth - minDepth + 1));
            if (seen.add(e.text())) {
                out.add(e);
                misses = 0;
            } else if (++misses > 100_000) {
                throw new IllegalArgumentException("Expressions: cannot find " + n + " distinct trees of depth " + minDepth
                        + " to " + maxDepth);
            }
        }
        return out;
    }

    /**
     * Trees as a data set. Batches hold the flattened text for sequence models and the label:
     * {@value #TOKENS} (int64 {@code [B, longest]}, padded with {@value Vocabulary#PAD}), {@value #LENGTH}
     * (int64 {@code [B]}) and {@value Dataset#LABEL} (int64 {@code [B]}, the value); tree models read
     * {@link #trees()} directly.
     */
    public static final class Trees implements Dataset {
        /** The flattened text's token ids. */
        public static final String TOKENS = "tokens";
        /** The number of tokens. */
        public static final String LENGTH = "length";

        private final List<Expression> trees;

        /** A data set of {@code trees} (copied). */
        public Trees(List<Expression> trees) {
            this.trees = List.copyOf(trees);
        }

        /** The trees. */
        public List<Expression> trees() {
            return trees;
        }

        /** The trees at {@code indices}. */
        public List<Expression> trees(int[] indices) {
            List<Expression> out = new ArrayList<>(indices.length);
            for (int i : indices) {
                if (i < 0 || i >= trees.size()) {
                    throw new IndexOutOfBoundsException("Trees: index " + i + " outside [0, " + trees.size() + ")");
                }
                out.add(trees.get(i));
            }
            return out;
        }

        @Override
        public int size() {
            return trees.size();
        }

        @Override
        public Set<String> names() {
            return new LinkedHashSet<>(List.of(TOKENS, LENGTH, LABEL));
        }

        @Override
        public Shape exampleShape(String name) {
            return switch (name) {
                case TOKENS -> null;
                case LENGTH, LABEL -> Shape.of();
                default -> throw Dataset.unknown(this, name);
            };
        }

        @Override
        public Batch batch(TensorFactory f, int[] indices) {
            List<Expression> part = trees(indices);
            int b = part.size();
            List<long[]> ids = new ArrayList<>(b);
            int width = 0;
            for (Expression e : part) {
                long[] t = tokens(e);
                ids.add(t);
                width = Math.max(width, t.length);
            }
            long[] tokens = new long[b * width];
            long[] lengths = new long[b];
            long[] labels = new long[b];
            for (int i = 0; i < b; i++) {
                System.arraycopy(ids.get(i), 0, tokens, i * width, ids.get(i).length);
                lengths[i] = ids.get(i).length;
                labels[i] = part.get(i).value();
            }
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put(TOKENS, f.of(tokens, b, width));
            m.put(LENGTH, f.of(lengths, b));
            m.put(LABEL, f.of(labels, b));
            return Batch.of(m, indices);
        }
    }

    /** The token ids of {@code e}'s flattened text ({@link Expression#flatten}). */
    public static long[] tokens(Expression e) {
        List<Character> flat = e.flatten();
        long[] out = new long[flat.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = VOCABULARY.id(flat.get(i));
        }
        return out;
    }
}
