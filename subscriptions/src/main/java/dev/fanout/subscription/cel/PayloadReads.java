package dev.fanout.subscription.cel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The members of {@code event.payload} a CEL expression reads, as JSON Pointers (RFC 6901): what a
 * {@code foreach} child's trigger leaves out of the payload, since its list comes from there and would
 * otherwise be copied into every one of the list's children.
 *
 * <p>Read from the source text: each {@code event.payload.a.b} gives {@code /a/b} (a method call such as
 * {@code .filter(...)} or {@code .size()} ends the path); {@code event.payload} read any other way (whole,
 * or by index {@code event.payload["a"]}) gives the empty pointer, the whole payload. A pointer inside
 * another is dropped. Erring on the side of leaving more out keeps the trigger's size bound; the worker
 * can always fetch the whole event.
 */
public final class PayloadReads {

    private static final Pattern PAYLOAD = Pattern.compile("\\bevent\\s*\\.\\s*payload\\b");
    private static final Pattern MEMBER = Pattern.compile("\\G\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern CALL = Pattern.compile("\\G\\s*\\(");

    private PayloadReads() {
    }

    /** The pointers, sorted; empty when the expression does not read the payload. */
    public static List<String> of(String celSource) {
        Objects.requireNonNull(celSource, "celSource");
        TreeSet<String> pointers = new TreeSet<>();
        Matcher payload = PAYLOAD.matcher(celSource);
        while (payload.find()) {
            List<String> members = new ArrayList<>();
            Matcher member = MEMBER.matcher(celSource);
            int at = payload.end();
            while (member.find(at)) {
                at = member.end();
                if (CALL.matcher(celSource).region(at, celSource.length()).lookingAt()) {
                    break; // a method of the value read so far, not a member
                }
                members.add(member.group(1));
            }
            pointers.add(members.isEmpty() ? "" : "/" + String.join("/", members));
        }
        List<String> outermost = new ArrayList<>();
        for (String pointer : pointers) { // sorted: a pointer comes before the ones inside it
            if (outermost.stream().noneMatch(outer -> outer.isEmpty() || pointer.startsWith(outer + "/"))) {
                outermost.add(pointer);
            }
        }
        return List.copyOf(outermost);
    }
}
