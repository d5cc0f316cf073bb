package dev.fanout.registry.server;

import java.util.Locale;

/**
 * A version as the REST API names it in a path: a number from 1 to 2^31-1, or {@code latest}
 * (which Confluent also accepts as {@code -1}).
 */
record VersionId(int number) {

    static final VersionId LATEST = new VersionId(-1);

    static VersionId parse(String text) {
        String trimmed = text.trim();
        if (trimmed.toLowerCase(Locale.ROOT).equals("latest")) {
            return LATEST;
        }
        int number;
        try {
            number = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            throw RegistryError.invalidVersion(text);
        }
        if (number <= 0 && number != -1) {
            throw RegistryError.invalidVersion(text);
        }
        return new VersionId(number);
    }

    boolean isLatest() {
        return number == -1;
    }
}
