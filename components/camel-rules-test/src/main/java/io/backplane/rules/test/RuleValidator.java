package io.backplane.rules.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.backplane.core.TagGlob;

/**
 * Checks YAML rule files against the JSON schema of Camel's YAML DSL (shipped in the camel-yaml-dsl jar as
 * {@code schema/camelYamlDsl.json}) and reports each problem with its file and line, before Camel gets to say
 * "failed to create route" about a file it does not name. Also checks what the schema cannot: the tag glob of every
 * {@code from: bus:...}.
 */
public final class RuleValidator {

    static final String SCHEMA = "schema/camelYamlDsl.json";
    private static volatile JsonSchema schema;
    private static volatile JsonNode schemaTree;

    /**
     * Expression languages that Backplane adds to the YAML DSL under their own key ({@code filter: {ev: "..."}},
     * camel-ev's YAML loader): the schema knows only Camel's, so they are validated as the {@code simple} key,
     * which takes the same forms (a string, or a map with {@code expression}).
     */
    public static final Map<String, String> LANGUAGE_KEYS = Map.of("ev", "simple");

    /** The rule files of a directory, as the distribution loads them: {@code *.yaml} and {@code *.yml}, sorted. */
    public static List<Path> ruleFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Problems in every rule file of the directory, in file and line order; empty when all are valid. */
    public List<Problem> validateDirectory(Path dir) {
        List<Problem> problems = new ArrayList<>();
        for (Path file : ruleFiles(dir)) {
            problems.addAll(validate(file));
        }
        return problems;
    }

    /** Problems in one rule file, in line order. */
    public List<Problem> validate(Path file) {
        List<YamlTree> docs;
        try {
            docs = YamlTree.read(file, LANGUAGE_KEYS, true);
        } catch (YamlTree.ProblemException e) {
            return List.of(e.problem());
        }
        Set<Problem> problems = new LinkedHashSet<>();
        for (YamlTree doc : docs) {
            if (doc.json().isNull()) {
                continue; // an empty document, e.g. a file of comments
            }
            List<ValidationMessage> errors = relevant(new ArrayList<>(schema().validate(doc.json())));
            for (ValidationMessage e : errors) {
                String at = pointer(e);
                String message = describe(e);
                if ("additionalProperties".equals(e.getType()) && e.getProperty() != null) {
                    at = at + "/" + YamlTree.escape(e.getProperty()); // the line of the offending key itself
                    String written = doc.originalKey(at);
                    if (written != null) {
                        message = "'" + written + "' is not allowed here (not where an expression goes)";
                    }
                }
                problems.add(new Problem(file, doc.line(at), message));
            }
            checkBusUris(doc, doc.json(), "", problems);
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(Problem::line));
        return sorted;
    }

    /**
     * The schema's messages that point at the mistake. A step like {@code to:} is "a string or an object": a wrong
     * option in the object form also fails the string branch, and oneOf reports both plus a summary. When a deeper
     * or more specific message exists, the summaries (oneOf, anyOf) and the other branch's type mismatch are noise.
     */
    static List<ValidationMessage> relevant(List<ValidationMessage> all) {
        all = all.stream().filter(m -> !isScalarTypeMismatch(m)).toList();
        List<ValidationMessage> kept = new ArrayList<>();
        for (ValidationMessage m : all) {
            String at = pointer(m);
            String type = m.getType();
            boolean specificElsewhere = all.stream().anyMatch(o -> o != m && isSpecific(o) && within(pointer(o), at));
            if (("oneOf".equals(type) || "anyOf".equals(type) || "type".equals(type)) && specificElsewhere) {
                continue;
            }
            // "at most 1 properties" on a step with a stray key: the unknown key says it better
            if ("maxProperties".equals(type) && all.stream().anyMatch(o -> "additionalProperties".equals(o.getType())
                                                                      && pointer(o).equals(at))) {
                continue;
            }
            kept.add(m);
        }
        return kept;
    }

    private static final Set<String> SCALARS = Set.of("string", "number", "integer", "boolean");

    /**
     * The YAML DSL reads every scalar as text and converts it where it is used ({@code completionTimeout: 300},
     * {@code constant: 3000}, {@code parallelProcessing: "true"}, {@code "{{size}}"} for a number). So the rules are
     * validated with every scalar as a string (see {@link YamlTree}), and the schema's "string found, boolean (or
     * number) expected" is dropped. No oneOf/anyOf of the schema has a boolean or number branch, so nothing else is.
     */
    private static boolean isScalarTypeMismatch(ValidationMessage m) {
        Object[] args = m.getArguments();
        return "type".equals(m.getType()) && args != null && args.length >= 2 && "string".equals(String.valueOf(args[0]))
               && Set.of("number", "integer", "boolean").contains(String.valueOf(args[1]));
    }

    private static boolean isSpecific(ValidationMessage m) {
        return !"oneOf".equals(m.getType()) && !"anyOf".equals(m.getType()) && !"type".equals(m.getType());
    }

    private static boolean within(String pointer, String ancestor) {
        return pointer.equals(ancestor) || pointer.startsWith(ancestor + "/");
    }

    /** The message in the words of a route author: what key, where, and the likely fix. */
    static String describe(ValidationMessage m) {
        String at = pointer(m);
        String where = lastKey(at);
        switch (m.getType()) {
            case "additionalProperties": {
                String key = m.getProperty();
                List<String> allowed = allowedKeys(m);
                boolean stepList = m.getSchemaLocation().toString().endsWith("ProcessorDefinition/additionalProperties");
                StringBuilder sb = new StringBuilder();
                sb.append(stepList ? "unknown step '" : "unknown key '").append(key).append('\'');
                if (!where.isEmpty() && !stepList) {
                    sb.append(" in ").append(where);
                }
                String near = closest(key, allowed);
                if ("steps".equals(key)) {
                    // the usual indentation slip: steps one level too far left
                    sb.append(stepList ? " (indent it under the step it belongs to)"
                            : " (steps go under from:, or under the step they belong to: check the indentation)");
                } else if (near != null) {
                    sb.append(" (did you mean '").append(near).append("'?)");
                } else if (!allowed.isEmpty() && allowed.size() <= 12) {
                    sb.append(" (expected one of ").append(String.join(", ", allowed)).append(')');
                }
                return sb.toString();
            }
            case "required":
                return (where.isEmpty() ? "" : where + ": ") + "missing required key '" + m.getProperty() + "'";
            default:
                return (where.isEmpty() ? "" : where + ": ") + m.getError();
        }
    }

    private static String lastKey(String pointer) {
        String[] parts = pointer.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].chars().allMatch(Character::isDigit)) {
                return parts[i].replace("~1", "/").replace("~0", "~");
            }
        }
        return "";
    }

    /** The keys the schema allows beside the unknown one: the {@code properties} next to its additionalProperties. */
    private static List<String> allowedKeys(ValidationMessage m) {
        String location = m.getSchemaLocation().toString();
        int hash = location.indexOf('#');
        if (hash < 0 || !location.endsWith("/additionalProperties")) {
            return List.of();
        }
        String parent = location.substring(hash + 1, location.length() - "/additionalProperties".length());
        JsonNode properties = schemaTree().at(parent + "/properties");
        List<String> keys = new ArrayList<>();
        properties.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The allowed key within two edits of the unknown one (fliter, simpel, parameterz), if there is one. */
    static String closest(String key, List<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** Damerau-Levenshtein (optimal string alignment): a swap of two letters is one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * What the schema cannot know: a {@code from: bus:<glob>} must be a valid tag glob and a {@code to: bus:<tag>} a
     * valid tag (unless it holds a placeholder or an expression, resolved only at run time).
     */
    private static void checkBusUris(YamlTree doc, JsonNode node, String pointer, Set<Problem> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkBusUris(doc, node.get(i), pointer + "/" + i, problems);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        node.fields().forEachRemaining(e -> {
            String key = e.getKey();
            JsonNode value = e.getValue();
            String child = pointer + "/" + YamlTree.escape(key);
            if ("from".equals(key) || "to".equals(key)) {
                String uriPointer = value.isTextual() ? child : child + "/uri";
                JsonNode uri = value.isTextual() ? value : value.path("uri");
                if (uri.isTextual()) {
                    String problem = busProblem(uri.asText(), "from".equals(key));
                    if (problem != null) {
                        problems.add(new Problem(doc.file(), doc.line(uriPointer), problem));
                    }
                }
            }
            checkBusUris(doc, value, child, problems);
        });
    }

    static String busProblem(String uri, boolean consumer) {
        if (!uri.startsWith("bus:") || uri.contains("{{") || uri.contains("${")) {
            return null;
        }
        String tag = uri.substring("bus:".length());
        int query = tag.indexOf('?');
        if (query >= 0) {
            tag = tag.substring(0, query);
        }
        if (tag.startsWith("//")) {
            tag = tag.substring(2);
        }
        try {
            if (consumer) {
                TagGlob.of(tag);
            } else if (!tag.isEmpty()) {
                io.backplane.core.Tags.requireTag(tag);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return (consumer ? "from " : "to ") + uri + ": " + e.getMessage();
        }
    }

    static String pointer(ValidationMessage e) {
        return pointer(e.getInstanceLocation());
    }

    static String pointer(JsonNodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            sb.append('/').append(element instanceof Integer ? element.toString() : YamlTree.escape(String.valueOf(element)));
        }
        return sb.toString();
    }

    static JsonNode schemaTree() {
        schema();
        return schemaTree;
    }

    static JsonSchema schema() {
        JsonSchema s = schema;
        if (s == null) {
            synchronized (RuleValidator.class) {
                s = schema;
                if (s == null) {
                    try (InputStream in = RuleValidator.class.getClassLoader().getResourceAsStream(SCHEMA)) {
                        if (in == null) {
                            throw new IllegalStateException(SCHEMA + " is not on the classpath: camel-yaml-dsl is missing");
                        }
                        JsonNode tree = new ObjectMapper().readTree(in);
                        schemaTree = tree;
                        // Camel's schema marks options "deprecated" (a later draft's keyword): known, not validated
                        JsonMetaSchema v4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                                .keyword(new NonValidationKeyword("deprecated")).build();
                        s = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                                .metaSchema(v4).build().getSchema(tree);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    schema = s;
                }
            }
        }
        return s;
    }
}
