package io.namesmanager.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * An OCI image layout in a tar file, as {@code jib:buildTar} writes it: the index, the manifest and the image
 * configuration read straight from the archive (no podman needed).
 *
 * @param manifest the image manifest (layers with their compressed sizes)
 * @param config   the image configuration (user, entrypoint, environment, labels, history)
 */
record OciArchive(Map<String, Object> manifest, Map<String, Object> config) {

    /** Reads the single image of the archive at TAR. */
    static OciArchive read(Path tar) {
        Map<String, byte[]> small = smallEntries(tar);
        Map<String, Object> index = json(small.get("index.json"), tar + "!index.json");
        String manifestDigest = Json.string(Json.list(index, "manifests").get(0), "digest");
        Map<String, Object> manifest = json(small.get(blob(manifestDigest)), tar + "!manifest");
        String configDigest = Json.string(Json.map(manifest, "config"), "digest");
        return new OciArchive(manifest, json(small.get(blob(configDigest)), tar + "!config"));
    }

    /** The {@code config} section: User, Entrypoint, Env, Labels, ExposedPorts, WorkingDir. */
    Map<String, Object> containerConfig() {
        return Json.map(config, "config");
    }

    /** The manifest's layers, base first: media type, digest and compressed size each. */
    List<Map<String, Object>> layers() {
        return Json.list(manifest, "layers");
    }

    /** Jib's name for each layer, from the history entries that made a layer ("dependencies", "classes", ...). */
    List<String> layerNames() {
        return Json.list(config, "history").stream()
                .filter(entry -> !Boolean.TRUE.equals(entry.get("empty_layer")))
                .map(entry -> String.valueOf(entry.getOrDefault("comment", entry.get("created_by"))))
                .toList();
    }

    private static String blob(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private static Map<String, Object> json(byte[] bytes, String what) {
        if (bytes == null) {
            throw new AssertionError(what + " is missing");
        }
        return new Yaml().load(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Entries under 1 MiB (index, manifests, configurations), read from a plain ustar archive. */
    private static Map<String, byte[]> smallEntries(Path tar) {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).strip(), 8);
                long padded = (size + 511) / 512 * 512;
                if (size < 1 << 20) {
                    byte[] data = in.readNBytes((int) padded);
                    entries.put(name, java.util.Arrays.copyOf(data, (int) size));
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("Reading " + tar, e);
        }
        return entries;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
