/**
 * Segments: who the customers are and how they are ranked. Owns the {@code profiles/month=YYYY-MM/}
 * partition (the single customer view), VIP tier policies and their presets, lifecycle stages A-E,
 * long tail / concentration figures, named segments and segment exports.
 *
 * <p>Public face: {@link io.tiercube.engine.segment.SegmentSettings} (settings file),
 * {@link io.tiercube.engine.segment.TierPolicy} (policy YAML and presets),
 * {@link io.tiercube.engine.segment.Profiles#build}, {@link io.tiercube.engine.segment.Tiers},
 * {@link io.tiercube.engine.segment.Lifecycle}, {@link io.tiercube.engine.segment.LongTail},
 * {@link io.tiercube.engine.segment.SegmentFilter}, {@link io.tiercube.engine.segment.NamedSegments} and
 * {@link io.tiercube.engine.segment.SegmentExport}. Everything that touches rows is SQL run by the
 * {@link io.tiercube.engine.backend.Backend} (so it runs on Spark at scale); Java sees only small
 * results, except exports, which page through the segment in customer_id order.
 *
 * <p>Session views it creates are prefixed {@code seg_} and {@code lt_}. It reads the warehouse views
 * {@code customers}, {@code usage} and the partitions {@code profiles/month=…} and
 * {@code churn_scores/month=…}; it writes only {@code profiles/month=…} (through the warehouse's staging
 * and commit) and export files. It takes no lock: callers that write hold the writer lock.
 */
package io.tiercube.engine.segment;
