package dev.fanout.app;

import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.KafkaBrokerExtension;
import dev.fanout.testkit.TempDirs;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a started {@link Pipeline} on the shared KRaft broker ({@link KafkaBrokerExtension}) and
 * an embedded Schema Registry shared by the test JVM, each pipeline with its own topics, application id
 * and state directory.
 *
 * <p>A pipeline lives as long as what asked for it: a test method's parameter is closed after that test;
 * a {@code @BeforeAll} parameter is shared by the class's tests and closed after the last one (tests that
 * share it keep apart by artifact and tree ids).
 *
 * <pre>{@code
 * @ExtendWith(PipelineExtension.class)
 * class SomethingIT {
 *     @Test void works(Pipeline fanout) { ... }
 *     @Test void atLeastOnce(@PipelineExtension.Options(settings = "processing.guarantee=at_least_once")
 *             Pipeline fanout) { ... }
 * }
 * }</pre>
 */
public final class PipelineExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PipelineExtension.class);
    private static final String REGISTRY = "registry";

    /** Settings on top of {@link Pipeline}'s test defaults, and whether to start the topology in this JVM. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Options {
        /** {@code key=value} pairs, such as {@code fanout.max.depth=2}. */
        String[] settings() default {};

        /** False for a test that runs the topology elsewhere (a child JVM) from {@link Pipeline#settings()}. */
        boolean started() default true;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        new KafkaBrokerExtension().beforeAll(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Pipeline.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Options options = parameter.findAnnotation(Options.class).orElse(null);
        Map<String, String> overrides = new HashMap<>();
        if (options != null) {
            for (String setting : options.settings()) {
                int equals = setting.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("pipeline setting '" + setting + "' of "
                            + parameter.getDeclaringExecutable() + " is not key=value; write it as "
                            + "\"processing.guarantee=at_least_once\"");
                }
                overrides.put(setting.substring(0, equals), setting.substring(equals + 1));
            }
        }
        try {
            Path stateDir = Files.createTempDirectory("fanout-it-state");
            Pipeline pipeline = new Pipeline(KafkaBrokerExtension.bootstrapServers(), registry(context).url(), stateDir,
                    overrides);
            // Stored in the context that asked: closed with it, then its state directory removed.
            context.getStore(NAMESPACE).put(pipeline, (AutoCloseable) () -> {
                pipeline.close();
                TempDirs.deleteRecursively(stateDir);
            });
            if (options == null || options.started()) {
                pipeline.start();
            }
            return pipeline;
        } catch (Exception e) {
            throw new IllegalStateException("could not start a Fanout pipeline for " + context.getDisplayName(), e);
        }
    }

    /** The JVM's one registry, on the shared broker; closed with the root context, before the broker. */
    private static EmbeddedSchemaRegistry registry(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(REGISTRY, key -> new SharedRegistry(
                EmbeddedSchemaRegistry.builder()
                        .bootstrapServers(KafkaBrokerExtension.bootstrapServers())
                        .port(0)
                        .topic("_schemas-topology-it")
                        .build()
                        .start()), SharedRegistry.class).registry();
    }

    private record SharedRegistry(EmbeddedSchemaRegistry registry) implements AutoCloseable {
        @Override
        public void close() {
            registry.close();
        }
    }
}
