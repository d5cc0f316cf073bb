package dev.fanout.subscription.takofile;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.fanout.subscription.SubscriptionNames;
import dev.fanout.subscription.SubscriptionValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the {@code subscriptions} of one repository's tako.yml into Avro {@link dev.fanout.avro.Subscription}s,
 * and its {@code limits} into a {@link dev.fanout.avro.RepoLimits}.
 *
 * <p>Order of defences: the size is checked before reading; a token pass ({@link SafeYaml#index})
 * refuses aliases, deep nesting and syntax errors and records line numbers; only then is the
 * document bound, one subscription at a time, so that an error in one entry does not hide the others.
 * Each subscription then goes through the same {@link SubscriptionValidator} as records from the topic.
 */
public final class TakoFileParser {

    public static final String FILE_NAME = "tako.yml";

    /**
     * Top-level keys: {@code subscriptions} and {@code limits} are read; the others belong to tako itself (artifacts,
     * workflows, ...) and are accepted without being interpreted. Anything else is most likely a typo.
     */
    public static final Set<String> TOP_LEVEL_KEYS =
            Set.of("version", "metadata", "artifacts", "workflows", "dependents", "subscriptions", "limits");

    private final TakoFileLimits limits;
    private final SubscriptionValidator validator;
    private final SafeYaml yaml;

    public TakoFileParser(TakoFileLimits limits, SubscriptionValidator validator) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.yaml = new SafeYaml(limits);
    }

    public static TakoFileParser withDefaults() {
        return new TakoFileParser(TakoFileLimits.DEFAULTS, SubscriptionValidator.withDefaults());
    }

    public TakoFileLimits limits() {
        return limits;
    }

    /** Reads {@code file}; errors name it as {@code displayName}. Symbolic links are not followed. */
    public ParsedTakoFile parse(Path file, String repo, String displayName) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(displayName, "displayName");
        byte[] content;
        try {
            content = read(file);
        } catch (TakoFileException e) {
            return ParsedTakoFile.failed(repo, e.toSourceError(displayName));
        }
        return parse(content, repo, displayName);
    }

    /** Reads YAML content that is already in memory (tests, the docs check, an upload). */
    public ParsedTakoFile parse(byte[] content, String repo, String displayName) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(displayName, "displayName");
        if (!SubscriptionNames.isRepo(repo)) {
            return ParsedTakoFile.failed(repo, SourceError.ofFile(displayName, "repository name '" + repo
                    + "' is not valid; use folder names of " + SubscriptionNames.NAME_RULE));
        }
        if (content.length > limits.maxFileBytes()) {
            return ParsedTakoFile.failed(repo, SourceError.ofFile(displayName, tooLarge(content.length)));
        }
        try {
            LineIndex index = yaml.index(content);
            if (index.isEmpty()) {
                return new ParsedTakoFile(repo, List.of(), List.of());
            }
            return new TakoDocument(repo, displayName, index, yaml.mapper(), validator).read(yaml.tree(content));
        } catch (TakoFileException e) {
            return ParsedTakoFile.failed(repo, e.toSourceError(displayName));
        }
    }

    private byte[] read(Path file) throws TakoFileException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new TakoFileException(0, "file not found");
        } catch (IOException e) {
            throw new TakoFileException(0, "cannot read: " + describe(e));
        }
        if (attributes.isSymbolicLink()) {
            throw new TakoFileException(0, "is a symbolic link, which is not followed; make it a regular file");
        }
        if (!attributes.isRegularFile()) {
            throw new TakoFileException(0, "is not a regular file");
        }
        if (attributes.size() > limits.maxFileBytes()) {
            throw new TakoFileException(0, tooLarge(attributes.size()));
        }
        // Read at most one byte past the cap, in case the file grew after its size was checked.
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes((int) limits.maxFileBytes() + 1);
            if (content.length > limits.maxFileBytes()) {
                throw new TakoFileException(0, tooLarge(content.length));
            }
            return content;
        } catch (IOException e) {
            throw new TakoFileException(0, "cannot read: " + describe(e));
        }
    }

    private String tooLarge(long size) {
        return "file is " + size + " bytes, more than the limit of " + limits.maxFileBytes()
                + " bytes; a tako.yml should be small (raise the limit only if this file is genuine)";
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Keys a subscription entry accepts, sorted; derived from the binding so docs and errors cannot drift. */
    public static SortedSet<String> subscriptionKeys() {
        PropertyNamingStrategies.SnakeCaseStrategy snakeCase = new PropertyNamingStrategies.SnakeCaseStrategy();
        return Arrays.stream(SubscriptionSpec.class.getRecordComponents())
                .map(component -> snakeCase.translate(component.getName()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
