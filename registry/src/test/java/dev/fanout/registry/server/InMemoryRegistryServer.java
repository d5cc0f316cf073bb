package dev.fanout.registry.server;

/**
 * The real HTTP server and rules over an in-memory store, on a free port: what the unit tests of the
 * API talk to.
 */
final class InMemoryRegistryServer implements AutoCloseable {

    final InMemorySchemaStore store = new InMemorySchemaStore();
    private final RegistryHttpServer server =
            RegistryHttpServer.start("127.0.0.1", 0, new RegistryApi(new Registry(store)).router());
    final RegistryClient client = new RegistryClient("http://127.0.0.1:" + server.address().getPort());

    @Override
    public void close() {
        server.close();
    }
}
