package io.namesmanager.images;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One image-test run at a time per machine: kube play names pods after the Deployments and the secret after the
 * manifest's {@code db-credentials}, and podman's names are machine-wide. A second run waits for the first.
 */
final class PodmanLock implements AutoCloseable {

    private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "names-manager-image-tests.lock");

    private final FileChannel channel;
    private final FileLock lock;

    private PodmanLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static PodmanLock acquire() {
        try {
            FileChannel channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new PodmanLock(channel, channel.lock());
        } catch (IOException e) {
            throw new AssertionError("Cannot lock " + FILE, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // released when the JVM exits anyway
        }
    }
}
