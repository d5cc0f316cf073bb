package dev.fanout.cli.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.sync.SyncPlan;
import dev.fanout.subscription.takofile.SourceError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncReportTest {

    private static final Subscription FRESH = Subscriptions.subscription("svc-a", "fresh");
    private static final Subscription EDITED = Subscriptions.subscription("svc-a", "edited");
    private static final Subscription EDITED_NOW = Subscription.newBuilder(EDITED).setFilter("event.payload.x == 1")
            .setRetry(new RetryPolicy(3, 100L, 2.0)).build();
    private static final Subscription GONE = Subscriptions.subscription("svc-b", "gone");

    private static String lines(SyncReport report) {
        StringWriter text = new StringWriter();
        report.printLines(new PrintWriter(text, true));
        return text.toString();
    }

    @Test
    void everyChangeGetsOneLabelledLineInAFixedOrder() {
        // Given
        SyncPlan plan = new SyncPlan(List.of(FRESH), List.of(new SyncPlan.Change(EDITED, EDITED_NOW)), List.of(GONE),
                List.of("svc-a/same"), List.of("acme/svc-c/kept"));
        SyncReport report = new SyncReport(plan, List.of(new SourceError("acme/svc-c/tako.yml", 2, "YAML syntax error")),
                Map.of());

        // When
        String lines = lines(report);

        // Then
        assertThat(lines).isEqualTo("""
                added      svc-a/fresh
                changed    svc-a/edited (filter, retry)
                removed    svc-b/gone
                retained   acme/svc-c/kept: not found, but acme/svc-c was not read completely, so it stays on the topic; fix the problems and sync again
                invalid    acme/svc-c/tako.yml:2: YAML syntax error
                """);
        assertThat(report.counts()).isEqualTo("1 added, 1 changed, 1 removed, 1 unchanged, 1 retained, 1 invalid");
    }

    @Test
    void theAddedAndTheNewContentOfTheChangedArePublishedAndTheRemovedTombstoned() {
        SyncPlan plan = new SyncPlan(List.of(FRESH), List.of(new SyncPlan.Change(EDITED, EDITED_NOW)), List.of(GONE),
                List.of(), List.of());

        SyncReport report = new SyncReport(plan, List.of(), Map.of());

        assertThat(report.toPublish()).containsExactly(FRESH, EDITED_NOW);
        assertThat(report.toDelete()).containsExactly("svc-b/gone");
        assertThat(report.hasProblems()).isFalse();
    }

    @Test
    void anUnreadableRecordOnTheTopicSaysHowToRemoveIt() {
        SyncPlan plan = new SyncPlan(List.of(), List.of(), List.of(), List.of(), List.of());

        String lines = lines(new SyncReport(plan, List.of(), Map.of("svc-x/old", "cannot decode fanout.subscriptions-0@4: bad")));

        assertThat(lines).startsWith("unreadable svc-x/old: cannot decode fanout.subscriptions-0@4: bad")
                .contains("fanout subscriptions delete svc-x/old");
    }
}
