package dev.fanout.subscription.cel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.cel.common.types.CelType;
import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON text to CEL values and back.
 *
 * <p>CEL's runtime speaks Java {@code Map}, {@code List}, {@code String}, {@code Long}, {@code Double},
 * {@code Boolean} and {@link NullValue}. JSON integers become {@code Long} when they fit and {@code Double}
 * otherwise, so that {@code event.payload.count + 1} type-checks at runtime. Results go back to JSON
 * because triggers carry inputs and items as JSON text.
 */
public final class CelJson {

    // Thread-safe once configured; shared because building a mapper per event is costly.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CelJson() {
    }

    /** Parses JSON text into CEL values; the exception names what is wrong and where. */
    public static Object parse(String json) throws JsonProcessingException {
        Objects.requireNonNull(json, "json");
        return toCel(MAPPER.readTree(json));
    }

    /** Renders a CEL value as JSON text; unsupported values (NaN, opaque types) throw {@link IllegalArgumentException}. */
    public static String toJson(Object celValue) {
        try {
            return MAPPER.writeValueAsString(toNode(celValue));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object toCel(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(field -> map.put(field.getKey(), toCel(field.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(toCel(element)));
            return Collections.unmodifiableList(list);
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }

    private static JsonNode toNode(Object value) {
        if (value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue) {
            return NODES.nullNode();
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof UnsignedLong u) {
            return NODES.numberNode(u.bigIntegerValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("the number " + d + " cannot be written as JSON");
            }
            return NODES.numberNode(BigDecimal.valueOf(d));
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof ByteString bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
        if (value instanceof Timestamp t) {
            return NODES.textNode(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString());
        }
        if (value instanceof Duration d) {
            // The JSON form CEL and protobuf use for durations: seconds with an 's' suffix.
            return NODES.textNode(BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNanos(), 9))
                    .stripTrailingZeros().toPlainString() + "s");
        }
        if (value instanceof CelType type) {
            return NODES.textNode(type.name());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, element) -> object.set(keyText(key), toNode(element)));
            return object;
        }
        if (value instanceof Iterable<?> iterable) {
            ArrayNode array = NODES.arrayNode();
            iterable.forEach(element -> array.add(toNode(element)));
            return array;
        }
        if (value instanceof java.util.Optional<?> optional) {
            return optional.isPresent() ? toNode(optional.get()) : NODES.nullNode();
        }
        throw new IllegalArgumentException("a value of type " + value.getClass().getSimpleName()
                + " cannot be written as JSON");
    }

    private static String keyText(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Long || key instanceof Boolean || key instanceof UnsignedLong) {
            return String.valueOf(key);
        }
        throw new IllegalArgumentException("a map key of type " + key.getClass().getSimpleName()
                + " cannot be written as JSON");
    }
}
