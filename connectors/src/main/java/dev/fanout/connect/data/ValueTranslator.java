package dev.fanout.connect.data;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Avro values (as Avro's generic reader returns them, logical types not converted) into Connect values of
 * the schema {@link SchemaTranslator} made, and back.
 */
public final class ValueTranslator {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private ValueTranslator() {
    }

    /** The Connect value of {@code value}, read with {@code avro}, for {@code connect}. */
    public static Object toConnect(org.apache.kafka.connect.data.Schema connect, Schema avro, Object value) {
        if (value == null) {
            return null;
        }
        if (avro.getType() == Schema.Type.UNION) {
            Schema branch = SchemaTranslator.optionalBranch(avro);
            if (branch == null) {
                throw new DataException("Avro union " + avro + " has no Connect equivalent");
            }
            return toConnect(connect, branch, value);
        }
        switch (avro.getType()) {
            case RECORD: {
                IndexedRecord record = (IndexedRecord) value;
                Struct struct = new Struct(connect);
                for (Schema.Field field : avro.getFields()) {
                    Field connectField = connect.field(field.name());
                    struct.put(connectField, toConnect(connectField.schema(), field.schema(), record.get(field.pos())));
                }
                return struct;
            }
            case ENUM:
            case STRING:
                return value.toString();
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    list.add(toConnect(connect.valueSchema(), avro.getElementType(), element));
                }
                return list;
            }
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((key, element) ->
                        map.put(key.toString(), toConnect(connect.valueSchema(), avro.getValueType(), element)));
                return map;
            }
            case FIXED:
                return avro.getLogicalType() instanceof LogicalTypes.Decimal
                        ? DECIMALS.fromFixed((GenericFixed) value, avro, avro.getLogicalType())
                        : ((GenericFixed) value).bytes().clone();
            case BYTES: {
                ByteBuffer buffer = (ByteBuffer) value;
                if (avro.getLogicalType() instanceof LogicalTypes.Decimal) {
                    return DECIMALS.fromBytes(buffer.duplicate(), avro, avro.getLogicalType());
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.duplicate().get(bytes);
                return bytes;
            }
            case INT:
                if (Date.LOGICAL_NAME.equals(connect.name())) {
                    return new java.util.Date((Integer) value * MILLIS_PER_DAY);
                }
                if (Time.LOGICAL_NAME.equals(connect.name())) {
                    return new java.util.Date((Integer) value);
                }
                return value;
            case LONG:
                return Timestamp.LOGICAL_NAME.equals(connect.name()) ? new java.util.Date((Long) value) : value;
            default:
                return value;
        }
    }

    /** The Avro value of the Connect {@code value}, to be written with {@code avro}. */
    public static Object toAvro(Schema avro, org.apache.kafka.connect.data.Schema connect, Object value) {
        if (value == null) {
            return null;
        }
        if (avro.getType() == Schema.Type.UNION) {
            return toAvro(SchemaTranslator.optionalBranch(avro), connect, value);
        }
        switch (avro.getType()) {
            case RECORD: {
                Struct struct = (Struct) value;
                GenericData.Record record = new GenericData.Record(avro);
                for (Schema.Field field : avro.getFields()) {
                    Field connectField = connect.field(field.name());
                    record.put(field.pos(), toAvro(field.schema(), connectField.schema(), struct.get(connectField)));
                }
                return record;
            }
            case ENUM:
                return new GenericData.EnumSymbol(avro, value.toString());
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    list.add(toAvro(avro.getElementType(), connect.valueSchema(), element));
                }
                return new GenericData.Array<>(avro, list);
            }
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((key, element) ->
                        map.put(key.toString(), toAvro(avro.getValueType(), connect.valueSchema(), element)));
                return map;
            }
            case FIXED:
                return avro.getLogicalType() instanceof LogicalTypes.Decimal
                        ? DECIMALS.toFixed((BigDecimal) value, avro, avro.getLogicalType())
                        : new GenericData.Fixed(avro, (byte[]) value);
            case BYTES:
                if (avro.getLogicalType() instanceof LogicalTypes.Decimal) {
                    return DECIMALS.toBytes((BigDecimal) value, avro, avro.getLogicalType());
                }
                return value instanceof ByteBuffer buffer ? buffer : ByteBuffer.wrap((byte[]) value);
            case INT:
                if (value instanceof java.util.Date date) {
                    return Date.LOGICAL_NAME.equals(connect.name())
                            ? (int) (date.getTime() / MILLIS_PER_DAY) : (int) date.getTime();
                }
                return ((Number) value).intValue();
            case LONG:
                return value instanceof java.util.Date date ? date.getTime() : ((Number) value).longValue();
            default:
                return value;
        }
    }

    /** A field's default, as {@link Schema.Field#defaultVal()} gives it, for the Connect schema being built. */
    static Object defaultToConnect(org.apache.kafka.connect.data.Schema connect, Schema avro, Object defaultValue) {
        Object avroValue = defaultAsGeneric(avro, defaultValue);
        return toConnect(connect, avro, avroValue);
    }

    /** A Connect default as the JSON-like value {@link Schema.Field}'s constructor takes. */
    static Object defaultToAvro(Schema avro, org.apache.kafka.connect.data.Schema connect, Object defaultValue) {
        Object avroValue = toAvro(avro, connect, defaultValue);
        return asJsonDefault(SchemaTranslator.optionalBranch(avro) != null ? SchemaTranslator.optionalBranch(avro) : avro,
                avroValue);
    }

    private static Object defaultAsGeneric(Schema avro, Object defaultValue) {
        if (defaultValue == JsonProperties.NULL_VALUE) {
            return null;
        }
        Schema branch = SchemaTranslator.optionalBranch(avro);
        Schema type = branch != null ? branch : avro;
        return switch (type.getType()) {
            case ENUM -> new GenericData.EnumSymbol(type, defaultValue.toString());
            case BYTES -> ByteBuffer.wrap((byte[]) defaultValue);
            case FIXED -> new GenericData.Fixed(type, (byte[]) defaultValue);
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object element : (Collection<?>) defaultValue) {
                    list.add(defaultAsGeneric(type.getElementType(), element));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) defaultValue).forEach((key, element) ->
                        map.put(key.toString(), defaultAsGeneric(type.getValueType(), element)));
                yield map;
            }
            case RECORD -> throw new DataException("record " + type.getFullName() + " as a field default has no "
                    + "Connect equivalent");
            default -> defaultValue;
        };
    }

    private static Object asJsonDefault(Schema avro, Object value) {
        if (value == null) {
            return JsonProperties.NULL_VALUE;
        }
        return switch (avro.getType()) {
            case ENUM -> value.toString();
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield bytes;
            }
            case FIXED -> ((GenericFixed) value).bytes();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    list.add(asJsonDefault(avro.getElementType(), element));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((key, element) -> map.put(key.toString(), asJsonDefault(avro.getValueType(), element)));
                yield map;
            }
            default -> value;
        };
    }
}
