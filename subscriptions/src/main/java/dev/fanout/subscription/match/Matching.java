package dev.fanout.subscription.match;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.subscription.CompiledSubscription;
import dev.fanout.subscription.cel.Evaluation;
import dev.fanout.subscription.match.MatchResult.Outcome;
import java.util.Objects;

/**
 * The matching rules, applied in order; the first that fails is reported:
 * <ol>
 *   <li>the artifact ref is equal,</li>
 *   <li>the event type is listed,</li>
 *   <li>the event's schema_version is semver and satisfies the range (parsed once per compiled subscription),</li>
 *   <li>the payload is JSON and the filter, if any, is true.</li>
 * </ol>
 * Cheap string comparisons come first so that the filter runs only for plausible candidates.
 */
public final class Matching {

    public MatchResult match(ArtifactEvent event, CompiledSubscription subscription) {
        return match(PreparedEvent.prepare(Objects.requireNonNull(event, "event")), subscription);
    }

    public MatchResult match(PreparedEvent prepared, CompiledSubscription subscription) {
        Objects.requireNonNull(prepared, "prepared");
        Objects.requireNonNull(subscription, "subscription");
        ArtifactEvent event = prepared.event();
        if (!subscription.artifact().equals(event.getArtifact())) {
            return MatchResult.rejected(Outcome.ARTIFACT_DIFFERS, "event artifact '" + event.getArtifact()
                    + "' is not '" + subscription.artifact() + "'");
        }
        if (!subscription.listensTo(event.getEventType())) {
            return MatchResult.rejected(Outcome.EVENT_TYPE_NOT_LISTED, "event type '" + event.getEventType()
                    + "' is not in " + subscription.subscription().getEvents());
        }
        if (prepared.versionProblem().isPresent()) {
            return prepared.versionProblem().get();
        }
        if (!subscription.range().isSatisfiedBy(prepared.version().orElseThrow())) {
            return MatchResult.rejected(Outcome.VERSION_OUT_OF_RANGE, "event schema_version '"
                    + event.getSchemaVersion() + "' is outside the range '" + subscription.range().text() + "'");
        }
        if (prepared.payloadProblem().isPresent()) {
            return prepared.payloadProblem().get();
        }
        Evaluation<Boolean> verdict = subscription.matches(prepared.variables().orElseThrow());
        if (!verdict.isOk()) {
            return MatchResult.rejected(Outcome.FILTER_FAILED, verdict.reason());
        }
        if (!verdict.value()) {
            return MatchResult.rejected(Outcome.FILTER_FALSE, "filter '"
                    + subscription.subscription().getFilter() + "' is false");
        }
        return MatchResult.matched();
    }
}
