package io.tiercube.engine.ingest;

import java.util.List;

/** The three input datasets of the input contract (docs/input-format.md) and their CSV columns. */
public enum Dataset {
    CUSTOMERS("customers", "customer_id", List.of("customer_id", "msisdn", "name", "gender", "birth_date", "occupation",
            "income_band", "education", "province", "city", "district", "segment", "join_date", "plan_id", "plan_fee",
            "channel_type", "channel", "status", "closed_date")),
    USAGE("usage", "record_id", List.of("record_id", "customer_id", "event_time", "service", "call_type", "product",
            "duration_s", "volume_mb", "charge", "other_party")),
    COMPLAINTS("complaints", "ticket_id", List.of("ticket_id", "customer_id", "opened_at", "category", "resolved_at",
            "satisfaction"));

    private final String id;
    private final String key;
    private final List<String> columns;

    Dataset(String id, String key, List<String> columns) {
        this.id = id;
        this.key = key;
        this.columns = columns;
    }

    /** Name of the dataset in the warehouse and in manifests. */
    public String id() {
        return id;
    }

    /** The column that must be unique (duplicates are rejected as {@code duplicate_id}). */
    public String key() {
        return key;
    }

    /** The contract's columns, in the contract's order (input files may order them differently). */
    public List<String> columns() {
        return columns;
    }
}
