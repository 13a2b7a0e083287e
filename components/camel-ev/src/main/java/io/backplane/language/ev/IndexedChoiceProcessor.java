package io.backplane.language.ev;

import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.processor.ChoiceProcessor;
import org.apache.camel.processor.FilterProcessor;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.apache.camel.processor.PipelineHelper.continueProcessing;

/**
 * Camel's {@link ChoiceProcessor} with its {@code when}s looked up instead of scanned: one field of the event is
 * read, its value is looked up in a {@link ChoiceIndex}, and only the {@code when}s that can match it (plus those the
 * index cannot rule out) are evaluated, in their original order, exactly as Camel's loop does (first match wins,
 * a failing predicate stops the choice, {@code otherwise} when none matches). It is a ChoiceProcessor, so JMX,
 * tracing and route dumps see an ordinary choice.
 */
public class IndexedChoiceProcessor extends ChoiceProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(IndexedChoiceProcessor.class);

    private final FilterProcessor[] filters;
    private final AsyncProcessor otherwise;
    private final ChoiceIndex index;
    private final boolean indexUsesEvent;
    private long notFiltered;
    private long evaluations;

    IndexedChoiceProcessor(List<FilterProcessor> filters, AsyncProcessor otherwise, ChoiceIndex index) {
        super(filters, otherwise);
        this.filters = filters.toArray(new FilterProcessor[0]);
        this.otherwise = otherwise == null ? null : AsyncProcessorConverterHelper.convert(otherwise);
        this.index = index;
        this.indexUsesEvent = index.field.usesEvent();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        int[] whens;
        try {
            whens = index.candidates(index.field.value(indexUsesEvent ? EventAccess.event(exchange) : null, exchange));
        } catch (RuntimeException notAnEvent) {
            // e.g. a body that is not an event: Camel's own scan meets the same error where a plain choice would
            return super.process(exchange, callback);
        }
        for (int i : whens) {
            FilterProcessor filter = filters[i];
            evaluations++;
            boolean matches = false;
            try {
                matches = filter.matches(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (!continueProcessing(exchange, "so breaking out of choice", LOG)) {
                callback.done(true);
                return true;
            }
            if (matches) {
                return filter.getProcessor().process(exchange, callback);
            }
        }
        if (otherwise != null) {
            notFiltered++;
            return otherwise.process(exchange, callback);
        }
        callback.done(true);
        return true;
    }

    /** The field the whens are indexed on, e.g. {@code data.alert.name}. */
    public String getIndexedField() {
        return index.fieldText;
    }

    /** How many whens are indexed (the others are evaluated for every exchange). */
    public int getIndexedWhenCount() {
        return index.indexedCount;
    }

    /** Predicates evaluated through the index so far (a plain choice evaluates every when up to the match). */
    public long getEvaluationCount() {
        return evaluations;
    }

    @Override
    public long getNotFilteredCount() {
        return notFiltered + super.getNotFilteredCount();
    }

    @Override
    public void reset() {
        super.reset();
        notFiltered = 0;
        evaluations = 0;
    }

    @Override
    public String getTraceLabel() {
        return "choice[indexed on " + index.fieldText + "]";
    }
}
