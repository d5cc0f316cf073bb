package dev.fanout.bench;

import dev.fanout.bench.report.DocsPage;
import dev.fanout.bench.report.ReportJson;
import dev.fanout.bench.report.ReportPlots;
import dev.fanout.bench.report.ReportTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fanout bench}: runs scenarios against a fresh embedded broker, prints medians of several runs, and
 * optionally keeps the raw results (JSON) and plots (PNG). Progress goes to stderr, the table to stdout.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Measure Fanout on this machine against a fresh embedded broker: median, min and max of "
                + "several runs, each figure with its ratio to the broker's own ceiling where meaningful.",
                "Scenarios: ceiling, fan-out, completions, latency, width, guarantee, workers, quota, or all (the default). "
                        + "The topology runs in a child JVM with -Xmx512m; 'fanout bench all --docs' regenerates "
                        + "docs/benchmarks.md, its JSON and its plots."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "Scenarios to run; all when none is named (or 'all').")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs of each scenario (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2",
            description = "Unreported runs first, so that measured runs find the JIT compiler warm (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--quick", description = "Small sizes for a smoke run; figures are not stable enough to publish.")
    boolean quick;

    @Option(names = "--records", paramLabel = "N",
            description = "Records per ceiling phase (default 2,000,000; 100,000 with --quick).")
    Integer records;

    @Option(names = "--widths", paramLabel = "N", split = ",",
            description = "Tree widths of the width scenario, such as 100000,1000000 (default 10,1000,10000,100000,1000000; "
                    + "10,200 with --quick).")
    List<Integer> widths = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write every run's raw figures and the summary to FILE.")
    Path json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write PNG plots into DIR.")
    Path plots;

    @Option(names = "--markdown", description = "Print the table as Markdown (for docs/benchmarks.md).")
    boolean markdown;

    @Option(names = "--docs", paramLabel = "PAGE", arity = "0..1", fallbackValue = "docs/benchmarks.md",
            description = "Rewrite the results section of PAGE (default docs/benchmarks.md, from the project's root) "
                    + "with this bench's table, and write its JSON and plots into the directory beside it "
                    + "(docs/benchmarks/).")
    Path docs;

    private final Supplier<BenchBroker> brokers;
    private final Function<Scale, ScenarioCatalog> catalogs;

    public BenchCommand() {
        this(EmbeddedBenchBroker::start, ScenarioCatalog::standard);
    }

    /** For tests: another broker and other scenarios. */
    BenchCommand(Supplier<BenchBroker> brokers, Function<Scale, ScenarioCatalog> catalogs) {
        this.brokers = Objects.requireNonNull(brokers, "brokers");
        this.catalogs = Objects.requireNonNull(catalogs, "catalogs");
    }

    @Override
    public Integer call() {
        List<Scenario> selected = selectScenarios();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf("Running %d warm-up%s and %d run%s of:%n", warmups, warmups == 1 ? "" : "s", runs, runs == 1 ? "" : "s");
        selected.forEach(s -> err.printf("  %s: %s%n", s.name(), s.description()));
        err.flush();
        BenchReport report;
        try (BenchBroker broker = brokers.get()) {
            report = new BenchRunner(selected, warmups, runs, new ProgressLines(err)).run(broker.bootstrapServers(), broker.registryUrl());
        }
        out.print(markdown ? ReportTable.markdown(report) : ReportTable.text(report));
        if (json != null) {
            ReportJson.write(report, json);
            out.println("Raw results: " + json);
        }
        if (plots != null) {
            for (Path plot : ReportPlots.write(report, plots)) {
                out.println("Plot: " + plot);
            }
        }
        if (docs != null) {
            for (Path written : DocsPage.write(report, docs, commandLine())) {
                out.println("Docs: " + written);
            }
        }
        out.flush();
        return 0;
    }

    /** How this bench was started, for the docs: {@code ./fanout bench all --docs ...}. */
    private String commandLine() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        // Run as 'fanout bench', the arguments start with the subcommand's own name.
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0);
        }
        return "./fanout bench " + String.join(" ", args);
    }

    private List<Scenario> selectScenarios() {
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs is " + runs + ": run each scenario at least once");
        }
        if (warmups < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup is " + warmups + ": use 0 or more");
        }
        if (docs != null && !java.nio.file.Files.isRegularFile(docs)) {
            throw new ParameterException(spec.commandLine(), "--docs " + docs + ": no such page; run the bench from the "
                    + "project's root or name the page, such as --docs docs/benchmarks.md");
        }
        if (records != null && records < 1) {
            throw new ParameterException(spec.commandLine(), "--records is " + records + ": use 1 or more");
        }
        Scale scale = new Scale(quick, records == null ? OptionalInt.empty() : OptionalInt.of(records), widths);
        try {
            return catalogs.apply(scale).select(scenarios);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
