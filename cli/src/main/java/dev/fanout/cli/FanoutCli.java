package dev.fanout.cli;

import dev.fanout.bench.BenchCommand;
import dev.fanout.bench.chaos.ChaosCommand;
import dev.fanout.security.SecurityFailures;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code fanout} command. Sub-commands are thin; the work is done by the library they call. */
@Command(name = "fanout",
        mixinStandardHelpOptions = true,
        versionProvider = FanoutCli.Version.class,
        description = "Fan artifact events out to subscribers on Kafka, and follow the runs they trigger.",
        subcommands = {
                DemoCommand.class,
                DevCommand.class,
                TopicsCommand.class,
                EmitCommand.class,
                ConsumeCommand.class,
                SubscriptionsCommand.class,
                ConfigReferenceCommand.class,
                RunCommand.class,
                TreeCommand.class,
                WatchCommand.class,
                CancelCommand.class,
                BenchCommand.class,
                ConnectCommand.class,
                ChaosCommand.class,
                CommandLine.HelpCommand.class
        })
public final class FanoutCli implements Runnable {

    /** Exit code of a command whose input or environment was wrong; picocli's usage errors exit 2. */
    public static final int EXIT_ERROR = 1;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }

    /** Runs the command line with the given streams and returns its exit code; tests call this. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FanoutCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Optional<String> refused = SecurityFailures.explain(e);
            if (refused.isPresent()) {
                // What to fix first; Kafka's own words after it.
                commandLine.getErr().println("error: " + refused.get());
                commandLine.getErr().println("  while: " + describe(e).replace("\n", "\n  "));
            } else {
                commandLine.getErr().println("error: " + describe(e));
            }
            if (!(e instanceof CliException) && Boolean.getBoolean("fanout.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return EXIT_ERROR;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The message and its causes, without stack traces: what a user can act on. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append("\n  caused by: ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FanoutCli.class.getPackage().getImplementationVersion();
            return new String[] {"fanout " + (v == null ? "dev" : v)};
        }
    }
}
