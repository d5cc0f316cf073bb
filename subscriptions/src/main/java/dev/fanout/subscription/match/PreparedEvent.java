package dev.fanout.subscription.match;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.subscription.cel.Evaluation;
import dev.fanout.subscription.cel.EventVariables;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * An event with its schema_version and payload parsed once, to be matched against every subscription
 * of its artifact. Preparing never fails: what is wrong with the event is kept as {@link #problem()},
 * so the matcher can dead-letter it before scanning subscriptions, and {@link Matching} still explains
 * a rejection when it is used directly.
 */
public final class PreparedEvent {

    /** The regular expression published at semver.org. */
    private static final Pattern STRICT_SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    private final ArtifactEvent event;
    private final Semver version;
    private final EventVariables variables;
    private final MatchResult versionProblem;
    private final MatchResult payloadProblem;

    private PreparedEvent(ArtifactEvent event, Semver version, EventVariables variables,
                          MatchResult versionProblem, MatchResult payloadProblem) {
        this.event = event;
        this.version = version;
        this.variables = variables;
        this.versionProblem = versionProblem;
        this.payloadProblem = payloadProblem;
    }

    public static PreparedEvent prepare(ArtifactEvent event) {
        Objects.requireNonNull(event, "event");
        String versionText = event.getSchemaVersion();
        // Strict semver: "1.2" or "v1.2.3" are refused rather than guessed at (semver4j alone accepts "v1.2.3").
        Semver version = versionText == null || !STRICT_SEMVER.matcher(versionText).matches()
                ? null : Semver.parse(versionText);
        MatchResult versionProblem = version != null ? null : MatchResult.rejected(
                MatchResult.Outcome.SCHEMA_VERSION_NOT_SEMVER,
                "event schema_version '" + versionText + "' is not a semantic version; use MAJOR.MINOR.PATCH such as 1.2.0");
        Evaluation<EventVariables> variables = EventVariables.from(event);
        MatchResult payloadProblem = variables.isOk() ? null
                : MatchResult.rejected(MatchResult.Outcome.PAYLOAD_NOT_JSON, "event " + variables.reason());
        return new PreparedEvent(event, version, variables.isOk() ? variables.value() : null,
                versionProblem, payloadProblem);
    }

    public ArtifactEvent event() {
        return event;
    }

    /** The first thing wrong with the event itself, if any (the version is checked before the payload). */
    public Optional<MatchResult> problem() {
        return Optional.ofNullable(versionProblem != null ? versionProblem : payloadProblem);
    }

    /** The parsed schema_version; empty when it is not semver. */
    public Optional<Semver> version() {
        return Optional.ofNullable(version);
    }

    /** The CEL {@code event} variable; empty when the payload is not JSON. */
    public Optional<EventVariables> variables() {
        return Optional.ofNullable(variables);
    }

    /** Why schema_version is refused (not strict semver), if it is. */
    public Optional<MatchResult> versionProblem() {
        return Optional.ofNullable(versionProblem);
    }

    /** Why the payload is refused (missing, or not JSON), if it is. */
    public Optional<MatchResult> payloadProblem() {
        return Optional.ofNullable(payloadProblem);
    }
}
