/**
 * Nabla's conformance kit: the JUnit 5 suite every backend provider runs from its own test folder
 * (see {@link dev.nabla.tck.BackendConformanceSuite}). It needs the API and JUnit Jupiter only; it
 * never sees a provider.
 */
module dev.nabla.tck {
    requires transitive dev.nabla.api;
    requires transitive org.junit.jupiter.api;

    exports dev.nabla.tck;

    // JUnit discovers and invokes the suite's inherited test-factory methods reflectively.
    opens dev.nabla.tck to org.junit.platform.commons;
}
