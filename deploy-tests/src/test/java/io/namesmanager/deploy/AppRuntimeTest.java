package io.namesmanager.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asks the real app. The app's jar (built earlier in the same reactor run) is started the way its container runs
 * it: {@code java -jar}, with exactly the environment the dev overlay gives the container (ConfigMap values, the
 * manifest's env; Secret values replaced by a database address where nothing listens) and SERVER_PORT moved to a
 * free port. Then every probe is sent to the path and port the manifest names, every agreed path must exist, and SIGTERM
 * must stop the app with status 0 within the grace period the manifest leaves after its preStop sleep.
 *
 * <p>Both apps are in the tree (apps/backend, apps/frontend); the skip for missing sources only guards a checkout
 * without them and says so. A built app is never skipped; in CI (CI set) a missing jar fails, since the reactor
 * builds the apps before this module.
 */
class AppRuntimeTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @ParameterizedTest(name = "names-{0}")
    @ValueSource(strings = {"backend", "frontend"})
    void theRunningAppAnswersTheManifestsProbes(String app) throws Exception {
        AppContract contract = AppContract.all().stream().filter(c -> c.app().equals(app)).findFirst().orElseThrow();
        Assumptions.assumeTrue(contract.sources().isPresent(), "apps/" + app + " is not in this tree yet");
        if (!Files.isRegularFile(contract.jar())) {
            String message = contract.jar() + " is not built: run the whole reactor (./mvnw verify), or "
                             + "./mvnw -B package -pl apps/" + app + " -DskipTests first";
            if (System.getenv("CI") != null) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        List<K8sObject> dev = Kustomize.overlay("dev");
        Workloads.Container container = Workloads.containers(dev).stream()
                .filter(c -> AppContract.forImage(c.image()).map(a -> a.app().equals(app)).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("overlays/dev has no container running " + app));

        int port = freePort();
        int managementPort = freePort();
        int nothingListens = freePort();
        Map<String, String> env = new java.util.TreeMap<>();
        AppContract.environment(container, dev).forEach((name, value) -> env.put(name, value != null ? value
                : name.equals("DATABASE_URL") ? "postgresql://names:unused@127.0.0.1:" + nothingListens + "/namesdb"
                : "unused"));
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        if (env.containsKey("BACKEND_URL")) {
            env.put("BACKEND_URL", "http://127.0.0.1:" + nothingListens);
        }
        Path log = Files.createDirectories(Path.of("target")).resolve("app-runtime-" + app + ".log");
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", contract.jar().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear(); // only what the manifest gives the container
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            Map<String, String> bases = Map.of("http", "http://127.0.0.1:" + port,
                                               "management", "http://127.0.0.1:" + managementPort);
            JsonObject c = container.json();
            Duration budget = Duration.ofSeconds(Math.min(120, number(c, "startupProbe.periodSeconds")
                                                               * number(c, "startupProbe.failureThreshold")));
            awaitStatus(probeUrl(c, "startupProbe", bases), 200, budget, process, log);

            assertSuccess(get(probeUrl(c, "livenessProbe", bases)), "livenessProbe " + probeUrl(c, "livenessProbe", bases));
            int ready = get(probeUrl(c, "readinessProbe", bases));
            if (app.equals("backend")) {
                assertEquals(503, ready, "readinessProbe " + probeUrl(c, "readinessProbe", bases) + " must report not "
                                         + "ready while the database is unreachable (it includes the database check)");
            } else {
                assertSuccess(ready, "readinessProbe " + probeUrl(c, "readinessProbe", bases));
            }
            for (String portName : bases.keySet()) {
                for (String path : contract.pathsOn(portName)) {
                    int status = get(bases.get(portName) + path);
                    assertTrue(status != 404 && status < 500 || status == 503, path + " on " + portName + " answered "
                                                                             + status + "; the contract says " + app
                                                                             + " serves it there");
                }
            }
            for (String path : contract.managementPaths()) {
                assertEquals(404, get(bases.get("http") + path), path + " must not be served on the http port");
            }
            assertEquals(404, get(bases.get("http") + "/no-such-path-" + port), "an unknown path is a 404 (so the "
                                                                                 + "checks above mean something)");

            long grace = K8sObject.path(container.pod().spec(), "terminationGracePeriodSeconds")
                    .map(JsonElement::getAsLong).orElse(30L);
            long preStop = K8sObject.path(c, "lifecycle.preStop.sleep.seconds").map(JsonElement::getAsLong).orElse(0L);
            process.destroy(); // SIGTERM, as the kubelet sends after the preStop hook
            assertTrue(process.waitFor(grace - preStop, TimeUnit.SECONDS), app + " did not stop within "
                                                                            + (grace - preStop) + " s of SIGTERM");
            assertEquals(0, process.exitValue(), app + " exit status after SIGTERM; log: " + log.toAbsolutePath());
        } finally {
            process.destroyForcibly();
        }
    }

    private static void awaitStatus(String url, int expected, Duration budget, Process process, Path log)
            throws Exception {
        Instant deadline = Instant.now().plus(budget);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the app exited with " + process.exitValue() + " during start-up:\n"
                                         + tail(log));
            }
            last = get(url);
            if (last == expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " answered " + last + ", not " + expected + ", within the startup probe's "
                                 + budget.toSeconds() + " s:\n" + tail(log));
    }

    private static int get(String url) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                             HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    private static void assertSuccess(int status, String what) {
        assertTrue(status >= 200 && status < 400, what + " answered " + status + "; the kubelet needs 200-399");
    }

    /** Where the kubelet sends PROBE: the base of the container port it names, and its path. */
    private static String probeUrl(JsonObject container, String probe, Map<String, String> bases) {
        String path = K8sObject.path(container, probe + ".httpGet.path").map(JsonElement::getAsString)
                .orElseThrow(() -> new AssertionError("no " + probe + ".httpGet.path"));
        String port = K8sObject.path(container, probe + ".httpGet.port").map(JsonElement::getAsString).orElse("");
        String base = bases.get(port);
        if (base == null) {
            throw new AssertionError(probe + " uses port '" + port + "'; the app listens on " + bases.keySet());
        }
        return base + path;
    }

    private static long number(JsonObject container, String path) {
        return K8sObject.path(container, path).map(JsonElement::getAsLong).orElse(1L);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
