package dev.fanout.query;

import dev.fanout.avro.TreeCancel;

/**
 * Where the query API sends a tree's cancel request: the {@code tree-cancel} topic, read by the tree
 * coordinator. The HTTP threads never write a store; they only produce this record.
 */
interface CancelRequests {

    /**
     * Writes the request and returns once the broker has it.
     *
     * @throws ApiError 503 naming the topic and the broker's answer when it could not be written
     */
    void send(TreeCancel cancel);
}
