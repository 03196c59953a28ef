package io.tiercube.engine.ingest;

import java.util.Locale;

/** Why an input row was rejected; the code appears in the {@code reason} column of rejects files. */
public enum RejectReason {
    WRONG_COLUMN_COUNT,
    MISSING_FIELD,
    BAD_NUMBER,
    BAD_TIMESTAMP,
    BAD_ENUM,
    NEGATIVE_VALUE,
    DUPLICATE_ID,
    UNKNOWN_CUSTOMER,
    OUT_OF_RANGE_DATE,
    ENCODING;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
