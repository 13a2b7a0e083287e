package io.backplane.inventory;

/** An inventory that cannot be read, or a target that is not in it; the message names the file and the host. */
public class InventoryException extends IllegalArgumentException {

    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
