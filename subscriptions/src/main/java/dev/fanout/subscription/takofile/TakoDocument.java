package dev.fanout.subscription.takofile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.Problem;
import dev.fanout.subscription.SubscriptionNames;
import dev.fanout.subscription.SubscriptionValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tako.yml document, already checked by {@link SafeYaml#index}: reads its subscriptions entry by
 * entry, so that an error in one entry is reported at its line and does not hide the others, and its
 * top-level {@code limits} ({@link LimitsEntry}).
 */
final class TakoDocument {

    private static final String SUBSCRIPTIONS = "subscriptions";

    private final String repo;
    private final String file;
    private final LineIndex index;
    private final ObjectMapper mapper;
    private final SubscriptionValidator validator;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<SourceError> errors = new ArrayList<>();
    private final Map<String, Integer> firstLineOfName = new HashMap<>();
    private Optional<RepoLimits> limits = Optional.empty();

    TakoDocument(String repo, String file, LineIndex index, ObjectMapper mapper, SubscriptionValidator validator) {
        this.repo = repo;
        this.file = file;
        this.index = index;
        this.mapper = mapper;
        this.validator = validator;
    }

    ParsedTakoFile read(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return result();
        }
        if (!root.isObject()) {
            error(index.lineOf(""), "the top level must be a mapping with a 'subscriptions' key, not "
                    + index.kindOf(""));
            return result();
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!TakoFileParser.TOP_LEVEL_KEYS.contains(key)) {
                error(index.lineOf("/" + key), BindingErrors.unknownKey(key, "", List.copyOf(TakoFileParser.TOP_LEVEL_KEYS)));
            }
        }
        limits = new LimitsEntry(repo, file, index).read(root.path(LimitsEntry.KEY), errors);
        JsonNode entries = root.path(SUBSCRIPTIONS);
        if (entries.isMissingNode() || entries.isNull()) {
            return result();
        }
        if (!entries.isArray()) {
            error(index.lineOf("/" + SUBSCRIPTIONS), "subscriptions must be a list of mappings, not "
                    + index.kindOf("/" + SUBSCRIPTIONS));
            return result();
        }
        for (int i = 0; i < entries.size(); i++) {
            readEntry(entries.get(i), "/" + SUBSCRIPTIONS + "/" + i);
        }
        return result();
    }

    private void readEntry(JsonNode entry, String pointer) {
        String where = BindingErrors.display(pointer);
        if (!entry.isObject()) {
            boolean empty = entry.isNull() || (entry.isTextual() && entry.asText().isEmpty());
            String found = empty ? "an empty entry" : index.kindOf(pointer);
            error(index.lineOf(pointer), where + " must be a mapping with name, artifact, events, schema_version and workflow"
                    + (found == null ? "" : ", not " + found));
            return;
        }
        SubscriptionSpec spec;
        try {
            spec = mapper.treeToValue(entry, SubscriptionSpec.class);
        } catch (JsonMappingException e) {
            errors.add(BindingErrors.describe(e, pointer, index).toSourceError(file));
            return;
        } catch (JsonProcessingException e) {
            error(index.lineOf(pointer), where + ": " + e.getOriginalMessage());
            return;
        }
        String label = spec.name() == null ? where : "subscription " + SubscriptionNames.subscriptionId(repo, spec.name());
        List<String> missing = spec.missingKeys();
        if (!missing.isEmpty()) {
            for (String key : missing) {
                String parent = key.contains(".") ? pointer + "/" + key.substring(0, key.indexOf('.')) : pointer;
                error(index.lineOf(parent), label + ": missing required key '" + key + "'");
            }
            return;
        }
        List<SubscriptionSpec.BadValue> badValues = spec.badValues();
        if (!badValues.isEmpty()) {
            for (SubscriptionSpec.BadValue bad : badValues) {
                error(index.lineOf(pointer + "/" + bad.key().replace('.', '/')), label + ": " + bad.message());
            }
            return;
        }
        Subscription subscription = spec.toAvro(repo);
        List<Problem> problems = validator.validate(subscription);
        for (Problem problem : problems) {
            error(index.lineOf(pointer + "/" + problem.field().replace('.', '/')), problem.message());
        }
        int line = index.lineOf(pointer);
        Integer first = firstLineOfName.putIfAbsent(spec.name(), line);
        if (first != null) {
            error(index.lineOf(pointer + "/name"), label + ": name '" + spec.name() + "' is already used at line "
                    + first + "; names must be unique within a repository");
            return;
        }
        if (problems.isEmpty()) {
            subscriptions.add(subscription);
        }
    }

    private void error(int line, String reason) {
        errors.add(new SourceError(file, line, reason));
    }

    private ParsedTakoFile result() {
        return new ParsedTakoFile(repo, subscriptions, limits, errors);
    }
}
