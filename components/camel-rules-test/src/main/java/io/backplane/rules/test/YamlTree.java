package io.backplane.rules.test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One YAML document as JSON (for the schema validator) and as plain Java values (for the case reader), with the
 * line of every node kept by its JSON pointer ({@code /0/route/from/steps/1}): a JSON schema error names a pointer,
 * the user needs a line. For a mapping entry the line is the key's, where the eye looks for a misspelling.
 */
final class YamlTree {

    private final Path file;
    private final JsonNode json;
    private final Object value;
    private final Map<String, Integer> lines;

    private final Map<String, String> renamed;

    private YamlTree(Path file, JsonNode json, Object value, Map<String, Integer> lines, Map<String, String> renamed) {
        this.file = file;
        this.json = json;
        this.value = value;
        this.lines = lines;
        this.renamed = renamed;
    }

    /** Every document of the file; a YAML syntax error (bad indentation, a tab...) is a problem with its line. */
    static List<YamlTree> read(Path file) throws ProblemException {
        return read(file, Map.of(), false);
    }

    /**
     * As {@link #read(Path)}, for the schema: keys renamed in the JSON form (e.g. {@code ev} read as {@code simple})
     * and, if asked, every scalar as a JSON string, as the YAML DSL reads scalars.
     */
    static List<YamlTree> read(Path file, Map<String, String> keyAliases, boolean scalarsAsText)
            throws ProblemException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProblemException(new Problem(file, 0, "cannot read: " + e.getMessage()));
        }
        return parse(file, text, keyAliases, scalarsAsText);
    }

    static List<YamlTree> parse(Path file, String text, Map<String, String> keyAliases, boolean scalarsAsText)
            throws ProblemException {
        List<YamlTree> docs = new ArrayList<>();
        try (Reader r = new java.io.StringReader(text)) {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
            for (Node node : new Compose(settings).composeAllFromReader(r)) {
                Map<String, Integer> lines = new HashMap<>();
                Map<String, String> renamed = new HashMap<>();
                JsonNode json = toJson(node, "", lines, keyAliases, scalarsAsText, renamed);
                docs.add(new YamlTree(file, json, toValue(node), lines, renamed));
            }
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new ProblemException(new Problem(file, line, "YAML syntax error: " + context + e.getProblem()
                                                               + " (check the indentation)"));
        } catch (YamlEngineException e) {
            throw new ProblemException(new Problem(file, 0, "YAML syntax error: " + e.getMessage()));
        } catch (IOException e) {
            throw new ProblemException(new Problem(file, 0, "cannot read: " + e.getMessage()));
        }
        return docs;
    }

    Path file() {
        return file;
    }

    JsonNode json() {
        return json;
    }

    /** The document as maps, lists, strings, numbers, booleans and nulls. */
    Object value() {
        return value;
    }

    /** The 1-based line of the node at this JSON pointer, or of its nearest ancestor that has one. */
    int line(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "" : p.substring(0, slash);
        }
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** The key as written in the file, for a pointer whose last key was renamed; null if it was not. */
    String originalKey(String pointer) {
        return renamed.get(pointer);
    }

    private static JsonNode toJson(Node node, String pointer, Map<String, Integer> lines,
                                   Map<String, String> aliases, boolean scalarsAsText, Map<String, String> renamed) {
        lines.putIfAbsent(pointer, line(node));
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode m) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : m.getValue()) {
                String written = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(toValue(t.getKeyNode()));
                String key = aliases.getOrDefault(written, written);
                String child = pointer + "/" + escape(key);
                if (!key.equals(written)) {
                    renamed.put(child, written);
                }
                lines.put(child, line(t.getKeyNode()));
                o.set(key, toJson(t.getValueNode(), child, lines, aliases, scalarsAsText, renamed));
            }
            return o;
        }
        if (node instanceof SequenceNode s) {
            ArrayNode a = f.arrayNode();
            int i = 0;
            for (Node item : s.getValue()) {
                a.add(toJson(item, pointer + "/" + i++, lines, aliases, scalarsAsText, renamed));
            }
            return a;
        }
        Object v = toValue(node);
        if (v == null) {
            return f.nullNode();
        } else if (scalarsAsText) {
            return f.textNode(((ScalarNode) node).getValue());
        } else if (v instanceof Boolean b) {
            return f.booleanNode(b);
        } else if (v instanceof Long l) {
            return f.numberNode(l);
        } else if (v instanceof Double d) {
            return f.numberNode(d);
        } else if (v instanceof java.math.BigInteger b) {
            return f.numberNode(b);
        }
        return f.textNode(String.valueOf(v));
    }

    /** Scalars typed as YAML 1.2's core schema resolves them (what Camel's YAML DSL sees). */
    private static Object toValue(Node node) {
        if (node instanceof MappingNode m) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                Object key = toValue(t.getKeyNode());
                map.put(String.valueOf(key), toValue(t.getValueNode()));
            }
            return map;
        }
        if (node instanceof SequenceNode s) {
            List<Object> list = new ArrayList<>();
            for (Node item : s.getValue()) {
                list.add(toValue(item));
            }
            return list;
        }
        ScalarNode s = (ScalarNode) node;
        String text = s.getValue();
        Tag tag = s.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return null;
            } else if (Tag.BOOL.equals(tag)) {
                return Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
            } else if (Tag.INT.equals(tag)) {
                java.math.BigInteger big = text.startsWith("0x") ? new java.math.BigInteger(text.substring(2), 16)
                        : text.startsWith("0o") ? new java.math.BigInteger(text.substring(2), 8)
                        : new java.math.BigInteger(text);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            } else if (Tag.FLOAT.equals(tag)) {
                String t = text.toLowerCase(java.util.Locale.ROOT);
                if (t.endsWith(".inf")) {
                    return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                return t.equals(".nan") ? Double.NaN : Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            return text;
        }
        return text;
    }

    /** A problem found while reading, carried to the caller that collects them. */
    static final class ProblemException extends Exception {
        private final transient Problem problem;

        ProblemException(Problem problem) {
            super(problem.toString());
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }
}
