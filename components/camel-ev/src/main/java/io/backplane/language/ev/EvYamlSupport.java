package io.backplane.language.ev;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.RoutesBuilderLoader;

/** Installs the YAML loader that knows {@code ev:}; only loaded when the YAML DSL is on the class path. */
final class EvYamlSupport {

    /**
     * Not {@code routes-builder-loader-yaml}: a loader bound under that name is used as it is, never started. Camel's
     * routes loader finds a loader bound under any other name by type, then sets it up and starts it like its own.
     */
    static final String LOADER_BEAN = "backplane-ev-yaml-routes-loader";

    private EvYamlSupport() {
    }

    static void install(CamelContext context) {
        if (context.getRegistry().lookupByNameAndType("routes-builder-loader-yaml",
                RoutesBuilderLoader.class) != null) {
            return; // the application chose its own YAML loader
        }
        context.getRegistry().bind(LOADER_BEAN, new EvYamlRoutesBuilderLoader());
    }
}
