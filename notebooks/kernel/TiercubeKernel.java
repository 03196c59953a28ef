import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own {@code MainApp} does, minus two start-up races and the
 * key in the log. {@code notebooks/run --setup} compiles this file next to the kernel jar and registers it as
 * the {@code tiercube-java} kernel.
 *
 * <p>Why: measured here, about one start in four never answers Jupyter's first {@code kernel_info_request}
 * (nbconvert then fails with "Kernel didn't respond"), because in 3.0.1
 * <ul>
 *   <li>{@code Channels.connect} binds the sockets before it fills its handler map, so a request that arrives
 *       in between hits a null map and the NullPointerException kills the shell thread for good: here the map
 *       is empty (not null) until then, so the early request is dropped and Jupyter's retry, a second later,
 *       is answered;</li>
 *   <li>{@code LoopThread.start} sets its {@code running} flag after {@code Thread.start}, so a loop thread
 *       scheduled at once sees {@code false} and ends: here any loop thread found dead is started again;</li>
 *   <li>{@code MainApp} logs the connection file, HMAC key included, to stderr, which CI prints: here only the
 *       ports are logged.</li>
 * </ul>
 * Everything else (the kernel object, JShell, magics, display) is the kernel's own code, unchanged.
 */
public final class TiercubeKernel {

    private static final Logger LOG = Logger.getLogger("TiercubeKernel");

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: TiercubeKernel <connection file>");
        }
        LogManager.getLogManager().readConfiguration(MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        ConnectionProperties props = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        LOG.info("kernel starting (connection file " + args[0] + ", key not logged)");

        Channels channels = new Channels(props);
        set(channels, "handlers", new HashMap<>());
        channels.connect(MainApp.kernel);
        for (String channel : List.of("shell", "control", "heartbeat")) {
            reviveLoop(channels, get(channels, channel));
        }
        channels.joinUntilClose();
    }

    /**
     * Restarts a channel's loop thread if it ended at once (the start race); publishes the handler map. A loop
     * that ended because the kernel is shutting down (a very short session) has its flag cleared and stays ended.
     */
    private static void reviveLoop(Channels channels, Object channel) throws Exception {
        Thread loop = (Thread) get(channel, "loopThread");
        loop.join(1000);
        if (loop.isAlive()) {
            set(loop, "running", true); // a volatile write the loop reads every turn: it now sees the handler map
            return;
        }
        if (channels.isMarkedForShutdown() || !(Boolean) get(loop, "running")) {
            return;
        }
        LOG.warning("restarting " + loop.getName() + ", which ended before its first turn");
        Thread again = (Thread) loop.getClass()
                .getDeclaredConstructor(String.class, long.class, Runnable.class)
                .newInstance(loop.getName(), (long) (Long) get(loop, "sleep"), (Runnable) get(loop, "loopBody"));
        set(again, "running", true);
        again.start(); // the flag is set before the thread can read it
        set(channel, "loopThread", again);
    }

    private static Object get(Object target, String field) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        return f.get(target);
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
