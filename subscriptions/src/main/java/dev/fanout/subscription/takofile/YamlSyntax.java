package dev.fanout.subscription.takofile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Turns YAML read errors into one-line reasons; SnakeYAML's own messages span several lines with a caret drawing. */
final class YamlSyntax {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private YamlSyntax() {
    }

    static TakoFileException describe(JsonProcessingException e, int fallbackLine) {
        MarkedYAMLException marked = markedCause(e);
        if (marked != null) {
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            int line = mark == null ? fallbackLine : mark.getLine() + 1;
            String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
            return new TakoFileException(line, "YAML syntax error: " + marked.getProblem() + context);
        }
        JsonLocation location = e.getLocation();
        int line = location == null || location.getLineNr() < 1 ? fallbackLine : location.getLineNr();
        String message = e.getOriginalMessage();
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.find()) {
            return new TakoFileException(line, "key '" + duplicate.group(1) + "' appears twice in the same mapping; keep one");
        }
        return new TakoFileException(line, "YAML error: " + message.replace('\n', ' '));
    }

    private static MarkedYAMLException markedCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                return marked;
            }
        }
        return null;
    }
}
