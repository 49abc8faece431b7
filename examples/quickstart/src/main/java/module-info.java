/**
 * A program that uses Nabla: it needs the model library only (which brings the api along). The backend is
 * not named here: any {@code dev.nabla.api.spi.BackendProvider} on the module path is found through
 * {@code ServiceLoader} (service binding resolves it).
 */
module org.example.quickstart {
    requires dev.nabla.models;
}
