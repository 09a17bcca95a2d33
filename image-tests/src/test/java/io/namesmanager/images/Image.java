package io.namesmanager.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * One service's image as {@code jib:buildTar} left it in {@code apps/SERVICE/target}: the archive, and Jib's record
 * of the name, tags, image id and digest ({@code jib-image.json}).
 *
 * @param service     backend or frontend
 * @param artifactId  names-backend or names-frontend
 * @param tar         the OCI archive
 * @param reference   registry/name:tag the image was built for
 * @param imageId     the configuration's digest (podman's image id)
 * @param digest      the manifest's digest (what a registry stores and the overlays pin)
 * @param tags        every tag Jib gave it
 */
record Image(String service, String artifactId, Path tar, String reference, String imageId, String digest,
             List<String> tags) {

    /** The image of apps/SERVICE, as the last build left it. */
    static Image of(String service) {
        Path target = Repo.root().resolve("apps/" + service + "/target");
        return read(service, target.resolve("jib-image.json"), target.resolve("jib-image.tar"));
    }

    /** The same sources built a second time by the images profile (for the reproducibility check). */
    static Image rebuildOf(String service) {
        Path target = Repo.root().resolve("apps/" + service + "/target/jib-rebuild");
        return read(service, target.resolve("jib-image.json"), target.resolve("jib-image.tar"));
    }

    private static Image read(String service, Path json, Path tar) {
        if (!Files.isRegularFile(json) || !Files.isRegularFile(tar)) {
            throw new AssertionError(json + " or " + tar + " is missing: build the images first "
                                     + "(./mvnw -Pimages verify builds them in the package phase)");
        }
        Map<String, Object> record;
        try {
            record = new Yaml().load(Files.readString(json));
        } catch (java.io.IOException e) {
            throw new AssertionError("Reading " + json, e);
        }
        @SuppressWarnings("unchecked")
        List<String> tags = (List<String>) record.get("tags");
        return new Image(service, "names-" + service, tar, Json.string(record, "image"),
                         Json.string(record, "imageId"), Json.string(record, "imageDigest"), tags);
    }

    /** The reference the tests run it under: on localhost, so a missing image can never be pulled from elsewhere. */
    String localReference() {
        return "localhost/" + artifactId + ":" + reference.substring(reference.lastIndexOf(':') + 1);
    }

    /** Loads the archive into podman and tags it {@link #localReference()}. */
    void load() {
        Podman.ok("load", "--quiet", "--input", tar.toString());
        Podman.ok("tag", imageId, localReference());
    }

    /** The archive's manifest and configuration. */
    OciArchive archive() {
        return OciArchive.read(tar);
    }
}
