package io.tiercube.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EngineOptionsTest {

    private static Engine.Options limit(String text) {
        return new Engine.Options(null, null, text);
    }

    @Test
    void memoryLimitIsReadInDuckDbsUnits() {
        assertEquals(OptionalLong.of(8_000_000_000L), limit("8GB").memoryLimitBytes());
        assertEquals(OptionalLong.of(512L * 1024 * 1024), limit(" 512 mib ").memoryLimitBytes());
        assertEquals(OptionalLong.of(3L * 1024 * 1024 * 1024 * 1024), limit("3TiB").memoryLimitBytes());
        assertEquals(OptionalLong.of(100), limit("100B").memoryLimitBytes());
        assertEquals(OptionalLong.empty(), Engine.Options.defaults().memoryLimitBytes());
    }

    @Test
    void memoryLimitThatIsNotASizeIsAClearErrorNotSqlText() {
        for (String bad : new String[] {"lots", "8", "1GB'; SELECT 1; --", "1.5GB", "-1GB", "8 GB extra"}) {
            UserError e = assertThrows(UserError.class, () -> limit(bad), bad);
            assertTrue(e.getMessage().contains("--memory-limit") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void duckDbTakesTheLimitItIsGivenAsItsMemoryBudget() {
        try (Backend b = Engine.DUCKDB.open(limit("3GiB"))) {
            assertEquals(3L << 30, b.memoryBudget());
            assertEquals("3.0 GiB", b.query("SELECT current_setting('memory_limit') AS v").getString(0, "v"));
        }
        try (Backend b = Engine.DUCKDB.open(Engine.Options.defaults())) {
            assertTrue(b.memoryBudget() > 0);
        }
    }
}
