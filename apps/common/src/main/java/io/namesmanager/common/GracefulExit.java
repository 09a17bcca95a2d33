package io.namesmanager.common;

import java.util.logging.Level;
import java.util.logging.Logger;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT run a graceful stop, then exit with status 0. The JVM's own handling would exit with 143,
 * which Kubernetes and a rolling update count as a failure-looking termination.
 */
public final class GracefulExit {

    private static final Logger LOGGER = Logger.getLogger(GracefulExit.class.getName());

    private GracefulExit() {
    }

    /**
     * Installs the signal handlers.
     *
     * @param service name for the log line
     * @param stop    the graceful stop (stop accepting, finish in-flight requests, release resources)
     */
    public static void onSignals(String service, Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                LOGGER.info(() -> service + ": SIG" + signal.getName() + " received, finishing in-flight requests");
                int status = 0;
                try {
                    stop.run();
                } catch (RuntimeException e) {
                    LOGGER.log(Level.SEVERE, "Graceful stop failed", e);
                    status = 1;
                }
                System.exit(status);
            });
        }
    }
}
