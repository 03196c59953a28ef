package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.SqlFailure;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The one place where errors become exit codes and messages. Users see one clear line, never a
 * stack trace; {@code TIERCUBE_DEBUG=1} adds the trace for developers.
 */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int DATA_QUALITY = 3;
    public static final int LOCKED = 4;
    public static final int BAD_INPUT = 5;
    public static final int BAD_CONFIG = 6;
    public static final int BAD_QUERY = 7;
    public static final int NOT_FOUND = 8;

    private ExitCodes() {
    }

    public static int of(UserError.Kind kind) {
        return switch (kind) {
            case DATA_QUALITY -> DATA_QUALITY;
            case LOCKED -> LOCKED;
            case BAD_INPUT -> BAD_INPUT;
            case BAD_CONFIG -> BAD_CONFIG;
            case BAD_QUERY -> BAD_QUERY;
            case NOT_FOUND -> NOT_FOUND;
        };
    }

    static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (System.getenv("TIERCUBE_DEBUG") != null) {
            e.printStackTrace();
        }
        if (e instanceof UserError u) {
            System.err.println("tiercube: " + u.getMessage());
            return of(u.kind());
        }
        if (e instanceof SqlFailure s) {
            System.err.println("tiercube: query failed: " + s.getMessage());
            return BAD_QUERY;
        }
        if (e instanceof UncheckedIOException io) {
            System.err.println("tiercube: " + io.getCause().getMessage());
            return INTERNAL;
        }
        System.err.println("tiercube: internal error: " + e + " (run with TIERCUBE_DEBUG=1 for details)");
        return INTERNAL;
    }
}
