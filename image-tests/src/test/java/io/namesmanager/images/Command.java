package io.namesmanager.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (podman, kubectl, git) and captures what it prints. A program that cannot be started fails
 * the test with the given hint: these tests never skip for a missing tool.
 */
final class Command {

    private Command() {
    }

    /** What a finished program left: its exit code, standard output and standard error. */
    record Result(List<String> command, int exit, String out, String err) {

        /** Standard output, trimmed, after asserting exit code 0. */
        String ok() {
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + exit + "):\n" + err + out);
            }
            return out.strip();
        }
    }

    /** Runs COMMAND for at most TIMEOUT; a program that is missing fails with HINT. */
    static Result run(Duration timeout, String hint, List<String> command) {
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("command", ".out");
            stderr = Files.createTempFile("command", ".err");
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new AssertionError("Cannot run '" + command.get(0) + "' (" + e.getMessage() + "). " + hint, e);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(command, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                              Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("Running " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted: " + String.join(" ", command), e);
        } finally {
            delete(stdout);
            delete(stderr);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file; nothing to do
            }
        }
    }
}
