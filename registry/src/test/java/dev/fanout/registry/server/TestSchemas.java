package dev.fanout.registry.server;

/** Avro schemas the tests evolve: an Order record and the changes people make to it. */
final class TestSchemas {

    static final String ORDER_V1 = """
            {"type":"record","name":"Order","namespace":"dev.fanout.test","fields":[
              {"name":"id","type":"string"}]}""";

    /** Adds a field with a default: compatible every way. */
    static final String ORDER_WITH_AMOUNT_DEFAULT = """
            {"type":"record","name":"Order","namespace":"dev.fanout.test","fields":[
              {"name":"id","type":"string"},
              {"name":"amount","type":"long","default":0}]}""";

    /** Adds a field without a default: old data cannot be read (not backward), new data can by old readers. */
    static final String ORDER_WITH_AMOUNT_REQUIRED = """
            {"type":"record","name":"Order","namespace":"dev.fanout.test","fields":[
              {"name":"id","type":"string"},
              {"name":"amount","type":"long"}]}""";

    /** Changes the type of id: incompatible every way. */
    static final String ORDER_WITH_NUMERIC_ID = """
            {"type":"record","name":"Order","namespace":"dev.fanout.test","fields":[
              {"name":"id","type":"long"}]}""";

    static final String STRING = "\"string\"";

    private TestSchemas() {
    }

    /** A distinct record schema per name, for tests that need many different schemas. */
    static String record(String name) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[{\"name\":\"f\",\"type\":\"string\"}]}";
    }
}
