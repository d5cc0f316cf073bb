package dev.fanout.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fanout.bench.BenchReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw results as JSON ({@code --json FILE}): every run's figures, so that other statistics can be taken
 * later, and the summaries the table shows. Field names are snake_case like the rest of Fanout's wire.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static String json(BenchReport report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", report.machine());
        doc.put("started_at", report.startedAt());
        doc.put("runs", report.runs());
        doc.put("results", report.results());
        doc.put("summary", report.summaries());
        try {
            return MAPPER.writeValueAsString(doc) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bench results as JSON: " + e.getMessage(), e);
        }
    }

    public static void write(BenchReport report, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, json(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bench results to " + file + ": " + e.getMessage(), e);
        }
    }
}
