/**
 * The query API: an HTTP server ({@link dev.fanout.query.QueryServer}, the JDK's own) in every Fanout
 * instance, answering from the tree coordinator's stores with Kafka Streams interactive queries. The read
 * model ({@code TreeReader}) turns store entries into the contract's JSON (docs/query-api.md), and
 * {@code FanOutGraph} one fan-out's children into the groups and dependency edges the web page draws;
 * {@code StreamsTreeLocator} finds which instance owns a tree, and {@code QueryApi} answers locally or
 * forwards there, and merges the tree lists of every instance. {@code QueryMetrics} serves
 * {@code /metrics} through Micrometer's Prometheus registry. Cancelling a tree
 * ({@code POST /api/trees/{id}/cancel}) is the one changing request: {@code KafkaCancelRequests} writes it
 * to the tree-cancel topic for the coordinator; nothing here writes a store.
 */
package dev.fanout.query;
