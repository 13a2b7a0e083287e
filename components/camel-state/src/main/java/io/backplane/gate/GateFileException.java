package io.backplane.gate;

/** A gates file that cannot be used; the message names the file, the gate and the condition. */
public class GateFileException extends IllegalArgumentException {

    public GateFileException(String message) {
        super(message);
    }
}
