package dev.fanout.connect.transforms;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Replaces top-level fields of a struct value with their JSON text ({@link ConnectJson}), for sinks
 * whose columns cannot hold arrays or nested records: {@code TreeDone.failures} becomes one text column
 * that PostgreSQL can still query with {@code ::jsonb}.
 *
 * <pre>
 * transforms=failuresAsJson
 * transforms.failuresAsJson.type=dev.fanout.connect.transforms.FieldsToJson
 * transforms.failuresAsJson.fields=failures
 * </pre>
 *
 * Records without a value (tombstones) pass unchanged; a value that is not a struct, or a field the
 * value does not have, fails with a {@link DataException} naming it.
 */
public final class FieldsToJson<R extends ConnectRecord<R>> implements Transformation<R> {

    public static final String FIELDS = "fields";

    private static final ConfigDef CONFIG = new ConfigDef().define(FIELDS, ConfigDef.Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
            "Top-level fields of the value to replace with their JSON text, such as failures,results.");

    private final Map<Schema, Schema> schemas = new ConcurrentHashMap<>();
    private Set<String> fields = Set.of();

    @Override
    public void configure(Map<String, ?> configs) {
        List<String> names = new AbstractConfig(CONFIG, configs).getList(FIELDS);
        if (names.isEmpty()) {
            throw new ConfigException(FIELDS, "", "name at least one field of the value, such as failures");
        }
        fields = Set.copyOf(names);
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        if (!(record.value() instanceof Struct value)) {
            throw new DataException("FieldsToJson: topic " + record.topic() + ": the value is a "
                    + record.value().getClass().getSimpleName() + ", not a struct with a schema; read it with a "
                    + "converter that gives schemas, such as dev.fanout.connect.FanoutAvroConverter");
        }
        Schema schema = schemas.computeIfAbsent(value.schema(), this::withJsonFields);
        Struct converted = new Struct(schema);
        for (Field field : schema.fields()) {
            Object original = value.get(field.name());
            boolean asJson = fields.contains(field.name());
            converted.put(field, asJson && original != null
                    ? ConnectJson.text(value.schema().field(field.name()).schema(), original) : original);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                schema, converted, record.timestamp(), record.headers());
    }

    private Schema withJsonFields(Schema schema) {
        for (String name : fields) {
            if (schema.field(name) == null) {
                throw new DataException("FieldsToJson: the value " + (schema.name() == null ? "" : schema.name() + " ")
                        + "has no field " + name + "; its fields are "
                        + schema.fields().stream().map(Field::name).toList() + " (setting " + FIELDS + ")");
            }
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.isOptional()) {
            builder.optional();
        }
        for (Field field : schema.fields()) {
            builder.field(field.name(), fields.contains(field.name())
                    ? (field.schema().isOptional() ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA)
                    : field.schema());
        }
        return builder.build();
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {
        schemas.clear();
    }
}
