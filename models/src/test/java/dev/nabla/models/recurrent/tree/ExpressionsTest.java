package dev.nabla.models.recurrent.tree;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The expression trees: values, the parser both ways and its errors, and the seeded splits. */
class ExpressionsTest {
    /** The value of a flattened text by a stack machine read right to left: independent of the tree code. */
    private static int stackValue(String text) {
        Deque<Integer> stack = new ArrayDeque<>();
        String t = text.replace("(", "").replace(")", "").replace(" ", "");
        for (int i = t.length() - 1; i >= 0; i--) {
            char c = t.charAt(i);
            if (Character.isDigit(c)) {
                stack.push(c - '0');
            } else {
                int a = stack.pop();
                int b = stack.pop();
                stack.push(c == '+' ? (a + b) % 10 : a * b % 10);
            }
        }
        assertEquals(1, stack.size());
        return stack.pop();
    }

    @Test
    void valuesAreSumsAndProductsModTen() {
        Expression e = Expression.parse("(+ 3 (* 4 5))");
        assertEquals(3, e.value());
        assertEquals(2, e.depth());
        assertEquals(5, e.size());
        assertEquals("(+ 3 (* 4 5))", e.text());
        assertEquals(List.of('(', '+', '3', '(', '*', '4', '5', ')', ')'), e.flatten());
        assertEquals(9, Expression.parse("(* 7 7)").value());
        assertEquals(7, Expression.parse("7").value());
        Generator g = new Generator(1);
        for (int i = 0; i < 500; i++) {
            Expression r = Expressions.draw(g, 1 + i % 6);
            assertEquals(1 + i % 6, r.depth());
            assertEquals(stackValue(r.text()), r.value(), r.text());
        }
    }

    @Test
    void theParserReadsBackEveryText() {
        Generator g = new Generator(2);
        for (int i = 0; i < 300; i++) {
            Expression e = Expressions.draw(g, i % 8);
            assertEquals(e, Expression.parse(e.text()));
        }
        assertEquals(Expression.parse("(+ 3 (* 4 5))"), Expression.parse("  (+   3(* 4 5 ) )  "));
    }

    private static void refused(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Expression.parse(text));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aTreeThatDoesNotParseIsNamedWithThePosition() {
        refused("(+ 3", "expression \"(+ 3\" does not parse: expected a digit or '(' at position 4, the text ends");
        refused("(+ 3 x)", "expression \"(+ 3 x)\" does not parse: expected a digit or '(' at position 5, found 'x'");
        refused("(- 3 4)", "expression \"(- 3 4)\" does not parse: expected '+' or '*' at position 1, found '-'");
        refused("(+ 3 4", "expression \"(+ 3 4\" does not parse: expected ')' at position 6, the text ends");
        refused("(+ 3 4) 5", "expression \"(+ 3 4) 5\" does not parse: expected the end at position 8, found '5'");
        refused("(+ 34 5)", "expression \"(+ 34 5)\" does not parse: expected a single digit at position 4, found '4' after '3'");
        refused("(+3 4)", "expression \"(+3 4)\" does not parse: expected a space at position 2, found '3'");
        refused("", "expression \"\" does not parse: expected an expression at position 0, the text is empty");
        refused("(+ 1 2 3)", "expression \"(+ 1 2 3)\" does not parse: expected ')' at position 7, found '3'");
        String deep = "(+ 1 ".repeat(300) + "1" + ")".repeat(300);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Expression.parse(deep)).getMessage()
                .contains("expected at most 200 nested operators"));
    }

    @Test
    void splitsAreSeededTheTestTreesDeeperAndNoTextShared() {
        Expressions.Split a = Expressions.split(5, 2000, 200, 300, 3, 5);
        assertEquals(a, Expressions.split(5, 2000, 200, 300, 3, 5));
        assertNotEquals(a.train(), Expressions.split(6, 2000, 200, 300, 3, 5).train());
        Set<String> train = new HashSet<>();
        int[] depths = new int[8];
        for (Expression e : a.train()) {
            assertTrue(train.add(e.text()));
            depths[e.depth()]++;
        }
        for (Expression e : a.validation()) {
            assertFalse(train.contains(e.text()), e.text());
            assertTrue(e.depth() >= 1 && e.depth() <= 3);
        }
        for (Expression e : a.test()) {
            assertTrue(e.depth() == 4 || e.depth() == 5, e.text());
        }
        assertEquals(0, depths[0]);
        // there are only 2·10·10 = 200 distinct trees of depth 1, so most of them are drawn and the rest is deeper
        assertTrue(depths[1] > 150 && depths[1] <= 200, "depth 1: " + depths[1]);
        for (int d = 2; d <= 3; d++) {
            assertTrue(depths[d] > 2000 / 3, "depth " + d + ": " + depths[d]);
        }
        int[] values = new int[10];
        a.train().forEach(e -> values[e.value()]++);
        for (int v = 0; v < 10; v++) {
            assertTrue(values[v] > 0, "value " + v + " occurs");
        }
        assertThrows(IllegalArgumentException.class, () -> Expressions.split(1, 10, 1, 1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Expressions.split(1, 10_000, 1, 1, 1, 2),
                "there are only 200 distinct trees of depth 1");
    }

    @Test
    void aBatchHoldsTheFlattenedTokensAndTheValues() {
        TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
        Expressions.Trees t = new Expressions.Trees(List.of(Expression.parse("(+ 3 (* 4 5))"), Expression.parse("(* 2 2)")));
        Batch b = t.batch(f, new int[] {1, 0});
        assertArrayEquals(new long[] {5, 9}, b.get(Expressions.Trees.LENGTH).toLongArray());
        assertArrayEquals(new long[] {4, 3}, b.get(Dataset.LABEL).toLongArray());
        long[] tokens = b.get(Expressions.Trees.TOKENS).toLongArray();
        assertEquals(18, tokens.length);
        assertEquals("(*22)", Expressions.VOCABULARY.decode(java.util.Arrays.copyOfRange(tokens, 0, 5)));
        assertArrayEquals(new long[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(tokens, 5, 9), "padding");
        assertEquals("(+3(*45))", Expressions.VOCABULARY.decode(java.util.Arrays.copyOfRange(tokens, 9, 18)));
    }
}
