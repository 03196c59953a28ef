package io.tiercube.jobs;

import io.tiercube.engine.backend.Engine;
import java.io.File;

/**
 * The JVM's one SparkSession, made safe for a test that runs the CLI with --engine spark on a
 * temporary warehouse. The session keeps the spark.local.dir of whoever created it; created by a
 * CLI run on a test's temporary warehouse, it points into a folder JUnit deletes afterwards, and
 * every later Spark job in the JVM fails. So: create it first with Spark's default local dir, and
 * put back its block-manager folders if an earlier test created it and deleted them.
 */
final class SharedSpark {

    private SharedSpark() {
    }

    static synchronized void ready() {
        Engine.SPARK.open(Engine.Options.defaults()).close();
        int subDirs = org.apache.spark.SparkEnv.get().conf().getInt("spark.diskStore.subDirectories", 64);
        for (File d : org.apache.spark.SparkEnv.get().blockManager().diskBlockManager().localDirs()) {
            for (int i = 0; i < subDirs; i++) {
                File sub = new File(d, String.format("%02x", i)); // DiskBlockManager's hashed folders, remembered once made
                if (!sub.isDirectory() && !sub.mkdirs()) {
                    throw new IllegalStateException("cannot recreate Spark's local dir " + sub);
                }
            }
        }
    }
}
