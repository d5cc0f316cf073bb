package dev.fanout.registry.client;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a compatibility test.
 *
 * @param compatible whether the registry would accept the schema
 * @param messages   why not, when the registry says (it does with {@code verbose=true}); empty otherwise
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    public CompatibilityResult {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    }
}
