package io.namesmanager.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a program cannot start or a build fails, the stage says why in one line and leaves no process behind. */
class ClusterFailureTest {

    @Test
    void aPortInUseStopsTheProgramWithItsCauseAndLog(@TempDir Path work) throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + busy.getLocalPort();
            Program etcd = Program.start("etcd", work.resolve("etcd.log"), List.of(
                    Cluster.binaries("bin").resolve("etcd").toString(), "--data-dir=" + work.resolve("etcd"),
                    "--listen-client-urls=" + url, "--advertise-client-urls=" + url,
                    "--listen-peer-urls=http://127.0.0.1:" + Ports.free()), Map.of());
            try (etcd) {
                ClusterException failed = assertThrows(ClusterException.class,
                        () -> Cluster.awaitReady(etcd, "healthy", () -> LocalHttp.answers(url + "/health", "true")));
                assertOneLine(failed.getMessage(), "etcd exited with 1", "address already in use", work.resolve("etcd.log"));
                assertFalse(etcd.alive());
            }
        }
    }

    @Test
    void aComponentThatDoesNotStartStopsEveryOneStartedBefore(@TempDir Path work) throws IOException {
        // The real programs, but an API server that exits at once.
        Path bin = Files.createDirectories(work.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("etcd"), Cluster.binaries("bin").resolve("etcd"));
        Files.createSymbolicLink(bin.resolve("kube-apiserver"), Path.of("/bin/false"));
        ClusterException failed = assertThrows(ClusterException.class,
                () -> Cluster.start(work.resolve("cluster"), bin, Cluster.binaries("share")));
        assertOneLine(failed.getMessage(), "kube-apiserver exited with 1", "",
                      work.resolve("cluster/logs/kube-apiserver.log"));
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().command().orElse("")
                .equals(Cluster.binaries("bin").resolve("etcd").toString())
                && p.info().arguments().map(a -> String.join(" ", a).contains(work.toString())).orElse(false)),
                   "etcd was stopped");
    }

    @Test
    void aBuildThatFailsNamesTheProgramAndItsLog(@TempDir Path work) throws IOException {
        Path harness = work.resolve("harness");
        Run.of(List.of("cp", "-r", Repo.path("cluster-tests/harness").toString(), harness.toString()), Map.of(),
               work, "", Duration.ofSeconds(30)).ok();
        Path goMod = harness.resolve("controlplane/go.mod");
        Files.writeString(goMod, Files.readString(goMod).replace("k8s.io/api => k8s.io/api v0.36.3",
                                                                 "k8s.io/api => k8s.io/api v0.36.999"));
        Run build = Run.of(List.of("bash", harness.resolve("build.sh").toString()),
                           Map.of("NAMES_CLUSTER_CACHE", work.resolve("cache").toString()), work, "",
                           Duration.ofMinutes(5));
        assertEquals(1, build.exit(), build.toString());
        assertEquals(1, build.err().strip().lines().count(), build.toString());
        assertTrue(build.err().contains("building k8s.io/kubernetes/cmd/kube-apiserver"), build.toString());
        assertTrue(build.err().contains("log: " + work.resolve("cache")), build.toString());
    }

    private static void assertOneLine(String message, String cause, String detail, Path log) {
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith(cause), message);
        assertTrue(message.contains(detail), message);
        assertTrue(message.endsWith("log: " + log), message);
    }
}
