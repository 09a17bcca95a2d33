package io.namesmanager.images;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The image configuration Jib wrote, read from the archives in apps/SERVICE/target: names and tags, the OCI labels,
 * the creation time, the user, the JVM options, the layers, and that a second build gives the same digest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageConfigTest {

    private final Report report = new Report("images", "Image layers (compressed, as pushed)");

    @AfterAll
    void writeReport() {
        report.write();
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend", "frontend"})
    void taggedWithTheCommitAndTheVersionNeverLatest(String service) {
        Image image = Image.of(service);
        String commit = Repo.git("rev-parse", "--short=12", "HEAD");
        assertThat(image.reference(), is(Repo.registry() + "/names-" + service + ":" + commit));
        assertThat(image.tags(), containsInAnyOrder(commit, Repo.version()));
        assertThat(image.tags(), not(hasItems("latest")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend", "frontend"})
    void labelledAndDatedWithTheCommit(String service) {
        OciArchive archive = Image.of(service).archive();
        String commitTime = Instant.ofEpochSecond(Long.parseLong(Repo.git("log", "-1", "--format=%ct"))).toString();
        Map<String, Object> labels = Json.map(archive.containerConfig(), "Labels");
        assertThat(labels.get("org.opencontainers.image.title"), is("names-" + service));
        assertThat(labels.get("org.opencontainers.image.version"), is(Repo.version()));
        assertThat(labels.get("org.opencontainers.image.revision"), is(Repo.git("rev-parse", "HEAD")));
        assertThat(labels.get("org.opencontainers.image.created"), is(commitTime));
        assertThat(String.valueOf(labels.get("org.opencontainers.image.source")).matches("(https?|ssh)://.+"), is(true));
        assertThat(Json.string(archive.config(), "created"), is(commitTime));
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend", "frontend"})
    void runsJavaAsUid65532WithContainerJvmOptions(String service) {
        Map<String, Object> config = Image.of(service).archive().containerConfig();
        assertThat(config.get("User"), is("65532:65532"));
        @SuppressWarnings("unchecked")
        List<String> entrypoint = (List<String>) config.get("Entrypoint");
        assertThat(entrypoint.get(0), is("java"));
        assertThat(entrypoint.get(entrypoint.size() - 1), is("io.namesmanager." + service + ".Main"));
        assertThat(Json.map(config, "ExposedPorts"), hasKey(service.equals("backend") ? "8000/tcp" : "8080/tcp"));
        @SuppressWarnings("unchecked")
        List<String> env = (List<String>) config.get("Env");
        String options = env.stream()
                .filter(e -> e.startsWith("JAVA_TOOL_OPTIONS="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JAVA_TOOL_OPTIONS in " + env));
        assertThat(options, containsString("-XX:MaxRAMPercentage="));
        assertThat(options, containsString("-XX:+ExitOnOutOfMemoryError"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend", "frontend"})
    void sameSourcesGiveTheSameDigest(String service) {
        Image first = Image.of(service);
        Image second = Image.rebuildOf(service);
        assertThat(first.digest(), startsWith("sha256:"));
        assertThat(second.digest(), is(first.digest()));
        assertThat(second.imageId(), is(first.imageId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend", "frontend"})
    void applicationLayersSitOnTheBase(String service) {
        OciArchive archive = Image.of(service).archive();
        List<Map<String, Object>> layers = archive.layers();
        List<String> names = archive.layerNames();
        assertThat("one history entry per layer", names.size(), is(layers.size()));
        assertThat(names, hasItems("dependencies", "resources", "classes"));

        long total = 0;
        long app = 0;
        StringBuilder detail = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            long size = Json.number(layers.get(i), "size");
            total += size;
            boolean jib = !names.get(i).contains("build-test-base.sh");
            app += jib ? size : 0;
            detail.append(i == 0 ? "" : ", ").append(jib ? names.get(i) : "base").append(' ').append(kib(size));
        }
        report.line("names-" + service + ": " + kib(total) + " in all, application layers " + kib(app) + " ("
                    + detail + ")");
    }

    private static String kib(long bytes) {
        return bytes >= 1 << 20 ? String.format("%.1f MiB", bytes / 1048576.0) : String.format("%.1f KiB", bytes / 1024.0);
    }
}
