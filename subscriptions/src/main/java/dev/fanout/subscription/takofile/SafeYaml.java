package dev.fanout.subscription.takofile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML defensively.
 *
 * <p>The SnakeYAML {@link LoaderOptions} carry tight limits (aliases, nesting, code points, no duplicate
 * keys). Only some of them take effect, though: Jackson drives SnakeYAML's event parser, not its
 * composer, so alias and nesting limits (enforced by the composer) are never consulted, and an alias
 * reaches Jackson as a plain string holding the anchor's name. Values would then be silently wrong, so
 * {@link #index} walks the token stream first and refuses every alias itself, while nesting is bounded
 * by Jackson's {@link StreamReadConstraints}. The SnakeYAML limits stay configured in case a future
 * Jackson composes documents.
 *
 * <p>Binding is strict: unknown keys fail, and scalars are not coerced ({@code schema_version: 1.10}
 * would otherwise become the string "1.1").
 */
final class SafeYaml {

    /** SnakeYAML's own alias budget, see the class comment for why it is not the only defence. */
    static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

    private final TakoFileLimits limits;
    private final YAMLFactory factory;
    private final ObjectMapper mapper;

    SafeYaml(TakoFileLimits limits) {
        this.limits = limits;
        LoaderOptions loaderOptions = new LoaderOptions();
        loaderOptions.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        loaderOptions.setNestingDepthLimit(limits.maxNestingDepth());
        loaderOptions.setCodePointLimit((int) limits.maxFileBytes());
        loaderOptions.setAllowDuplicateKeys(false);
        loaderOptions.setAllowRecursiveKeys(false);
        this.factory = YAMLFactory.builder()
                .loaderOptions(loaderOptions)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxDocumentLength(limits.maxFileBytes())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        YAMLMapper yamlMapper = YAMLMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType textual : new LogicalType[] {LogicalType.Textual, LogicalType.Enum}) {
            yamlMapper.coercionConfigFor(textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        this.mapper = yamlMapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /**
     * First pass over the token stream: refuses aliases and second documents, lets Jackson's
     * {@link StreamReadConstraints} refuse deep nesting, and records where every key and value starts.
     */
    LineIndex index(byte[] content) throws TakoFileException {
        LineIndex index = new LineIndex();
        int line = 1;
        try (JsonParser parser = factory.createParser(content)) {
            int depth = 0;
            int documents = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                line = parser.currentTokenLocation().getLineNr();
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    throw new TakoFileException(line, "YAML alias '*" + parser.getText()
                            + "' is not supported in tako.yml; write the value out instead of referring to an anchor");
                }
                if (depth == 0 && ++documents > 1) {
                    throw new TakoFileException(line, "a second YAML document starts here; a tako.yml holds exactly one");
                }
                index.record(parser.getParsingContext().pathAsPointer().toString(), line, token);
                depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
            }
        } catch (StreamConstraintsException e) {
            throw new TakoFileException(line, "mappings and lists are nested more than "
                    + limits.maxNestingDepth() + " levels deep; flatten the document");
        } catch (JsonProcessingException e) {
            throw YamlSyntax.describe(e, line);
        } catch (IOException e) {
            throw new TakoFileException(line, "cannot read: " + e.getMessage());
        }
        return index;
    }

    /** Second pass, after {@link #index} accepted the content: the document as a tree. */
    JsonNode tree(byte[] content) throws TakoFileException {
        try {
            return mapper.readTree(content);
        } catch (IOException e) {
            throw new TakoFileException(0, "cannot read: " + e.getMessage());
        }
    }
}
