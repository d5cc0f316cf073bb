package dev.fanout.subscription.takofile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.RepoLimits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The top-level {@code limits} of a tako.yml: read when valid, a per-file error naming the value and the fix when not. */
class LimitsParsingTest {

    private static final String FILE = "deployer/tako.yml";

    /** One valid subscription; tests add a {@code limits} block after it, starting on line 7. */
    private static final String SUBSCRIPTIONS = """
            subscriptions:
              - name: on-release
                artifact: lib-core:release
                events: [published]
                schema_version: "^1.0.0"
                workflow: deploy
            """;

    private static final String FIX = "use a whole number of at least 1 (the most runs of this repository triggered "
            + "and not yet ended at once, across all trees), or remove limits for no cap";

    private final TakoFileParser parser = TakoFileParser.withDefaults();

    private ParsedTakoFile parse(String yaml) {
        return parser.parse(yaml.getBytes(StandardCharsets.UTF_8), "deployer", FILE);
    }

    private static String onlyError(ParsedTakoFile parsed) {
        assertThat(parsed.errors()).hasSize(1);
        return parsed.errors().get(0).toString();
    }

    @Test
    void aValidLimitIsReadBesideTheSubscriptions() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits:\n  max_in_flight: 3\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.limits()).contains(new RepoLimits("deployer", 3));
        assertThat(parsed.subscriptions()).hasSize(1);
    }

    @Test
    void aFileWithoutLimitsDeclaresNone() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS);

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.limits()).isEmpty();
    }

    @Test
    void limitsMayComeAloneWithoutSubscriptions() {
        ParsedTakoFile parsed = parse("limits: {max_in_flight: 1}\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.limits()).contains(new RepoLimits("deployer", 1));
    }

    @Test
    void zeroIsRefusedBecauseNoRunWouldEverBeTriggered() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits:\n  max_in_flight: 0\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":8: limits.max_in_flight 0 is not a valid limit: zero would "
                + "never trigger a run; " + FIX);
        assertThat(parsed.limits()).isEmpty();
    }

    @Test
    void aNegativeLimitIsRefused() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits:\n  max_in_flight: -2\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":8: limits.max_in_flight -2 is not a valid limit: it is "
                + "negative; " + FIX);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "three         | 'three' (a string)",
            "'\"3\"'       | '3' (a string)",
            "2.5           | 2.5",
            "[3]           | [3]",
            "''            | an empty value"})
    void aValueThatIsNotAWholeNumberIsRefused(String written, String shown) {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits:\n  max_in_flight: " + written + "\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":8: limits.max_in_flight " + shown + " is not a whole number; "
                + FIX);
    }

    @Test
    void aNumberBeyondTheIntegerRangeIsRefused() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits:\n  max_in_flight: 9999999999\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":8: limits.max_in_flight 9999999999 is too large; use at most "
                + Integer.MAX_VALUE + ", or remove limits for no cap");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheLikelyIntent() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits:\n  max_in_flight: 3\n  max_inflight: 4\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":9: unknown key 'max_inflight' in limits (did you mean "
                + "'max_in_flight'?); allowed keys: max_in_flight");
        assertThat(parsed.limits()).as("a file with a wrong limits block declares none").isEmpty();
    }

    @Test
    void aMissingMaxInFlightIsRefused() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits: {}\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":7: limits: missing required key 'max_in_flight' "
                + "(limits: {max_in_flight: 3})");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"3 | a whole number", "[3] | a list", "'' | an empty value"})
    void limitsThatAreNotAMappingAreRefused(String written, String kind) {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits: " + written + "\n");

        assertThat(onlyError(parsed)).isEqualTo(FILE + ":7: limits must be a mapping such as 'limits: "
                + "{max_in_flight: 3}', not " + kind + "; declare max_in_flight or remove the key");
    }

    @Test
    void aWrongLimitDoesNotHideTheValidSubscriptions() {
        ParsedTakoFile parsed = parse(SUBSCRIPTIONS + "limits: {max_in_flight: 0}\n");

        assertThat(parsed.hasErrors()).isTrue();
        assertThat(parsed.subscriptions()).hasSize(1);
    }
}
