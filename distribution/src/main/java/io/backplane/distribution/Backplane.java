package io.backplane.distribution;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code backplane} command: runs Backplane (the default), emits an event, or tests, validates and traces rules. */
@Command(name = "backplane", mixinStandardHelpOptions = true, version = "Backplane 0.1.0",
         description = "Event-driven automation for operations on Apache Camel. With no command: run.",
         subcommands = { RunCommand.class, EmitCommand.class, TestCommand.class, ValidateCommand.class,
                         TraceCommand.class })
public final class Backplane implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Backplane()).execute(args));
    }

    @Override
    public Integer call() {
        return new RunCommand().call();
    }
}
