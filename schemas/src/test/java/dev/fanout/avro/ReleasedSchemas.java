package dev.fanout.avro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/**
 * The schemas of every released version, kept under {@code src/test/resources/released/<version>/} as
 * they were shipped. Add a directory when a version is released; never edit one.
 */
public final class ReleasedSchemas {

    private ReleasedSchemas() {
    }

    /** Released versions, such as {@code 0.1.0}. */
    public static List<String> versions() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every named type of a version (records and enums, nested ones too), by full name. */
    public static Map<String, Schema> of(String version) {
        // Files refer to types defined in other files: parse them all; the parser resolves the references.
        SchemaParser parser = new SchemaParser();
        try (Stream<Path> files = Files.walk(root().resolve(version))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                parser.parse(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Schema> schemas = new TreeMap<>();
        parser.getParsedNamedSchemas().forEach(schema -> schemas.put(schema.getFullName(), schema));
        return schemas;
    }

    private static Path root() {
        URL url = ReleasedSchemas.class.getClassLoader().getResource("released");
        if (url == null) {
            throw new IllegalStateException("no released/ directory on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
