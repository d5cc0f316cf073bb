package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** docs/security.md's ACL table reads as the secured tests grant it, cancelling's topics included. */
class DocumentedAclsTest {

    private static final Map<String, String> PRINCIPALS = Map.of("pipeline", "User:p", "worker", "User:w",
            "operator", "User:o", "registry", "User:r");

    @Test
    void everyRowReadsAndTheCancelTopicsAreGrantedToWhoUsesThem() {
        List<AclBinding> acls = DocumentedAcls.forPrincipals(PRINCIPALS);

        assertThat(acls).isNotEmpty();
        assertThat(operations(acls, "User:p", "fanout.tree-cancel")).containsExactlyInAnyOrder(AclOperation.READ,
                AclOperation.WRITE);
        assertThat(operations(acls, "User:p", "fanout.run-cancellations")).containsExactly(AclOperation.WRITE);
        assertThat(operations(acls, "User:w", "fanout.run-cancellations")).containsExactly(AclOperation.READ);
        assertThat(operations(acls, "User:o", "fanout.tree-cancel")).containsExactly(AclOperation.WRITE);
        assertThat(operations(acls, "User:o", "fanout.repo-limits")).containsExactlyInAnyOrder(AclOperation.READ,
                AclOperation.WRITE);
        assertThat(operations(acls, "User:p", "fanout.repo-limits")).containsExactly(AclOperation.READ);
        assertThat(operations(acls, "User:p", "fanout.admission")).containsExactlyInAnyOrder(AclOperation.READ,
                AclOperation.WRITE);
        assertThat(operations(acls, "User:p", "fanout.admission-grants")).containsExactlyInAnyOrder(AclOperation.READ,
                AclOperation.WRITE);
    }

    private static List<AclOperation> operations(List<AclBinding> acls, String principal, String topic) {
        return acls.stream()
                .filter(acl -> acl.pattern().resourceType() == ResourceType.TOPIC && acl.pattern().name().equals(topic)
                        && acl.entry().principal().equals(principal))
                .map(acl -> acl.entry().operation()).toList();
    }
}
