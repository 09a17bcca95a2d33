package io.namesmanager.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.NotFoundException;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * The UI's static files, from {@code WEB/} on the class path.
 * <p>
 * Files under {@code WEB/assets/} are served at {@code /assets/<version>/...}, where the version is a hash of their
 * content computed by the build and written into {@code index.html}: a changed file gets a new URL, so assets may be
 * cached for a year. {@code index.html} is revalidated on every load ({@code no-cache} plus ETag), so a new release
 * is picked up at once. Another version's asset URL is a 404, never this version's content: during a rolling update
 * a browser must not cache old files under a new name.
 */
final class WebContent {
    /** Cache-Control of versioned assets. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Cache-Control of the page: may be stored, but revalidated before each use. */
    static final String REVALIDATE = "no-cache";
    /** Content hash of {@code WEB/assets/}, filtered into {@code assets.properties} by the build. */
    static final String ASSETS_VERSION = loadAssetsVersion();

    private WebContent() {
    }

    /**
     * Registers the versioned assets, then the page; other paths fall through to later routes.
     *
     * @param routing routing to add to
     */
    static void register(HttpRouting.Builder routing) {
        String assets = "/assets/" + ASSETS_VERSION;
        routing.route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.create(assets + "/*"), cache(IMMUTABLE))
                .register(assets, StaticContentService.builder("WEB/assets").build())
                .any("/assets/*", (req, res) -> {
                    throw new NotFoundException("No such asset in this version");
                })
                .route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.any(), cache(REVALIDATE))
                .register("/", StaticContentService.builder("WEB").welcomeFileName("index.html").build());
    }

    private static Handler cache(String cacheControl) {
        return (req, res) -> {
            res.header(HeaderNames.CACHE_CONTROL, cacheControl);
            res.next();
        };
    }

    private static String loadAssetsVersion() {
        Properties properties = new Properties();
        try (InputStream in = WebContent.class.getResourceAsStream("assets.properties")) {
            if (in == null) {
                throw new IllegalStateException("assets.properties is missing from the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("assets.version", "");
        if (!version.matches("[0-9a-f]{16}")) {
            throw new IllegalStateException("assets.version '" + version + "' was not filled in by the Maven build");
        }
        return version;
    }
}
