package io.backplane.language.ev;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ContextServicePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run by Camel for every CamelContext when camel-ev is on the class path (Java ServiceLoader, file
 * {@code META-INF/services/org.apache.camel.spi.ContextServicePlugin}), before any route is loaded: makes the
 * {@code ev:} key known to the YAML DSL, if the YAML DSL is on the class path too.
 */
public class EvContextPlugin implements ContextServicePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(EvContextPlugin.class);

    @Override
    public void load(CamelContext camelContext) {
        if (!yamlDslPresent()) {
            return;
        }
        EvYamlSupport.install(camelContext);
    }

    private static boolean yamlDslPresent() {
        try {
            Class.forName("org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader", false,
                    EvContextPlugin.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.trace("no YAML DSL on the class path: the ev: key is not installed");
            return false;
        }
    }
}
