package dev.fanout.cli.subscriptions;

import dev.fanout.avro.Subscription;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Subscriptions as a table that fits a terminal: one row each, the (often long) filter last. */
public final class SubscriptionTable {

    private static final List<String> HEADER = List.of("ID", "ARTIFACT", "EVENTS", "SCHEMA", "WORKFLOW", "FILTER");

    private SubscriptionTable() {
    }

    public static void print(Collection<Subscription> subscriptions, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Subscription s : subscriptions) {
            rows.add(List.of(s.getId(), s.getArtifact(), String.join(",", s.getEvents()), s.getSchemaVersion(),
                    s.getWorkflow() + (s.getForeach() == null ? "" : " (foreach)"),
                    s.getFilter() == null ? "-" : s.getFilter()));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length - 1; i++) {
                line.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.append(row.get(widths.length - 1)).toString().stripTrailing());
        }
    }
}
