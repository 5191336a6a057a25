package dev.wharf.builder.parse;

import dev.wharf.base.error.InvalidArgumentException;

/** A Dockerfile that cannot be parsed; the message says where, as Docker's does. */
public final class ParseException extends InvalidArgumentException {

    public ParseException(int line, String message) {
        super(line > 0 ? "dockerfile parse error on line " + line + ": " + message
                : "dockerfile parse error: " + message);
    }
}
