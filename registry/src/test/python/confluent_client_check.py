#!/usr/bin/env python3
"""Drives a Schema Registry with Confluent's own Python client (confluent_kafka.schema_registry).

Usage: confluent_client_check.py REGISTRY_URL CONTRACT_DIR SOURCES_DIR

1. Every self-contained contract schema (CONTRACT_DIR/*.avsc) registers as it is, is found by lookup,
   and comes back by id.
2. Fanout's split sources register the Confluent way: ParentRef and FanOutOptions alone, ArtifactEvent
   with references to them; the references come back by id, by version and by lookup; the referenced
   versions list their referrer; a referenced version cannot be deleted (42206).

Prints one line per check and exits non-zero at the first one that fails.
"""

import os
import sys

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError


def check(condition, what):
    if not condition:
        raise SystemExit("FAILED: " + what)
    print("ok: " + what, flush=True)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def reference_tuples(references):
    # Answers carry references as dicts, requests as SchemaReference objects.
    return [(r["name"], r["subject"], r["version"]) if isinstance(r, dict) else (r.name, r.subject, r.version)
            for r in references]


def contract_schemas(client, contract_dir, expected):
    names = sorted(f for f in os.listdir(contract_dir) if f.endswith(".avsc"))
    check(len(names) == expected, "the contract has %d schemas: %s" % (expected, names))
    for name in names:
        text = read(os.path.join(contract_dir, name))
        subject = "contract." + name[:-len(".avsc")] + "-value"
        schema_id = client.register_schema(subject, Schema(text, "AVRO"))
        found = client.lookup_schema(subject, Schema(text, "AVRO"))
        check(found.schema_id == schema_id and found.version == 1,
              "%s registers as it is under %s (id %d) and is found by lookup" % (name, subject, schema_id))
        check(client.get_schema(schema_id).references == [], "%s comes back by id with no references" % name)


def split_schemas(client, sources_dir):
    def source(name):
        return read(os.path.join(sources_dir, name + ".avsc"))

    parent_id = client.register_schema("parent-ref", Schema(source("ParentRef"), "AVRO"))
    options_id = client.register_schema("fan-out-options", Schema(source("FanOutOptions"), "AVRO"))
    references = [SchemaReference("dev.fanout.avro.ParentRef", "parent-ref", 1),
                  SchemaReference("dev.fanout.avro.FanOutOptions", "fan-out-options", 1)]
    expected = reference_tuples(references)
    event = Schema(source("ArtifactEvent"), "AVRO", references)

    event_id = client.register_schema("split.artifact-events-value", event)
    check(event_id not in (parent_id, options_id), "ArtifactEvent registers with its references (id %d)" % event_id)

    by_id = client.get_schema(event_id)
    check(reference_tuples(by_id.references) == expected, "the schema by id comes with its references")
    check('"ParentRef"' in by_id.schema_str and '"run_id"' not in by_id.schema_str,
          "the stored schema keeps the referenced types as names")
    latest = client.get_latest_version("split.artifact-events-value")
    check(latest.schema_id == event_id and reference_tuples(latest.schema.references) == expected,
          "the latest version comes with its references")
    found = client.lookup_schema("split.artifact-events-value", Schema(source("ArtifactEvent"), "AVRO", references))
    check(found.schema_id == event_id and found.version == 1, "the lookup with references finds version 1")
    check(client.register_schema("split.artifact-events-value", event) == event_id
          and client.get_versions("split.artifact-events-value") == [1],
          "registering it again makes no new version")

    try:
        client.delete_version("parent-ref", 1)
        check(False, "deleting a referenced version is refused")
    except SchemaRegistryError as e:
        check(e.http_status_code == 422 and e.error_code == 42206,
              "deleting a referenced version is refused with 42206: %s" % e.error_message)


def main():
    registry_url, contract_dir, sources_dir, expected = sys.argv[1:5]
    client = SchemaRegistryClient({"url": registry_url})
    contract_schemas(client, contract_dir, int(expected))
    split_schemas(client, sources_dir)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
