package io.backplane.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.backplane.component.state.FactStore;
import io.backplane.core.EventPath;

/**
 * The gate definitions of a gates file:
 * <pre>
 * gates:
 *   deploy-shop:
 *     description: no critical alert for shop, error rate low, not in maintenance
 *     require:
 *       - absent: alerts/firing/shop/            # no fact under this prefix
 *       - below: {fact: registers/error-rate/shop, value: 0.05}
 *       - absent: maintenance/shop
 *         reason: shop is in maintenance
 * </pre>
 * Conditions: {@code absent}, {@code present} (a key, or a prefix ending with '/'); {@code equals}, {@code below},
 * {@code above} ({@code fact}, {@code value}, optional {@code path} into a map value and {@code missing: pass|fail});
 * {@code any} (a list of conditions of which one must hold). Each may carry a {@code reason}. Anything else is an
 * error naming the gate and the condition.
 */
public final class Gates {

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> GATE_KEYS = Set.of("description", "require");
    private static final Set<String> COMPARE_KEYS = Set.of("fact", "value", "path", "missing");

    private final Map<String, Gate> gates;
    private final String source;

    private Gates(Map<String, Gate> gates, String source) {
        this.gates = gates;
        this.source = source;
    }

    public static Gates none() {
        return new Gates(Map.of(), "no gates file");
    }

    /** Reads and checks a gates file. */
    public static Gates load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new GateFileException("gates file " + file + " does not exist (backplane.gates.file)");
        } catch (IOException e) {
            throw new GateFileException("cannot read gates file " + file + ": " + e);
        }
        return parse(text, file.toString());
    }

    /** Reads and checks gate definitions; {@code source} names them in errors. */
    public static Gates parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new GateFileException("gates file " + source + " is not valid YAML: " + e.getOriginalMessage()
                                        + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new GateFileException("gates file " + source + " is empty (expected 'gates:' with at least one gate)");
        }
        if (!root.isObject() || !root.has("gates") || root.size() != 1) {
            throw new GateFileException("gates file " + source + " must have one top-level key 'gates:' (a map of "
                                        + "gate names to definitions)");
        }
        JsonNode all = root.get("gates");
        if (!all.isObject() || all.isEmpty()) {
            throw new GateFileException("gates file " + source + ": 'gates:' must be a map of gate names to "
                                        + "definitions, with at least one gate");
        }
        Map<String, Gate> gates = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : all.properties()) {
            String where = "gates file " + source + ": gate '" + e.getKey() + "'";
            gates.put(e.getKey(), gate(e.getKey(), e.getValue(), where));
        }
        return new Gates(Map.copyOf(gates), source);
    }

    private static Gate gate(String name, JsonNode def, String where) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new GateFileException(where + ": a gate name is letters, digits, '.', '_' and '-' (it is used in "
                                        + "the URL /gates/<name> and in the tag gate/<name>/open)");
        }
        if (!def.isObject()) {
            throw new GateFileException(where + " must be a map with 'description' and 'require'");
        }
        unknownKeys(def, GATE_KEYS, where);
        JsonNode description = def.get("description");
        if (description != null && !description.isTextual()) {
            throw new GateFileException(where + ": 'description' must be text");
        }
        JsonNode require = def.get("require");
        if (require == null || !require.isArray() || require.isEmpty()) {
            throw new GateFileException(where + " has no conditions: 'require' must be a list of at least one "
                                        + "condition (absent, present, equals, below, above, any)");
        }
        return new Gate(name, description == null ? null : description.asText(), conditions(require, where));
    }

    private static List<Condition> conditions(JsonNode list, String where) {
        List<Condition> out = new ArrayList<>();
        int i = 0;
        for (JsonNode c : list) {
            i++;
            out.add(condition(c, where + ", condition " + i));
        }
        return out;
    }

    private static Condition condition(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new GateFileException(where + " must be a map like '- absent: KEY' or '- below: {fact: KEY, "
                                        + "value: N}'");
        }
        JsonNode reason = node.get("reason");
        List<String> kinds = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!k.equals("reason")) {
                kinds.add(k);
            }
        });
        if (kinds.size() != 1) {
            throw new GateFileException(where + " must have exactly one of absent, present, equals, below, above, "
                                        + "any (and optionally 'reason'); it has " + kinds);
        }
        String kind = kinds.get(0);
        JsonNode arg = node.get(kind);
        where = where + " (" + kind + ")";
        Condition c = switch (kind) {
            case "absent", "present" -> new Condition.Facts(keyOrPrefix(arg, where), kind.equals("present"));
            case "equals" -> compare(Condition.Op.EQUALS, arg, where);
            case "below" -> compare(Condition.Op.BELOW, arg, where);
            case "above" -> compare(Condition.Op.ABOVE, arg, where);
            case "any" -> {
                if (!arg.isArray() || arg.isEmpty()) {
                    throw new GateFileException(where + " must be a list of conditions, one of which must hold");
                }
                yield new Condition.Any(conditions(arg, where));
            }
            default -> throw new GateFileException(where + ": unknown condition '" + kind + "' (expected absent, "
                                                   + "present, equals, below, above or any)");
        };
        if (reason != null) {
            if (!reason.isTextual() || reason.asText().isBlank()) {
                throw new GateFileException(where + ": 'reason' must be text");
            }
            c = new Condition.Explained(c, reason.asText());
        }
        return c;
    }

    private static String keyOrPrefix(JsonNode arg, String where) {
        if (!arg.isTextual() || arg.asText().isEmpty()) {
            throw new GateFileException(where + " must be a fact key or a prefix ending with '/'");
        }
        String k = arg.asText();
        if (k.endsWith("/")) {
            if (k.length() > 1) {
                checkKey(k.substring(0, k.length() - 1), where);
            }
        } else {
            checkKey(k, where);
        }
        return k;
    }

    private static Condition compare(Condition.Op op, JsonNode arg, String where) {
        if (!arg.isObject()) {
            throw new GateFileException(where + " must be a map like {fact: KEY, value: " + (op == Condition.Op.EQUALS
                    ? "VALUE" : "NUMBER") + "}");
        }
        unknownKeys(arg, COMPARE_KEYS, where);
        JsonNode fact = arg.get("fact");
        if (fact == null || !fact.isTextual()) {
            throw new GateFileException(where + " needs 'fact: KEY'");
        }
        checkKey(fact.asText(), where);
        JsonNode value = arg.get("value");
        if (value == null || value.isNull()) {
            throw new GateFileException(where + " needs 'value'");
        }
        Object expected;
        try {
            expected = YAML.treeToValue(value, Object.class);
        } catch (JsonProcessingException e) {
            throw new GateFileException(where + ": cannot read 'value': " + e.getOriginalMessage());
        }
        if (op != Condition.Op.EQUALS && !(expected instanceof Number)) {
            throw new GateFileException(where + ": 'value' must be a number, got " + Condition.show(expected));
        }
        EventPath path = null;
        JsonNode p = arg.get("path");
        if (p != null) {
            try {
                path = EventPath.compile(p.asText());
            } catch (IllegalArgumentException e) {
                throw new GateFileException(where + ": 'path' " + e.getMessage());
            }
        }
        boolean missingPasses = false;
        JsonNode missing = arg.get("missing");
        if (missing != null) {
            switch (missing.asText()) {
                case "pass" -> missingPasses = true;
                case "fail" -> missingPasses = false;
                default -> throw new GateFileException(where + ": 'missing' must be pass or fail, got '"
                                                       + missing.asText() + "'");
            }
        }
        return new Condition.Compare(op, fact.asText(), path, expected, missingPasses);
    }

    private static void checkKey(String key, String where) {
        try {
            FactStore.checkKey(key);
        } catch (IllegalArgumentException e) {
            throw new GateFileException(where + ": " + e.getMessage());
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new GateFileException(where + ": unknown key '" + k + "' (expected " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    public Gate get(String name) {
        return gates.get(name);
    }

    /** The gates, sorted by name. */
    public Collection<Gate> all() {
        return gates.values().stream().sorted(java.util.Comparator.comparing(Gate::name)).toList();
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(gates.keySet());
    }

    public boolean isEmpty() {
        return gates.isEmpty();
    }

    /** Where the definitions came from. */
    public String source() {
        return source;
    }
}
