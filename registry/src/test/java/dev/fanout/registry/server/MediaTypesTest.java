package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest(name = "Accept \"{0}\" is answered in {1}")
    @CsvSource(delimiter = '|', value = {
        "application/vnd.schemaregistry.v1+json | application/vnd.schemaregistry.v1+json",
        "application/vnd.schemaregistry+json | application/vnd.schemaregistry+json",
        "application/json | application/json",
        "application/json; charset=utf-8 | application/json",
        "*/* | application/vnd.schemaregistry.v1+json",
        "text/html, application/xhtml+xml, */*;q=0.8 | application/vnd.schemaregistry.v1+json",
        "application/json, application/vnd.schemaregistry.v1+json | application/vnd.schemaregistry.v1+json"})
    void responsesUseTheMostSpecificTypeTheClientAccepts(String accept, String expected) {
        assertThat(MediaTypes.responseType(accept)).isEqualTo(expected);
    }

    @Test
    void noAcceptHeaderMeansConfluentsV1Type() {
        assertThat(MediaTypes.responseType(null)).isEqualTo(MediaTypes.V1_JSON);
    }

    @Test
    void aClientAcceptingNoJsonTypeGets406() {
        assertThatThrownBy(() -> MediaTypes.responseType("text/html"))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(406));
    }

    @ParameterizedTest(name = "a body of type \"{0}\" is accepted")
    @ValueSource(strings = {"application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
        "application/json", "application/json; charset=UTF-8", "application/octet-stream", ""})
    void requestBodiesMayHaveAnyOfConfluentsTypes(String contentType) {
        assertThatCode(() -> MediaTypes.checkRequestType(contentType)).doesNotThrowAnyException();
    }

    @Test
    void aBodyOfAnotherTypeIs415() {
        assertThatThrownBy(() -> MediaTypes.checkRequestType("text/plain"))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.status()).isEqualTo(415));
    }
}
