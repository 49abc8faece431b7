package dev.nabla.api.spi;

import dev.nabla.api.flow.Flow;
import java.util.Set;

/**
 * Service interface for named bijector factories ({@code "maf"}, {@code "realnvp"}, …), found with
 * {@link java.util.ServiceLoader}.
 */
public interface FlowProvider {
    /** The flow names this provider builds. */
    Set<String> names();

    /**
     * Builds the named flow.
     *
     * @throws IllegalArgumentException for an unknown name or bad configuration, naming what is wrong
     */
    Flow create(String name, BuildContext context);
}
