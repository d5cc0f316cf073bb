package dev.fanout.serde;

import java.util.Objects;

/**
 * Confluent's default subject naming: the values of topic {@code t} live under subject {@code t-value}
 * and its keys under {@code t-key}, so each topic evolves its own schema.
 */
public final class TopicNameStrategy {

    private TopicNameStrategy() {
    }

    public static String subjectName(String topic, boolean isKey) {
        Objects.requireNonNull(topic, "topic");
        return topic + (isKey ? "-key" : "-value");
    }
}
