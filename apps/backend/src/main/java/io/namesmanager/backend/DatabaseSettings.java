package io.namesmanager.backend;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the database is and how to log in, from the environment variables the original app used.
 * <p>
 * {@code DATABASE_URL} (fallback {@code DB_URL}) wins: {@code postgresql://user:pass@host:5432/db},
 * {@code postgres://…}, {@code postgresql+psycopg2://…} (any {@code +driver} suffix is ignored) or
 * {@code jdbc:postgresql://host:5432/db} (credentials then from {@code POSTGRES_USER}/{@code POSTGRES_PASSWORD}).
 * Without it the URL is built from {@code DB_HOST}, {@code DB_PORT} and {@code POSTGRES_DB}.
 *
 * @param jdbcUrl  JDBC URL of the database
 * @param username user name, or {@code null} to let the driver decide
 * @param password password, or {@code null}
 */
record DatabaseSettings(String jdbcUrl, String username, String password) {

    private static final String DEFAULT_HOST = "db";
    private static final String DEFAULT_PORT = "5432";
    private static final String DEFAULT_DATABASE = "namesdb";

    /**
     * Reads the settings from environment variables.
     *
     * @param env the environment
     * @return the settings
     * @throws IllegalArgumentException if {@code DATABASE_URL} cannot be understood (the message never holds the password)
     */
    static DatabaseSettings fromEnvironment(Map<String, String> env) {
        String url = firstNonBlank(env.get("DATABASE_URL"), env.get("DB_URL"));
        String user = blankToNull(env.get("POSTGRES_USER"));
        String password = blankToNull(env.get("POSTGRES_PASSWORD"));
        if (url == null) {
            String host = firstNonBlank(env.get("DB_HOST"), DEFAULT_HOST);
            String port = firstNonBlank(env.get("DB_PORT"), DEFAULT_PORT);
            String database = firstNonBlank(env.get("POSTGRES_DB"), DEFAULT_DATABASE);
            return new DatabaseSettings("jdbc:postgresql://" + host + ":" + port + "/" + database, user, password);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseSettings(url, user, password);
        }
        return fromUrl(url, firstNonBlank(env.get("POSTGRES_DB"), DEFAULT_DATABASE));
    }

    /**
     * The settings as Helidon config keys of the DB Client's connection pool.
     *
     * @return config keys and values
     */
    Map<String, String> toConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("db.connection.url", jdbcUrl);
        if (username != null) {
            config.put("db.connection.username", username);
        }
        if (password != null) {
            config.put("db.connection.password", password);
        }
        return config;
    }

    @Override
    public String toString() {
        // Never print the password (this ends up in logs).
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", username=" + username
                + ", password=" + (password == null ? "<none>" : "<redacted>") + "]";
    }

    private static DatabaseSettings fromUrl(String url, String defaultDatabase) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL (check that special characters in the "
                                                       + "password are percent-encoded)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String dialect = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        if (!dialect.equals("postgresql") && !dialect.equals("postgres")) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgresql://, postgres:// or "
                                                       + "jdbc:postgresql://, not " + scheme + "://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : percentDecode(userInfo.substring(colon + 1));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.length() > 1 ? percentDecode(path.substring(1)) : defaultDatabase;
        int port = uri.getPort() < 0 ? Integer.parseInt(DEFAULT_PORT) : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database + query;
        return new DatabaseSettings(jdbcUrl, blankToNull(user), password);
    }

    private static String percentDecode(String value) {
        // URLDecoder would turn '+' into a space; in a URL's user info '+' is a literal plus.
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String firstNonBlank(String first, String second) {
        return blankToNull(first) != null ? first.trim() : blankToNull(second);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
