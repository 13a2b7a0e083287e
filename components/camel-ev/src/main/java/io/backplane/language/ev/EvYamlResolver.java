package io.backplane.language.ev;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.dsl.yaml.common.YamlDeserializationContext;
import org.apache.camel.dsl.yaml.common.YamlDeserializerResolver;
import org.apache.camel.dsl.yaml.common.YamlDeserializerSupport;
import org.apache.camel.dsl.yaml.deserializers.BeansDeserializer;
import org.apache.camel.dsl.yaml.deserializers.CustomResolver;
import org.apache.camel.dsl.yaml.deserializers.ExpressionDeserializers;
import org.apache.camel.dsl.yaml.deserializers.ModelDeserializersResolver;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.NodeType;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Lets YAML routes write {@code ev: "..."} where Camel takes an expression ({@code filter}, {@code when},
 * {@code setHeader}, {@code expression}, ...). Camel's YAML DSL knows a fixed list of expression keys (simple,
 * jsonpath, ...); every other language is written {@code language: {language: x, expression: ...}}. This resolver
 * runs before Camel's own: for each EIP it returns Camel's deserializer behind a step that rewrites an {@code ev}
 * key of the node into exactly that {@code language} form, so the model Camel builds is the standard one.
 */
public final class EvYamlResolver implements YamlDeserializerResolver {

    /** Before Camel's CustomResolver (0) and ModelDeserializersResolver (lowest - 1); orders must be unique. */
    static final int ORDER = YamlDeserializerResolver.ORDER_DEFAULT - 100;

    private final ModelDeserializersResolver model = new ModelDeserializersResolver();
    private final CustomResolver custom = new CustomResolver(new BeansDeserializer());

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public ConstructNode resolve(String id) {
        switch (id) {
            case "expression":
            case "org.apache.camel.model.language.ExpressionDefinition":
                return new Rewriting(new ExpressionDeserializers.ExpressionDefinitionDeserializers());
            case "org.apache.camel.model.ExpressionSubElementDefinition":
                return new Rewriting(new ExpressionDeserializers.ExpressionSubElementDefinitionDeserializers());
            default:
                break;
        }
        if (custom.resolve(id) != null) {
            return null; // routes, beans, error handlers...: Camel's own, untouched
        }
        ConstructNode camel = model.resolve(id);
        return camel == null ? null : new Rewriting(camel);
    }

    /** Rewrites {@code ev: X} in the node it constructs, then hands it to Camel's deserializer. */
    private static final class Rewriting implements ConstructNode {
        private final ConstructNode camel;

        Rewriting(ConstructNode camel) {
            this.camel = camel;
        }

        @Override
        public Object construct(Node node) {
            rewrite(node);
            return camel.construct(node);
        }
    }

    static void rewrite(Node node) {
        if (node.getNodeType() != NodeType.MAPPING) {
            return;
        }
        MappingNode mapping = (MappingNode) node;
        List<NodeTuple> tuples = mapping.getValue();
        List<NodeTuple> out = null;
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple t = tuples.get(i);
            if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("ev")) {
                if (out == null) {
                    out = new ArrayList<>(tuples.subList(0, i));
                }
                out.add(new NodeTuple(scalar("language", key), languageNode(t.getValueNode())));
            } else if (out != null) {
                out.add(t);
            }
        }
        if (out != null) {
            mapping.setValue(out);
        }
    }

    /** {@code {language: ev, expression: X}}, or for {@code ev: {expression: X, ...}} its entries plus the name. */
    private static Node languageNode(Node value) {
        List<NodeTuple> entries = new ArrayList<>();
        entries.add(new NodeTuple(scalar("language", value), scalar("ev", value)));
        if (value.getNodeType() == NodeType.MAPPING) {
            entries.addAll(((MappingNode) value).getValue());
        } else {
            entries.add(new NodeTuple(scalar("expression", value), value));
        }
        MappingNode m = new MappingNode(Tag.MAP, true, entries, FlowStyle.BLOCK, value.getStartMark(), value.getEndMark());
        YamlDeserializationContext dc = YamlDeserializerSupport.getDeserializationContext(value);
        if (dc != null) {
            YamlDeserializerSupport.setDeserializationContext(m, dc);
        }
        return m;
    }

    private static ScalarNode scalar(String text, Node at) {
        ScalarNode s = new ScalarNode(Tag.STR, true, text, ScalarStyle.PLAIN, at.getStartMark(), at.getEndMark());
        YamlDeserializationContext dc = YamlDeserializerSupport.getDeserializationContext(at);
        if (dc != null) {
            YamlDeserializerSupport.setDeserializationContext(s, dc);
        }
        return s;
    }
}
