package dev.fanout.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The wire contract only evolves: every current schema must read data written with every released
 * version of it (BACKWARD, checked against each release, so transitively), and no released schema may
 * disappear. Consumers upgrade first and read what old producers still write.
 */
class BackwardCompatibilityTest {

    @TestFactory
    Stream<DynamicTest> everyCurrentSchemaReadsDataWrittenWithEveryReleasedVersion() {
        return ReleasedSchemas.versions().stream().flatMap(version -> ReleasedSchemas.of(version).entrySet().stream()
                .map(released -> dynamicTest(released.getKey() + " reads data written with " + version,
                        () -> assertBackwardCompatible(released.getKey() + " (released " + version + ")",
                                released.getValue(), currentSchemaOf(released.getKey(), version)))));
    }

    @TestFactory
    Stream<DynamicTest> everyReleasedSchemaStillExists() {
        return ReleasedSchemas.versions().stream().flatMap(version -> ReleasedSchemas.of(version).keySet().stream()
                .map(name -> dynamicTest(name + " from " + version + " still exists",
                        () -> assertThat(currentSchemaOf(name, version).getFullName()).isEqualTo(name))));
    }

    @Test
    void theFirstReleaseHoldsTheWholeContract() {
        // Given the schemas of 0.1.0, when they are listed, then the topics' value types are among them
        assertThat(ReleasedSchemas.of("0.1.0")).containsKeys("dev.fanout.avro.ArtifactEvent",
                "dev.fanout.avro.Subscription", "dev.fanout.avro.Trigger", "dev.fanout.avro.RunStatus",
                "dev.fanout.avro.FanOutDone", "dev.fanout.avro.TreeDone", "dev.fanout.avro.TreeProgress");
    }

    @Test
    void aFieldAddedWithoutADefaultIsCaughtNamingTheSchemaAndTheField() {
        // Given ArtifactEvent as released, and a version that adds a required field
        Schema released = ReleasedSchemas.of("0.1.0").get("dev.fanout.avro.ArtifactEvent");
        Schema breaking = withExtraField(released, new Schema.Field("priority", Schema.create(Schema.Type.INT)));

        // When the checker compares them, then it fails naming the schema, Avro's verdict and the field
        assertThatThrownBy(() -> assertBackwardCompatible("dev.fanout.avro.ArtifactEvent", released, breaking))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.fanout.avro.ArtifactEvent is not BACKWARD compatible")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("priority");
    }

    @Test
    void aFieldAddedWithADefaultPassesTheChecker() {
        // Given ArtifactEvent as released, and a version that adds an optional field
        Schema released = ReleasedSchemas.of("0.1.0").get("dev.fanout.avro.ArtifactEvent");
        Schema optional = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
        Schema evolved = withExtraField(released, new Schema.Field("labels", optional, null, Schema.Field.NULL_DEFAULT_VALUE));

        // When the checker compares them, then it passes
        assertThatCode(() -> assertBackwardCompatible("dev.fanout.avro.ArtifactEvent", released, evolved))
                .doesNotThrowAnyException();
    }

    @Test
    void aRemovedSchemaIsCaughtNamingIt() {
        // Given a released schema whose generated class is gone, when it is looked up, then it is named
        assertThatThrownBy(() -> currentSchemaOf("dev.fanout.avro.Retired", "0.1.0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("released schema dev.fanout.avro.Retired (0.1.0) no longer exists");
    }

    /** Fails unless data written with {@code released} can be read with {@code current}. */
    static void assertBackwardCompatible(String name, Schema released, Schema current) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new AssertionError(name + " is not BACKWARD compatible: the current schema cannot read data "
                    + "written with the released one: " + result.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                    .collect(Collectors.joining("; "))
                    + ". Give new fields a default; do not change field types or drop enum symbols.");
        }
    }

    /** The schema of the generated class, which is what the pipeline reads with. */
    static Schema currentSchemaOf(String fullName, String version) {
        try {
            return (Schema) Class.forName(fullName).getMethod("getClassSchema").invoke(null);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("released schema " + fullName + " (" + version + ") no longer exists: there is "
                    + "no generated class " + fullName + "; readers of its topics would break, so restore it", e);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(fullName + " is not a generated Avro class: " + e, e);
        }
    }

    private static Schema withExtraField(Schema record, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(extra);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
