package io.backplane.language.ev;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.processor.ChoiceProcessor;
import org.apache.camel.processor.FilterProcessor;
import org.apache.camel.reifier.ChoiceReifier;
import org.apache.camel.spi.ProcessorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds every {@code choice} of the routes when camel-ev is on the class path. Camel's DefaultProcessorFactory
 * asks for a factory per EIP model class under {@code META-INF/services/org/apache/camel/model/}; this one is
 * registered for {@code ChoiceDefinition}. It lets Camel's own ChoiceReifier build the choice (so ids, disabled
 * whens, preconditions and outputs are exactly Camel's), then, when at least {@link ChoiceIndex#MIN_INDEXED}
 * {@code ev} whens test equality of the same field, returns an {@link IndexedChoiceProcessor} over the very same
 * when processors. Everything else is returned as Camel built it. Set {@code backplane.ev.indexed-choice=false} to
 * turn it off.
 */
public class IndexedChoiceFactory implements ProcessorFactory {

    /** Application property that turns indexing off (default true). */
    public static final String ENABLED_PROPERTY = "backplane.ev.indexed-choice";

    private static final Logger LOG = LoggerFactory.getLogger(IndexedChoiceFactory.class);

    @Override
    public Processor createChildProcessor(Route route, NamedNode definition, boolean mandatory) {
        return null;
    }

    @Override
    public Processor createProcessor(Route route, NamedNode definition) throws Exception {
        if (!(definition instanceof ChoiceDefinition choice)) {
            return null;
        }
        Processor built = new ChoiceReifier(route, choice).createProcessor();
        if (!(built instanceof ChoiceProcessor plain) || built instanceof IndexedChoiceProcessor
            || !enabled(route.getCamelContext())) {
            return built;
        }
        List<FilterProcessor> filters = plain.getFilters();
        List<Predicate> predicates = new ArrayList<>(filters.size());
        filters.forEach(f -> predicates.add(f.getPredicate()));
        ChoiceIndex index = ChoiceIndex.build(predicates);
        if (index == null) {
            return built;
        }
        IndexedChoiceProcessor indexed
                = new IndexedChoiceProcessor(filters, (AsyncProcessor) plain.getOtherwise(), index);
        indexed.setDisabled(plain.isDisabled());
        LOG.debug("choice {} of route {}: {} of {} whens indexed on {}", choice.getId(), route.getRouteId(),
                index.indexedCount, filters.size(), index.fieldText);
        return indexed;
    }

    private static boolean enabled(CamelContext context) {
        return context.getPropertiesComponent().resolveProperty(ENABLED_PROPERTY)
                .map(v -> !v.trim().equalsIgnoreCase("false")).orElse(true);
    }

    @Override
    public Processor createProcessor(CamelContext camelContext, String definitionName, Object[] args) {
        return null;
    }
}
