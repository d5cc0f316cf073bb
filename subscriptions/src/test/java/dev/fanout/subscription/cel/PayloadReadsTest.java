package dev.fanout.subscription.cel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PayloadReadsTest {

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource(delimiter = '|', value = {
        "event.payload.modules                                   | /modules",
        "event.payload.build.modules                             | /build/modules",
        "event.payload.modules.filter(m, m.enabled)              | /modules",
        "event.payload.modules.map(m, m.name)                    | /modules",
        "event.payload.a + event.payload.b                       | /a,/b",
        "event.payload.a.b + event.payload.a                     | /a",
        "event.payload.groups[0].modules                         | /groups",
        "event.payload.size() > 0 ? [1] : []                     | ''",
        "event.payload['modules']                                | ''",
        "event.payload.modules + event.payload['x']              | ''",
        "[1, 2, 3]                                               | -",
        "event.headers.targets                                   | -",
    })
    void findsThePayloadMembersAForeachExpressionReads(String expression, String expected) {
        // Given a foreach expression, when its payload reads are listed, then they are the expected pointers
        var pointers = PayloadReads.of(expression);
        if (expected.equals("-")) {
            assertThat(pointers).isEmpty();
        } else {
            assertThat(pointers).containsExactly(expected.split(",", -1));
        }
    }
}
