package io.tiercube.engine;

/**
 * An error the user can fix: bad input, a bad model or policy file, a bad filter, a locked warehouse.
 * Its message is written for a person (file, line, key, what was expected) and is printed without a
 * stack trace; the CLI maps each {@link Kind} to a documented exit code in one place.
 */
public class UserError extends RuntimeException {

    /** What kind of mistake it is; decides the exit code. */
    public enum Kind {
        /** An input file is missing, unreadable, in the wrong encoding or has the wrong header. */
        BAD_INPUT,
        /** Too many rows were rejected: the data, not the program, needs a look. */
        DATA_QUALITY,
        /** Another run holds the warehouse's writer lock. */
        LOCKED,
        /** A cube model, tier policy, model file or setting is invalid. */
        BAD_CONFIG,
        /** A query, filter or level name given on the command line is invalid. */
        BAD_QUERY,
        /** What was asked for does not exist (yet) in the warehouse. */
        NOT_FOUND
    }

    private final Kind kind;

    public UserError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public UserError(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
