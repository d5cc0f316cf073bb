package dev.fanout.registry.server;

import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_DEFAULT;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_AMOUNT_REQUIRED;
import static dev.fanout.registry.server.TestSchemas.ORDER_WITH_NUMERIC_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompatibilityCheckerTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // level, previous versions (oldest first), candidate, compatible?, what changes
                row("NONE", List.of(ORDER_V1), ORDER_WITH_NUMERIC_ID, true, "any change"),
                row("BACKWARD", List.of(ORDER_V1), ORDER_WITH_AMOUNT_DEFAULT, true, "adds a field with default"),
                row("BACKWARD", List.of(ORDER_V1), ORDER_WITH_AMOUNT_REQUIRED, false, "adds a required field"),
                row("BACKWARD", List.of(ORDER_WITH_AMOUNT_REQUIRED), ORDER_V1, true, "removes a required field"),
                row("BACKWARD", List.of(ORDER_V1), ORDER_WITH_NUMERIC_ID, false, "changes a field's type"),
                row("FORWARD", List.of(ORDER_V1), ORDER_WITH_AMOUNT_REQUIRED, true, "adds a required field"),
                row("FORWARD", List.of(ORDER_WITH_AMOUNT_REQUIRED), ORDER_V1, false, "removes a required field"),
                row("FORWARD", List.of(ORDER_WITH_AMOUNT_DEFAULT), ORDER_V1, true, "removes a field with default"),
                row("FULL", List.of(ORDER_V1), ORDER_WITH_AMOUNT_DEFAULT, true, "adds a field with default"),
                row("FULL", List.of(ORDER_V1), ORDER_WITH_AMOUNT_REQUIRED, false, "adds a required field"),
                row("FULL", List.of(ORDER_WITH_AMOUNT_REQUIRED), ORDER_V1, false, "removes a required field"),
                // Non-transitive levels look at the latest version only ...
                row("BACKWARD", List.of(ORDER_V1, ORDER_WITH_AMOUNT_DEFAULT), ORDER_WITH_AMOUNT_REQUIRED, true,
                        "drops a default that only the latest version had"),
                row("FORWARD", List.of(ORDER_WITH_AMOUNT_REQUIRED, ORDER_WITH_AMOUNT_DEFAULT), ORDER_V1, true,
                        "removes a field the latest version defaults"),
                row("FULL", List.of(ORDER_WITH_NUMERIC_ID, ORDER_V1), ORDER_WITH_AMOUNT_DEFAULT, true,
                        "adds a field with default after a type change"),
                // ... transitive ones at every live version.
                row("BACKWARD_TRANSITIVE", List.of(ORDER_V1, ORDER_WITH_AMOUNT_DEFAULT), ORDER_WITH_AMOUNT_REQUIRED,
                        false, "drops a default that only the latest version had"),
                row("BACKWARD_TRANSITIVE", List.of(ORDER_V1, ORDER_WITH_AMOUNT_DEFAULT),
                        ORDER_WITH_AMOUNT_DEFAULT.replace("\"default\":0", "\"default\":5"), true,
                        "changes a default"),
                row("FORWARD_TRANSITIVE", List.of(ORDER_WITH_AMOUNT_REQUIRED, ORDER_WITH_AMOUNT_DEFAULT), ORDER_V1,
                        false, "removes a field the first version requires"),
                row("FULL_TRANSITIVE", List.of(ORDER_WITH_NUMERIC_ID, ORDER_V1), ORDER_WITH_AMOUNT_DEFAULT, false,
                        "adds a field with default after a type change"),
                row("FULL_TRANSITIVE", List.of(ORDER_V1, ORDER_WITH_AMOUNT_DEFAULT), ORDER_V1, true,
                        "goes back to the first version"));
    }

    private static Arguments row(String level, List<String> previous, String candidate, boolean compatible,
            String change) {
        return Arguments.of(level, previous, candidate, compatible, change);
    }

    @ParameterizedTest(name = "{0}: a schema that {4} is compatible: {3}")
    @MethodSource("cases")
    void theLevelDecidesWhichChangesAreCompatible(String level, List<String> previous, String candidate,
            boolean compatible, String change) {
        // When
        List<String> reasons = CompatibilityChecker.incompatibilities(CompatibilityLevel.valueOf(level),
                parse(candidate), versions(previous));

        // Then
        assertThat(reasons.isEmpty()).as("compatible, with reasons %s", reasons).isEqualTo(compatible);
    }

    @Test
    void anythingIsCompatibleWithASubjectWithoutVersions() {
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.FULL_TRANSITIVE,
                parse(ORDER_WITH_NUMERIC_ID), List.of())).isEmpty();
    }

    @Test
    void reasonsNameTheProblemTheOldVersionAndTheLevelLikeConfluent() {
        // When a required field is added under BACKWARD
        List<String> reasons = CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD,
                parse(ORDER_WITH_AMOUNT_REQUIRED), versions(List.of(ORDER_V1)));

        // Then
        assertThat(reasons).containsExactly(
                "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'amount' at path "
                        + "'/fields/1' in the new schema has no default value and is missing in the old schema', "
                        + "additionalInfo:'amount'}",
                "{oldSchemaVersion: 1}",
                "{oldSchema: '" + parse(ORDER_V1) + "'}",
                "{compatibility: 'BACKWARD'}");
    }

    @Test
    void forwardProblemsAreDescribedFromTheOldSchemasSide() {
        // When a field without default is removed under FORWARD
        List<String> reasons = CompatibilityChecker.incompatibilities(CompatibilityLevel.FORWARD,
                parse(ORDER_V1), versions(List.of(ORDER_WITH_AMOUNT_REQUIRED)));

        // Then
        assertThat(reasons.get(0)).contains("READER_FIELD_MISSING_DEFAULT_VALUE",
                "in the old schema has no default value and is missing in the new schema");
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }

    private static List<SchemaValue> versions(List<String> schemas) {
        List<SchemaValue> versions = new ArrayList<>();
        for (int i = 0; i < schemas.size(); i++) {
            versions.add(SchemaValue.avro("orders-value", i + 1, i + 1, parse(schemas.get(i)).toString()));
        }
        return versions;
    }
}
