package io.namesmanager.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The release build for real: the default (release) Jib configuration of a copy of this work tree builds both
 * services for linux/amd64 and linux/arm64 and pushes them, as {@code scripts/release.sh} does, to a local registry
 * that serves a two-platform stand-in of the base image. What the registry then holds under each tag is what a node
 * of either architecture pulls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseImagesTest {

    private static final Set<String> PLATFORMS = Set.of("linux/amd64", "linux/arm64");
    private static final String BASE = "jre-base";

    private final Path work = Repo.root().resolve("image-tests/target/release-build");
    private final Path tree = work.resolve("tree");
    private LocalRegistry registry;
    private String commit;

    @BeforeAll
    void buildAndPushTheRelease() throws IOException {
        Command.run(Duration.ofMinutes(1), "", List.of("rm", "-rf", work.toString())).ok();
        registry = LocalRegistry.start(work.resolve("registry"));
        pushTwoPlatformBase();
        copyWorkTree();
        commit = git("rev-parse", "HEAD");
        // The goals and properties of scripts/release.sh; only the base comes from the local registry.
        Path log = work.resolve("release-build.log");
        Command.run(Duration.ofMinutes(20), "", List.of("bash", "-c",
                "cd \"$1\" && log=$2 && shift 2 && \"$@\" >\"$log\" 2>&1 || { tail -n 80 \"$log\"; exit 1; }",
                "build", tree.toString(), log.toString(),
                "./mvnw", "-B", "-pl", "apps/backend,apps/frontend", "-am", "package", "jib:build", "-DskipTests",
                "-Dimage.registry=" + registry.address(), "-Djib.allowInsecureRegistries=true",
                "-Dimage.base=" + registry.address() + "/" + BASE + ":25")).ok();
    }

    @AfterAll
    void stopTheRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"names-backend", "names-frontend"})
    void theCommitTagIsAManifestListOfBothPlatforms(String image) throws IOException {
        LocalRegistry.Manifest list = registry.manifest(image, commit.substring(0, 12));
        assertThat(list.mediaType(), is(LocalRegistry.MANIFEST_LIST));
        List<Map<String, Object>> entries = Json.list(list.json(), "manifests");
        assertThat(entries, hasSize(2));
        assertThat(platforms(entries), is(PLATFORMS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"names-backend", "names-frontend"})
    void eachPlatformIsItsBaseWithTheSameApplicationLayers(String image) throws IOException {
        Map<String, List<String>> baseLayers = layersByPlatform(BASE, "25");
        Map<String, List<String>> imageLayers = layersByPlatform(image, commit.substring(0, 12));
        assertThat(imageLayers.keySet(), is(PLATFORMS));
        List<String> application = null;
        for (String platform : PLATFORMS) {
            List<String> base = baseLayers.get(platform);
            List<String> layers = imageLayers.get(platform);
            assertThat(platform + " starts with its base's layers", layers.subList(0, base.size()), is(base));
            List<String> own = layers.subList(base.size(), layers.size());
            assertThat(platform + " adds the application", own.isEmpty(), is(false));
            if (application != null) {
                assertThat("the same jars on every platform", own, is(application));
            }
            application = own;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"names-backend", "names-frontend"})
    void eachPlatformsConfigurationNamesItsPlatformAndTheCommit(String image) throws IOException {
        LocalRegistry.Manifest list = registry.manifest(image, commit.substring(0, 12));
        for (Map<String, Object> entry : Json.list(list.json(), "manifests")) {
            LocalRegistry.Manifest manifest = registry.manifest(image, Json.string(entry, "digest"));
            assertThat(manifest.mediaType(), is(LocalRegistry.MANIFEST));
            Map<String, Object> config = registry.jsonBlob(
                    image, Json.string(Json.map(manifest.json(), "config"), "digest"));
            String platform = Json.string(config, "os") + "/" + Json.string(config, "architecture");
            assertThat(platform, is(platform(entry)));
            Map<String, Object> labels = Json.map(Json.map(config, "config"), "Labels");
            assertThat(labels.get("org.opencontainers.image.revision"), is(commit));
            assertThat(Json.string(Json.map(config, "config"), "User"), is("65532:65532"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"backend", "frontend"})
    void theVersionTagAndTheDigestFileNameTheSameList(String service) throws IOException {
        String image = "names-" + service;
        LocalRegistry.Manifest byCommit = registry.manifest(image, commit.substring(0, 12));
        LocalRegistry.Manifest byVersion = registry.manifest(image, Repo.version());
        assertThat(byCommit.digest(), startsWith("sha256:"));
        assertThat(byVersion.digest(), is(byCommit.digest()));
        // What scripts/release.sh pins in the overlays: the list, so every node pulls its own platform.
        String pinned = Files.readString(tree.resolve("apps/" + service + "/target/jib-image.digest")).strip();
        assertThat(pinned, is(byCommit.digest()));
    }

    /** The stand-in base as a two-platform list: both archives of image-tests/base/build-test-base.sh. */
    private void pushTwoPlatformBase() {
        Path archives = Repo.root().resolve("target/image-base");
        String list = "localhost/names-release-base:" + registry.address().replace(':', '-');
        String target = registry.address() + "/" + BASE + ":25";
        try {
            Podman.run("manifest", "rm", list);
            Podman.ok("manifest", "create", list);
            for (String arch : List.of("amd64", "arm64")) {
                String tar = archives.resolve(arch.equals("amd64") ? "jre-base.tar" : "jre-base-" + arch + ".tar")
                        .toString();
                String ref = target + "-" + arch;
                Command.run(Duration.ofMinutes(5), LocalRegistry.HINT, List.of(
                        "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "docker-archive:" + tar,
                        "docker://" + ref)).ok();
                Podman.ok("manifest", "add", "--tls-verify=false", list, "docker://" + ref);
            }
            Podman.ok("manifest", "push", "--all", "--quiet", "--format", "v2s2", "--tls-verify=false", list,
                      "docker://" + target);
        } finally {
            Podman.run("manifest", "rm", list);
        }
    }

    /** The work tree as it is (committed or not, without ignored files) in a repository of its own. */
    private void copyWorkTree() throws IOException {
        Files.createDirectories(tree);
        Command.run(Duration.ofMinutes(5), "", List.of("bash", "-c",
                "set -o pipefail; cd \"$1\" && git ls-files -z --cached --others --exclude-standard"
                + " | tar --null --ignore-failed-read -T - -cf - | tar -C \"$2\" -xf -",
                "copy", Repo.root().toString(), tree.toString())).ok();
        git("init", "--quiet");
        git("add", "--all");
        git("-c", "user.name=Release Test", "-c", "user.email=release-test@localhost", "commit", "--quiet",
            "--message", "The work tree under test");
    }

    private Map<String, List<String>> layersByPlatform(String repository, String tag) throws IOException {
        Map<String, List<String>> layers = new HashMap<>();
        for (Map<String, Object> entry : Json.list(registry.manifest(repository, tag).json(), "manifests")) {
            LocalRegistry.Manifest manifest = registry.manifest(repository, Json.string(entry, "digest"));
            layers.put(platform(entry), Json.list(manifest.json(), "layers").stream()
                    .map(layer -> Json.string(layer, "digest")).toList());
        }
        return layers;
    }

    private static Set<String> platforms(List<Map<String, Object>> entries) {
        return entries.stream().map(ReleaseImagesTest::platform).collect(Collectors.toSet());
    }

    private static String platform(Map<String, Object> entry) {
        Map<String, Object> platform = Json.map(entry, "platform");
        return Json.string(platform, "os") + "/" + Json.string(platform, "architecture");
    }

    private String git(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", tree.toString()));
        command.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(2), "", command).ok();
    }
}
