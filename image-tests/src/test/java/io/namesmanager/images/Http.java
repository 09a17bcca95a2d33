package io.namesmanager.images;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the published ports (127.0.0.1 only). */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private Http() {
    }

    static HttpResponse<String> get(int port, String path, Duration timeout) throws IOException {
        return send(HttpRequest.newBuilder(uri(port, path)).timeout(timeout).GET().build());
    }

    static HttpResponse<String> postJson(int port, String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(port, path))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build());
    }

    static HttpResponse<String> delete(int port, String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10)).DELETE().build());
    }

    /** True when GET PATH answers as a Kubernetes httpGet probe counts success: a status from 200 to 399. */
    static boolean probeSucceeds(int port, String path, Duration timeout) {
        try {
            int status = get(port, path, timeout).statusCode();
            return status >= 200 && status < 400;
        } catch (IOException e) {
            return false;
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Sends REQUEST (127.0.0.1 only) and reads the body as text. */
    static HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
