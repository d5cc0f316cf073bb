package dev.fanout.subscription;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The shapes of names and references in subscriptions. Kept in one place so that tako.yml
 * discovery, validation of records from the topic and the docs agree.
 */
public final class SubscriptionNames {

    /** Human wording of {@link #isName}, used in messages and docs. */
    public static final String NAME_RULE =
            "1-100 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /** Human wording of {@link #isInputName}. */
    public static final String INPUT_NAME_RULE =
            "1-100 letters, digits, '_' or '-', starting with a letter or '_'";

    private static final String SEGMENT = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";
    private static final Pattern NAME = Pattern.compile(SEGMENT);
    private static final Pattern REPO = Pattern.compile(SEGMENT + "(?:/" + SEGMENT + ")*");
    private static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,99}");

    private SubscriptionNames() {
    }

    /** Subscription names, workflow names, event types and the artifact half of a ref. */
    public static boolean isName(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /** A repository: {@code svc-a} or, for nested owner folders, {@code acme/svc-a}. */
    public static boolean isRepo(String value) {
        return value != null && REPO.matcher(value).matches();
    }

    public static boolean isInputName(String value) {
        return value != null && INPUT_NAME.matcher(value).matches();
    }

    /** {@code repo:artifact}, e.g. {@code lib-core:release} or {@code acme/svc-a:image}. */
    public static boolean isArtifactRef(String value) {
        if (value == null) {
            return false;
        }
        int colon = value.indexOf(':');
        return colon > 0 && colon == value.lastIndexOf(':')
                && isRepo(value.substring(0, colon)) && isName(value.substring(colon + 1));
    }

    /** {@code repo/name}; the repository part may itself contain '/'. */
    public static boolean isSubscriptionId(String value) {
        if (value == null) {
            return false;
        }
        int slash = value.lastIndexOf('/');
        return slash > 0 && isRepo(value.substring(0, slash)) && isName(value.substring(slash + 1));
    }

    public static String subscriptionId(String repo, String name) {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(name, "name");
        return repo + "/" + name;
    }
}
