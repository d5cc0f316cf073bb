package dev.fanout.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks, before anything starts, that the ports a local stack wants are free, so that a port taken by a
 * running {@code fanout dev} (or anything else) is reported by name with the option that moves it, rather
 * than as a bind error from deep inside the broker.
 */
public final class PortCheck {

    /** A port the stack listens on: what it is for and the option that changes it; 0 means any free port. */
    public record Wanted(String what, int port, String option) {
        public Wanted {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(option, "option");
        }
    }

    private PortCheck() {
    }

    /** Throws one {@link IllegalStateException} that names every wanted port already in use on {@code host}. */
    public static void requireFree(String host, List<Wanted> ports) {
        List<String> taken = new ArrayList<>();
        for (Wanted wanted : ports) {
            if (wanted.port() > 0 && !isFree(host, wanted.port())) {
                taken.add(wanted.what() + " port " + wanted.port() + " on " + host + " is in use (a running "
                        + "'./fanout dev' takes 9092, 8081 and 8080); stop what listens there, or give "
                        + wanted.option() + " another port (0: any free one)");
            }
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException(String.join("\n", taken));
        }
    }

    static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
