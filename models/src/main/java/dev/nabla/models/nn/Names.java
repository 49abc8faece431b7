package dev.nabla.models.nn;

import java.util.Collection;

/**
 * Names for error messages, bounded: a checkpoint may hold 100,000 tensors, and a message listing them
 * all would bury what went wrong (state loaders of blocks and optimizers use it).
 */
public final class Names {
    /** How many names a message lists. */
    public static final int MAX_LISTED = 8;
    /** How many characters of one name a message quotes. */
    public static final int MAX_CHARS = 80;

    private Names() {
    }

    /** The first {@value #MAX_LISTED} of {@code names}, each cut to {@value #MAX_CHARS} characters, and how many there are. */
    public static String listed(Collection<String> names) {
        StringBuilder b = new StringBuilder("[");
        int i = 0;
        for (String n : names) {
            if (i == MAX_LISTED) {
                b.append(", … (").append(names.size()).append(" in all)");
                break;
            }
            b.append(i++ == 0 ? "" : ", ").append(abbreviated(n));
        }
        return b.append(']').toString();
    }

    /** {@code name}, cut to {@value #MAX_CHARS} characters with its length said when longer. */
    public static String abbreviated(String name) {
        return name.length() <= MAX_CHARS ? name : name.substring(0, MAX_CHARS) + "…(" + name.length() + " chars)";
    }
}
