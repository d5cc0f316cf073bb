package dev.fanout.app;

import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.KafkaBrokerExtension;
import dev.fanout.testkit.TempDirs;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
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
 * a {@code @BeforeAll} parameter is shared by the class's tests and closed after the last one. A
 * {@link Shared} parameter is the test JVM's one shared pipeline, started once for every class that asks
 * for it: the cheapest on a slow machine. Tests that share a pipeline keep apart by artifacts and tree ids.
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
    private static final String SHARED = "shared-pipeline";
    /** The shared pipeline's settings: deep enough for three levels, shallow enough to test the cap at four. */
    private static final Map<String, String> SHARED_SETTINGS = Map.of("fanout.max.depth", "3");

    /**
     * The test JVM's one pipeline with {@link Pipeline}'s test defaults and {@code fanout.max.depth} 3,
     * closed after the last test class.
     */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Shared {
    }

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
        if (parameter.isAnnotated(Shared.class)) {
            String registryUrl = registry(context).url();
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SHARED,
                    key -> new Started(startPipeline(context, registryUrl, SHARED_SETTINGS, true)), Started.class)
                    .pipeline();
        }
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
        Pipeline pipeline = startPipeline(context, registry(context).url(), overrides,
                options == null || options.started());
        context.getStore(NAMESPACE).put(pipeline, new Started(pipeline));
        return pipeline;
    }

    private static Pipeline startPipeline(ExtensionContext context, String registryUrl, Map<String, String> overrides,
            boolean started) {
        Pipeline pipeline = null;
        try {
            pipeline = new Pipeline(KafkaBrokerExtension.bootstrapServers(), registryUrl,
                    Files.createTempDirectory("fanout-it-state"), overrides);
            if (started) {
                pipeline.start();
            }
            return pipeline;
        } catch (Exception e) {
            if (pipeline != null) {
                new Started(pipeline).close();
            }
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

    /** A pipeline in a store: closed with the context that asked for it, then its state directory removed. */
    private record Started(Pipeline pipeline) implements AutoCloseable {
        @Override
        public void close() {
            pipeline.close();
            try {
                TempDirs.deleteRecursively(Path.of((String) pipeline.settings().get(StreamsConfig.STATE_DIR_CONFIG)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record SharedRegistry(EmbeddedSchemaRegistry registry) implements AutoCloseable {
        @Override
        public void close() {
            registry.close();
        }
    }
}
