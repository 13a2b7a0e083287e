package io.backplane.component.runbook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A runbook definition: an ordered list of steps, each an endpoint to send the triggering event to, read from YAML
 * and checked completely when it is read (unknown keys, duplicate or missing ids, missing uris, conditions that read
 * unknown or later steps), so a broken checklist stops its route from starting instead of failing at 3 am.
 */
final class Runbook {

    /** Names and step ids: letters, digits, '_' and '-' (a step id is part of a condition's dotted name). */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private static final Set<String> TOP_KEYS = Set.of("name", "description", "onFailure", "steps");
    private static final Set<String> STEP_KEYS = Set.of("id", "description", "uri", "parameters", "when",
            "continueOnFailure", "ignoreFailure", "always");

    /** What a failed step does to the rest of the run. */
    enum OnFailure {
        /** Skip the remaining steps (except those marked always). */
        STOP,
        /** Run the remaining steps; their conditions can look at the failure. */
        CONTINUE
    }

    /** One step of the checklist. */
    record Step(String id, String description, String uri, Map<String, Object> parameters, Condition when,
                boolean continueOnFailure, boolean ignoreFailure, boolean always) {

    }

    // a key given twice is an error, not "the last one wins"
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final String name;
    private final OnFailure onFailure;
    private final List<Step> steps;

    private Runbook(String name, OnFailure onFailure, List<Step> steps) {
        this.name = name;
        this.onFailure = onFailure;
        this.steps = steps;
    }

    String name() {
        return name;
    }

    OnFailure onFailure() {
        return onFailure;
    }

    List<Step> steps() {
        return steps;
    }

    /**
     * Parses a runbook named {@code name} from YAML; {@code origin} (a file, or "definition") names where it came
     * from in every error.
     */
    static Runbook parse(String name, String yaml, String origin) {
        String where = "runbook '" + name + "' (" + origin + ")";
        if (yaml == null || yaml.isBlank()) {
            throw new IllegalArgumentException(where + " is empty: it needs steps");
        }
        Object root;
        try {
            root = YAML.readValue(yaml, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not valid YAML: " + e.getOriginalMessage()
                                               + location(e), e);
        }
        if (root instanceof List<?>) {
            // a bare list of steps is a runbook with the defaults
            Map<String, Object> wrapped = new HashMap<>();
            wrapped.put("steps", root);
            root = wrapped;
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(where + " must be a YAML mapping with steps:, not "
                                               + describe(root));
        }
        unknownKeys(top, TOP_KEYS, where);
        Object declared = top.get("name");
        if (declared != null && !name.equals(String.valueOf(declared))) {
            throw new IllegalArgumentException(where + " says name: " + declared + ", but the endpoint is runbook:"
                                               + name + " (the names must match, or leave name: out)");
        }
        OnFailure onFailure = OnFailure.STOP;
        Object of = top.get("onFailure");
        if (of != null) {
            try {
                onFailure = OnFailure.valueOf(String.valueOf(of).trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": onFailure must be stop or continue, not '" + of + "'");
            }
        }
        Object list = top.get("steps");
        if (!(list instanceof List<?> items) || items.isEmpty()) {
            throw new IllegalArgumentException(where + " needs steps: a list of at least one step with an id and "
                                               + "a uri");
        }
        List<Step> steps = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Step step = step(items.get(i), i, where, index);
            index.put(step.id(), i);
            steps.add(step);
        }
        return new Runbook(name, onFailure, Collections.unmodifiableList(steps));
    }

    private static Step step(Object item, int i, String where, Map<String, Integer> earlier) {
        String which = where + ", step " + (i + 1);
        if (!(item instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(which + " must be a mapping with id: and uri:, not " + describe(item));
        }
        Object idValue = map.get("id");
        if (idValue == null || String.valueOf(idValue).isBlank()) {
            throw new IllegalArgumentException(which + " has no id (conditions and the summary name steps by id)");
        }
        String id = String.valueOf(idValue).trim();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(which + ": id '" + id + "' may contain only letters, digits, '_' "
                                               + "and '-'");
        }
        which = where + ", step '" + id + "'";
        if (earlier.containsKey(id)) {
            throw new IllegalArgumentException(which + ": the id is used twice (steps " + (earlier.get(id) + 1)
                                               + " and " + (i + 1) + "); step ids must be unique");
        }
        unknownKeys(map, STEP_KEYS, which);
        Object uriValue = map.get("uri");
        if (uriValue == null || String.valueOf(uriValue).isBlank()) {
            throw new IllegalArgumentException(which + " has no uri: the endpoint to send the event to, for example "
                                               + "ssh-action:check-disk?command=df -P /");
        }
        String uri = String.valueOf(uriValue).trim();
        Map<String, Object> parameters = new LinkedHashMap<>();
        Object params = map.get("parameters");
        if (params != null) {
            if (!(params instanceof Map<?, ?> pm)) {
                throw new IllegalArgumentException(which + ": parameters must be a mapping of option names to values, "
                                                   + "not " + describe(params));
            }
            for (Map.Entry<?, ?> e : pm.entrySet()) {
                Object v = e.getValue();
                if (v == null || v instanceof Map || v instanceof List) {
                    throw new IllegalArgumentException(which + ": parameter " + e.getKey() + " must be a single "
                                                       + "value, not " + describe(v));
                }
                parameters.put(String.valueOf(e.getKey()), v);
            }
        }
        Condition when = null;
        Object whenValue = map.get("when");
        if (whenValue != null) {
            String text = String.valueOf(whenValue);
            try {
                when = Condition.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(which + ": when: " + e.getMessage());
            }
            for (String ref : when.steps()) {
                if (ref.equals(id)) {
                    throw new IllegalArgumentException(which + ": when: '" + text + "' reads this step itself; a "
                                                       + "condition can only read earlier steps");
                }
                if (!earlier.containsKey(ref)) {
                    throw new IllegalArgumentException(which + ": when: '" + text + "' reads step '" + ref + "', "
                                                       + "which is not an earlier step of this runbook (earlier "
                                                       + "steps: " + (earlier.isEmpty() ? "none"
                                                               : String.join(", ", earlier.keySet().stream()
                                                                       .sorted((a, b) -> earlier.get(a) - earlier.get(b))
                                                                       .toList())) + ")");
                }
            }
        }
        String description = map.get("description") == null ? null : String.valueOf(map.get("description"));
        return new Step(id, description, uri, Collections.unmodifiableMap(parameters), when,
                flag(map, "continueOnFailure", which), flag(map, "ignoreFailure", which), flag(map, "always", which));
    }

    private static boolean flag(Map<?, ?> map, String key, String which) {
        Object v = map.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(which + ": " + key + " must be true or false, not '" + v + "'");
    }

    private static void unknownKeys(Map<?, ?> map, Set<String> known, String where) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: "
                                                   + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        return "'" + value + "'";
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
