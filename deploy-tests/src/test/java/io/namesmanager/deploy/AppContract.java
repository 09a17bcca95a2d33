package io.namesmanager.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * What an app offers the manifests: the port it listens on by default, the HTTP paths it serves, the environment
 * variables it reads and how long it takes to stop.
 *
 * <p>Environment variables come from the app's own sources when they are in the tree ({@code apps/<app>/src/main}):
 * every string literal that looks like a variable name ({@code "LOG_LEVEL"}) counts as read, since an app can only
 * read a variable by naming it. Without its sources (a checkout without apps/), the agreed names (README.md,
 * "Configuration") stand in.
 * Paths and ports are the agreed ones (README.md, "The API"); {@code AppRuntimeTest} asks the real, running app for every
 * path a probe uses.
 *
 * @param app               module directory under apps/
 * @param image             image name in the base
 * @param defaultPort       port without SERVER_PORT (the container's port {@code http})
 * @param paths             HTTP paths served on that port
 * @param managementPort    port without MANAGEMENT_PORT (the container's port {@code management})
 * @param managementPaths   HTTP paths served there: {@code /observe/*}
 * @param env               environment variables the app reads
 * @param envSource         where {@code env} came from, for messages
 * @param shutdownGrace     the server's own graceful-stop time
 */
record AppContract(String app, String image, int defaultPort, Set<String> paths, int managementPort,
                   Set<String> managementPaths, Set<String> env, String envSource, Duration shutdownGrace) {

    /** The observability endpoints both apps serve on their management port. */
    static final Set<String> OBSERVE_PATHS = Set.of("/observe/health", "/observe/health/live", "/observe/health/ready",
                                                    "/observe/health/started", "/observe/metrics");

    /** Variables the JVM itself reads. */
    static final Set<String> JVM_ENV = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
    /** Variables the official postgres image's entrypoint reads (those this project may set). */
    static final Set<String> POSTGRES_IMAGE_ENV = Set.of("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PGDATA",
                                                         "POSTGRES_INITDB_ARGS", "POSTGRES_INITDB_WALDIR",
                                                         "POSTGRES_HOST_AUTH_METHOD");

    private static final Pattern ENV_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})\"");
    private static final Pattern GRACE = Pattern.compile("(?m)^\\s*shutdown-grace-period:\\s*\"?PT([0-9.]+)S\"?");
    /** Helidon's default server.shutdown-grace-period. */
    private static final Duration HELIDON_DEFAULT_GRACE = Duration.ofMillis(500);

    /** The backend (README.md: "The API", "Configuration"). */
    static AppContract backend() {
        return of("backend", "names-backend", 8000, Set.of("/healthz", "/api/health", "/api/health/db"), 8001,
                  Set.of("SERVER_HOST", "SERVER_PORT", "MANAGEMENT_PORT", "MAX_NAME_LENGTH", "LOG_LEVEL", "DB_ECHO", "DATABASE_URL",
                         "DB_URL", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "DB_HOST", "DB_PORT"));
    }

    /** The frontend (apps/frontend/README.md). */
    static AppContract frontend() {
        return of("frontend", "names-frontend", 8080, Set.of("/healthz"), 8081,
                  Set.of("SERVER_HOST", "SERVER_PORT", "MANAGEMENT_PORT", "LOG_LEVEL", "BACKEND_URL"));
    }

    static List<AppContract> all() {
        return List.of(backend(), frontend());
    }

    /** The contract of the app whose image this is, if it is one of ours. */
    static Optional<AppContract> forImage(String image) {
        String repository = image.replaceAll("@.*$", "").replaceAll(":[^:/]*$", "");
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        return all().stream().filter(c -> c.image().equals(name)).findFirst();
    }

    /** apps/APP, if the app is in the tree. */
    Optional<Path> sources() {
        Path dir = Repo.resolve("apps/" + app + "/src/main");
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** The jar the app's build produces, if it has been built. */
    Path jar() {
        return Repo.resolve("apps/" + app + "/target/" + image + ".jar");
    }

    /** The paths served on the container port named PORT_NAME ({@code http} or {@code management}). */
    Set<String> pathsOn(String portName) {
        return switch (portName) {
            case "http" -> paths;
            case "management" -> managementPaths;
            default -> Set.of();
        };
    }

    private static AppContract of(String app, String image, int port, Set<String> paths, int management,
                                  Set<String> agreedEnv) {
        Path main = Repo.resolve("apps/" + app + "/src/main");
        if (!Files.isDirectory(main)) {
            return new AppContract(app, image, port, paths, management, OBSERVE_PATHS, agreedEnv,
                                   "the agreed contract (apps/" + app
                                                                        + " is not in this tree)",
                                   HELIDON_DEFAULT_GRACE);
        }
        Set<String> env = new TreeSet<>();
        Duration grace = HELIDON_DEFAULT_GRACE;
        // names-common reads variables on the app's behalf (LOG_LEVEL, LOG_FORMAT): its literals count for its users.
        Path common = Repo.resolve("apps/common/src/main");
        boolean usesCommon = Files.isDirectory(common) && usesCommon(app);
        try (Stream<Path> files = usesCommon ? Stream.concat(Files.walk(main), Files.walk(common)) : Files.walk(main)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".java")) {
                    Matcher m = ENV_LITERAL.matcher(Files.readString(file));
                    while (m.find()) {
                        env.add(m.group(1));
                    }
                } else if (name.equals("application.yaml")) {
                    Matcher m = GRACE.matcher(Files.readString(file));
                    if (m.find()) {
                        grace = Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AppContract(app, image, port, paths, management, OBSERVE_PATHS, env,
                               "string literals in apps/" + app + "/src/main"
                                                             + (usesCommon ? " and apps/common/src/main" : ""), grace);
    }

    private static boolean usesCommon(String app) {
        try {
            return Files.readString(Repo.resolve("apps/" + app + "/pom.xml"))
                    .contains("<artifactId>names-common</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment a container gets: env values and envFrom ConfigMap data; secret values as null. */
    static Map<String, String> environment(Workloads.Container c, List<K8sObject> objects) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (JsonElement from : Workloads.array(c.json(), "envFrom")) {
            K8sObject.path(from.getAsJsonObject(), "configMapRef.name").map(JsonElement::getAsString)
                    .flatMap(name -> objects.stream().filter(o -> o.is("ConfigMap", name)).findFirst())
                    .flatMap(cm -> K8sObject.object(cm.json(), "data"))
                    .ifPresent(data -> data.entrySet().forEach(e -> env.put(e.getKey(), e.getValue().getAsString())));
            K8sObject.path(from.getAsJsonObject(), "secretRef.name").map(JsonElement::getAsString)
                    .flatMap(name -> secretKeys(name, objects))
                    .ifPresent(keys -> keys.forEach(k -> env.put(k, null)));
        }
        for (JsonElement e : Workloads.array(c.json(), "env")) {
            JsonObject var = e.getAsJsonObject();
            String name = var.get("name").getAsString();
            Optional<JsonElement> cmKey = K8sObject.path(var, "valueFrom.configMapKeyRef");
            if (var.has("value")) {
                env.put(name, var.get("value").getAsString());
            } else if (cmKey.isPresent()) {
                String map = cmKey.get().getAsJsonObject().get("name").getAsString();
                String key = cmKey.get().getAsJsonObject().get("key").getAsString();
                env.put(name, objects.stream().filter(o -> o.is("ConfigMap", map)).findFirst()
                        .flatMap(cm -> K8sObject.path(cm.json(), "data." + key)).map(JsonElement::getAsString)
                        .orElse(null));
            } else {
                env.put(name, null);
            }
        }
        return env;
    }

    /** The keys of a Secret the render provides: a SealedSecret's encryptedData (or a plain Secret's data). */
    static Optional<Set<String>> secretKeys(String name, List<K8sObject> objects) {
        for (K8sObject o : objects) {
            String secretName = K8sObject.path(o.json(), "spec.template.metadata.name").map(JsonElement::getAsString)
                    .orElse(o.name());
            if (o.kind().equals("SealedSecret") && secretName.equals(name)) {
                Set<String> keys = new TreeSet<>();
                K8sObject.path(o.json(), "spec.encryptedData").ifPresent(d -> keys.addAll(d.getAsJsonObject().keySet()));
                K8sObject.path(o.json(), "spec.template.data").ifPresent(d -> keys.addAll(d.getAsJsonObject().keySet()));
                return Optional.of(keys);
            }
            if (o.is("Secret", name)) {
                Set<String> keys = new TreeSet<>();
                for (String field : List.of("data", "stringData")) {
                    K8sObject.object(o.json(), field).ifPresent(d -> keys.addAll(d.keySet()));
                }
                return Optional.of(keys);
            }
        }
        return Optional.empty();
    }
}
