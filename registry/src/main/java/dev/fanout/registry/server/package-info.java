/**
 * An embedded Schema Registry that speaks Confluent's REST API: {@link
 * dev.fanout.registry.server.EmbeddedSchemaRegistry} is the only public class.
 *
 * <p>How a request flows, and where each concern lives:
 * <ul>
 *   <li>{@code RegistryHttpServer} (JDK HTTP server, content types, error bodies) hands the request to a
 *       {@code Router}, which picks an endpoint of {@code RegistryApi} (paths, parameters, JSON).</li>
 *   <li>{@code Registry} applies Confluent's rules (ids, versions, deletes, levels), checking schemas
 *       with {@code AvroSchemas} and {@code CompatibilityChecker}, and reports failures as
 *       {@code RegistryError}s carrying Confluent's status and error codes.</li>
 *   <li>{@code SchemaStore} keeps the records; {@code KafkaSchemaStore} writes them to the compacted
 *       schemas topic in Confluent's KafkaStore shapes ({@code StoreRecordCodec}) and
 *       {@code KafkaStoreReader} reads them back into immutable {@code RegistryState} snapshots.</li>
 * </ul>
 */
package dev.fanout.registry.server;
