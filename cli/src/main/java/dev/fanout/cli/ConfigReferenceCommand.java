package dev.fanout.cli;

import dev.fanout.config.FanoutConfig;
import dev.fanout.serde.AvroSerdeConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Prints the configuration reference as Markdown tables, straight from the {@link ConfigDef}s, so
 * {@code docs/configuration.md} is generated rather than written by hand (a test keeps them equal).
 */
@Command(name = "config-reference", hidden = true, mixinStandardHelpOptions = true,
        description = "Print every setting as Markdown (the tables of docs/configuration.md).")
public final class ConfigReferenceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(markdown());
    }

    /** The generated part of docs/configuration.md. */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ConfigDef> section : sections().entrySet()) {
            sb.append("### ").append(section.getKey()).append("\n\n");
            sb.append("| key | type | default | valid values | description |\n");
            sb.append("|---|---|---|---|---|\n");
            List<ConfigDef.ConfigKey> keys = section.getValue().configKeys().values().stream()
                    .sorted((a, b) -> a.name.compareTo(b.name)).toList();
            for (ConfigDef.ConfigKey key : keys) {
                sb.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase()).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static Map<String, ConfigDef> sections() {
        var sections = new java.util.LinkedHashMap<String, ConfigDef>();
        sections.put("Fanout", FanoutConfig.configDef());
        sections.put("Schema Registry serde and client", AvroSerdeConfig.configDef());
        return sections;
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "*required*";
        }
        Object v = key.defaultValue;
        if (v == null) {
            return "null";
        }
        if (v instanceof Password) {
            return "null";
        }
        if (v instanceof List<?> list) {
            return list.isEmpty() ? "\"\"" : "`" + list.stream().map(String::valueOf).collect(Collectors.joining(",")) + "`";
        }
        String text = String.valueOf(v);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
