package dev.fanout.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL table of docs/security.md, read as the tests grant it: the least-privilege tests give their
 * principals exactly what the page lists, so the page cannot promise less than Fanout needs.
 */
final class DocumentedAcls {

    static final Path PAGE = Path.of("..", "docs", "security.md");
    static final List<String> ROLES = List.of("pipeline", "worker", "operator", "registry");

    private DocumentedAcls() {
    }

    /** Every ACL of the page, for the principal each role maps to (such as {@code User:fanout-pipeline}). */
    static List<AclBinding> forPrincipals(Map<String, String> principalByRole) {
        List<AclBinding> acls = new ArrayList<>();
        for (String line : lines()) {
            String[] cells = line.split("\\|");
            // "| role | resource | pattern | name | operations |" splits into an empty cell and five
            if (cells.length != 6 || !ROLES.contains(cells[1].strip())) {
                continue;
            }
            String principal = principalByRole.get(cells[1].strip());
            if (principal == null) {
                throw new IllegalArgumentException("no principal for role " + cells[1].strip());
            }
            ResourcePattern pattern = new ResourcePattern(ResourceType.fromString(cells[2].strip()),
                    cells[4].strip().replace("`", ""), PatternType.fromString(cells[3].strip()));
            for (String operation : cells[5].split(",")) {
                AclOperation op = AclOperation.fromString(operation.strip().toUpperCase(Locale.ROOT));
                if (op == AclOperation.UNKNOWN || pattern.resourceType() == ResourceType.UNKNOWN
                        || pattern.patternType() == PatternType.UNKNOWN) {
                    throw new IllegalStateException("docs/security.md: cannot read the ACL row '" + line + "'");
                }
                acls.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
        if (acls.isEmpty()) {
            throw new IllegalStateException("docs/security.md lists no ACL rows");
        }
        return acls;
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(PAGE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
