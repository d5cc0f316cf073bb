package dev.fanout.cli.subscriptions;

import dev.fanout.subscription.sync.LimitsPlan;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The limits part of a sync (or a put) as the user reads it: one line per repository whose limits are set,
 * removed, kept despite an error, or unreadable on the topic, with the same fixed-width labels as
 * {@link SyncReport}; then the counts.
 *
 * @param plan       what the sync does to the repo-limits topic
 * @param unreadable repositories whose limits on the topic could not be decoded, with why
 */
public record LimitsReport(LimitsPlan plan, Map<String, String> unreadable) {

    public LimitsReport {
        Objects.requireNonNull(plan, "plan");
        unreadable = Map.copyOf(unreadable);
    }

    public void printLines(PrintWriter out) {
        plan.set().forEach(limits -> line(out, "limit", limits.getRepo() + ": max_in_flight " + limits.getMaxInFlight()));
        plan.removed().forEach(repo -> line(out, "unlimited", repo + ": its tako.yml declares no limits any more"));
        plan.retained().forEach(repo -> line(out, "retained", repo + ": limits not found, but " + repo
                + " was not read completely, so they stay on the topic; fix the problems and sync again"));
        new TreeMap<>(unreadable).forEach((repo, why) -> line(out, "unreadable", repo + ": limits " + why
                + " (a sync overwrites them if the repository declares limits)"));
    }

    /** For example {@code 1 set, 0 removed, 2 unchanged, 0 retained}. */
    public String counts() {
        return plan.set().size() + " set, " + plan.removed().size() + " removed, " + plan.unchanged().size()
                + " unchanged, " + plan.retained().size() + " retained";
    }

    private static void line(PrintWriter out, String label, String text) {
        out.printf("%-10s %s%n", label, text);
    }
}
