package dev.fanout.query;

import dev.fanout.admission.QuotaPositions;
import java.util.List;

/**
 * Where trees live: which instance owns a tree (Kafka Streams' metadata), the stores of this instance's
 * partitions, and the other instances to ask when listing; and where a repository's quota lives (the
 * admission stage is keyed by repository, so that is usually another partition than its runs' trees).
 */
interface TreeLocator {

    /** The instance that owns a tree's partition; {@link ApiError#unavailable} if unknown (rebalancing). */
    Owner ownerOf(String treeId);

    /** The stores of every tree partition active on this instance. */
    List<TreeStores> localPartitions();

    /** Base URLs ({@code http://host:port}) of the other instances that own tree partitions. */
    List<String> otherInstances();

    /** The instance whose admission partition holds the repository's quota; {@link ApiError#unavailable} if unknown. */
    RepoOwner ownerOfRepo(String repo);

    /** The admission stores of every partition of the admission stage active on this instance. */
    List<QuotaPositions> localAdmissionPartitions();

    /** Whether this instance is processing (Kafka Streams RUNNING). */
    boolean ready();

    /** What the instance is doing, for the readiness answer ({@code RUNNING}, {@code REBALANCING}...). */
    String state();

    sealed interface Owner permits Local, Remote {
    }

    record Local(TreeStores stores) implements Owner {
    }

    record Remote(String baseUrl) implements Owner, RepoOwner {
    }

    sealed interface RepoOwner permits LocalQuota, Remote {
    }

    record LocalQuota(QuotaPositions quotas) implements RepoOwner {
    }
}
