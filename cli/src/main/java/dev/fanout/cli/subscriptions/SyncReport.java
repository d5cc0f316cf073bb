package dev.fanout.cli.subscriptions;

import dev.fanout.avro.Subscription;
import dev.fanout.subscription.sync.SyncPlan;
import dev.fanout.subscription.takofile.SourceError;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * A sync (or a put) as the user reads it: one line per subscription that changes, per one that is kept
 * although it is no longer declared, and per problem in a tako.yml; then the counts. Lines start with a
 * fixed-width label so that {@code grep '^invalid'} and the eye both find them.
 *
 * @param plan       what the sync does to the topic
 * @param problems   every tako.yml problem, each printed as {@code file:line: reason}
 * @param unreadable keys on the topic whose value could not be decoded, with why
 */
public record SyncReport(SyncPlan plan, List<SourceError> problems, Map<String, String> unreadable) {

    public SyncReport {
        Objects.requireNonNull(plan, "plan");
        problems = List.copyOf(problems);
        unreadable = Map.copyOf(unreadable);
    }

    /** The records to publish: the added ones and the new content of the changed ones. */
    public List<Subscription> toPublish() {
        return Stream.concat(plan.added().stream(), plan.changed().stream().map(SyncPlan.Change::after)).toList();
    }

    /** The ids to tombstone. */
    public List<String> toDelete() {
        return plan.removed().stream().map(Subscription::getId).toList();
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    public void printLines(PrintWriter out) {
        plan.added().forEach(s -> line(out, "added", s.getId()));
        plan.changed().forEach(c -> line(out, "changed", c.id() + " (" + String.join(", ", changedFields(c)) + ")"));
        plan.removed().forEach(s -> line(out, "removed", s.getId()));
        plan.retained().forEach(id -> line(out, "retained", id + ": not found, but " + repo(id)
                + " was not read completely, so it stays on the topic; fix the problems and sync again"));
        new TreeMap<>(unreadable).forEach((id, why) -> line(out, "unreadable", id + ": " + why
                + " (a sync overwrites it if it is declared; 'fanout subscriptions delete " + id + "' removes it)"));
        problems.forEach(p -> line(out, "invalid", p.toString()));
    }

    /** For example {@code 7 added, 0 changed, 0 removed, 0 unchanged, 0 retained, 0 invalid}. */
    public String counts() {
        return plan.added().size() + " added, " + plan.changed().size() + " changed, " + plan.removed().size()
                + " removed, " + plan.unchanged().size() + " unchanged, " + plan.retained().size() + " retained, "
                + problems.size() + " invalid";
    }

    /** The Avro field names that differ, in schema order. */
    static List<String> changedFields(SyncPlan.Change change) {
        List<String> fields = new ArrayList<>();
        for (Schema.Field field : change.after().getSchema().getFields()) {
            if (!Objects.equals(change.before().get(field.pos()), change.after().get(field.pos()))) {
                fields.add(field.name());
            }
        }
        return fields;
    }

    private static String repo(String id) {
        int slash = id.lastIndexOf('/');
        return slash > 0 ? id.substring(0, slash) : id;
    }

    private static void line(PrintWriter out, String label, String text) {
        out.printf("%-10s %s%n", label, text);
    }
}
