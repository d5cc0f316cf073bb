package dev.fanout.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/**
 * The value schemas of the public topics as clients in any language use them: one self-contained
 * {@code .avsc} per record, each named type written out in full where it is first used, as Avro's
 * {@link Schema#toString()} of the parsed schema does. The sources under {@code src/main/avro} refer to
 * each other by name, which a Confluent client cannot register.
 *
 * <p>The build writes them into the jar under {@value #RESOURCE_DIR} (this class's {@link #main}); the
 * same files are committed under {@code schemas/contract/}, where users look, and a test fails when the
 * two drift apart.
 */
public final class ContractSchemas {

    /** The value records of the public topics, in the order of the contract. */
    public static final List<String> NAMES = List.of(
            "ArtifactEvent", "Subscription", "Trigger", "RunStatus", "FanOutDone", "TreeDone", "TreeProgress",
            "TreeCancel", "RunCancellation", "RepoLimits");

    /** Where the files sit on the classpath. */
    public static final String RESOURCE_DIR = "dev/fanout/contract";

    private static final String NAMESPACE = "dev.fanout.avro";

    private ContractSchemas() {
    }

    /**
     * The self-contained text of every contract schema, by record name, generated from the sources.
     *
     * @param sourceDir the {@code .avsc} sources, such as {@code schemas/src/main/avro}
     */
    public static Map<String, String> generate(Path sourceDir) {
        Objects.requireNonNull(sourceDir, "sourceDir");
        // The files refer to types defined in other files: parse them all; the parser resolves the references.
        SchemaParser parser = new SchemaParser();
        try (Stream<Path> files = Files.walk(sourceDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                parser.parse(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Avro sources under " + sourceDir, e);
        }
        Map<String, Schema> named = new LinkedHashMap<>();
        parser.getParsedNamedSchemas().forEach(schema -> named.put(schema.getFullName(), schema));
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : NAMES) {
            Schema schema = named.get(NAMESPACE + "." + name);
            if (schema == null) {
                throw new IllegalStateException("no record " + NAMESPACE + "." + name + " under " + sourceDir);
            }
            texts.put(name, fileText(schema));
        }
        return texts;
    }

    /** The file name of a contract schema, such as {@code ArtifactEvent.avsc}. */
    public static String fileName(String name) {
        return name + ".avsc";
    }

    /** The shipped text of one contract schema, as the jar holds it. */
    public static String text(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a contract schema; they are " + NAMES);
        }
        String resource = RESOURCE_DIR + "/" + fileName(name);
        try (InputStream in = ContractSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the contract schema " + resource + " is not on the classpath; "
                        + "build the schemas module (its process-classes phase writes it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The shipped contract schema, parsed. */
    public static Schema schema(String name) {
        return new Schema.Parser().parse(text(name));
    }

    @SuppressWarnings("deprecation") // the pretty form is the one people read; Avro 1.12 keeps it
    private static String fileText(Schema schema) {
        return schema.toString(true) + "\n";
    }

    /**
     * Writes the contract schemas generated from {@code args[0]} (the sources) into each directory that
     * follows. The build runs it to put them into the jar.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ContractSchemas SOURCE_DIR OUTPUT_DIR...");
        }
        Map<String, String> texts = generate(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            Path out = Files.createDirectories(Path.of(args[i]));
            for (Map.Entry<String, String> e : texts.entrySet()) {
                Files.writeString(out.resolve(fileName(e.getKey())), e.getValue(), StandardCharsets.UTF_8);
            }
        }
    }
}
