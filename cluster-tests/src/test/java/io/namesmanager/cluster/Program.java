package io.namesmanager.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One program of the cluster, started as a process of its own with its output in a log file, and stopped by its
 * PID: SIGTERM, then SIGKILL if it is still there after a grace period.
 */
final class Program implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Path log;
    private final Process process;

    private Program(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts COMMAND with ENV added to this JVM's environment; stdout and stderr go to LOG. */
    static Program start(String name, Path log, List<String> command, Map<String, String> env) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            return new Program(name, log, builder.start());
        } catch (IOException e) {
            throw new ClusterException(name + " could not be started (" + e.getMessage() + "); log: " + log, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for a program that ends by itself (a one-off step); stops it and fails after TIMEOUT. */
    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new ClusterException(name + " did not finish within " + timeout + " (" + lastLogLine()
                                           + "); log: " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new ClusterException(name + ": interrupted", e);
        }
    }

    /** Fails with the program's last log line when it has exited (a port in use, a bad flag, …). */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new ClusterException(name + " exited with " + process.exitValue() + ": " + lastLogLine()
                                       + "; log: " + log);
        }
    }

    /** The last non-blank line the program wrote, for one-line failure messages. */
    String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "(no output)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to the PID, SIGKILL after the grace period; returns once the process is gone. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log + ")";
    }
}
