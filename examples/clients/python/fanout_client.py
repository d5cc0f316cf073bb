#!/usr/bin/env python3
"""A Fanout producer and worker in Python, written from docs/ alone.

It speaks the wire contract with Debian's python3-confluent-kafka (the Kafka client) and python3-avro
(Avro binary encoding). confluent-kafka 1.7's own AvroSerializer needs fastavro, which Debian does not
package, so this script writes the Confluent wire format itself, exactly as Confluent's serializer
does when configured with

    auto.register.schemas=false
    use.latest.version=true

that is: it registers nothing; for each subject (`<topic>-value`) it looks up the latest version once
(GET /subjects/{subject}/versions/latest), writes the byte 0, that version's schema id as a 4-byte
big-endian integer, then the record in Avro binary with that version's schema. Reading, it takes the
schema id from the bytes and fetches the writer's schema once (GET /schemas/ids/{id}).

Two commands:

  subscribe  publishes a Subscription: repo --repo runs --workflow on each `published` event of
             --artifact whose schema_version matches ^1.0.0, with the input `version`
  run        publishes an ArtifactEvent (a root event, tree id = --event-id), works the triggers of
             --repo (STARTED, then SUCCEEDED), and waits for the tree's TreeDone

Example, against `./fanout dev`:

  python3 fanout_client.py subscribe --repo py-worker --artifact py-lib:release --workflow build
  python3 fanout_client.py run --repo py-worker --artifact py-lib:release --event-id py-evt-1
"""

import argparse
import datetime
import io
import json
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition, OFFSET_BEGINNING

MAGIC_BYTE = 0
REGISTRY_MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"


class SchemaRegistry:
    """The two calls a client needs that registers nothing, each answer cached."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self._latest = {}
        self._by_id = {}

    def latest(self, subject):
        """(schema id, parsed schema) of the subject's latest version: use.latest.version semantics."""
        if subject not in self._latest:
            answer = self._get("/subjects/%s/versions/latest" % urllib.parse.quote(subject, safe=""),
                               "subject %s has no schema: create the topics with `fanout topics create` "
                               "(or run `fanout dev`), which registers the contract schemas" % subject)
            self._latest[subject] = (answer["id"], avro.schema.parse(answer["schema"]))
            print("looked up %s: schema id %d, version %d" % (subject, answer["id"], answer["version"]), flush=True)
        return self._latest[subject]

    def by_id(self, schema_id):
        """The writer's schema of a record."""
        if schema_id not in self._by_id:
            answer = self._get("/schemas/ids/%d" % schema_id, "unknown schema id %d" % schema_id)
            self._by_id[schema_id] = avro.schema.parse(answer["schema"])
        return self._by_id[schema_id]

    def _get(self, path, not_found):
        request = urllib.request.Request(self.url + path, headers={"Accept": REGISTRY_MEDIA_TYPE})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                raise SystemExit("error: " + not_found + " (" + e.read().decode() + ")")
            raise


class Contract:
    """Values of Fanout's topics in the Confluent wire format."""

    def __init__(self, registry, prefix):
        self.registry = registry
        self.prefix = prefix

    def topic(self, name):
        return self.prefix + name

    def encode(self, topic, record):
        schema_id, schema = self.registry.latest(topic + "-value")
        out = io.BytesIO()
        out.write(struct.pack(">bI", MAGIC_BYTE, schema_id))
        avro.io.DatumWriter(schema).write(with_defaults(schema, record), avro.io.BinaryEncoder(out))
        return out.getvalue()

    def decode(self, value):
        if len(value) < 5 or value[0] != MAGIC_BYTE:
            raise ValueError("not in the Confluent wire format: %r" % value[:5])
        schema_id = struct.unpack(">I", value[1:5])[0]
        schema = self.registry.by_id(schema_id)
        return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


def with_defaults(schema, record):
    """The record with every field it leaves out set to the schema's default (null for optional fields)."""
    complete = dict(record)
    for field in schema.fields:
        if field.name not in complete and field.has_default:
            complete[field.name] = field.default
    return complete


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def murmur2(data):
    """Kafka's murmur2 hash (Utils.murmur2 in kafka-clients) of bytes, as an unsigned 32-bit integer."""
    m, h = 0x5bd1e995, (0x9747b28c ^ len(data)) & 0xffffffff
    whole = len(data) & ~3
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * m) & 0xffffffff
        k ^= k >> 24
        k = (k * m) & 0xffffffff
        h = ((h * m) & 0xffffffff) ^ k
    rest = len(data) - whole
    if rest == 3:
        h ^= data[whole + 2] << 16
    if rest >= 2:
        h ^= data[whole + 1] << 8
    if rest >= 1:
        h = ((h ^ data[whole]) * m) & 0xffffffff
    h ^= h >> 13
    h = (h * m) & 0xffffffff
    return h ^ (h >> 15)


def tree_partition(tree_id, partitions):
    """The run-status partition Fanout reads a tree's reports from (docs/wire-contract.md, "Which partition")."""
    return (murmur2(tree_id.encode()) & 0x7fffffff) % partitions


def produce(producer, topic, key, value, partition=None):
    """Sends one record (to the partition of its key, unless one is given) and waits for acks=all."""
    errors = []
    extra = {} if partition is None else {"partition": partition}
    producer.produce(topic, key=key.encode(), value=value,
                     on_delivery=lambda err, msg: errors.append(err) if err else None, **extra)
    producer.flush(30)
    if errors:
        raise KafkaException(errors[0])


def subscribe(args, contract, producer):
    subscription = {
        "id": args.repo + "/on-release",
        "repo": args.repo,
        "artifact": args.artifact,
        "events": ["published"],
        "schema_version": "^1.0.0",
        "workflow": args.workflow,
        "inputs": {"version": "event.payload.version"},
    }
    topic = contract.topic("subscriptions")
    produce(producer, topic, subscription["id"], contract.encode(topic, subscription))
    print("published subscription %s to %s" % (subscription["id"], topic), flush=True)


def run(args, contract, producer):
    common = {"bootstrap.servers": args.bootstrap_servers, "isolation.level": "read_committed",
              "auto.offset.reset": "earliest", "enable.auto.commit": False}
    triggers = Consumer(dict(common, **{"group.id": args.repo + "-workers"}))
    triggers.subscribe([contract.topic("triggers")])
    tree_done_topic = contract.topic("tree-done")
    done = Consumer(dict(common, **{"group.id": args.repo + "-observer"}))
    partitions = done.list_topics(tree_done_topic, timeout=30).topics[tree_done_topic].partitions
    done.assign([TopicPartition(tree_done_topic, p, OFFSET_BEGINNING) for p in partitions])

    events = contract.topic("artifact-events")
    event = {
        "event_id": args.event_id,
        "artifact": args.artifact,
        "event_type": "published",
        "schema_version": "1.0.0",
        "payload": json.dumps({"version": "1.0.0"}),
        "produced_at": now(),
        "source_repo": args.artifact.split(":")[0],
    }
    produce(producer, events, event["artifact"], contract.encode(events, event))
    print("produced ArtifactEvent %s to %s" % (event["event_id"], events), flush=True)

    status_topic = contract.topic("run-status")
    status_partitions = len(producer.list_topics(status_topic, timeout=30).topics[status_topic].partitions)
    deadline = time.monotonic() + args.timeout
    try:
        while time.monotonic() < deadline:
            message = triggers.poll(0.2)
            if message is not None and message.error() is None and message.key() == args.repo.encode():
                work(contract, producer, status_topic, status_partitions, contract.decode(message.value()))
                triggers.commit(message=message, asynchronous=False)
            message = done.poll(0.2)
            if message is not None and message.error() is None:
                tree = contract.decode(message.value())
                if tree["tree_id"] == args.event_id:
                    counts = tree["counts"]
                    print("tree %s %s: total=%d succeeded=%d failed=%d" % (
                        tree["tree_id"], tree["status"], counts["total"], counts["succeeded"], counts["failed"]),
                        flush=True)
                    return 0 if tree["status"] == "SUCCEEDED" else 1
        print("error: no TreeDone for tree %s within %d s" % (args.event_id, args.timeout), file=sys.stderr)
        return 1
    finally:
        triggers.close()
        done.close()


def work(contract, producer, status_topic, status_partitions, trigger):
    """Runs one trigger: reports STARTED, does the work, reports SUCCEEDED with its output.

    The reports are keyed by run id and written to their tree's partition, where the tree coordinator reads
    them at once (any partition works, one more hop through the broker)."""
    print("trigger run %s: %s/%s attempt %d inputs %s" % (
        trigger["run_id"], trigger["repo"], trigger["workflow"], trigger["attempt"], json.dumps(trigger["inputs"])),
        flush=True)
    report = {"run_id": trigger["run_id"], "tree_id": trigger["tree_id"], "attempt": trigger["attempt"]}
    partition = tree_partition(trigger["tree_id"], status_partitions)
    produce(producer, status_topic, trigger["run_id"],
            contract.encode(status_topic, dict(report, status="STARTED", reported_at=now())), partition)
    output = {"built": json.loads(trigger["inputs"]["version"])}
    produce(producer, status_topic, trigger["run_id"],
            contract.encode(status_topic, dict(report, status="SUCCEEDED", output=json.dumps(output),
                                               reported_at=now())), partition)
    print("reported STARTED, then SUCCEEDED with output %s" % json.dumps(output), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["subscribe", "run"])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--schema-registry-url", default="http://127.0.0.1:8081")
    parser.add_argument("--topic-prefix", default="fanout.")
    parser.add_argument("--repo", default="py-worker", help="the subscriber repository this worker serves")
    parser.add_argument("--artifact", default="py-lib:release")
    parser.add_argument("--workflow", default="build")
    parser.add_argument("--event-id", default="py-evt-1")
    parser.add_argument("--timeout", type=int, default=120, help="seconds to wait for the TreeDone")
    args = parser.parse_args()

    contract = Contract(SchemaRegistry(args.schema_registry_url), args.topic_prefix)
    # murmur2_random: the partition of a key is the one Java's default partitioner picks. Fanout reads
    # artifact events on the partition of their key's murmur2 hash, where it keeps that artifact's
    # subscriptions; librdkafka's own default (CRC32) would put many events where no subscription is.
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "acks": "all", "enable.idempotence": True,
                         "partitioner": "murmur2_random"})
    if args.command == "subscribe":
        subscribe(args, contract, producer)
        return 0
    return run(args, contract, producer)


if __name__ == "__main__":
    sys.exit(main())
