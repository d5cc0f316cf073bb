package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.server.StoreRecord.ConfigRecord;
import dev.fanout.registry.server.StoreRecord.DeleteSubjectRecord;
import dev.fanout.registry.server.StoreRecord.SchemaRecord;
import org.junit.jupiter.api.Test;

class RegistryStateTest {

    private static SchemaRecord schema(String subject, int version, int id, String schema) {
        return new SchemaRecord(subject, version, SchemaValue.avro(subject, version, id, schema));
    }

    private static RegistryState apply(RegistryState state, StoreRecord... records) {
        RegistryState.Builder builder = state.toBuilder();
        for (StoreRecord record : records) {
            builder.apply(record);
        }
        return builder.build();
    }

    @Test
    void aDeleteSubjectRecordSoftDeletesEveryVersionUpToItsVersion() {
        // Given three versions
        RegistryState state = apply(RegistryState.EMPTY,
                schema("s", 1, 1, "\"int\""), schema("s", 2, 2, "\"long\""), schema("s", 3, 3, "\"string\""));

        // When the subject is deleted up to version 2
        RegistryState after = apply(state, new DeleteSubjectRecord("s", 2));

        // Then
        assertThat(after.versions("s", false)).extracting(SchemaValue::version).containsExactly(3);
        assertThat(after.versions("s", true)).extracting(SchemaValue::version).containsExactly(1, 2, 3);
    }

    @Test
    void aSoftDeletedSchemaStillResolvesById() {
        RegistryState state = apply(RegistryState.EMPTY, schema("s", 1, 4, "\"int\""), new DeleteSubjectRecord("s", 1));

        assertThat(state.schemaById(4)).contains("\"int\"");
        assertThat(state.subjects(false)).isEmpty();
        assertThat(state.subjects(true)).containsExactly("s");
    }

    @Test
    void aTombstoneRemovesTheVersionButNotTheHighestIdSeen() {
        // Given
        RegistryState state = apply(RegistryState.EMPTY, schema("s", 1, 9, "\"int\""));

        // When
        RegistryState after = apply(state, new SchemaRecord("s", 1, null));

        // Then
        assertThat(after.hasSubject("s", true)).isFalse();
        assertThat(after.schemaById(9)).isEmpty();
        assertThat(after.maxId()).isEqualTo(9);
    }

    @Test
    void theSameSchemaUnderTwoSubjectsHasOneId() {
        RegistryState state = apply(RegistryState.EMPTY, schema("a", 1, 1, "\"int\""), schema("b", 1, 1, "\"int\""));

        assertThat(state.idOf("\"int\"")).contains(1);
        assertThat(state.versionsWithId(1, false)).extracting(SchemaValue::subject).containsExactly("a", "b");
    }

    @Test
    void theGlobalLevelIsBackwardUntilConfiguredAndAfterItsRemoval() {
        RegistryState configured = apply(RegistryState.EMPTY, new ConfigRecord(null, CompatibilityLevel.FULL));
        RegistryState removed = apply(configured, new ConfigRecord(null, null));

        assertThat(RegistryState.EMPTY.globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(configured.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(removed.globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void aSubjectLevelOverridesTheGlobalOneForThatSubjectOnly() {
        RegistryState state = apply(RegistryState.EMPTY, new ConfigRecord("s", CompatibilityLevel.NONE));

        assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(state.effectiveLevel("other")).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void schemasOfOtherTypesAreSkippedButTheirIdsStayTaken() {
        // Given a PROTOBUF schema written by a Confluent registry
        SchemaValue protobuf = new SchemaValue("p", 1, 12, "PROTOBUF", "syntax = \"proto3\";", false);

        RegistryState state = apply(RegistryState.EMPTY, new SchemaRecord("p", 1, protobuf));

        assertThat(state.hasSubject("p", true)).isFalse();
        assertThat(state.maxId()).isEqualTo(12);
    }

    @Test
    void appliedStateDoesNotChangeTheStateItStartedFrom() {
        RegistryState before = apply(RegistryState.EMPTY, schema("s", 1, 1, "\"int\""));

        apply(before, schema("s", 2, 2, "\"long\""), new DeleteSubjectRecord("s", 2));

        assertThat(before.versions("s", false)).extracting(SchemaValue::version).containsExactly(1);
    }
}
