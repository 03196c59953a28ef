package io.tiercube.engine.cube;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code cubes/<cube>/month=YYYY-MM/_manifest.json} records about one built month: the
 * cuboids and their row counts, the usage rows read, how long it took, which plan counted the
 * distinct users, and the fingerprints that tell {@link CubeBuild#monthsNeedingBuild} whether the
 * month is stale. It is committed together with the month's Parquet files, so it always describes
 * them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CubeManifest(
        String cube,
        String month,
        @JsonProperty("model_fingerprint") String modelFingerprint,
        @JsonProperty("source_fingerprint") String sourceFingerprint,
        @JsonProperty("customers_snapshot") String customersSnapshot,
        String engine,
        String plan,
        @JsonProperty("built_at") String builtAt,
        @JsonProperty("build_seconds") double buildSeconds,
        @JsonProperty("source_rows") long sourceRows,
        long rows,
        List<Entry> cuboids,
        List<String> warnings) {

    /** One cuboid of the month. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(long id, List<String> levels, long rows) {
    }

    public static final String FILE = "_manifest.json";
}
