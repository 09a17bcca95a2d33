package io.namesmanager.images;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runs names-backend and names-frontend from the rendered dev overlay with {@code podman kube play}, as the
 * kubelet would run them (the manifest's user, read-only root, /tmp volume, environment from the ConfigMaps and the
 * Secret, CPU and memory limits), against a PostgreSQL of this run's own, and checks what the cluster relies on.
 * kube play does not run probes here, so the tests call the manifest's probe paths themselves; it ignores the grace
 * period and preStop, so the tests stop the containers with the manifest's grace period and check the time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevOverlayPodsTest {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final Report report = new Report("pods", "The dev overlay's pods under podman kube play");
    private final Map<String, Workload> workloads = new LinkedHashMap<>();
    /** The host port published for each Deployment's named container port: "backend:http", "backend:management". */
    private final Map<String, Integer> hostPorts = new LinkedHashMap<>();
    private PodmanLock lock;
    private TestDatabase database;
    private Path playFile;

    @BeforeAll
    void startPods() throws IOException {
        Podman.requireWorking();
        DevOverlay overlay = DevOverlay.render();
        lock = PodmanLock.acquire();
        Map<String, Image> images = new LinkedHashMap<>();
        for (String name : List.of("backend", "frontend")) {
            workloads.put(name, overlay.workload(name));
            for (String port : List.of("http", "management")) {
                hostPorts.put(name + ":" + port, FreePorts.next());
            }
            Image image = Image.of(name);
            image.load();
            images.put(name, image);
            long bytes = Long.parseLong(Podman.ok("image", "inspect", "--format", "{{.Size}}", image.localReference()));
            report.line(image.artifactId() + ": " + String.format("%.1f MiB", bytes / 1048576.0)
                        + " unpacked (podman image inspect)");
        }
        removeLeftovers();

        Path work = Repo.reportDir().getParent().resolve("image-tests");
        Files.createDirectories(work);
        database = TestDatabase.start(work.resolve("postgres"));
        createSecret();
        playFile = work.resolve("dev-overlay-play.yaml");
        Files.writeString(playFile, overlay.forPodman(images, hostPorts));

        long start = System.nanoTime();
        Podman.ok("kube", "play", "--network", "slirp4netns:allow_host_loopback=true", playFile.toString());
        for (String name : workloads.keySet()) {
            long readyMillis = awaitReady(name, start);
            report.line(name + ": kube play to ready (" + probePath(name, "readinessProbe") + " answers) in "
                        + readyMillis + " ms");
        }
    }

    @AfterAll
    void removePods() {
        try {
            if (playFile != null) {
                Podman.run("kube", "down", playFile.toString());
            }
            removeLeftovers();
            if (database != null) {
                database.close();
            }
            report.write();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    @Test
    @Order(1)
    void containersRunAsTheManifestsNonRootUserOnAReadOnlyRoot() throws IOException {
        for (Workload workload : workloads.values()) {
            String container = workload.containerName();
            String pid = Podman.inspect(container, "{{.State.Pid}}");
            String status = Files.readString(Path.of("/proc", pid, "status"));
            String uid = String.valueOf(workload.runAsUser());
            assertThat(container + " uids", line(status, "Uid:"), is(String.join("\t", uid, uid, uid, uid)));
            assertThat(container + " no new privileges", line(status, "NoNewPrivs:"), is("1"));
            assertThat(container + " capabilities", line(status, "CapEff:"), is("0000000000000000"));

            String mounts = Files.readString(Path.of("/proc", pid, "mountinfo"));
            assertThat(container + " root mount", mountOptions(mounts, "/"), startsWith("ro,"));
            assertThat(container + " /tmp mount", mountOptions(mounts, "/tmp"), startsWith("rw,"));
            assertThat(workload.name() + " manifest asks for a read-only root", workload.readOnlyRootFilesystem(),
                       is(true));
        }
    }

    @Test
    @Order(2)
    void backendUsesTheSecretsCredentials() throws SQLException {
        assertThat("sessions of the Secret's user", database.sessionsOf(TestDatabase.USER), greaterThan(0));
        assertThrows(SQLException.class, () -> {
            try (Connection ignored = database.connectAs(TestDatabase.USER, "not-the-password")) {
                // must not connect
            }
        }, "PostgreSQL accepted a wrong password: the check above would prove nothing");
    }

    @Test
    @Order(3)
    void probesAnswerOnTheManifestsPathsAndPorts() {
        for (Workload workload : workloads.values()) {
            for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Map<String, Object> probe = workload.probe(kind);
                if (probe == null) {
                    continue;
                }
                Map<String, Object> httpGet = Json.map(probe, "httpGet");
                workload.containerPort(httpGet.get("port")); // a port the container declares
                Duration timeout = Duration.ofSeconds(seconds(probe, "timeoutSeconds", 1));
                String path = Json.string(httpGet, "path");
                assertThat(workload.name() + " " + kind + " GET " + path + " on " + httpGet.get("port") + " within "
                           + timeout, Http.probeSucceeds(probePort(workload.name(), kind), path, timeout), is(true));
            }
        }
    }

    @Test
    @Order(4)
    void uiIsServedThroughTheFrontend() throws IOException {
        HttpResponse<String> page = Http.get(frontendPort(), "/", Duration.ofSeconds(5));
        assertThat(page.statusCode(), is(200));
        assertThat(page.headers().firstValue("Content-Type").orElse(""), startsWith("text/html"));
        assertThat(page.body(), containsString("<title>Names Manager</title>"));

        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page.body());
        assertThat("the page references its script", script.find(), is(true));
        HttpResponse<String> js = Http.get(frontendPort(), script.group(1), Duration.ofSeconds(5));
        assertThat(js.statusCode(), is(200));
        assertThat(js.headers().firstValue("Content-Type").orElse(""), containsString("javascript"));
    }

    @Test
    @Order(5)
    void namesAreAddedListedAndDeletedThroughTheFrontend() throws IOException {
        HttpResponse<String> created = Http.postJson(frontendPort(), "/api/names", "{\"name\":\"  Grace   Hopper \"}");
        assertThat(created.body(), created.statusCode(), is(201));
        assertThat(created.body(), containsString("\"name\":\"Grace Hopper\""));
        assertThat(created.body(), containsString("\"created_at\":\""));
        String id = id(created.body());

        assertThat(Http.get(frontendPort(), "/api/names", Duration.ofSeconds(5)).body(),
                   containsString("\"id\":" + id + ","));
        assertThat(Http.delete(frontendPort(), "/api/names/" + id).statusCode(), is(204));
        assertThat(Http.get(frontendPort(), "/api/names", Duration.ofSeconds(5)).body(),
                   not(containsString("\"id\":" + id + ",")));
        assertThat(Http.get(frontendPort(), "/api/names/" + id, Duration.ofSeconds(5)).statusCode(), is(404));
    }

    @Test
    @Order(6)
    void dataSurvivesARestartOfTheBackendContainer() throws IOException {
        HttpResponse<String> created = Http.postJson(frontendPort(), "/api/names", "{\"name\":\"Ada Lovelace\"}");
        assertThat(created.body(), created.statusCode(), is(201));
        String id = id(created.body());

        Workload backend = workloads.get("backend");
        stopWithinGracePeriod(backend);
        long start = System.nanoTime();
        Podman.ok("start", backend.containerName());
        report.line("backend: container restart to ready in " + awaitReady("backend", start) + " ms");

        HttpResponse<String> list = Http.get(frontendPort(), "/api/names", Duration.ofSeconds(5));
        assertThat(list.statusCode(), is(200));
        assertThat(list.body(), containsString("\"id\":" + id + ",\"name\":\"Ada Lovelace\""));
    }

    @Test
    @Order(7)
    void sigtermStopsEachContainerWithExitCodeZeroWithinTheGracePeriod() {
        for (Workload workload : workloads.values()) {
            stopWithinGracePeriod(workload);
        }
    }

    /**
     * Stops the container as the kubelet does after the preStop hook: SIGTERM, then SIGKILL when the grace period
     * is over. The server must exit by itself, with 0, in the time the preStop sleep leaves.
     */
    private void stopWithinGracePeriod(Workload workload) {
        int grace = workload.gracePeriodSeconds();
        long start = System.nanoTime();
        Podman.ok("stop", "--time", String.valueOf(grace), workload.containerName());
        long millis = (System.nanoTime() - start) / 1_000_000;
        report.line(workload.name() + ": SIGTERM to exit in " + millis + " ms (grace period " + grace + " s, preStop "
                    + workload.preStopSleepSeconds() + " s)");
        assertThat(workload.name() + " exit code after SIGTERM",
                   Podman.inspect(workload.containerName(), "{{.State.ExitCode}}"), is("0"));
        assertThat(workload.name() + " stop time (ms)", millis,
                   lessThan((grace - workload.preStopSleepSeconds()) * 1000L));
    }

    /** Polls the readiness probe's path every 50 ms within the startup probe's budget; the ms since START. */
    private long awaitReady(String name, long start) {
        Workload workload = workloads.get(name);
        Map<String, Object> startup = workload.probe("startupProbe");
        long budget = startup == null ? 300 : seconds(startup, "periodSeconds", 10)
                                              * seconds(startup, "failureThreshold", 3);
        long deadline = start + Duration.ofSeconds(budget).toNanos();
        String path = probePath(name, "readinessProbe");
        while (System.nanoTime() < deadline) {
            if (Http.probeSucceeds(probePort(name, "readinessProbe"), path, Duration.ofSeconds(1))) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            sleep(50);
        }
        String logs = Podman.run("logs", "--tail", "40", workload.containerName()).out();
        throw new AssertionError(name + " did not get ready (" + path + ") within " + budget + " s:\n" + logs);
    }

    /** The host port published for the container port that probe KIND of NAME names. */
    private int probePort(String name, String kind) {
        return hostPorts.get(name + ":" + Json.map(workloads.get(name).probe(kind), "httpGet").get("port"));
    }

    private String probePath(String name, String kind) {
        return Json.string(Json.map(workloads.get(name).probe(kind), "httpGet"), "path");
    }

    /** The podman secret {@code db-credentials}: kube play resolves secretKeyRef to a JSON map of base64 values. */
    private void createSecret() throws IOException {
        String url = "postgresql://" + TestDatabase.USER + ":" + database.password() + "@10.0.2.2:" + database.port()
                     + "/" + TestDatabase.DATABASE;
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("POSTGRES_USER", TestDatabase.USER);
        keys.put("POSTGRES_PASSWORD", database.password());
        keys.put("POSTGRES_DB", TestDatabase.DATABASE);
        keys.put("DATABASE_URL", url);
        StringBuilder json = new StringBuilder("{");
        keys.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(key).append("\":\"")
                .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).append('"'));
        Path file = Files.createTempFile("db-credentials", ".json");
        try {
            Files.writeString(file, json.append('}'));
            Podman.ok("secret", "create", "db-credentials", file.toString());
        } finally {
            Files.delete(file);
        }
    }

    private void removeLeftovers() {
        for (Workload workload : workloads.values()) {
            Podman.run("pod", "rm", "--force", "--time", "0", workload.podName());
            Podman.run("volume", "rm", "--force", workload.name() + "-tmp");
        }
        Podman.run("secret", "rm", "db-credentials");
    }

    private int frontendPort() {
        return hostPorts.get("frontend:http");
    }

    private static String id(String json) {
        Matcher matcher = ID.matcher(json);
        assertThat("an id in " + json, matcher.find(), is(true));
        return matcher.group(1);
    }

    private static long seconds(Map<String, Object> probe, String key, long fallback) {
        Object value = probe.get(key);
        return value == null ? fallback : ((Number) value).longValue();
    }

    private static String line(String procStatus, String key) {
        return procStatus.lines()
                .filter(l -> l.startsWith(key))
                .map(l -> l.substring(key.length()).strip())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in /proc/PID/status"));
    }

    /** The per-mount options of the mount at MOUNT_POINT in a /proc/PID/mountinfo. */
    private static String mountOptions(String mountinfo, String mountPoint) {
        return mountinfo.lines()
                .map(l -> l.split(" "))
                .filter(fields -> fields[4].equals(mountPoint))
                .reduce((first, second) -> second)
                .map(fields -> fields[5])
                .orElseThrow(() -> new AssertionError("no mount at " + mountPoint));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
