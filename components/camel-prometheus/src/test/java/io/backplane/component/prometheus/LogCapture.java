package io.backplane.component.prometheus;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records what one logger writes (at the levels the test configuration lets through), for asserting on logs. It is
 * added next to the console appender of the root logger, so the output stays as it was.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    record Line(Level level, String message) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final LoggerContext ctx;

    private LogCapture(String loggerName, LoggerContext ctx) {
        super("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = loggerName;
        this.ctx = ctx;
    }

    static LogCapture of(Class<?> loggerClass) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LogCapture capture = new LogCapture(loggerClass.getName(), ctx);
        capture.start();
        capture.rootConfig().addAppender(capture, null, null);
        ctx.updateLoggers();
        return capture;
    }

    private LoggerConfig rootConfig() {
        return ctx.getConfiguration().getRootLogger();
    }

    @Override
    public void append(LogEvent event) {
        if (loggerName.equals(event.getLoggerName())) {
            lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage()));
        }
    }

    /** The messages logged at this level that contain the text. */
    List<String> messages(Level level, String containing) {
        return lines.stream().filter(l -> l.level() == level && l.message().contains(containing))
                .map(Line::message).collect(Collectors.toList());
    }

    @Override
    public void close() {
        rootConfig().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
