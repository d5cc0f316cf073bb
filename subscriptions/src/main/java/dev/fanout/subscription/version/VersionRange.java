package dev.fanout.subscription.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * An npm-style version range ({@code ^1.2.0}, {@code ~1.4 || >=2.0.0 <3}, {@code 1.2.3 - 1.4.0}, {@code 1.x}).
 *
 * <p>semver4j evaluates the range, but it is lenient when parsing: unknown words yield an empty range,
 * {@code "^1.2.0 || banana"} silently drops the second half and a bare {@code x} means "nothing". A
 * subscription that silently never matches is the worst outcome, so the text is first checked against
 * the npm grammar here and rejected with a message when it does not fit.
 */
public final class VersionRange {

    private static final String NUMBER_OR_WILDCARD = "(?:0|[1-9][0-9]*|[xX*])";
    private static final String IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    private static final String PARTIAL = "v?" + NUMBER_OR_WILDCARD + "(?:\\." + NUMBER_OR_WILDCARD + "){0,2}"
            + "(?:-" + IDENTIFIERS + ")?(?:\\+" + IDENTIFIERS + ")?";
    private static final String OPERATOR = "(?:<=|>=|<|>|=|~|\\^)";
    private static final Pattern HYPHEN_RANGE = Pattern.compile(PARTIAL + "\\s+-\\s+" + PARTIAL);
    private static final Pattern COMPARATOR = Pattern.compile("(" + OPERATOR + ")?\\s*(" + PARTIAL + ")");
    private static final Pattern WILDCARD_FIRST = Pattern.compile("v?[xX*].*");
    private static final Pattern SPACE_AFTER_OPERATOR = Pattern.compile("(" + OPERATOR + ")\\s+");

    /** Syntax reminder appended to every parse error. */
    public static final String SYNTAX_HINT =
            "use npm range syntax such as '^1.2.0', '~1.4.0', '>=1.0.0 <2.0.0', '1.x', '1.2.3 - 1.4.0' or '*'";

    private final String text;
    private final RangesList ranges;

    private VersionRange(String text, RangesList ranges) {
        this.text = text;
        this.ranges = ranges;
    }

    /** Parses a range; prefer {@link VersionRanges#parse} which caches. */
    public static VersionRange parse(String text) throws InvalidVersionRangeException {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new InvalidVersionRangeException("range is empty; use '*' to accept every version");
        }
        List<String> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\|\\|", -1)) {
            alternatives.add(normalizeAlternative(text, alternative.trim()));
        }
        String normalized = String.join(" || ", alternatives);
        // includePrerelease=false: like npm, 1.3.0-rc.1 does not satisfy ^1.2.0 unless the range names a pre-release.
        RangesList ranges = RangesListFactory.create(normalized, false);
        if (ranges.get().size() != alternatives.size()) {
            throw new InvalidVersionRangeException("range '" + text + "' is not understood; " + SYNTAX_HINT);
        }
        return new VersionRange(text, ranges);
    }

    private static String normalizeAlternative(String whole, String alternative)
            throws InvalidVersionRangeException {
        if (alternative.isEmpty()) {
            throw new InvalidVersionRangeException(
                    "range '" + whole + "' has an empty alternative around '||'; " + SYNTAX_HINT);
        }
        if (HYPHEN_RANGE.matcher(alternative).matches()) {
            return alternative;
        }
        List<String> comparators = new ArrayList<>();
        // ">= 1.2.0" is legal npm: glue the operator to its version before splitting on spaces.
        for (String token : SPACE_AFTER_OPERATOR.matcher(alternative).replaceAll("$1").split("\\s+")) {
            var matcher = COMPARATOR.matcher(token);
            if (!matcher.matches()) {
                throw new InvalidVersionRangeException(
                        "range '" + whole + "': '" + token + "' is not a version comparator; " + SYNTAX_HINT);
            }
            if (WILDCARD_FIRST.matcher(matcher.group(2)).matches()) {
                if (matcher.group(1) != null) {
                    throw new InvalidVersionRangeException("range '" + whole + "': '" + token
                            + "' puts an operator before a wildcard; write '*' alone to accept every version");
                }
                // semver4j reads a bare 'x' as '<0.0.0'; npm reads it as "any version".
                comparators.add("*");
            } else {
                comparators.add(token);
            }
        }
        return String.join(" ", comparators);
    }

    public boolean isSatisfiedBy(Semver version) {
        Objects.requireNonNull(version, "version");
        return ranges.isSatisfiedBy(version);
    }

    /** The range as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
