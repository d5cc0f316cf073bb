package dev.fanout.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs Fanout in a JVM of its own, for tests that kill it: {@code key=value} settings as arguments.
 * Prints {@link #RUNNING} once the topology runs, and exits when its standard input closes (its parent
 * test JVM ended), so that it never outlives the test.
 */
public final class FanoutChildMain {

    static final String RUNNING = "fanout child running";

    private FanoutChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("argument '" + arg + "' is not a key=value setting");
            }
            settings.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        try (FanoutApp app = FanoutApp.start(settings)) {
            app.awaitRunning(Duration.ofMinutes(2));
            System.out.println(RUNNING);
            System.out.flush();
            while (System.in.read() != -1) {
                // nothing to read: the parent only ever closes the stream
            }
        }
        // Stream threads that could not close in time (the broker may have gone with the parent) must not
        // keep this JVM alive.
        System.exit(0);
    }
}
