package io.backplane.language.ev;

import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.dsl.yaml.common.YamlDeserializationContext;
import org.apache.camel.spi.Resource;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Camel's YAML routes loader with {@link EvYamlResolver} added to each file's deserialization context; everything
 * else is Camel's. (Camel 4.17 reads {@code YamlDeserializerResolver} beans from the registry only in a lifecycle
 * method its loader never calls, so adding the resolver here is the one hook that works.)
 */
public class EvYamlRoutesBuilderLoader extends YamlRoutesBuilderLoader {

    @Override
    protected YamlDeserializationContext newYamlDeserializationContext(LoadSettings settings, Resource resource) {
        YamlDeserializationContext context = super.newYamlDeserializationContext(settings, resource);
        context.addResolver(new EvYamlResolver());
        return context;
    }
}
