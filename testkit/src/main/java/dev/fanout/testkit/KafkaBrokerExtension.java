package dev.fanout.testkit;

import dev.fanout.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one real KRaft broker per test JVM, on loopback and a free port, and shares it with every test
 * class that uses the extension. The broker is stopped when the JVM's root extension store closes, i.e.
 * after the last test class.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class SomethingIT {
 *     @Test void works(EmbeddedKafkaBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * Tests share the broker, so each test class uses topic names of its own.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final String KEY = KafkaBrokerExtension.class.getName();

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    /** The shared broker's address; starts the broker if no test has yet. */
    public static String bootstrapServers() {
        return SharedBroker.INSTANCE.broker().bootstrapServers();
    }

    private static EmbeddedKafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> SharedBroker.INSTANCE, SharedBroker.class)
                .broker();
    }

    /** Holder of the JVM's one broker; closed by JUnit with the root store. */
    private static final class SharedBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        static final SharedBroker INSTANCE = new SharedBroker();

        private EmbeddedKafkaBroker broker;
        private Path dataDir;

        synchronized EmbeddedKafkaBroker broker() {
            if (broker == null) {
                try {
                    dataDir = Files.createTempDirectory("fanout-test-broker");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).build().start();
            }
            return broker;
        }

        @Override
        public synchronized void close() throws IOException {
            if (broker != null) {
                broker.close();
                broker = null;
                TempDirs.deleteRecursively(dataDir);
            }
        }
    }
}
