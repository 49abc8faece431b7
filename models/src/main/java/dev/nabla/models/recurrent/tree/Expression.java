package dev.nabla.models.recurrent.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * An arithmetic-expression tree over the digits 0–9 with sums and products mod 10: a {@link Digit} leaf
 * or an {@link Op} with two children. Its text is prefix notation, {@code (+ 3 (* 4 5))}, which
 * {@link #parse} reads back; its value is computed mod 10 ({@code (+ 3 (* 4 5))} is 3).
 */
public sealed interface Expression permits Expression.Digit, Expression.Op {
    /** The value mod 10. */
    int value();

    /** The number of operators on the longest path from the root to a leaf (0 for a digit). */
    int depth();

    /** The number of nodes. */
    int size();

    /** The token of this node: {@code '0'…'9'}, {@code '+'} or {@code '*'}. */
    char token();

    /** The children, left to right (none for a digit). */
    List<Expression> children();

    /** The text, {@code (+ 3 (* 4 5))}. */
    String text();

    /**
     * A leaf.
     *
     * @param digit 0 to 9
     */
    record Digit(int digit) implements Expression {
        /** Checks the digit. */
        public Digit {
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("Expression: a digit is 0 to 9, got " + digit);
            }
        }

        @Override
        public int value() {
            return digit;
        }

        @Override
        public int depth() {
            return 0;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public char token() {
            return (char) ('0' + digit);
        }

        @Override
        public List<Expression> children() {
            return List.of();
        }

        @Override
        public String text() {
            return String.valueOf(digit);
        }
    }

    /**
     * A sum or product of two sub-expressions, mod 10.
     *
     * @param op    {@code '+'} or {@code '*'}
     * @param left  the left operand
     * @param right the right operand
     */
    record Op(char op, Expression left, Expression right) implements Expression {
        /** Checks the operator. */
        public Op {
            if (op != '+' && op != '*') {
                throw new IllegalArgumentException("Expression: an operator is '+' or '*', got '" + op + "'");
            }
        }

        @Override
        public int value() {
            return op == '+' ? (left.value() + right.value()) % 10 : left.value() * right.value() % 10;
        }

        @Override
        public int depth() {
            return 1 + Math.max(left.depth(), right.depth());
        }

        @Override
        public int size() {
            return 1 + left.size() + right.size();
        }

        @Override
        public char token() {
            return op;
        }

        @Override
        public List<Expression> children() {
            return List.of(left, right);
        }

        @Override
        public String text() {
            return "(" + op + " " + left.text() + " " + right.text() + ")";
        }
    }

    /** The tokens of the text without spaces, in order: {@code ( + 3 ( * 4 5 ) )}. */
    default List<Character> flatten() {
        List<Character> out = new ArrayList<>();
        for (char c : text().toCharArray()) {
            if (c != ' ') {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Reads the text of an expression: a digit, or {@code (OP A B)} with {@code OP} {@code +} or
     * {@code *}, spaces between the parts (any number, at least one between an operator and its operands
     * or between two digits), nothing after the end.
     *
     * @throws IllegalArgumentException one line naming the text, what was expected and the position (0-based)
     */
    static Expression parse(String text) {
        return new ExpressionParser(text).parseAll();
    }
}
