package dev.nabla.models.recurrent.tree;

/** A recursive-descent reader of {@link Expression#parse}'s grammar. */
final class ExpressionParser {
    /** The deepest nesting read, so a hostile text cannot overflow the stack. */
    static final int MAX_DEPTH = 200;

    private final String text;
    private int at;

    ExpressionParser(String text) {
        this.text = text;
    }

    Expression parseAll() {
        if (text.isBlank()) {
            throw error("an expression", "the text is empty");
        }
        skipSpaces();
        Expression e = expression(0);
        skipSpaces();
        if (at < text.length()) {
            throw error("the end", "found '" + text.charAt(at) + "'");
        }
        return e;
    }

    private Expression expression(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " nested operators", "deeper nesting");
        }
        if (at >= text.length()) {
            throw error("a digit or '('", "the text ends");
        }
        char c = text.charAt(at);
        if (c >= '0' && c <= '9') {
            at++;
            if (at < text.length() && Character.isDigit(text.charAt(at))) {
                throw error("a single digit", "found '" + text.charAt(at) + "' after '" + c + "'");
            }
            return new Expression.Digit(c - '0');
        }
        if (c != '(') {
            throw error("a digit or '('", "found '" + c + "'");
        }
        at++;
        skipSpaces();
        if (at >= text.length()) {
            throw error("'+' or '*'", "the text ends");
        }
        char op = text.charAt(at);
        if (op != '+' && op != '*') {
            throw error("'+' or '*'", "found '" + op + "'");
        }
        at++;
        requireSpace();
        Expression left = expression(depth + 1);
        requireSpace();
        Expression right = expression(depth + 1);
        skipSpaces();
        if (at >= text.length()) {
            throw error("')'", "the text ends");
        }
        if (text.charAt(at) != ')') {
            throw error("')'", "found '" + text.charAt(at) + "'");
        }
        at++;
        return new Expression.Op(op, left, right);
    }

    private void requireSpace() {
        if (at < text.length() && text.charAt(at) != ' ' && text.charAt(at) != '(') {
            throw error("a space", "found '" + text.charAt(at) + "'");
        }
        skipSpaces();
    }

    private void skipSpaces() {
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
    }

    private IllegalArgumentException error(String expected, String found) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return new IllegalArgumentException("expression \"" + shown + "\" does not parse: expected " + expected
                + " at position " + at + ", " + found);
    }
}
