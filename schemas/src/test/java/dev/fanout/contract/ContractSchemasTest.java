package dev.fanout.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ContractSchemasTest {

    private static final Path SOURCES = Path.of("src/main/avro");
    private static final Path COMMITTED = Path.of("contract");
    private static final String REGENERATE = "regenerate them: ./mvnw -q -pl schemas process-classes "
            + "&& cp schemas/target/contract/*.avsc schemas/contract/";

    static final List<String> NAMES = ContractSchemas.NAMES;

    @ParameterizedTest
    @FieldSource("NAMES")
    void the_committed_file_is_what_the_sources_give(String name) throws IOException {
        Path file = COMMITTED.resolve(ContractSchemas.fileName(name));
        assertThat(file).as("schemas/contract/%s is missing; %s", file.getFileName(), REGENERATE).exists();

        String committed = Files.readString(file, StandardCharsets.UTF_8);

        assertThat(committed)
                .as("schemas/contract/%s has drifted from schemas/src/main/avro; %s", file.getFileName(), REGENERATE)
                .isEqualTo(ContractSchemas.generate(SOURCES).get(name));
    }

    @Test
    void the_committed_folder_holds_the_contract_schemas_and_nothing_else_of_avro() throws IOException {
        try (Stream<Path> files = Files.list(COMMITTED)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".avsc")))
                    .as("schemas/contract/ should hold exactly the files of ContractSchemas.NAMES; %s", REGENERATE)
                    .containsExactlyInAnyOrderElementsOf(NAMES.stream().map(ContractSchemas::fileName).toList());
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void the_shipped_schema_is_self_contained_and_describes_the_generated_class(String name) throws Exception {
        // A fresh parser knows no other type: it parses only a schema that defines every name it uses.
        Schema shipped = new Schema.Parser().parse(ContractSchemas.text(name));
        Schema generated = SpecificData.get().getSchema(Class.forName("dev.fanout.avro." + name));

        assertThat(SchemaNormalization.toParsingForm(shipped)).isEqualTo(SchemaNormalization.toParsingForm(generated));
    }

    @Test
    void the_jar_holds_what_is_committed() throws IOException {
        for (String name : NAMES) {
            assertThat(ContractSchemas.text(name))
                    .isEqualTo(Files.readString(COMMITTED.resolve(ContractSchemas.fileName(name))));
        }
    }

    @Test
    void a_split_source_alone_does_not_parse_which_is_why_the_contract_exists() {
        assertThatThrownBy(() -> new Schema.Parser().parse(SOURCES.resolve("dev/fanout/avro/ArtifactEvent.avsc").toFile()))
                .hasMessageContaining("ParentRef");
    }

    @Test
    void asking_for_a_schema_outside_the_contract_names_the_ones_there_are() {
        assertThatThrownBy(() -> ContractSchemas.text("PlanRecord"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'PlanRecord' is not a contract schema")
                .hasMessageContaining("ArtifactEvent");
    }

    @Test
    void generating_from_a_folder_without_the_records_names_the_missing_one(@TempDir Path empty) {
        assertThatThrownBy(() -> ContractSchemas.generate(empty))
                .hasMessageContaining("no record dev.fanout.avro.ArtifactEvent under " + empty);
    }
}
