package dev.fanout.worker;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import java.time.Duration;
import java.util.List;

/**
 * The Java examples of docs/workers.md. {@code WorkersDocTest} checks that every java block of the doc
 * is one of the tagged regions below, word for word, and {@code WorkerIT} runs them on the real pipeline.
 */
final class WorkersDocExamples {

    private WorkersDocExamples() {
    }

    static FanoutWorker appB(String bootstrapServers, String registryUrl, String prefix) {
        // tag::quick-start[]
        FanoutWorker worker = FanoutWorker.builder()
                .bootstrapServers(bootstrapServers)            // such as localhost:9092
                .schemaRegistryUrl(registryUrl)                // such as http://localhost:8081
                .topicPrefix(prefix)                           // the installation's; "fanout." by default
                .groupId("app-b-workers")                      // one group per service
                .concurrency(8)                                // runs at once on this instance
                .handle("app-b", "deploy", run -> {
                    String target = run.input("target");       // JSON text, such as "eu-west"
                    if (target.equals("\"moon\"")) {
                        throw new NonRetryableException("no such target: " + target);   // FAILED, not retried
                    }
                    return RunResult.succeeded("{\"url\": \"https://app-b.example/\", \"target\": " + target + "}");
                })
                .build();
        worker.start();
        // end::quick-start[]
        return worker;
    }

    static FanoutWorker appA(String bootstrapServers, String registryUrl, String prefix) {
        return FanoutWorker.builder()
                .bootstrapServers(bootstrapServers)
                .schemaRegistryUrl(registryUrl)
                .topicPrefix(prefix)
                .groupId("app-a-workers")
                .handle("app-a", "release", WorkersDocExamples::release)
                .build()
                .start();
    }

    // tag::nested[]
    static RunResult release(Run run) throws InterruptedException {
        NestedEvent bundle = NestedEvent.builder("app-a:bundle", "published", "1.0.0")
                .payload("{\"targets\": [\"eu-west\", \"us-east\"]}")
                .fanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2).setTimeoutMs(600_000L)
                        .setOnFailure(OnFailure.FAIL_FAST).build())   // once a deployment fails, start no more
                .build();
        FanOutDone done = run.emitAndWait(bundle, Duration.ofMinutes(15));
        if (done.getStatus() != CompletionStatus.SUCCEEDED) {
            return RunResult.failed("the deployments ended " + done.getStatus() + ": " + done.getFailures());
        }
        List<String> urls = done.getResults().stream().map(ChildResult::getOutput).toList();   // in item order
        return RunResult.succeeded("{\"deployments\": " + urls + "}");
    }
    // end::nested[]
}
