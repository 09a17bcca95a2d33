package io.namesmanager.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The page, its assets and their caching, the security headers on every kind of response, and the health endpoints,
 * with the backend down (none of this may depend on it).
 */
class WebContentTest {
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final String ASSETS = "/assets/" + WebContent.ASSETS_VERSION + "/";

    private static WebServer frontend;
    private static WebClient client;
    private static WebClient management;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        frontend = TestFrontend.start("http://127.0.0.1:" + closedPort, Duration.ofSeconds(1));
        client = TestFrontend.client(frontend);
        management = TestFrontend.managementClient(frontend);
    }

    @AfterAll
    static void stop() {
        frontend.stop();
    }

    @Test
    void pageIsRevalidatedAndLinksThisVersionsAssets() {
        try (HttpClientResponse res = client.get("/").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElseThrow(), startsWith("text/html"));
            assertThat(res.headers().first(HeaderNames.CACHE_CONTROL).orElseThrow(), is("no-cache"));
            assertThat(res.headers().contains(HeaderNames.ETAG), is(true));
            String page = res.as(String.class);
            assertThat(page, containsString("src=\"" + ASSETS + "app.js\""));
            assertThat(page, containsString("href=\"" + ASSETS + "app.css\""));
            assertThat(page, not(containsString("@assets.version@")));
        }
    }

    @Test
    void unchangedPageAnswers304WithoutBodyOrJsonType() {
        String etag;
        try (HttpClientResponse res = client.get("/").request()) {
            etag = res.headers().first(HeaderNames.ETAG).orElseThrow();
        }
        try (HttpClientResponse res = client.get("/").header(HeaderNames.IF_NONE_MATCH, etag).request()) {
            assertThat(res.status(), is(Status.NOT_MODIFIED_304));
            assertThat(res.entity().hasEntity(), is(false));
            // A cache copies a 304's headers onto the stored page: a JSON type here would break it.
            assertThat(res.headers().contains(HeaderNames.CONTENT_TYPE), is(false));
            assertThat(res.headers().contains(CSP), is(true));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.js:text/javascript", "app.css:text/css", "favicon.svg:image/svg+xml"})
    void versionedAssetsAreCachedForAYear(String assetAndType) {
        String[] parts = assetAndType.split(":");
        try (HttpClientResponse res = client.get(ASSETS + parts[0]).request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElseThrow(), startsWith(parts[1]));
            assertThat(res.headers().first(HeaderNames.CACHE_CONTROL).orElseThrow(),
                       is("public, max-age=31536000, immutable"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assets/app.js", "/assets/0123456789abcdef/app.js", "/assets/", "/app.js", "/nope"})
    void otherPathsAreJsonNotFound(String path) {
        try (HttpClientResponse res = client.get(path).request()) {
            assertThat(res.status(), is(Status.NOT_FOUND_404));
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElseThrow(), startsWith("application/json"));
            assertThat(res.as(String.class), startsWith("{\"error\":"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "app.js", "/healthz", "/observe/health", "/nope", "/api/names"})
    void everyResponseCarriesSecurityHeaders(String path) {
        String target = path.startsWith("/") ? path : ASSETS + path;
        try (HttpClientResponse res = client.get(target).request()) {
            assertSecurityHeaders(res);
        }
    }

    @Test
    void refusedBodyCarriesSecurityHeaders() {
        try (HttpClientResponse res = client.post("/api/names").submit("x".repeat(20_000))) {
            assertThat(res.status(), is(Status.REQUEST_ENTITY_TOO_LARGE_413));
            assertSecurityHeaders(res);
        }
    }

    @Test
    void policyAllowsNoInlineCodeAndNoFraming() {
        try (HttpClientResponse res = client.get("/").request()) {
            String policy = res.headers().first(CSP).orElseThrow();
            assertThat(policy, containsString("default-src 'none'"));
            assertThat(policy, containsString("script-src 'self'"));
            assertThat(policy, containsString("style-src 'self'"));
            assertThat(policy, containsString("frame-ancestors 'none'"));
            assertThat(policy, containsString("require-trusted-types-for 'script'"));
            assertThat(policy, not(containsString("unsafe-")));
        }
    }

    @Test
    void pageHasNoInlineScriptStyleOrHandlers() {
        String page;
        try (HttpClientResponse res = client.get("/").request()) {
            page = res.as(String.class);
        }
        assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(page).find(), is(false));
        assertThat(Pattern.compile("<style|\\sstyle=", Pattern.CASE_INSENSITIVE).matcher(page).find(), is(false));
        assertThat(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(page).find(), is(false));
    }

    @Test
    void scriptNeverTurnsStringsIntoHtml() throws IOException {
        String script;
        try (InputStream in = WebContentTest.class.getResourceAsStream("/WEB/assets/app.js")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|eval\\(").matcher(script).find(),
                   is(false));
    }

    @Test
    void livenessAnswersWithoutAskingTheBackend() {
        try (HttpClientResponse res = client.get("/healthz").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), is("{\"status\":\"ok\"}"));
        }
    }

    @Test
    void readinessDoesNotFollowTheBackend() {
        // The backend is down: the frontend stays in its Service to show the error banner instead of nothing.
        try (HttpClientResponse res = management.get("/observe/health/ready").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), containsString("\"status\":\"UP\""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/observe/health", "/observe/health/ready", "/observe/metrics"})
    void observabilityIsNotOnThePublicPort(String path) {
        try (HttpClientResponse res = client.get(path).request()) {
            assertThat(res.status(), is(Status.NOT_FOUND_404));
            assertThat(res.as(String.class), startsWith("{\"error\":"));
        }
    }

    @Test
    void exposesMetricsOnTheManagementPort() {
        try (HttpClientResponse res = management.get("/observe/metrics").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), containsString("jvm_uptime"));
        }
    }

    private static void assertSecurityHeaders(HttpClientResponse res) {
        assertThat(res.headers().first(CSP).orElse(""), startsWith("default-src 'none'"));
        assertThat(res.headers().first(HeaderNames.create("X-Content-Type-Options")).orElse(""), is("nosniff"));
        assertThat(res.headers().first(HeaderNames.create("Referrer-Policy")).orElse(""), is("no-referrer"));
        assertThat(res.headers().first(HeaderNames.create("X-Frame-Options")).orElse(""), is("DENY"));
    }
}
