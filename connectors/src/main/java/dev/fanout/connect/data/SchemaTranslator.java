package dev.fanout.connect.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Avro schemas into Connect schemas and back, the way Confluent's {@code AvroData} maps them, so that a
 * sink sees the same columns whichever converter it ran with: records become structs named by the
 * record's full name, {@code [null, X]} an optional X, enums strings, {@code timestamp-millis},
 * {@code date}, {@code time-millis} and {@code decimal} Connect's logical types.
 *
 * <p>What Connect has no place for (enum symbols, field docs, fixed sizes, Avro properties such as
 * {@code avro.java.string}) travels in schema parameters, so that the way back gives the schema the
 * registry holds and a value read from a topic is written again with the same id.
 */
public final class SchemaTranslator {

    /** Confluent's parameter names for enums, which tools that know {@code AvroConverter} read. */
    public static final String ENUM = "io.confluent.connect.avro.Enum";
    public static final String ENUM_SYMBOL_PREFIX = ENUM + ".";
    /** Confluent's parameter name for a decimal's precision. */
    public static final String DECIMAL_PRECISION = "connect.decimal.precision";
    public static final String ENUM_DEFAULT = "fanout.avro.enum.default";
    public static final String FIELD_DOC = "fanout.avro.field.doc";
    public static final String FIXED_SIZE = "fanout.avro.fixed.size";
    public static final String FIXED_NAME = "fanout.avro.fixed.name";
    public static final String LOGICAL_TYPE = "fanout.avro.logical.type";
    public static final String PROPERTY_PREFIX = "fanout.avro.property.";
    /** The name given to a struct without one when it becomes an Avro record. */
    public static final String DEFAULT_RECORD_NAME = "dev.fanout.connect.ConnectRecord";

    private static final int DEFAULT_DECIMAL_PRECISION = 64;

    private SchemaTranslator() {
    }

    /** The Connect schema for values written with {@code avro}. */
    public static org.apache.kafka.connect.data.Schema toConnect(Schema avro) {
        Objects.requireNonNull(avro, "avro");
        return toConnect(avro, false, null, null).build();
    }

    /** The Avro schema a value of {@code connect} is written with. */
    public static Schema toAvro(org.apache.kafka.connect.data.Schema connect) {
        Objects.requireNonNull(connect, "connect");
        Schema avro = new AvroBuilder().toAvro(connect);
        return connect.isOptional() ? optional(avro, connect.defaultValue() != null) : avro;
    }

    /** The branch of an optional union {@code [null, X]} or {@code [X, null]}, or null for other schemas. */
    static Schema optionalBranch(Schema avro) {
        if (avro.getType() != Schema.Type.UNION || avro.getTypes().size() != 2) {
            return null;
        }
        Schema first = avro.getTypes().get(0);
        Schema second = avro.getTypes().get(1);
        if (first.getType() == Schema.Type.NULL && second.getType() != Schema.Type.NULL) {
            return second;
        }
        if (second.getType() == Schema.Type.NULL && first.getType() != Schema.Type.NULL) {
            return first;
        }
        return null;
    }

    private static SchemaBuilder toConnect(Schema avro, boolean optional, Schema.Field field, Object defaultValue) {
        if (avro.getType() == Schema.Type.UNION) {
            Schema branch = optionalBranch(avro);
            if (branch == null) {
                throw new DataException("Avro union " + avro + " cannot become a Connect schema: only unions of null "
                        + "and one other type (optional fields) have a Connect equivalent");
            }
            return toConnect(branch, true, field, defaultValue);
        }
        SchemaBuilder builder = typeOf(avro);
        if (field != null && field.doc() != null) {
            builder.parameter(FIELD_DOC, field.doc());
        }
        avro.getObjectProps().forEach((name, value) -> {
            if (!LogicalType.LOGICAL_TYPE_PROP.equals(name) && value instanceof String text) {
                builder.parameter(PROPERTY_PREFIX + name, text);
            }
        });
        if (optional) {
            builder.optional();
        }
        if (defaultValue != null && defaultValue != JsonProperties.NULL_VALUE) {
            builder.defaultValue(ValueTranslator.defaultToConnect(builder, avro, defaultValue));
        }
        return builder;
    }

    private static SchemaBuilder typeOf(Schema avro) {
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case RECORD: {
                SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
                if (avro.getDoc() != null) {
                    struct.doc(avro.getDoc());
                }
                for (Schema.Field field : avro.getFields()) {
                    Object defaultValue = field.hasDefaultValue() ? field.defaultVal() : null;
                    struct.field(field.name(), toConnect(field.schema(), false, field, defaultValue).build());
                }
                return struct;
            }
            case ENUM: {
                SchemaBuilder string = SchemaBuilder.string().name(avro.getFullName()).parameter(ENUM, avro.getFullName());
                avro.getEnumSymbols().forEach(symbol -> string.parameter(ENUM_SYMBOL_PREFIX + symbol, symbol));
                if (avro.getEnumDefault() != null) {
                    string.parameter(ENUM_DEFAULT, avro.getEnumDefault());
                }
                if (avro.getDoc() != null) {
                    string.doc(avro.getDoc());
                }
                return string;
            }
            case ARRAY:
                return SchemaBuilder.array(toConnect(avro.getElementType(), false, null, null).build());
            case MAP:
                return SchemaBuilder.map(org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                        toConnect(avro.getValueType(), false, null, null).build());
            case FIXED: {
                SchemaBuilder bytes = logical instanceof LogicalTypes.Decimal decimal
                        ? decimal(decimal) : SchemaBuilder.bytes().name(avro.getFullName());
                return bytes.parameter(FIXED_SIZE, Integer.toString(avro.getFixedSize()))
                        .parameter(FIXED_NAME, avro.getFullName());
            }
            case BYTES:
                return logical instanceof LogicalTypes.Decimal decimal ? decimal(decimal) : SchemaBuilder.bytes();
            case STRING:
                return withLogicalName(SchemaBuilder.string(), logical);
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return Date.builder();
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return Time.builder();
                }
                return withLogicalName(SchemaBuilder.int32(), logical);
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return Timestamp.builder();
                }
                return withLogicalName(SchemaBuilder.int64(), logical);
            case FLOAT:
                return SchemaBuilder.float32();
            case DOUBLE:
                return SchemaBuilder.float64();
            case BOOLEAN:
                return SchemaBuilder.bool();
            case NULL:
                throw new DataException("Avro type null cannot become a Connect schema on its own; use it in a union "
                        + "[null, X] to make X optional");
            default:
                throw new DataException("Avro type " + avro.getType() + " has no Connect equivalent");
        }
    }

    private static SchemaBuilder decimal(LogicalTypes.Decimal decimal) {
        return Decimal.builder(decimal.getScale()).parameter(DECIMAL_PRECISION, Integer.toString(decimal.getPrecision()));
    }

    /** Logical types Connect has no equivalent for (uuid, timestamp-micros, ...) keep their base type and their name. */
    private static SchemaBuilder withLogicalName(SchemaBuilder builder, LogicalType logical) {
        return logical == null ? builder : builder.parameter(LOGICAL_TYPE, logical.getName());
    }

    static Schema optional(Schema avro, boolean nonNullDefault) {
        Schema nullSchema = Schema.create(Schema.Type.NULL);
        // Avro's default must match a union's first branch: a non-null default puts null last.
        return Schema.createUnion(nonNullDefault ? List.of(avro, nullSchema) : List.of(nullSchema, avro));
    }

    /** One conversion to Avro: it remembers the named types already defined, which Avro must not define twice. */
    private static final class AvroBuilder {
        private final Map<String, Schema> named = new LinkedHashMap<>();
        private int unnamed;

        Schema toAvro(org.apache.kafka.connect.data.Schema connect) {
            Map<String, String> parameters = connect.parameters() == null ? Map.of() : connect.parameters();
            Schema avro = switch (connect.type()) {
                case STRUCT -> record(connect);
                case STRING -> parameters.containsKey(ENUM) ? enumeration(connect, parameters) : logical(Schema.create(Schema.Type.STRING), parameters);
                case ARRAY -> Schema.createArray(field(connect.valueSchema()));
                case MAP -> map(connect);
                case BYTES -> bytes(connect, parameters);
                case INT8, INT16 -> Schema.create(Schema.Type.INT);
                case INT32 -> int32(connect, parameters);
                case INT64 -> Timestamp.LOGICAL_NAME.equals(connect.name())
                        ? LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))
                        : logical(Schema.create(Schema.Type.LONG), parameters);
                case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
                case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
                case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            };
            if (avro.getType() != Schema.Type.RECORD && avro.getType() != Schema.Type.ENUM && avro.getType() != Schema.Type.FIXED) {
                parameters.forEach((name, value) -> {
                    if (name.startsWith(PROPERTY_PREFIX)) {
                        avro.addProp(name.substring(PROPERTY_PREFIX.length()), value);
                    }
                });
            }
            return avro;
        }

        /** A field's or an element's schema: optional Connect schemas become unions with null. */
        private Schema field(org.apache.kafka.connect.data.Schema connect) {
            Schema avro = toAvro(connect);
            return connect.isOptional() ? optional(avro, connect.defaultValue() != null) : avro;
        }

        private Schema record(org.apache.kafka.connect.data.Schema connect) {
            String name = connect.name() != null ? connect.name()
                    : DEFAULT_RECORD_NAME + (unnamed++ == 0 ? "" : Integer.toString(unnamed - 1));
            Schema existing = named.get(name);
            if (existing != null) {
                return existing;
            }
            Schema record = Schema.createRecord(name, connect.doc(), null, false);
            named.put(name, record);
            List<Schema.Field> fields = new ArrayList<>();
            for (Field field : connect.fields()) {
                org.apache.kafka.connect.data.Schema fieldSchema = field.schema();
                Schema avro = field(fieldSchema);
                String doc = fieldSchema.parameters() == null ? null : fieldSchema.parameters().get(FIELD_DOC);
                Object defaultValue = fieldSchema.defaultValue() != null
                        ? ValueTranslator.defaultToAvro(avro, fieldSchema, fieldSchema.defaultValue())
                        : fieldSchema.isOptional() ? JsonProperties.NULL_VALUE : null;
                fields.add(new Schema.Field(field.name(), avro, doc, defaultValue));
            }
            record.setFields(fields);
            return record;
        }

        private Schema enumeration(org.apache.kafka.connect.data.Schema connect, Map<String, String> parameters) {
            String name = parameters.get(ENUM);
            Schema existing = named.get(name);
            if (existing != null) {
                return existing;
            }
            List<String> symbols = parameters.entrySet().stream()
                    .filter(entry -> entry.getKey().startsWith(ENUM_SYMBOL_PREFIX))
                    .map(Map.Entry::getValue).toList();
            Schema enumeration = Schema.createEnum(name, connect.doc(), null, symbols, parameters.get(ENUM_DEFAULT));
            named.put(name, enumeration);
            return enumeration;
        }

        private Schema map(org.apache.kafka.connect.data.Schema connect) {
            if (connect.keySchema().type() != org.apache.kafka.connect.data.Schema.Type.STRING) {
                throw new DataException("Connect map with " + connect.keySchema().type() + " keys cannot become Avro: "
                        + "Avro maps have string keys; convert the keys to strings with a transform first");
            }
            return Schema.createMap(field(connect.valueSchema()));
        }

        private Schema bytes(org.apache.kafka.connect.data.Schema connect, Map<String, String> parameters) {
            String fixedSize = parameters.get(FIXED_SIZE);
            Schema base;
            if (fixedSize != null) {
                String name = parameters.getOrDefault(FIXED_NAME, connect.name());
                Schema existing = named.get(name);
                if (existing != null) {
                    return existing;
                }
                base = Schema.createFixed(name, null, null, Integer.parseInt(fixedSize));
                named.put(name, base);
            } else {
                base = Schema.create(Schema.Type.BYTES);
            }
            if (Decimal.LOGICAL_NAME.equals(connect.name())) {
                int scale = Integer.parseInt(parameters.get(Decimal.SCALE_FIELD));
                int precision = Integer.parseInt(parameters.getOrDefault(DECIMAL_PRECISION,
                        Integer.toString(DEFAULT_DECIMAL_PRECISION)));
                return LogicalTypes.decimal(precision, scale).addToSchema(base);
            }
            return base;
        }

        private Schema int32(org.apache.kafka.connect.data.Schema connect, Map<String, String> parameters) {
            if (Date.LOGICAL_NAME.equals(connect.name())) {
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            }
            if (Time.LOGICAL_NAME.equals(connect.name())) {
                return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
            }
            return logical(Schema.create(Schema.Type.INT), parameters);
        }

        private static Schema logical(Schema base, Map<String, String> parameters) {
            String logical = parameters.get(LOGICAL_TYPE);
            if (logical != null) {
                base.addProp(LogicalType.LOGICAL_TYPE_PROP, logical);
            }
            return base;
        }
    }
}
