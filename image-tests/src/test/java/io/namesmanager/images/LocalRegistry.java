package io.namesmanager.images;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * A Docker registry (Debian's {@code docker-registry}, the CNCF distribution registry) on 127.0.0.1, plain HTTP,
 * storage under a folder of the build; read through its v2 API. Stopped by its own PID.
 */
final class LocalRegistry implements AutoCloseable {

    static final String HINT = "The release build pushes to a local registry: apt-get install -y docker-registry "
                               + "skopeo (as .ci/run does).";
    static final String MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A manifest as the registry serves it: its media type, its digest and the parsed document. */
    record Manifest(String mediaType, String digest, Map<String, Object> json) {
    }

    /** Starts a registry storing under DIR and waits until its API answers. */
    static LocalRegistry start(Path dir) throws IOException {
        Files.createDirectories(dir);
        int port = FreePorts.next();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        Process process;
        try {
            process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("Cannot run docker-registry (" + e.getMessage() + "). " + HINT, e);
        }
        LocalRegistry registry = new LocalRegistry(process, port);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!registry.answers()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                registry.close();
                throw new AssertionError("The registry did not start; see " + dir.resolve("registry.log"));
            }
            sleep();
        }
        return registry;
    }

    /** HOST:PORT, as image references name it. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** The manifest or list REPOSITORY:REFERENCE (a tag or a digest), whichever media type the registry holds. */
    Manifest manifest(String repository, String reference) throws IOException {
        HttpResponse<String> response = get("/v2/" + repository + "/manifests/" + reference,
                                            String.join(", ", MANIFEST_LIST, MANIFEST, OCI_INDEX, OCI_MANIFEST));
        return new Manifest(response.headers().firstValue("Content-Type").orElse(""),
                            response.headers().firstValue("Docker-Content-Digest").orElse(""),
                            new Yaml().load(response.body()));
    }

    /** The JSON blob DIGEST of REPOSITORY (an image configuration). */
    Map<String, Object> jsonBlob(String repository, String digest) throws IOException {
        return new Yaml().load(get("/v2/" + repository + "/blobs/" + digest, "*/*").body());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean answers() {
        try {
            return Http.send(HttpRequest.newBuilder(uri("/v2/")).GET().build()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private HttpResponse<String> get(String path, String accept) throws IOException {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(uri(path))
                                                      .timeout(Duration.ofSeconds(30))
                                                      .header("Accept", accept)
                                                      .GET()
                                                      .build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private URI uri(String path) {
        return URI.create("http://" + address() + path);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
