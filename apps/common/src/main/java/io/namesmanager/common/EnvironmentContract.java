package io.namesmanager.common;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The environment variables a service reads, each with the configuration keys it sets and the values it accepts:
 * the one place that turns the environment into configuration. Values are trimmed; a blank variable counts as
 * unset. A value outside what a variable accepts stops start-up with one line that names the variable and the
 * accepted values ({@link IllegalArgumentException}; the services exit with status 2).
 */
public final class EnvironmentContract {

    /** What a variable accepts. */
    public enum Kind {
        /** 0 to 65535; 0 binds any free port. */
        PORT("a port number from 0 to 65535", value -> value.matches("[0-9]{1,5}") && Integer.parseInt(value) <= 65535),
        /** A host name or an IP address. */
        HOST("a host name or IP address such as 0.0.0.0", value -> value.matches("[A-Za-z0-9.:_-]+")),
        /** 1 to 999999999. */
        POSITIVE_INT("a whole number from 1 to 999999999", value -> value.matches("[1-9][0-9]{0,8}")),
        /** true or false, in any case (set as lower case). */
        BOOLEAN("true or false", value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")),
        /** An ISO-8601 duration that is not negative. */
        DURATION("an ISO-8601 duration such as PT10S", EnvironmentContract::isDuration),
        /** An absolute http or https URL with a host. */
        HTTP_URL("an http:// or https:// URL such as http://api:8000", EnvironmentContract::isHttpUrl);

        private final String accepted;
        private final Predicate<String> test;

        Kind(String accepted, Predicate<String> test) {
            this.accepted = accepted;
            this.test = test;
        }

        /**
         * What a value of this kind looks like, for messages.
         *
         * @return e.g. {@code a port number from 0 to 65535}
         */
        public String accepted() {
            return accepted;
        }
    }

    private record Variable(Kind kind, List<String> keys) {
    }

    private final Map<String, Variable> variables = new LinkedHashMap<>();

    private EnvironmentContract() {
    }

    /**
     * An empty contract.
     *
     * @return a contract to add variables to
     */
    public static EnvironmentContract create() {
        return new EnvironmentContract();
    }

    /**
     * The variables of every service's sockets: {@code SERVER_HOST} (both sockets listen there), {@code SERVER_PORT}
     * and {@code MANAGEMENT_PORT} (the named socket {@code management}, {@code /observe/*}).
     *
     * @return a contract with these, to add the service's own variables to
     */
    public static EnvironmentContract server() {
        return create()
                .variable("SERVER_HOST", Kind.HOST, "server.host", "server.sockets.0.host")
                .variable("SERVER_PORT", Kind.PORT, "server.port")
                .variable("MANAGEMENT_PORT", Kind.PORT, "server.sockets.0.port");
    }

    /**
     * Adds a variable.
     *
     * @param name the variable, e.g. {@code SERVER_PORT}
     * @param kind what it accepts
     * @param keys the configuration keys it sets, e.g. {@code server.port}
     * @return this
     */
    public EnvironmentContract variable(String name, Kind kind, String... keys) {
        variables.put(name, new Variable(kind, List.of(keys)));
        return this;
    }

    /**
     * The names of the variables, in the order they were added.
     *
     * @return variable names
     */
    public List<String> names() {
        return List.copyOf(variables.keySet());
    }

    /**
     * The configuration keys and values of the variables that are set.
     *
     * @param env the environment
     * @return configuration keys and values
     * @throws IllegalArgumentException naming the first variable whose value is not accepted
     */
    public Map<String, String> toConfig(Map<String, String> env) {
        Map<String, String> config = new HashMap<>();
        variables.forEach((name, variable) -> {
            String raw = env.get(name);
            if (raw == null || raw.isBlank()) {
                return;
            }
            String value = raw.strip();
            if (!variable.kind().test.test(value)) {
                throw new IllegalArgumentException(name + " must be " + variable.kind().accepted() + ", not '" + raw
                                                   + "'");
            }
            String normalised = variable.kind() == Kind.BOOLEAN ? value.toLowerCase(Locale.ROOT) : value;
            variable.keys().forEach(key -> config.put(key, normalised));
        });
        return config;
    }

    private static boolean isDuration(String value) {
        try {
            return !Duration.parse(value).isNegative();
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
